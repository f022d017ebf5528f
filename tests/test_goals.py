"""Goal statements: one mention per goal, however the list is written, each with its measurable flag."""
from __future__ import annotations

import pytest

from notereview import review


def goals(text: str) -> list[tuple[str, bool]]:
    return [(m.text, m.measurable) for m in review(text).entities if m.type == "goal"]


@pytest.mark.parametrize("text,expected", [
    ("Response: EC sway less.\nGoals:\n- Berg ≥ 46/56 (6 wk)\n- ABC > 67%\n\nP: add tandem next visit.",
     [("Berg ≥ 46/56 (6 wk)", True), ("ABC > 67%", True)]),
    ("s/p TBI. G: SLS ≥ 8 s B in 4 wks; 5xSTS < 13 s; improve confidence. P: next telehealth visit add VOR.",
     [("SLS ≥ 8 s B in 4 wks", True), ("5xSTS < 13 s", True), ("improve confidence", False)]),
    ("bimanual play. G: 1) pt will don jacket w/ SBA in 6 wks. 2) pt will open snack containers indep 4/5 trials. "
     "P: mom coached.",
     [("pt will don jacket w/ SBA in 6 wks", True), ("pt will open snack containers indep 4/5 trials", True)]),
    ("Goals: improve balance; pt will walk in the community. Plan: continue 2x/wk.",
     [("improve balance", False), ("pt will walk in the community", False)]),
])
def test_goal_lists_give_one_goal_per_item(text, expected):
    assert goals(text) == expected


def test_plan_after_goals_is_not_a_goal():
    found = goals("STG: TUG < 14 s in 3 wks. Plan: add perturbations next session, 2x/wk x 4 wks.")
    assert found == [("TUG < 14 s in 3 wks", True)]
