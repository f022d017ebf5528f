"""Skipping feature patterns by the literal text they need never changes what they match."""
from __future__ import annotations

import re

import pytest

from notereview.nlp.goals import GOAL_LEAD, INLINE_GOAL_HEADING
from notereview.nlp.literals import LeadingLiterals, PatternGate, fold, leading_literals, required_literals
from notereview.nlp.services import CODE_RE, TOTAL_TIMED_RE, VISIT_TIME_RE, _name_regexes
from notereview.nlp.rules import _feature_sources, count_matches, find_matches
from tests.conftest import EXAMPLES

TRICKY = [
    "Pt seen IN GROUP with 3 other pts; tech supervised. 97150 x 30 min",
    "\u0130n group, concurrently with a peer; \u017fplit attention",  # İ and ſ match i and s under IGNORECASE
    "3 \u212ag cuff weight, red theraband, level 4; progressed to foam",  # Kelvin sign for k
    "no group today; tolerated tx well; see flowsheet; 2:1 ratio",
    "",
]


def _ungated_count(group: str, text: str) -> int:
    combined = re.compile("|".join(f"(?:{p})" for p in _feature_sources()[group]), re.IGNORECASE)
    return sum(1 for _ in combined.finditer(text))


def _ungated_spans(group: str, text: str) -> list[tuple[int, int]]:
    return sorted((m.start(), m.end()) for p in _feature_sources()[group] for m in re.finditer(p, text, re.IGNORECASE))


@pytest.mark.parametrize("text", TRICKY + [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))])
def test_gated_matching_equals_plain_matching(text):
    for group in _feature_sources():
        assert count_matches(group, text) == _ungated_count(group, text), group
        assert find_matches(group, text) == _ungated_spans(group, text), group


def test_required_literals_of_a_pattern():
    assert required_literals(r"\bin (?:a )?group\b") == (frozenset({"in "}), frozenset({"group"}))
    assert required_literals(r"\b(?:rtb|gtb)\b") == (frozenset({"rtb", "gtb"}),)
    assert required_literals(r"\b\d+\s*x\s*\d+") == (frozenset({"x"}),)
    assert required_literals(r"\bprogress(?!\s+toward)") == (frozenset({"progress"}),)  # a negative lookahead needs nothing
    assert required_literals(r"(?:a|\d)") == ()  # one branch needs no literal: the alternation needs none


def test_fold_maps_what_ignorecase_matches_to_ascii():
    assert fold("\u0130\u0131\u017f\u212a AbC") == "iisk abc"
    assert PatternGate((r"\bgroup\b", r"\bclass\b")).possible(fold("GROUP")) == (0,)


SEARCHED_FROM_LEADS = [CODE_RE, VISIT_TIME_RE, TOTAL_TIMED_RE, GOAL_LEAD, INLINE_GOAL_HEADING]
LEAD_TEXTS = TRICKY + [
    "STG: \u017ftand 30 s; LTG 2) amb 300' \u0130ndep. G: ABC > 67%",
    "Total timed 38 min; CPT#97112-GP x2; \u212aX 97530; tx time 0930-1000; seen for 25 min",
    "TE: 15 min, TherEx 10 min, NMR 8', US 5 min; ta activation",
]


@pytest.mark.parametrize("text", LEAD_TEXTS + [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))])
def test_searching_from_leads_equals_plain_searching(text):
    def found(matches):
        return [(m.span(), m.groups()) for m in matches]

    for regex in SEARCHED_FROM_LEADS + [_name_regexes()[1]]:
        scan = LeadingLiterals(regex)
        assert scan.leads is not None, regex.pattern
        assert found(scan.finditer(text)) == found(regex.finditer(text)), regex.pattern
        middle = len(text) // 2
        assert found(scan.finditer(text, 3, middle)) == found(regex.finditer(text, 3, middle)), regex.pattern
        assert found(filter(None, [scan.search(text)])) == found(filter(None, [regex.search(text)])), regex.pattern


def test_leading_literals_of_a_pattern():
    assert leading_literals(r"\b(?:total\s+)?timed", re.I) == frozenset({"total", "timed"})
    assert leading_literals(r"(?<![\w/])(?:TE|TherEx)(?!\w)") == frozenset({"TE", "TherEx"})  # case kept
    assert leading_literals(r"(?:CPT[ #:]*)?97\d{3}", re.I) == frozenset({"cpt", "97"})
    assert leading_literals(r"(?:ab|abc)d", re.I) == frozenset({"abd", "abcd"})
    assert leading_literals(r"^[ \t]*goal", re.I) is None  # may start with a space or a tab
    assert leading_literals(r"(?:a|\d)x", re.I) is None
