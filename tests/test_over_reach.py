"""Layout readings must not reach past the layouts they are for: ordinary notes read as they did before."""
from __future__ import annotations

import pytest

from notereview import review


def billed(text):
    return [(s.code, s.minutes, s.units_billed) for s in review(text).services]


def techniques(text):
    return [m.text for m in review(text).entities if m.type == "technique"]


@pytest.mark.parametrize("text,expected", [
    # one item given at no charge leaves the bill standing
    ("Neuromuscular re-ed: tandem stance on foam EC 3x30s, perturbations with CGA.\n"
     "Ther ex: LAQ 2x10, hip abd RTB 2x10; RTB provided at no charge for HEP.\nBilled: 97112, 97110. Total timed minutes 38.",
     [("97112", None, None), ("97110", None, None)]),
    # a weekday line is past only in a weekly summary; weekdays in a sentence head no table
    ("Thu 11/14: NMR 97112 x 25 min, ther ex 97110 x 15 min.\nToday: pt reports less dizziness, no falls.",
     [("97112", 25, None), ("97110", 15, None)]),
    ("Pt seen Mon Wed Thu this wk. NMR 97112 x 25 min: tandem stance on foam EC 3x30s with CGA.\n"
     "Ther ex 97110 x 15 min: LAQ 2x10.", [("97112", 25, None), ("97110", 15, None)]),
    # dot leaders under a units heading are units; header words need their own boundaries
    ("Tandem stance.\nTotal timed minutes: 40\nCharges (units):\nNMR 97112 ................ 2\nTher ex 97110 ............ 1",
     [("97112", None, 2), ("97110", None, 1)]),
    ("SKILLED SERVICES ADMINISTERED   UNITS   MINUTES\nNMR 97112 ...... 2   35\nTE 97110 ...... 1   15",
     [("97112", 35, 2), ("97110", 15, 1)]),
    # rest after a dash is not the code's
    ("NMR 97112 x 25 min: tandem.\nTher ex 97110 20 min + 5 min - rest breaks, not billed.",
     [("97112", 25, None), ("97110", 20, None)]),
    # a label typed with its number is no scanning damage
    ("Session1: NMR 97112 20 min - tandem stance on foam EC 3x30s with CGA.\n"
     "Session2: NMR 97112 15 min - perturbations in stance, CGA.", [("97112", 35, None)]),
])
def test_billing_readings_stay_within_their_layouts(text, expected):
    assert billed(text) == expected


def test_treatment_after_a_tests_lost_items_keeps_its_techniques():
    text = ("NMR 97112 x 25 min: Berg 45/56, lost pts on SLS and tandem, so addressed with tandem stance on foam "
            "EC 3x30s and SLS 5x10s w/ CGA, perturbations in stance.")
    assert {"tandem stance on foam", "perturbations"} <= set(techniques(text))


def test_an_exercise_table_with_a_sets_column_keeps_its_techniques():
    text = ("NMR 97112 x 25 min\nExercise\tSets\tTime\nTandem stance on foam\t3\t30 s\nSLS R/L\t3\t20 s\n"
            "Feet together EC\t2\t30 s\nPt needed CGA and VC for posture.")
    assert {"Tandem stance on foam", "SLS", "Feet together", "EC"} <= set(techniques(text))


def test_a_goal_table_without_a_header_keeps_its_goals():
    text = ("NMR 97112 x 25 min: tandem stance on foam EC 3x30s with CGA.\nGoals:\n"
            "| STG | Pt will amb 150 ft with RW and CGA in 2 wks | Met |\n"
            "| LTG | Pt will amb 300 ft with SPC mod I in 6 wks | Progressing |\n")
    goals = [m.text for m in review(text).entities if m.type == "goal"]
    assert len(goals) == 2 and "150 ft" in goals[0] and "300 ft" in goals[1]


def test_a_goal_cell_keeps_its_leading_number():
    text = "Goal | Baseline | Current | Status\n10 sit to stand without UE in 30 s | 4 | 8 | Progressing"
    assert [m.text for m in review(text).entities if m.type == "goal"] == ["10 sit to stand without UE in 30 s"]


def test_a_note_of_one_item_a_line_is_not_unwrapped():
    text = ("PT Daily Note - Outpatient Neuro Rehab - 11/14/2024 - Visit 6 of 12 (balance)\n"
            "Pt reports R knee pain 4/10 with stairs; declined treadmill and stair training\n"
            "tandem stance on foam EC 3x30s with CGA, VC for upright posture and weight shift\n"
            "perturbations in standing with min A, 3 sets of 10 in parallel bars, good effort\n"
            "marching in place with single UE support 2x10, fair tolerance, rest breaks x2\n"
            "NMR 97112 x 25 min (2 units). Pt tolerated session well, no adverse reactions.\n")
    found = {m.text: m for m in review(text).entities if m.type == "technique"}
    assert not found["tandem stance on foam"].negated and not found["tandem stance on foam"].historical


def test_a_plan_line_with_a_slash_is_no_heading():
    text = ("S: Pt reports no falls this week.\nO: NMR 97112 x 25 min: tandem stance on foam EC 3x30s with CGA.\n"
            "Plan:\nProgress/advance as tol\nperturbation training on foam with EC\n")
    assert [m.hypothetical for m in review(text).entities if m.text == "perturbation training"] == [True]


def test_a_flowsheet_newest_date_first_reads_today_from_the_dates():
    text = ("NMR 97112 x 30 min\nExercise | 11/14 | 11/07 | 11/03\nTandem stance on foam EC | 3x30s | 3x30s | --\n"
            "Weight shifts A/P | -- | 2x10 | 2x10\nPt required CGA and VC for posture throughout.")
    found = {m.text: m for m in review(text).entities if m.type == "technique"}
    assert not found["Tandem stance on foam"].historical and found["Weight shifts"].historical


@pytest.mark.parametrize("text", [
    "Meds: metformin, lisinopril, cod liver oil.\nTher ex 97110 x 25 min: LAQ 2x10, bike 10 min.",
    "Pt holds reading material with eyes close to page due to low vision.",
    "S: Pt needs a light push to open heavy doors at church.",
])
def test_ordinary_words_of_new_vocabulary_are_no_techniques(text):
    assert techniques(text) == []
