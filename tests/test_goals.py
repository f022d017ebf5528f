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


@pytest.mark.parametrize("text,expected", [
    ("STG: Pt will transfer bed to chair with mod A.", [("Pt will transfer bed to chair with mod A.", True)]),
    ("Goals: Pt will amb. 150 ft with RW and SBA in 3 wks.", [("Pt will amb. 150 ft with RW and SBA in 3 wks", True)]),
    ("Reviewed HEP and goals: pt verbalized understanding of 3 exercises.", []),
    ("Goals:\n1. SLS 10 s B\nStatus: met\n2. TUG < 12 s", [("SLS 10 s B", True), ("TUG < 12 s", True)]),
])
def test_goal_ends_abbreviations_status_lines_and_goals_named_in_passing(text, expected):
    assert goals(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("LTG: pt will prepare simple hot meal w/ 4WW mod I\nTime: 40 min (97112 2u, 97530 1u)",
     [("pt will prepare simple hot meal w/ 4WW mod I", True)]),
    ("STG: SLS R >= 10 s in 4 wks\nBilled 97112 x2u, 97110 x1u.", [("SLS R >= 10 s in 4 wks", True)]),
    ("LTG: improve L hand use for ADLs\nNext: add dual task (serial 7s) to FMC tasks. HEP: coin flipping daily.\n97112 x2",
     [("improve L hand use for ADLs", False)]),
    ("LTG (12 wks): SLS R >=20 s for soccer tryouts\n97110 x 15 min, 97112 x 20 min",
     [("SLS R >=20 s for soccer tryouts", True)]),
    ("Walked on tiptoes most of session. IEP goal progressing. Prior STGs 2/3 met.", []),
    ("Updated goals:\n1. SLS R ≥15 s on firm in 6 wks\n2. BOT-2 balance scale score ≥9 (12 wks)",
     [("SLS R ≥15 s on firm in 6 wks", True), ("BOT-2 balance scale score ≥9 (12 wks)", True)]),
])
def test_billing_and_plan_lines_end_the_goals_and_status_sentences_are_not_goals(text, expected):
    assert goals(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("LTGs:\n- Time to complete 5xSTS < 12 s without UE\n- Pt will amb community distances w/o AD",
     ["Time to complete 5xSTS < 12 s without UE", "Pt will amb community distances w/o AD"]),
    ("STGs (2 wks):\n- HEP independence w/ balance program 5x/wk\n- Pt will perform tandem stance 20 s w/o UE support",
     ["HEP independence w/ balance program 5x/wk", "Pt will perform tandem stance 20 s w/o UE support"]),
])
def test_goal_items_starting_with_time_or_hep_are_goals(text, expected):
    assert [g for g, _ in goals(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # a nursing facility's "Res will ..." and a goal verb beyond walking and standing
    ("Res c/o fatigue @ 20', rest given.\nRes will self-feed c̄ AE and ≤2 spills per meal in 3 wks",
     [("Res will self-feed c̄ AE and ≤2 spills per meal in 3 wks", True)]),
    # "Obj 2:" numbers an IEP objective; "Obj:" alone heads the objective section
    ("- Ball toss to moving target, 6/10\nObj 2: Pt will jump rope 5 consecutive jumps 3/5 trials\n97530 x 20 min",
     [("Pt will jump rope 5 consecutive jumps 3/5 trials", True)]),
    ("Obj: SLS R 5 s, L 3 s. Tandem stance on foam 3x30s with CGA.", []),
])
def test_goals_of_nursing_facility_and_school_notes(text, expected):
    assert goals(text) == expected


GOAL_TABLE = (
    "PT PROGRESS REPORT\n"
    "GOALS\n"
    "# | Goal | Baseline | Current | Status\n"
    "1 | Pt will amb 300 ft w/ SPC and SBA on level surfaces in 4 wks | 75 ft RW min A | 220 ft SPC CGA | Progressing\n"
    "2 | Berg >/= 45/56 to reduce fall risk | 34/56 | 42/56 | Progressing\n"
    "3 | Indep w/ HEP | n/a | indep w/ written HEP | Met\n"
    "\n"
    "MEASURES\n"
    "TUG (SPC) | 24.1 s | 16.8 s | still above 13.5 s = fall risk\n"
    "\n"
    "ASSESSMENT / SKILLED NEED\n"
    "Cont to demo R knee hyperextension in midstance and LOB w/ head turns.\n"
    "TODAY\n"
    "NMR 97112 25 min: stepping strategy w/ perturbations at pelvis, tandem stance on foam 3x20s, CGA.\n"
)


def test_a_goal_table_gives_each_rows_goal_cell():
    assert [text for text, _ in goals(GOAL_TABLE)] == [
        "Pt will amb 300 ft w/ SPC and SBA on level surfaces in 4 wks", "Berg >/= 45/56 to reduce fall risk",
        "Indep w/ HEP"]


def test_a_goal_tables_columns_flag_its_cells():
    found = review(GOAL_TABLE)
    def flags(text, occurrence=0):
        mentions = [m for m in found.entities if m.text == text and m.type != "goal"]
        m = mentions[occurrence]
        return m.hypothetical, m.historical
    assert flags("min A") == (False, True)  # the baseline column
    assert flags("CGA") == (False, False)  # the current column
    assert flags("fall risk") == (True, False)  # inside the goal
    # the goals end with their table: the measures, assessment and treatment after it are today's
    assert flags("LOB") == (False, False) and flags("perturbations") == (False, False)


def test_a_heading_with_a_second_name_after_a_slash_opens_its_section():
    found = review("GOALS\n1. Berg 45/56 in 4 wks\nASSESSMENT / SKILLED NEED\nLOB w/ head turns, fall risk high.")
    assert [m.section for m in found.entities if m.text == "LOB"] == ["assessment"]


def test_markdown_headings_close_the_goals():
    text = ("## Updated Goals (8 wks)\n1. Berg >= 50/56\n2. Pt will amb 1000 ft outdoors w/ SPC mod I\n\n"
            "## Plan\n2x/wk x 8 wks: NMR (perturbation, reactive stepping), gait, HEP progression.")
    assert [t for t, _ in goals(text)] == ["Berg >= 50/56", "Pt will amb 1000 ft outdoors w/ SPC mod I"]


@pytest.mark.parametrize("text,goals", [
    ("Pt to perform HEP 1x/day.\nGoal: return to recreational soccer without ankle giving way.",
     [("return to recreational soccer without ankle giving way", False)]),
    ("Pt will ambulate 150 ft with SPC indep in 3 wks.", [("Pt will ambulate 150 ft with SPC indep in 3 wks.", True)]),
    ("Goal: pt will perform HEP indep in 2 wks.", [("pt will perform HEP indep in 2 wks", True)]),
])
def test_goals_an_instruction_to_do_the_home_program_is_no_goal_and_indep_is_a_criterion(text, goals):
    found = [(m.text, m.measurable) for m in review(text).entities if m.type == "goal"]
    assert found == goals


def test_a_table_laying_treatment_out_by_goal_gives_each_goal_and_todays_work():
    text = ("Goal | Intervention today | Patient response | Progress\n"
            "Pt will turn 360 deg in < 4 s w/o freezing | Large-amplitude turns w/ VC, CGA | 5.1 s | Progressing\n"
            "Improve core stability | dead bugs 2 x 10, TC at abdomen | no c/o | Progressing\n")
    found = review(text)
    assert [g.text for g in found.entities if g.type == "goal"] == [
        "Pt will turn 360 deg in < 4 s w/o freezing", "Improve core stability"]
    technique = next(m for m in found.entities if m.type == "technique" and m.text.lower().startswith("large"))
    assert not technique.hypothetical, technique


@pytest.mark.parametrize("text,expected", [
    ("A: improving.\nSTG 4 wk: Berg >= 44/56; pt indep with HEP.\nLTG 8 wk: TUG < 13.5 s; no falls.",
     ["Berg >= 44/56", "pt indep with HEP", "TUG < 13.5 s", "no falls"]),
    ("A: ok.\nObjectifs: Box and Block R >= 25 blocks in 6 weeks; boutonner his shirt alone.",
     ["Box and Block R >= 25 blocks in 6 weeks", "boutonner his shirt alone"]),
])
def test_goal_headings_with_a_timeframe_or_in_french(text, expected):
    assert [g for g, _ in goals(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # a vital sign's target set by the medical team is no therapy goal
    ("PT: R basal ganglia ICH d5, SBP goal < 140, 128/70 today. Sat EOB 5 min w/ CGA.", []),
    ("HOB >= 30 deg, SBP 130-150 (goal < 160). Neurosurgery OK for EOB.", []),
    # a recommendation line ends the goals; a heading may say the goals were updated
    ("Goals (from acute):\n1. Supine>sit via R w/ min A\n2. Sit EOB unsupported x 5 min w/ SBA\nRec: IRF. PT 5x/wk while inpatient.",
     ["Supine>sit via R w/ min A", "Sit EOB unsupported x 5 min w/ SBA"]),
    ("Goals updated:\nSTG (1 wk): supine>sit w/ SBA", ["supine>sit w/ SBA"]),
    # a goal about blood pressure the patient is to reach stays a goal
    ("Goal: pt will monitor BP before exercise indep in 2 wks", ["pt will monitor BP before exercise indep in 2 wks"]),
])
def test_vital_sign_targets_and_recommendations_are_no_goals(text, expected):
    assert [g for g, _ in goals(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # the signature and the record's stamps after the goals are no goals
    ("LTG: pt will stand at kitchen counter 5 min w/o UE support mod I for meal prep\nSigned W. Ekwueme, PT 06/17/25 1546",
     ["pt will stand at kitchen counter 5 min w/o UE support mod I for meal prep"]),
    ("STG (1 wk): pt will maintain midline in standing 60 s w/ CGA.\n04/02/25 1212 LTN: Signed. L. Tran-Nguyen, PT\n"
     "Flowsheet minutes row (charted 04/02/25 1215 LTN): Indiv 60", ["pt will maintain midline in standing 60 s w/ CGA"]),
    ("Goals: amb 150 ft w/ RW mod I\nPTA signed 1415\nPT co-signed 1630 after review", ["amb 150 ft w/ RW mod I"]),
])
def test_signatures_and_record_stamps_after_goals_are_no_goals(text, expected):
    assert [g for g, _ in goals(text)] == expected


@pytest.mark.parametrize("form", [
    "ENCOUNTER FORM\nDx: A) R26.81 Unsteadiness on feet\n[X] 97112 Neuro re-ed  Units: 2  Min: 27\n[ ] 97116 Gait",
    "Medicare B superbill - KX\nX_ 97112  NMR   GP KX   min 24   units 2\n__ 97140  Manual",
    "x 97112 NMR    GP   24 min   2 units\n☐ 97110 Ther ex\nTotal timed: 24 min   Total units: 2",
    "ICD: M62.81 muscle weakness\n(x) 97112 NMR 24 min",
])
def test_an_encounter_form_after_the_goals_ends_them(form):
    assert goals("Goals: SLS R >= 10 s in 3 wks\n\n" + form) == [("SLS R >= 10 s in 3 wks", True)]


@pytest.mark.parametrize("text,expected", [
    ("pt s/p L mca cva, berg 44/56 today (38 at eval), stg berg 48/56 3 wks ltg amb 500 ft w spc mod i, 97112 30 97116 10",
     [("stg berg 48/56 3 wks", True), ("ltg amb 500 ft w spc mod i", True)]),
    ("skilled ot indicated, goals sls 10 s b/l, improve legibility for classwork, 97166 mod complexity, nmr 15 min 1 unit",
     [("goals sls 10 s b/l, improve legibility for classwork", True)]),
    ("Balance improving. Progressing toward goals.", []),
])
def test_a_run_on_goal_starts_at_its_word_and_ends_at_the_next_goal_or_the_bill(text, expected):
    assert goals(text) == expected


def test_updated_ltgs_with_a_timeframe_head_a_goal_list():
    text = "Previous STGs met x 2.\nUpdated LTGs (8 wk):\n1. Berg >= 46/56\n2. TUG < 14 s w/ SPC\nPlan: cont 2x/wk"
    assert goals(text) == [("Berg >= 46/56", True), ("TUG < 14 s w/ SPC", True)]


@pytest.mark.parametrize("text,expected", [
    ("10 meter walk 0.52 m/s today. Goal: walk 150 feet with a single point cane in 6 weeks. Plan to try the cane "
     "next week. Neuro re-ed 97112 26 minutes, 2 units.", [("walk 150 feet with a single point cane in 6 weeks", True)]),
    ("placed. Goal: amb 150 ft RW CGA; SARA <= 10/40 at CIR d/c.",
     [("amb 150 ft RW CGA", True), ("SARA <= 10/40 at CIR d/c.", True)]),
])
def test_goal_inside_a_paragraph_heads_one_sentence(text, expected):
    assert goals(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("standing on foam hitting lights cga, stg 9hpt r under 30 s 4 wks ltg back to part time job stocking shelves 97112 0930-1000",
     ["stg 9hpt r under 30 s 4 wks", "ltg back to part time job stocking shelves"]),
    ("sls on bosu 3x30s, stg hop test lsi 90% 6 wks ltg rts soccer nmr 22 te 20 total timed 42",
     ["stg hop test lsi 90% 6 wks", "ltg rts soccer"]),
])
def test_a_run_ons_goal_ends_at_the_bill_run_into_it(text, expected):
    assert [g for g, _ in goals(text)] == expected
