"""A learned second look at each technique and intervention the vocabulary matched: is it one in this context?

The vocabulary matches a phrase wherever it stands; many phrases are techniques in one context
and not in another ("EC" as a practised condition or as an mCTSIB column, "saccades" practised
or seen on a head impulse test, "weight shift" trained or named in a plan's condition), and
intervention words name a service's heading as often as an exercise given. For each checked
type, a logistic regression over the phrase and the words, section, flags and other mentions
around it, fitted on the annotated development part of the extraction corpus, gives the
probability that annotators count the match; matches below the threshold are dropped.

Training (scikit-learn) writes the fitted weights as plain JSON with a checksum; inference is
a dictionary lookup per feature: no pickle, no scikit-learn at review time.
"""
from __future__ import annotations

import math
import os
import re
from functools import lru_cache
from itertools import repeat
from importlib import resources
from pathlib import Path

from .classifier import MODEL_PACKAGE, ModelError, _checksum, read_weights
from .nlp.sections import end_of_line
from .results import Mention

CHECK_FORMAT = "notereview-mention-check/1"
CHECK_FILE = "mention_check.json"
CHECKED_TYPES = ("technique", "intervention")
SWITCH = "NOTEREVIEW_MENTION_CHECK"
DEFAULT_THRESHOLD = 0.3

WORD = re.compile(r"[a-z]+|\d+|[|:\-/(),;•*]")
DOSE = re.compile(r"\d+\s*[x×]\s*\d+|\d+\s*(?:s|sec|secs|seconds|reps|min|minutes|laps|ft|m)\b|\bx\s*\d+")
BULLET = re.compile(r"\s*[-*•]")
WINDOW = 60  # characters either side of the match that its neighbouring words come from
NEIGHBOURS = 3  # words either side


def _masked(text: str, start: int, end: int, others: list[Mention]) -> str:
    """text[start:end] in lower case, each other mention of the type in it read as the type's name: a neighbour
    is known by what it is, not by its words ("in-hand manipulation, bilateral coordination" is no manual therapy)."""
    pieces, last = [], start
    for other in sorted(others, key=lambda m: m.start):
        if other.start >= last and other.end <= end:
            pieces += [text[last:other.start], f" {other.type} "]
            last = other.end
    pieces.append(text[last:end])
    return "".join(pieces).lower()


def line_features(line: str) -> list[str]:
    """The features a line gives each match on it: a dose, a table's pipe, a bullet (pure)."""
    line = line.lower()
    return [f"dose_line={bool(DOSE.search(line))}", f"pipe={'|' in line}", f"bullet={bool(BULLET.match(line))}"]


def mention_features(text: str, mention: Mention, line: tuple[int, int], line_mentions: list[Mention],
                     of_line: list[str], codes: frozenset[str], same_type_in_note: int) -> list[str]:
    """The features of one match: the phrase, its neighbours, its line (its bounds, the mentions on it and
    `line_features` of it), its note (pure)."""
    line_start, line_end = line
    surface = text[mention.start:mention.end].lower()
    same_type_near = [m for m in line_mentions if m is not mention and m.type == mention.type]
    left = _masked(text, max(line_start, mention.start - WINDOW), mention.start, same_type_near)
    right = _masked(text, mention.end, min(line_end, mention.end + WINDOW), same_type_near)
    features = [f"s={surface}", f"id={mention.id}", f"sec={mention.section}", f"neg={mention.negated}",
                f"hyp={mention.hypothetical}", f"hist={mention.historical}"]
    left_words = WORD.findall(left)[-NEIGHBOURS:]
    right_words = WORD.findall(right)[:NEIGHBOURS]
    for i, word in enumerate(reversed(left_words)):
        features += [f"l{i}={word}", f"lb={word}"]
    for i, word in enumerate(right_words):
        features += [f"r{i}={word}", f"rb={word}"]
    if left_words:
        features.append(f"s_l0={surface}|{left_words[-1]}")
    if right_words:
        features.append(f"s_r0={surface}|{right_words[0]}")
    features += [of_line[0], f"dose_right={bool(DOSE.search(right[:25]))}", of_line[1], of_line[2],
                 f"colon_before={':' in left[-40:]}"]
    for other in line_mentions:
        if other is not mention:
            features += [f"o={other.type}", f"oi={other.id}"]
    features += [f"has97112={'97112' in codes}", f"ntech={min(same_type_in_note, 20) // 5}",
                 f"len={min(len(surface), 20) // 4}"]
    return features


def mentions_by_line(text: str, mentions: list[Mention]) -> dict[int, list[Mention]]:
    """The mentions of each line of the text, by the line's start."""
    by_line: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_line.setdefault(text.rfind("\n", 0, mention.start) + 1, []).append(mention)
    return by_line


def candidates(text: str, mentions: list[Mention], codes: frozenset[str], mention_type: str = "technique",
               by_line: dict[int, list[Mention]] | None = None) -> list[tuple[Mention, list[str]]]:
    """Each mention of `mention_type` in a note with its features."""
    same_type = [m for m in mentions if m.type == mention_type]
    if not same_type:
        return []
    by_line = by_line if by_line is not None else mentions_by_line(text, mentions)
    of_lines: dict[int, list[str]] = {}
    out = []
    for mention in same_type:
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = end_of_line(text, mention.end)
        on_line = [m for m in by_line[line_start] if m.end <= line_end]
        if line_start not in of_lines:
            of_lines[line_start] = line_features(text[line_start:line_end])
        out.append((mention, mention_features(text, mention, (line_start, line_end), on_line, of_lines[line_start],
                                              codes, len(same_type))))
    return out


class MentionCheck:
    """The exported weights: P(an annotator counts this match as a mention of its type), per checked type."""

    def __init__(self, weights: dict):
        if not isinstance(weights, dict) or weights.get("format") != CHECK_FORMAT:
            raise ModelError(f"mention check file is not of format {CHECK_FORMAT!r}; "
                             "rebuild it with `notereview train-mention-check`")
        if weights.get("checksum") != _checksum(weights):
            raise ModelError("mention check file checksum does not match its content (damaged or edited); "
                             "rebuild it with `notereview train-mention-check`")
        self.types: dict[str, dict] = weights["types"]
        self.card = weights.get("card", {})

    def threshold(self, mention_type: str) -> float:
        """The probability under which a match of the type is dropped."""
        return float(self.types[mention_type]["threshold"])

    def probability(self, mention_type: str, features: list[str]) -> float:
        """P(a mention of the type) from a match's features."""
        model = self.types[mention_type]
        z = float(model["intercept"]) + sum(map(model["weights"].get, features, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0

    def keep(self, text: str, mentions: list[Mention], codes: frozenset[str]) -> list[Mention]:
        """The mentions without the checked types' matches below their thresholds."""
        by_line = mentions_by_line(text, mentions)
        dropped = {id(m) for mention_type in self.types
                   for m, features in candidates(text, mentions, codes, mention_type, by_line)
                   if self.probability(mention_type, features) < self.threshold(mention_type)}
        return [m for m in mentions if id(m) not in dropped] if dropped else mentions


def check_path() -> Path:
    """Where the shipped mention check lives inside the package."""
    return Path(str(resources.files(MODEL_PACKAGE).joinpath(CHECK_FILE)))


def load_check(path: str | Path | None = None) -> MentionCheck:
    """Load and verify a mention check export; clear errors for a missing or damaged file."""
    return MentionCheck(read_weights(Path(path) if path else check_path(), "mention check",
                                     "notereview train-mention-check"))


SWITCHED_OFF = frozenset({"off", "0", "false", "no", "none"})


def shipped_check() -> MentionCheck | None:
    """The check in use: NOTEREVIEW_MENTION_CHECK if set (a file, or "off"), else the one shipped.

    The variable is read on every call; each file is loaded once per process."""
    chosen = os.environ.get(SWITCH, "").strip()
    if chosen.lower() in SWITCHED_OFF:
        return None
    return _loaded(chosen or None)


@lru_cache(maxsize=4)
def _loaded(path: str | None) -> MentionCheck:
    return load_check(path)
