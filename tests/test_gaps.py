"""Every gap of the catalogue: a note that raises it, and a near-identical note that does not.

Each case edits the same well-documented note (tests/data/base_nmr_note.txt), which raises no gap.
"""
from __future__ import annotations

import pytest

from notereview import review
from notereview.gaps import CLAIM_RULES, UNCLAIMED_RULES, gap_rules

# gap id -> (edits that make the note raise the gap, edits for the near-identical note that does not)
CASES = {
    "time.missing": (
        [("NMR (97112) x 25 min, 2 units:", "NMR (97112), 2 units:"), ("Total timed minutes: 40.\n", "")],
        [("NMR (97112) x 25 min, 2 units:", "NMR (97112) 0905-0930, 2 units:"), ("Total timed minutes: 40.\n", "")],
    ),
    "units.overbilled": (
        [("x 25 min, 2 units", "x 25 min, 3 units")],
        [("x 25 min, 2 units", "x 38 min, 3 units"), ("Total timed minutes: 40.", "Total timed minutes: 53.")],
    ),
    "units.daily_limit": (
        [("x 25 min, 2 units", "x 75 min, 5 units"), ("Total timed minutes: 40.", "Total timed minutes: 90.")],
        [("x 25 min, 2 units", "x 75 min, 5 units"), ("Total timed minutes: 40.", "Total timed minutes: 90. Extended session medically necessary due to severity of balance impairment.")],
    ),
    "technique.missing": (
        [("tandem stance on foam with eyes closed, 3 x 30 s; manual perturbations in standing to train stepping strategy;",
          "standing exercises 3 x 30 s;")],
        [("tandem stance on foam with eyes closed, 3 x 30 s; manual perturbations in standing to train stepping strategy;",
          "standing exercises on foam 3 x 30 s;")],
    ),
    "content.strengthening": (
        [("tandem stance on foam with eyes closed, 3 x 30 s; manual perturbations in standing to train stepping strategy; TC at pelvis and VC for upright trunk.",
          "leg press 3 x 12 @ 60 lb, mini squats 3 x 15, heel raises 3 x 15 with 5# ankle weights, bridges 3 x 10; pt performed independently per flowsheet.")],
        [],
    ),
    "deficit.missing": (
        [(" with impaired dynamic balance and high fall risk", ""), ("Balance deficits limit safe community ambulation.", "Goal is safe community ambulation.")],
        [(" with impaired dynamic balance and high fall risk", ""), ("Balance deficits limit safe community ambulation.", "Balance deficits limit safe community ambulation.")],
    ),
    "deficit.weakness_only": (
        [("with impaired dynamic balance and high fall risk", "with R quad weakness 4-/5"),
         ("Balance deficits limit safe community ambulation.", "Weakness limits safe community ambulation.")],
        [("with impaired dynamic balance and high fall risk", "with R quad weakness 4-/5 and impaired dynamic balance"),
         ("Balance deficits limit safe community ambulation.", "Weakness limits safe community ambulation.")],
    ),
    "skill.missing": (
        [(" TC at pelvis and VC for upright trunk.", "")],
        [(" TC at pelvis and VC for upright trunk.", " VC for upright trunk.")],
    ),
    "supervision.not_one_on_one": (
        [("to train stepping strategy;", "to train stepping strategy in a group with 3 other patients;")],
        [("to train stepping strategy;", "to train stepping strategy, not in a group;")],
    ),
    "goal.missing": (
        [("Goal: Berg from 41/56 to 47/56 in 4 weeks.\n", "")],
        [],
    ),
    "goal.not_measurable": (
        [("Goal: Berg from 41/56 to 47/56 in 4 weeks.", "Goal: improve balance for safety at home.")],
        [("Goal: Berg from 41/56 to 47/56 in 4 weeks.", "Goal: improve balance for safety at home, Berg >= 47/56.")],
    ),
    "response.missing": (
        [("A: SLS improved from 3 s to 7 s; cues reduced from mod to min.", "A: Pt tolerated tx well.")],
        [("A: SLS improved from 3 s to 7 s; cues reduced from mod to min.", "A: Pt tolerated tx well; SLS improved from 3 s to 7 s.")],
    ),
    "necessity.missing": (
        [(" and high fall risk", ""), (" Balance deficits limit safe community ambulation.", "")],
        [(" and high fall risk", ""), (" Balance deficits limit safe community ambulation.", " Balance deficits limit stair negotiation.")],
    ),
    "code.supports_97112": (
        [("NMR (97112) x 25 min, 2 units:", "Ther ex (97110) x 25 min, 2 units:"), ("Ther ex (97110) x 15 min, 1 unit:", "Also:")],
        [],
    ),
}


def edit(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert old in text, f"edit target not in the base note: {old!r}"
        text = text.replace(old, new, 1)
    return text


def test_gaps_every_catalogue_id_has_a_case():
    assert set(CASES) == set(CLAIM_RULES) | set(UNCLAIMED_RULES)


def test_gaps_base_note_raises_nothing(base_note):
    result = review(base_note)
    assert result.claims_97112
    assert result.label == "nmr"
    assert [g.id for g in result.gaps] == []
    assert result.score == 100


@pytest.mark.parametrize("gap_id", sorted(CASES))
def test_gaps_raised_by_note_and_cleared_by_near_identical_note(gap_id, base_note):
    raise_edits, clear_edits = CASES[gap_id]
    raising = review(edit(base_note, raise_edits))
    clearing = review(edit(base_note, clear_edits))
    raised = {g.id: g for g in raising.gaps}
    assert gap_id in raised, f"{gap_id} not raised; got {sorted(raised)}"
    assert gap_id not in {g.id for g in clearing.gaps}
    gap = raised[gap_id]
    assert gap.severity == gap_rules()["severity"][gap_id]
    assert gap.message and gap.suggestion and gap.why
    for evidence in gap.evidence:
        assert 0 <= evidence.start <= evidence.end <= len(raising.text)


def test_gaps_mutually_exclusive_pairs_never_both(base_note):
    for edits, _ in CASES.values():
        ids = {g.id for g in review(edit(base_note, edits)).gaps}
        assert not {"deficit.missing", "deficit.weakness_only"} <= ids
        assert not {"goal.missing", "goal.not_measurable"} <= ids


def test_gaps_overbilled_message_states_billed_allowed_and_minutes(base_note):
    result = review(edit(base_note, [("x 25 min, 2 units", "x 25 min, 3 units")]))
    gap = next(g for g in result.gaps if g.id == "units.overbilled")
    assert "3 unit" in gap.message and "25 minutes" in gap.message and "at most 2" in gap.message


def test_gaps_score_falls_with_severity(base_note):
    warning_only = review(edit(base_note, [("Goal: Berg from 41/56 to 47/56 in 4 weeks.\n", "")]))
    with_error = review(edit(base_note, [("x 25 min, 2 units", "x 25 min, 3 units")]))
    assert 100 > warning_only.score > with_error.score


def _base_note() -> str:
    from pathlib import Path
    return (Path(__file__).parent / "data" / "base_nmr_note.txt").read_text()


@pytest.mark.parametrize("response", [
    "SLS L 6 s -> 10 s.",
    "Berg 24 -> 27/56 this wk.",
    "Res stood 40 s w/o UE support (was 15 s yesterday).",
    "Child sat upright on T-stool 45 s (20 s last session).",
    "Pt corrected valgus on 8/10 landings (4/10 at start).",
    "Pt decreased LOB on foam EC from 4 to 1 per trial.",
    "Berg 41/56 today, up from 38/56.",
    "Pt now holds tandem 12 s vs 6 s last visit.",
])
def test_response_a_measured_change_is_a_response(response):
    # a change in performance written as numbers, without the word "improved"
    text = _base_note().replace("A: SLS improved from 3 s to 7 s; cues reduced from mod to min.", "A: " + response)
    assert "response.missing" not in [g.id for g in review(text).gaps]
    bare = _base_note().replace("A: SLS improved from 3 s to 7 s; cues reduced from mod to min.", "A: Pt tolerated tx well.")
    assert "response.missing" in [g.id for g in review(bare).gaps]


@pytest.mark.parametrize("line,raised", [
    ("Resident seen concurrently with another resident in the gym.\n", True),
    ("Concurrent therapy: Res and 1 other resident, PT in attendance of both.\n", True),
    ("2 pts treated at same time in the gym.\n", True),
    ("Dx: GBM, concurrent temozolomide/RT wk 4.\n", False),
    ("Plan: concurrent tx w/ roommate next wk if appropriate.\n", False),
    ("Not seen concurrently today; 1:1 throughout.\n", False),
    ("S: Dizziness concurrent with head turns.\n", False),
    ("S: Pt seen concurrently by OT this week for ADLs.\n", False),
    ("S: Bilateral TKA; treating both LEs.\n", False),
    ("Rm 207B / Rm 209A concurrent in gym.\n", True),
])
def test_supervision_plain_concurrent_wording_anywhere_in_the_note(line, raised):
    # concurrent treatment under Part B is group treatment [GROUP], even when said above the 97112 heading
    gaps = [g.id for g in review(line + _base_note()).gaps]
    assert ("supervision.not_one_on_one" in gaps) is raised


@pytest.mark.parametrize("wording", [
    "Cues for attending to both sides of midline.",
    "Head turns performed simultaneously with another cognitive task (counting).",
])
def test_supervision_exercise_wording_is_not_concurrent_treatment(wording):
    text = _base_note().replace("TC at pelvis and VC for upright trunk.", "TC at pelvis and VC for upright trunk. " + wording)
    assert "supervision.not_one_on_one" not in [g.id for g in review(text).gaps]


@pytest.mark.parametrize("heading,raised", [
    ("Balance re-ed (97112) 30 min:", True),
    ("Balance re-education 97112 30 min:", True),
    ("Balance re-ed (97112) 30 min: tandem stance on foam 3x30s,", False),
])
def test_technique_a_service_name_heading_its_text_is_no_technique(heading, raised):
    # a bare label such as "balance re-ed" does not show the technique
    text = heading + " bike 10 min, leg press 3x10 80#, hamstring curls 3x10.\nBilled 97112 x2.\n"
    assert ("technique.missing" in [g.id for g in review(text).gaps]) is raised


@pytest.mark.parametrize("goal,raised", [
    ("Goal: static standing 2 min w/o UE support in 3 wks for shower safety.", False),
    ("Goal: sit 1 hr at work w/o LOB in 4 wks.", False),
    ("Goal: carry full cup of coffee 20 ft w/o spill x 5 trials in 4 wks.", False),
    ("Goal: no falls x 3 mo.", False),
    ("Goal: Berg 47/56 in 4 wks.", True),
])
def test_necessity_a_goal_naming_a_function_ties_the_deficit_to_it(goal, raised):
    text = ("Dx: impaired standing balance.\nNMR 97112 25 min: tandem stance on foam EC 3x30 s, perturbations, "
            "TC at pelvis. SLS 3 s -> 7 s.\nBilled 97112 x2.\n" + goal + "\n")
    assert ("necessity.missing" in [g.id for g in review(text).gaps]) is raised
