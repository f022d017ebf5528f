"""A learned second look at each technique the vocabulary matched: is it a technique in this context?

The vocabulary matches a phrase wherever it stands; many phrases are techniques in one context
and not in another ("EC" as a practised condition or as an mCTSIB column, "saccades" practised
or tested, "JPS" trained or measured, "manual resistance" as skilled facilitation or as a
strength dose). A logistic regression over the phrase and the words, section, flags and other
mentions around it, fitted on the annotated development part of the extraction corpus, gives
the probability that annotators count the match as a technique; matches below the threshold
are dropped.

Training (scikit-learn) writes the fitted weights as plain JSON with a checksum; inference is
a dictionary lookup per feature: no pickle, no scikit-learn at review time.
"""
from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .classifier import ModelError, _checksum
from .results import Mention

CHECK_FORMAT = "notereview-technique-check/1"
CHECK_FILE = "technique_check.json"
DEFAULT_THRESHOLD = 0.3

WORD = re.compile(r"[a-z]+|\d+|[|:\-/(),;•*]")
DOSE = re.compile(r"\d+\s*[x×]\s*\d+|\d+\s*(?:s|sec|secs|seconds|reps|min|minutes|laps|ft|m)\b|\bx\s*\d+")
BULLET = re.compile(r"\s*[-*•]")
WINDOW = 60  # characters either side of the match that its neighbouring words come from
NEIGHBOURS = 3  # words either side


def _masked(text: str, start: int, end: int, techniques: list[Mention]) -> str:
    """text[start:end] in lower case, each other technique in it read as the word "technique": a neighbour is
    known by what it is, not by its words ("in-hand manipulation, bilateral coordination" is no manual therapy)."""
    pieces, last = [], start
    for other in sorted(techniques, key=lambda m: m.start):
        if other.start >= last and other.end <= end:
            pieces += [text[last:other.start], " technique "]
            last = other.end
    pieces.append(text[last:end])
    return "".join(pieces).lower()


def technique_features(text: str, mention: Mention, line_mentions: list[Mention], codes: frozenset[str],
                       techniques_in_note: int) -> list[str]:
    """The features of one technique match: the phrase, its neighbours, its line, its note (pure)."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    line_end = text.find("\n", mention.end)
    line_end = len(text) if line_end < 0 else line_end
    surface = text[mention.start:mention.end].lower()
    techniques_near = [m for m in line_mentions if m is not mention and m.type == "technique"]
    left = _masked(text, max(line_start, mention.start - WINDOW), mention.start, techniques_near)
    right = _masked(text, mention.end, min(line_end, mention.end + WINDOW), techniques_near)
    line = text[line_start:line_end].lower()
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
    features += [f"dose_line={bool(DOSE.search(line))}", f"dose_right={bool(DOSE.search(right[:25]))}",
                 f"pipe={'|' in line}", f"bullet={bool(BULLET.match(line))}", f"colon_before={':' in left[-40:]}"]
    for other in line_mentions:
        if other is not mention:
            features += [f"o={other.type}", f"oi={other.id}"]
    features += [f"has97112={'97112' in codes}", f"ntech={min(techniques_in_note, 20) // 5}",
                 f"len={min(len(surface), 20) // 4}"]
    return features


def candidates(text: str, mentions: list[Mention], codes: frozenset[str]) -> list[tuple[Mention, list[str]]]:
    """Each technique mention of a note with its features."""
    techniques = [m for m in mentions if m.type == "technique"]
    if not techniques:
        return []
    by_line: dict[int, list[Mention]] = {}  # the mentions of each line, by the line's start
    for mention in mentions:
        by_line.setdefault(text.rfind("\n", 0, mention.start) + 1, []).append(mention)
    out = []
    for mention in techniques:
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        line_end = len(text) if line_end < 0 else line_end
        on_line = [m for m in by_line[line_start] if m.end <= line_end]
        out.append((mention, technique_features(text, mention, on_line, codes, len(techniques))))
    return out


class TechniqueCheck:
    """The exported weights: P(an annotator counts this match as a technique)."""

    def __init__(self, weights: dict):
        if not isinstance(weights, dict) or weights.get("format") != CHECK_FORMAT:
            raise ModelError(f"technique check file is not of format {CHECK_FORMAT!r}; "
                             "rebuild it with `notereview train-techniques`")
        if weights.get("checksum") != _checksum(weights):
            raise ModelError("technique check file checksum does not match its content (damaged or edited); "
                             "rebuild it with `notereview train-techniques`")
        self.weights: dict[str, float] = weights["weights"]
        self.intercept = float(weights["intercept"])
        self.threshold = float(weights["threshold"])
        self.card = weights.get("card", {})

    def probability(self, features: list[str]) -> float:
        """P(technique) from a match's features."""
        z = self.intercept + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0

    def keep(self, text: str, mentions: list[Mention], codes: frozenset[str]) -> list[Mention]:
        """The mentions without the technique matches below the threshold."""
        dropped = {id(m) for m, features in candidates(text, mentions, codes)
                   if self.probability(features) < self.threshold}
        return [m for m in mentions if id(m) not in dropped] if dropped else mentions


def check_path() -> Path:
    """Where the shipped technique check lives inside the package."""
    return Path(str(resources.files("notereview.models").joinpath(CHECK_FILE)))


def load_check(path: str | Path | None = None) -> TechniqueCheck:
    """Load and verify a technique check export; clear errors for a missing or damaged file."""
    path = Path(path) if path else check_path()
    if not path.exists():
        raise ModelError(f"no technique check at {path}; build it with `notereview train-techniques`")
    try:
        weights = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"technique check file {path} cannot be read ({error.__class__.__name__}); "
                         "rebuild it with `notereview train-techniques`") from None
    return TechniqueCheck(weights)


SWITCHED_OFF = frozenset({"off", "0", "false", "no", "none"})


def shipped_check() -> TechniqueCheck | None:
    """The check in use: NOTEREVIEW_TECHNIQUE_CHECK if set (a file, or "off"), else the one shipped.

    The variable is read on every call; each file is loaded once per process."""
    chosen = os.environ.get("NOTEREVIEW_TECHNIQUE_CHECK", "").strip()
    if chosen.lower() in SWITCHED_OFF:
        return None
    return _loaded(chosen or None)


@lru_cache(maxsize=4)
def _loaded(path: str | None) -> TechniqueCheck:
    return load_check(path)
