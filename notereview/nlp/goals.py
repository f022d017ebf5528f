"""Goal statements -> `doc.spans["goals"]`, each with `span._.measurable` and `span._.timeframe`."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from .component import StatelessComponent
from .rules import feature_patterns
from .text import doc_text

for _name in ("measurable", "timeframe"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

GOAL_LEAD = re.compile(
    r"(?:\b(?:stg|ltg|stgs|ltgs|goal|goals)\b\s*#?\d*\s*[:.)\-–]?|\b(?:pt|patient|client|child|athlete|resident|he|she)\s+(?:will|to)\s+(?:be able to\s+|demonstrate|improve|increase|ambulate|perform|achieve|maintain|tolerate|return|report|complete|score|navigate|walk|stand|transfer|climb|negotiate|decrease|reduce|don|doff|manage)|\bin order to return\b|\breturn to (?:plof|prior level)\b)",
    re.IGNORECASE,
)
LINE_ITEM = re.compile(r"[^\n]+")
GOAL_HEADING = re.compile(
    r"^[ \t]*(?:[-*•]+[ \t]*)?(?:(?:short|long)[- ]term goals?|stgs?|ltgs?|goals?|functional goals?|pt goals?|patient goals?)"
    r"[ \t]*(?:\([^)\n]{0,30}\))?[ \t]*#?\d*[ \t]*[:.)\-–][ \t]*",
    re.IGNORECASE,
)


def goal_statements(text: str, goal_sections: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of goal statements: each line of a Goals section, and goal sentences elsewhere."""
    spans: list[tuple[int, int]] = []
    for start, end in goal_sections:
        for line in LINE_ITEM.finditer(text, start, end):
            body = line.group(0)
            stripped = body.strip(" \t-*•:")
            if len(re.findall(r"[A-Za-z]{2,}", stripped)) < 3:
                continue  # the heading itself, or an empty bullet
            heading = GOAL_HEADING.match(body)
            left = line.start() + (heading.end() if heading else len(body) - len(body.lstrip(" \t-*•")))
            if len(re.findall(r"[A-Za-z]{2,}", text[left:line.end()])) >= 3:
                spans.append((left, line.end()))
    for match in GOAL_LEAD.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        start = max(text.rfind("\n", 0, match.start()) + 1, _sentence_start(text, match.start()))
        end_candidates = [i for i in (text.find("\n", match.end()), _sentence_end(text, match.end())) if i >= 0]
        end = min(end_candidates) if end_candidates else len(text)
        if len(re.findall(r"[A-Za-z]{2,}", text[start:end])) >= 3:
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    return merged


def _sentence_start(text: str, at: int) -> int:
    found = max(text.rfind(". ", 0, at), text.rfind("; ", 0, at))
    return found + 2 if found >= 0 else 0


def _sentence_end(text: str, at: int) -> int:
    found = [i for i in (text.find(". ", at), text.find("; ", at)) if i >= 0]
    return min(found) + 1 if found else len(text)


def measurable_and_timeframe(goal_text: str) -> tuple[bool, str | None]:
    """A goal is measurable when it states a criterion: a number, a measure score, an assistance level.

    The timeframe ("in 4 weeks") is reported apart and does not by itself make a goal measurable:
    "improve balance in 4 weeks" names no criterion a reviewer could check.
    """
    patterns = feature_patterns()
    timeframe = None
    remainder = goal_text
    for pattern in patterns["timeframe"]:
        for found in list(pattern.finditer(remainder)):
            timeframe = timeframe or found.group(0).strip()
        remainder = pattern.sub(" ", remainder)
    remainder = re.sub(r"\b(?:stg|ltg|goal)s?\s*#?\d+", " ", remainder, flags=re.I)
    measurable = any(p.search(remainder) for p in patterns["measurable_goal"])
    return measurable, timeframe


@Language.factory("notereview_goals", assigns=["doc.spans"], requires=["doc.spans"])
def make_goals(nlp: Language, name: str) -> "GoalFinder":
    return GoalFinder()


class GoalFinder(StatelessComponent):
    """Finds goal statements and whether each is measurable."""

    def __call__(self, doc: Doc) -> Doc:
        goal_sections = [(s.start_char, s.end_char) for s in doc.spans.get("sections", []) if s.label_ == "goals"]
        spans = []
        for start, end in goal_statements(doc_text(doc), goal_sections):
            span = doc.char_span(start, end, label="goal", alignment_mode="contract")
            if span is None or not len(span):
                continue
            span._.measurable, span._.timeframe = measurable_and_timeframe(span.text)
            spans.append(span)
        doc.spans["goals"] = spans
        return doc

