"""What the classifier reads: the judged text and counts of extracted signals.

Shared by training and inference, so both see exactly the same features.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .nlp.rules import count_matches, gap_rules
from .results import Mention

# Deficit ids that support 97112 (docs/contract.md §1), from nlp/patterns/gap_rules.json
NEUROMUSCULAR_DEFICITS = frozenset(gap_rules()["neuromuscular_deficits"])


@dataclass(frozen=True)
class SegmentFeatures:
    """The text the decision judges, and the extracted signals in and around it."""

    text: str
    counts: dict[str, float]


def extracted_counts(segment_text: str, segment_mentions: list[Mention], note_mentions: list[Mention]) -> dict[str, float]:
    """Signals counted in the judged segment (techniques, cues, dosage) and the note (deficits).

    Counts are log-scaled (log1p) so that one long list of exercises does not swamp the rest.
    """
    raw: dict[str, float] = {}

    def add(key: str, amount: float = 1.0) -> None:
        raw[key] = raw.get(key, 0.0) + amount

    for mention in segment_mentions:
        if not mention.performed:
            if mention.type == "technique":
                add("technique_not_performed")
            continue
        if mention.type == "technique":
            add("techniques_performed")
            add(f"technique={mention.id}")
        elif mention.type == "cue":
            add("cues")
            add(f"cue={mention.id}")
        elif mention.type == "intervention":
            add(f"intervention={mention.id}")
        elif mention.type == "response" and mention.id == "performance":
            add("responses")
        elif mention.type == "response":
            add("tolerance_phrases")
    for mention in note_mentions:
        if mention.type == "deficit" and not mention.negated and not mention.hypothetical:
            add("neuromuscular_deficits" if mention.id in NEUROMUSCULAR_DEFICITS else "other_deficits")
    for group, key in (
        ("dosage", "sets_reps"),
        ("load", "load_markers"),
        ("independent", "independent_wording"),
        ("progression", "progression_wording"),
        ("red_flag_phrases", "red_flag_phrases"),
    ):
        found = count_matches(group, segment_text)
        if found:
            add(key, found)
    return {key: round(math.log1p(value), 6) for key, value in sorted(raw.items())}
