"""Layout readings must not reach past the layouts they are for: ordinary notes read as they did before."""
from __future__ import annotations

import pytest

from notereview import review
from notereview.nlp.forms import without_diagnosis_pointers


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
    assert {"tandem stance on foam EC", "perturbations"} <= set(techniques(text))


def test_an_exercise_table_with_a_sets_column_keeps_its_techniques():
    text = ("NMR 97112 x 25 min\nExercise\tSets\tTime\nTandem stance on foam\t3\t30 s\nSLS R/L\t3\t20 s\n"
            "Feet together EC\t2\t30 s\nPt needed CGA and VC for posture.")
    assert {"Tandem stance on foam", "SLS", "Feet together EC"} <= set(techniques(text))


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
    assert not found["tandem stance on foam EC"].negated and not found["tandem stance on foam EC"].historical


def test_a_plan_line_with_a_slash_is_no_heading():
    text = ("S: Pt reports no falls this week.\nO: NMR 97112 x 25 min: tandem stance on foam EC 3x30s with CGA.\n"
            "Plan:\nProgress/advance as tol\nperturbation training on foam with EC\n")
    assert [m.hypothetical for m in review(text).entities if m.text == "perturbation training"] == [True]


def test_a_flowsheet_newest_date_first_reads_today_from_the_dates():
    text = ("NMR 97112 x 30 min\nExercise | 11/14 | 11/07 | 11/03\nTandem stance on foam EC | 3x30s | 3x30s | --\n"
            "Weight shifts A/P | -- | 2x10 | 2x10\nPt required CGA and VC for posture throughout.")
    found = {m.text: m for m in review(text).entities if m.type == "technique"}
    assert not found["Tandem stance on foam EC"].historical and found["Weight shifts"].historical


@pytest.mark.parametrize("text", [
    "Meds: metformin, lisinopril, cod liver oil.\nTher ex 97110 x 25 min: LAQ 2x10, bike 10 min.",
    "Pt holds reading material with eyes close to page due to low vision.",
    "S: Pt needs a light push to open heavy doors at church.",
])
def test_ordinary_words_of_new_vocabulary_are_no_techniques(text):
    assert techniques(text) == []


@pytest.mark.parametrize("text,expected", [
    # "weekly" or "5-day" below the title is no weekly summary: a daily note keeps its bill above "Today:"
    ("PT Daily Note 3/14\nDx: L CVA. Freq: 3x weekly x 4 weeks.\nNMR 97112 25 min: tandem stance on foam.\n"
     "Ther ex 97110 15 min: bridges, clams.\nToday's session: pt tolerated well.",
     [("97112", 25, None), ("97110", 15, None)]),
    ("SNF PT Daily Note\nPt returned yesterday from a 5-day hospital stay.\nGait training 97116 20 min: 150 ft RW.\n"
     "Ther act 97530 15 min: sit to stand x10.\nToday: pt fatigued.", [("97116", 20, None), ("97530", 15, None)]),
    # a typed diagnosis is no dictated heading
    ("Pt is a 72 yo F w/ L hemiparesis.\nPMH colon ca 2015, HTN. NMR 97112 25 min: tandem stance, weight shifting. "
     "Ther ex 97110 10 min: bridges.", [("97112", 25, None), ("97110", 10, None)]),
    # "should be" and "corrected to" outside a chart's later edit change nothing
    ("NMR 97112 38 min: tandem. Billed 97112 x3.\nAssessment: 97112 time should be increased to 45 min next visit.",
     [("97112", 38, 3)]),
    ("NMR 97112 25 min: tandem stance on foam. Pt's trunk lean corrected to midline w/ mirror during 97112 x 10 min "
     "of reaching.", [("97112", 25, None)]),
    # "removed" from a plan of care, or a modality removed, is no bill taken back
    ("NMR 97112 25 min: tandem.\n97110 removed from POC; pt progressed to gym program. Ther ex 97110 10 min today: HEP.",
     [("97112", 25, None), ("97110", 10, None)]),
    ("Hot pack 97010 10 min. 97010 removed after 10 min, skin intact.", [("97010", 10, None)]),
    # a past trigger before a comma still reaches a service it speaks of
    ("S: Pt reports soreness after last visit, NMR 97112 30 min was fatiguing. Today: gait 97116 25 min: 300 ft.",
     [("97116", 25, None)]),
    # repetitions are no minutes
    ("Interventions: transfer training x10, sit<>stand from low mat.", [("97530", None, None)]),
    # a sitting planned or declined adds no minutes
    ("Tx: tandem, SLS on foam.\nMinutes: AM 97112 25, 97110 10; PM 97112 15 planned if pt tolerates",
     [("97110", 10, None), ("97112", 25, None)]),
])
def test_this_stops_billing_readings_stay_within_their_layouts(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text", [
    "I asked him to rate his pain on a 0-10 scale.",
    "HH PT visit. I was at her home 10:00-10:45.",
    "I showed him the parking garage elevator.",
    "I touched base with her daughter about her back.",
])
def test_first_person_sentences_that_are_no_cue(text):
    assert [m.text for m in review(text).entities if m.type == "cue"] == []


@pytest.mark.parametrize("text", [
    "compression bandaging for edema containment",
    "Skin: sock imprint noted at both ankles",
    "Pt lethargic, closing her eyes frequently during session",
])
def test_new_vocabulary_stays_in_its_meaning(text):
    assert techniques(text) == []


def test_an_ability_word_followed_by_the_exercise_stays_a_technique():
    text = "NMR 97112 25 min: static balance decreased BOS progression (feet together -> semi-tandem -> tandem)."
    assert any(t.startswith("static balance") for t in techniques(text)), techniques(text)


def test_an_at_eval_sentence_ends_at_todays_results():
    flags = [(m.text, m.historical) for m in review("At eval: TUG 18 s. Today: TUG 12 s, Berg 46/56.").entities
             if m.type == "measure"]
    assert flags == [("TUG", True), ("TUG", False), ("Berg", False)]


@pytest.mark.parametrize("text,expected", [
    # a recode asked about and kept, made in part (the minutes named move), onto a code billed apart, or of another visit
    ("NMR 97112 25 min: tandem stance on foam 3x30s, SLS w/ perturbations at pelvis, min A, TC at hips.\nBilled 97112 x2.\n"
     "Supervisor note: reviewed w/ PTA whether 97112 should be 97110 - content is balance/postural control, supports "
     "97112. No change to billing.\n", [("97112", 25, 2)]),
    ("NMR 97112 25 min: tandem stance on foam, SLS, perturbations; LE strengthening w/ ankle wts.\nBilled 97112 x2.\n"
     "Correction 3/5: 10 min of 97112 changed to 97110 (ankle wt strengthening was ther ex).\n",
     [("97112", 15, 2), ("97110", 10, None)]),
    ("Tx:\n97110 TE 15 min: LAQ, SLR 2x10, bridges.\n97530 TA 10 min: sit<>stand, floor transfers.\n"
     "97112 NMR 15 min: tandem stance on foam, perturbations.\nCorrection 4/2: 97110 should be 97530.\n",
     [("97110", 15, None), ("97530", 10, None), ("97112", 15, None)]),
    ("NMR 97112 25 min: tandem stance on foam, SLS.\nTE 97110 10 min: bridges.\n"
     "Addendum: Pt's 3/2 session was miscoded. 97110 should be 97530.\n", [("97112", 25, None), ("97110", 10, None)]),
    # a dashed separator is no empty field
    ("Neuro re-ed: -- SLS on foam 3x30s, tandem stance w/ head turns x 25 min, min A\nTher ex: -- bridges, clams x 10 min\n",
     [("97112", 25, None), ("97110", 10, None)]),
    # distances and test scores on a line are no services' minutes
    ("O: Vitals stable.\nGait 50, stairs 8\nNMR 97112 25 min: SLS on foam, tandem stance. 2 units.\n", [("97112", 25, 2)]),
    # ADL said inside other work or as standing tolerance
    ("NMR 97112 25 min: tandem stance on foam, SLS.\nA: Pt now able to stand at sink for ADLs x 12 min, up from 5 min.\n",
     [("97112", 25, None)]),
    ("Tx:\n97530 ther act 25 min: simulated ADLs 15 min, sit<>stand transfers 10 min w/ CGA.\n97112 NMR 10 min: SLS.\n",
     [("97530", 25, None), ("97112", 10, None)]),
    # a time log above the narrative, and a form's AM/PM field above the sittings, time the same blocks
    ("Time log:\n13:30-13:55 [97112] NMR\n13:55-14:05 [97110] TE\nTreatment:\nNMR 97112 25 min: tandem stance on foam 3x30s, "
     "SLS w/ manual perturbations, min A, TC at pelvis.\nTE 97110 10 min: bridges 2x10, clams 2x10 w/ RTB.\n",
     [("97112", 25, None), ("97110", 10, None)]),
    ("Neuro Re-Ed Minutes: AM 25 / PM 20\nAM session: NMR 97112 25 min - SLS on foam, tandem stance, perturbations, CGA.\n"
     "PM session: NMR 97112 20 min - tandem walk w/ head turns, obstacle negotiation, CGA.\n", [("97112", 45, None)]),
    # a sitting not given, said late on its line or in the field's own words
    ("AM 97112 22 min: SLS on foam, perturbations, CGA. PM 97112 20 min: offered at 1400, pt too lethargic after HD and "
     "declined.\n", [("97112", 22, None)]),
    ("Neuro Re-Ed Minutes: AM 25 / PM 25 (PM held - pt at dialysis)\n", [("97112", 25, None)]),
    # "Tx" over a plan of care's list of codes; a label with a dash before another visit's codes
    ("Plan of care (cert 3/1-5/1):\nFrequency: 2x/wk x 8 wks\nTx\n97112 neuromuscular re-ed\n97110 ther ex\n"
     "97116 gait training\nToday: NMR 97112 23 min - SLS on foam, perturbations.\n", [("97112", 23, None)]),
    ("NMR 97112 25 min: SLS on foam. 2 units.\nNext visit - 97112 25, 97116 15\n", [("97112", 25, 2)]),
])
def test_this_stops_chart_edits_forms_and_logs_stay_within_their_layouts(text, expected):
    assert billed(text) == expected


def test_a_supervisors_note_heading_the_note_edits_nothing():
    text = ("Charges: 97112 x2 (25 min)\nSupervising PT note: reviewed POC with PTA, ok to progress balance program.\n"
            "S: pt feels steadier.\nNMR 97112 25 min: tandem stance on foam 3x30s, SLS w/ perturbations, min A, TC at hips.\n")
    found = review(text)
    assert [text[s.start:s.end].split(":")[0] for s in found.services] == ["NMR 97112 25 min"]


@pytest.mark.parametrize("text,planned", [
    ("S: Pt reports:\n1) 2 falls since last visit\n2) dizziness w/ bending\nPMH:\n1) R BPPV 2022 tx'd w/ Epley x2\n"
     "2) R TKA 2019, gait training w/ RW\nO: NMR 97112 25 min: tandem stance on foam, SLS.\n", []),
    ("NMR 97112 25 min: tandem stance on foam 3x30s, SLS w/ UE reach.\nA: Pt continues to demonstrate:\n"
     "1) Impaired static/dynamic balance\n2) Decreased LE strength\nP: Continue POC. Next visit:\n"
     "1) progress perturbations to foam w/ EC\n2) add gait training w/ head turns\n", ["perturbations", "foam w/ EC"]),
])
def test_a_list_numbered_again_from_one_is_no_problem_of_a_problem_oriented_note(text, planned):
    found = review(text)
    assert [m.text for m in found.entities if m.type == "technique" and m.hypothetical and m.text in planned] == planned
    assert [s.code for s in found.services] == ["97112"]
    assert all(m.historical for m in found.entities if m.text in ("Epley", "R TKA"))


@pytest.mark.parametrize("text,practised", [
    ("NMR 97112 25 min: to improve community safety, pt trained on uneven terrain and compliant surface w/ CGA.",
     "compliant surface"),
    ("O: MMT R hip abd 3+/5, add 4/5, decreased balance w/ SLS R 3 s.\nNMR 97112 25 min: tandem stance on foam, SLS.",
     "tandem stance on foam"),
    ("NMR 97112 25 min: going fwd and bkwd over obstacles w/ manual perturbations, CGA.", "manual perturbations"),
    ("Eval portion by PT; pt then handed off to PTA to complete tx: tandem stance on foam, SLS. NMR 97112 23 min.",
     "tandem stance on foam"),
])
def test_purpose_and_plan_words_stay_within_their_clause(text, practised):
    found = [m for m in review(text).entities if m.type == "technique" and m.text == practised]
    assert found and found[0].performed, [(m.text, m.hypothetical) for m in review(text).entities]


@pytest.mark.parametrize("text", [
    r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 NMR 97112 25 min: tandem stance on foam \u-10179?\u-8694? pt did great\par}",
    "NMR 97112 25 min: tandem stance \\u-70000 on foam.\n",
])
def test_an_rtf_escape_of_no_single_character_is_read_as_a_space(text):
    assert [(s.code, s.minutes) for s in review(text).services] == [("97112", 25)]


TREATED = ("NMR 97112 25 min: tandem stance on foam, SLS w/ perturbations, CGA.\n"
           "TE 97110 15 min: sit<>stand x10, floor transfer practice.\n")


@pytest.mark.parametrize("text,expected", [
    # an edit's correction under a billing or treatment label of its own, or under a second edit heading
    (TREATED + "Addendum 3/6:\nBilling: 97110 should be 97530.\n", [("97112", 25), ("97530", 15)]),
    (TREATED + "Late entry 3/6\nBilling correction: 97110 changed to 97530.\n", [("97112", 25), ("97530", 15)]),
    (TREATED + "Addendum 3/6:\nCharges: 97110 removed from claim.\n", [("97112", 25)]),
    # corrections whose other words are no question, no other visit and no second bill
    (TREATED + "Addendum: 97110 should have been 97530. Corrected charges: 97112 x2, 97530 x1.\n",
     [("97112", 25), ("97530", 15)]),
    (TREATED + "Addendum: 97110 changed to 97530, 97112 remains as billed.\n", [("97112", 25), ("97530", 15)]),
    (TREATED + "Correction: 97110 should be 97530 (functional transfers); please rebill if claim already sent.\n",
     [("97112", 25), ("97530", 15)]),
    (TREATED + "Addendum: Pt called to confirm next appt. Also 97110 should be 97530 - functional transfers.\n",
     [("97112", 25), ("97530", 15)]),
    ("NMR 97112 25 min: tandem stance on foam, SLS, LE strengthening w/ ankle wts.\n"
     "Correction: 25 min of 97112 changed to 97110 (all was ther ex).\n", [("97110", 25)]),
    # three sittings, one of them half the sum; a clock-timed sitting beside a labelled one; a declined rest break
    ("Session 1: NMR 97112 10 min - tandem stance on foam, SLS w/ perturbations, CGA.\n"
     "Session 2: NMR 97112 10 min - weight shifts in stance, reaching outside BOS, CGA.\n"
     "Session 3: NMR 97112 20 min - tandem walk w/ head turns, obstacle negotiation, CGA.\n", [("97112", 40)]),
    ("AM session: NMR 97112 25 min - SLS on foam, tandem stance, perturbations, CGA.\n"
     "14:00-14:20 NMR 97112 20 min - tandem walk w/ head turns, obstacle negotiation, CGA.\n", [("97112", 45)]),
    ("AM 97112 22 min: SLS on foam, perturbations, CGA. PM 97112 20 min: tandem walk, head turns, pt tolerated; "
     "declined rest break.\n", [("97112", 42)]),
    # an empty field with a comment after its dashes; ADL after a line's label or a clock time
    ("Neuro Re-Ed Minutes: 25\nGait Training Minutes: -- (pt declined, knee pain)\nNMR: tandem stance on foam.\n",
     [("97112", 25)]),
    ("O: ADLs 30 min - grooming at sink in standing, toileting transfers w/ grab bar, CGA.\n", [("97535", 30)]),
    ("10:30 ADL 25 min: shower transfer w/ tub bench, CGA.\nTher act 97530 15 min: kitchen task.\n",
     [("97535", 25), ("97530", 15)]),
])
def test_the_reviews_fixes_keep_ordinary_bills(text, expected):
    assert [(code, minutes) for code, minutes, _ in billed(text)] == expected


def test_going_forward_with_a_comma_plans_and_walking_forward_does_not():
    plan = "NMR 97112 25 min: tandem stance on foam, SLS.\nGoing fwd, gait training 97116 15 min each visit.\n"
    assert [s.code for s in review(plan).services] == ["97112"]
    walking = "NMR 97112 25 min: going fwd and bkwd over obstacles w/ manual perturbations, CGA.\n"
    assert not any(m.hypothetical for m in review(walking).entities if m.text == "manual perturbations")


def test_minutes_moved_by_a_correction_come_from_the_code_once_not_from_each_sitting():
    text = ("AM: NMR 97112 15 min - SLS on foam, tandem, perturbations, CGA.\n"
            "PM: NMR 97112 15 min - tandem walk w/ head turns, obstacles, CGA.\n"
            "Correction: 10 min of 97112 changed to 97110 (ankle wt ex was ther ex).\n")
    assert billed(text) == [("97112", 20, None), ("97110", 10, None)]


# A third review, of this stop's later readings: each input was right before them and wrong after.
BASE_NMR = "97112 NMR 25 min: tandem stance on foam, perturbations, LOB x2 min A, improved with VC. Goal: pt will amb 500 ft."


@pytest.mark.parametrize("edit", [
    "Addendum: 97112 time was 100% 1:1 with treating PT.",
    "Late entry: 97112 time was 8-8:25 am due to EMR downtime.",
    "Co-signed by supervising PT. 97112 time was 2 units.",
])
def test_a_chart_edit_saying_what_the_time_was_needs_minutes(edit):
    assert [(s.code, s.minutes) for s in review(BASE_NMR + "\n" + edit).services] == [("97112", 25)]


@pytest.mark.parametrize("text", [
    "97112 NMR 25 min. HEP reviewed: pt performed tandem stance and SLS on foam with min A and VC in clinic.",
    "97112 NMR 25 min. HEP progressed - pt performed tandem walking and SLS on foam today with CGA.",
])
def test_a_home_program_practised_in_clinic_is_done(text):
    assert not any(m.hypothetical for m in review(text).entities if m.type == "technique")


def test_tildes_for_approximately_are_no_strikethrough():
    text = "97112 NMR ~~25 min: tandem stance on foam, perturbations, LOB x2 min A, improved. Goal: pt will amb ~~500 ft."
    found = review(text)
    assert [(s.code, s.minutes) for s in found.services] == [("97112", 25)]
    assert "perturbations" in [m.text for m in found.entities if m.type == "technique"]


@pytest.mark.parametrize("line", [
    "Pt took the bus to clinic today.", "Pt carrying a cane but not using it.", "Pt drove to work this morning.",
    "Pt reports no falls. Plan: progress to dual-task if no falls next week.",
])
def test_a_passing_mention_is_no_functional_need(line):
    text = "97112 NMR 25 min: tandem stance on foam, perturbations, LOB x2, improved. " + line + " Goal: improve balance."
    assert "necessity.missing" in [g.id for g in review(text).gaps]


def test_rest_after_each_set_is_a_dose_not_rest_inside_the_minutes():
    assert [(s.code, s.minutes) for s in review("97112 NMR 30 min including 2 min rest after each set: tandem on foam.").services] \
        == [("97112", 30)]


def test_a_dictionary_word_is_no_typing_slip():
    text = "97112 NMR 25 min: recumbent bike, seated marching, LAQ. Pt c/o stinging pain L foot. Goal: pt will amb 500 ft."
    assert not [m.text for m in review(text).entities if m.type == "technique"]


@pytest.mark.parametrize("text,expected", [
    # "***" or braces as redaction or emphasis are no blank minutes
    ("NMR: ***, PTA, supervised 25 min: SLS, tandem on foam. 97112 x2", [("97112", 25, 2)]),
    ("NMR (***) 25 min: tandem on foam", [("97112", 25, None)]),
    ("97112 NMR *** 25 min ***", [("97112", 25, None)]),
    # a blank for the minutes over a note that ends without a newline keeps its service
    ("NMR (97112): *** min\nSLS 3x30s, tandem on foam 3x30s, perturbations", [("97112", None, None)]),
    # a full service name and an abbreviation sharing one block of time
    ("Therapeutic exercise/NMR 30 min. 97112 x2", [("97110", None, None), ("97112", None, 2)]),
    ("TE & NMR 38 min", [("97110", None, None), ("97112", None, None)]),
    # "each" after a list of activities is each one's time, not a dose
    ("We worked on balance and gait, about 15 min each. Billed 97112 x1, 97116 x1.", [("97112", 15, 1), ("97116", None, 1)]),
])
def test_readings_a_review_of_the_grid_and_placeholder_rules_found_wrong(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,type_,surface", [
    ("S: Pt enjoys ball work with grandson.", "technique", "ball work"),
    ("Key points: pt needs CGA for all transfers, high fall risk.", "technique", "Key points"),
    ("Pt seen with her primary therapist handling scheduling.", "cue", "handling"),
    ("High acuity patient on the unit today.", "measure", "acuity"),
    ("Dizziness w/ fast head turns; pps and fast walking.", "measure", "fast"),
    ("Mr. Humphrey present for the session.", "measure", "Humphrey"),
    ("NMR 25 min: Dynavision 10 min for visual scanning and reaction", "measure", "Dynavision"),
    ("h/o R MCA CVA 8 mm midline shift on CT", "measure", "CVA"),
])
def test_ordinary_words_are_not_new_vocabulary(text, type_, surface):
    assert surface not in [m.text for m in review(text).entities if m.type == type_]


@pytest.mark.parametrize("text,expected", [
    # a test score or a date after a "min/units" heading is no billing pair
    ("Timed codes (min/units):\n97112 Neuro re-ed: Berg 45/56.\n97112 NMR 25 / 2", [("97112", 25, 2)]),
    ("Billing (min / units)\n97112 NMR: FGA 24/30, Berg 45/56\n97110 TE 12 / 1", [("97112", None, None), ("97110", 12, 1)]),
    ("Billing per 8-min/unit rule.\n97112 NMR re-eval due 11/14.", [("97112", None, None)]),
    # a prose line with commas and no spaces is no export's header ("min A" is help given, not a minutes column)
    ("Sit<>stand x10,min A,VC for nose over toes\nNeuromuscular re-ed 97112 x 23 min, 2 units: tandem stance, SLS.",
     [("97112", 23, 2)]),
    # a space-aligned table's text may hold commas and semicolons
    ("CPT      Description                        Min    Units\n97112    NMR tandem,SLS,foam EC w/ CGA      27     2\n"
     "97110    Ther ex bridges;clams              10     1", [("97112", 27, 2), ("97110", 10, 1)]),
    # a semicolon in a comma export's notes cell leaves the rows after it readable
    ("CPT,Units,Minutes,Notes\n97112,2,27,tandem;SLS\n97110,1,10,bridges\n97116,1,12,gait",
     [("97112", 27, 2), ("97110", 10, 1), ("97116", 12, 1)]),
    # a time-of-day column gives way to a minutes column, and "10 am" is no duration
    ("Date,Time,CPT,Minutes,Units\n11/14/2024,10:02,97112,27,2\n11/14/2024,10:29,97110,10,1",
     [("97112", 27, 2), ("97110", 10, 1)]),
    ("Date,Time,Code,Units,Notes\n11/14,10 am,97112,2,tandem stance", [("97112", None, 2)]),
    # a table under a plan stays planned
    ("NMR 97112 25 min: tandem stance, SLS on foam, CGA.\nPlan: add the following next week once cleared by MD\n"
     "Service | Units | Minutes\nGait training | 1 | 15", [("97112", 25, None)]),
    # units only where the note bills them, not a payer's cap
    ("| CPT | Intervention | Min |\n|---|---|---|\n| 97112 | Romberg on Airex | 14 |\n| 97112 | stepping strategy | 8 |\n"
     "Pt's plan allows 97112 up to 4 units/visit.", [("97112", 22, None)]),
    # a service name in a row's cue cell is no service
    ("Exercise | Sets | Surface | Assist | Cues\nPNF trunk rhythmic initiation, sitting | 3x5 | mat | — | manual |\n"
     "NMR 97112 20 min", [("97112", 20, None)]),
])
def test_this_stops_exports_pairs_and_tables_read_only_billing(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,surface", [
    ("97112 NMR 20 min: SLS at counter 3x20s UE support not used. VC for hip strategy.", "SLS"),
    ("97112 NMR 25 min: SLS 3x30s EC 3rd set not completed d/t fatigue. CGA.", "SLS"),
])
def test_an_aid_or_a_set_not_used_leaves_the_exercise_done(text, surface):
    found = [m for m in review(text).entities if m.type == "technique" and m.text.startswith(surface)]
    assert found and not found[0].negated, found


def test_a_planned_or_baseline_column_of_a_goal_table_is_not_today():
    text = ("97112 NMR 25 min: tandem stance 3x30s, CGA.\nGoals:\nGoal | Treatment plan | Target date\n"
            "Berg >= 48/56 | perturbation training, SLS on foam | 12/20\n")
    planned = [m for m in review(text).entities if m.type == "technique" and m.text.startswith("perturbation")]
    assert planned and planned[0].hypothetical, planned


@pytest.mark.parametrize("text,expected", [
    # "held" a position, "declined" something else, a last visit that is today's in a discharge summary
    ("Pt held tandem well during NMR 97112 25 min", [("97112", 25, None)]),
    ("Pt declined heat. NMR 97112 25 min: SLS foam", [("97112", 25, None)]),
    ("BP held steady, gait 97116 10 min, NMR 97112 15 min", [("97116", 10, None), ("97112", 15, None)]),
    ("DISCHARGE SUMMARY\nLast visit: NMR 97112 x 25 min - tandem walking, SLS R 3x10s", [("97112", 25, None)]),
    # a checked box and a filled line after an empty one
    ("[ ] Ther ex 97110\n[x] NMR 97112 20 min", [("97112", 20, None)]),
])
def test_services_named_near_held_boxes_and_last_visits_stay_billed(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Video consultation (US-billed telehealth service)\nNMR 97112 25 min: weight transfer at worktop",
     [("97112", 25, None)]),
    ("US 8 min to R knee\nNMR 97112 25 min: SLS", [("97035", 8, None), ("97112", 25, None)]),
])
def test_a_hyphenated_word_is_not_an_abbreviated_service(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a review of this stop's rules found these read wrong
    ("Neuromuscular re-ed (97112) —\n  tandem stance 3x30s, SLS on foam\n  Time: 25 min\nTherapeutic ex (97110) —\n"
     "  bridges 2x10, clams\n  Time: 10 min", [("97112", 25, None), ("97110", 10, None)]),
    ("TE-bike 8 min, SLR, bridges 2x10\nTA-sit to stand x10, floor transfer practice 12 min",
     [("97110", 8, None), ("97530", 12, None)]),
    ("Tolerance to previous tx: good. NMR 97112 25 min tandem stance, foam, TE 97110 10 min bridges",
     [("97112", 25, None), ("97110", 10, None)]),
    ("[ ] Interpreter used - NMR 97112 25 min: tandem stance, SLS on foam.\n[x] Consent obtained", [("97112", 25, None)]),
    ("Pain ratings over last 5 visits: 9 7 5 3 0. Pt very pleased.\nNMR 97112 20 min: tandem, SLS.", [("97112", 20, None)]),
    ("Tx: balance ex 15 min, strength ex 10 min.\nTime: balance ex 15 min, strength ex 10 min",
     [("97112", 15, None), ("97110", 10, None)]),
    ("Session: gait assessment 10 min, balance assessment 15 min, discussed results 5 min.", []),
    ("Time: walking tolerance 6 min, standing tolerance 4 min before rest.", []),
    ("Referral: dx BPPV.\nRx: vestibular rehab 20 min, balance ex 20 min; 2x/wk x 6 wks.\nBerg 41/56.", []),
    ("patient seen for balance period at eval Berg was 38 out of 56 period tandem stance on foam 3 times 30 seconds "
     "period neuromuscular reeducation 97112 25 minutes period", [("97112", 25, None)]),
])
def test_services_a_review_of_the_stops_rules_found_wrong(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text", [
    # typed notes that use the dictation words as words
    "pt inpatient f/u, new line placed L arm this AM, RN cleared pt for therapy.\nHistory obtained from chart\n"
    "NMR 97112 12 min - static standing balance, wt shifts.",
    "Cert period 1/2/24 - 3/31/24\nVisits in period 12\nFalls in period 0\nBaseline amb 50 ft RW\n"
    "NMR 97112 25 min - tandem stance, SLS on foam, perturbations",
])
def test_a_typed_note_is_not_read_as_dictated(text):
    from notereview.nlp.dictation import with_spoken_punctuation
    assert with_spoken_punctuation(text) == text
    assert not any(m.historical for m in review(text).entities if m.type == "technique")


@pytest.mark.parametrize("text,type_", [
    ("Vitals: VSS throughout session. Hb 7.9 this AM. Labs: HB 8.1", "measure"),
    ("s/p L ATR repair. Reflexes: ATR 1+ bilat", "measure"),
    ("FMS: able to snip paper. PMH: FMS", "measure"),
    ("knee pain less 3/10 today, LOB less 2x", "measure"),
    ("PT REPORTS LESS PAIN TODAY AND LESS 3 LOB", "measure"),
    ("able to hoover the lounge, seen by Dr. Cobb", "measure"),
    ("Reflexes: knee jerks 2+ bilat, ankle jerks 1+", "deficit"),
    ("Pt will s/b ortho on 3/12", "cue"),
    ("Sensation: joint position sense intact R great toe, impaired L (2/5 correct)", "technique"),
])
def test_words_with_other_clinical_meanings_are_not_these_mentions(text, type_):
    assert [m.text for m in review(text).entities if m.type == type_] == []


def test_a_goal_is_not_split_after_min_with_padding():
    text = "Goals:\nSTG (2 wks): Pt will amb 150 ft with RW and min.   assist for household distances."
    assert [m.text for m in review(text).entities if m.type == "goal"] == [
        "Pt will amb 150 ft with RW and min.   assist for household distances"]


def test_a_capitalised_spoken_new_line_is_a_command():
    text = ("New line Subjective patient reports fewer falls. New line Goals patient will walk 300 feet independently. "
            "New line Billing neuromuscular reeducation 97112 25 minutes")
    assert [m.text for m in review(text).entities if m.type == "goal"] == ["patient will walk 300 feet independently"]


@pytest.mark.parametrize("text", [
    "Billing: NMR 15 / TE 15\nPlan: cont",
    "Time: 97112 — 25 | 97530 — 12\nok",
    "nmr 30 2u gait 10 1u\nnext visit foam",
    "Exercise,Sets,Reps,Minutes\nSLS on foam,3,30s,\nTandem walk,3,10 ft,\nCPT,Units,Minutes\n97112,2,25\n97110,1,10\n",
])
def test_windows_line_ends_read_as_unix_ones(text):
    windows = text.replace("\n", "\r\n")
    assert billed(windows) == billed(text)
    found = review(windows)
    assert all(windows[m.start:m.end] == m.text for m in found.entities)


@pytest.mark.parametrize("text,expected", [
    # a heading's time stays the service's when no other code follows on its line
    ("Ther ex 20 min: 97110 - 5 min recumbent bike warm-up, then LAQ 2x10, heel raises 2x15.\n"
     "Gait 12 min: 97116 - amb 200 ft x2 w/ RW, CGA.", [("97110", 20, None), ("97116", 12, None)]),
    ("Neuromuscular re-ed 25 min: 97112 - 3 min rest between sets; tandem stance 3x30s.", [("97112", 25, None)]),
    ("Ther act 25 min: 97530 x 8 sit<>stand from low mat, min A.", [("97530", 25, None)]),
    # codes and numbers after the next visit's plan on the line are no bill
    ("Today: ther ex 97110 x2 units, 25 min total.\nNext visit: progress to dual-task gait and SLS on foam; 97112 25 / 97116 20.",
     [("97110", 25, 2)]),
    # a code asked about is no timed service without minutes that would empty the visit's total
    ("Pt asked whether insurance covers 90912; front desk to verify. 97110 ther ex 20 min: bridges, clams.",
     [("90912", None, None), ("97110", 20, None)]),
    # feet walked, not gait minutes
    ("Outdoor mobility: ramp 20', grass 40', gait 30'. SBA w/ SPC.\n97116 x2", [("97116", None, 2)]),
    # teaching the patient lymph drainage is no manual therapy; a service given despite needing help is billed
    ("Education: taught pt and spouse simple lymph drainage sequence for home, 10 min; 97110 10 min", [("97110", 10, None)]),
    ("Pt requires max A x1, so transfer training and gait training were completed in parallel bars today.",
     [("97116", None, None)]),
])
def test_this_stops_billing_readings_stay_in_their_place(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,type_,surface", [
    ("Referring physician: Dr. Paul Hoffmann, neurology.", "measure", "Hoffmann"),
    ("Pt has a knack for problem solving transfers.", "technique", "knack"),
    ("Referring: Dr. Helen Burke, MD. Pt pushing up from w/c armrests, pushes RW too far ahead.", "deficit", "push"),
    ("No pusher behavior noted; SCP 0/6. Pt pushing up from armrests w/ B UE.", "deficit", "pushing"),
])
def test_names_and_ordinary_words_are_no_mentions(text, type_, surface):
    assert not [m for m in review(text).entities if m.type == type_ and surface.lower() in m.text.lower()]


@pytest.mark.parametrize("text,surface,historical", [
    ("Initial evaluation via telehealth: pt seen from home.\n30s chair stand 7 reps, TUG 16.2 s.", "TUG", False),
    ("PMH (updated today): L hemiparesis after CVA 2019.\nToday: Berg 44/56.", "hemiparesis", True),
    ("Initial eval - Berg 38/56, TUG 18.4 s\nToday - Berg 47/56, TUG 11.9 s", "Berg", True),
])
def test_evaluation_titles_and_history_headings(text, surface, historical):
    first = next(m for m in review(text).entities if m.text == surface)
    assert first.historical is historical


@pytest.mark.parametrize("text,expected", [
    # a "not given" word inside what a sitting describes does not drop the sitting
    ("AM: NMR 97112 - SLS on foam, min A if eyes closed, 20 min\nPM: NMR 97112 - tandem walking in hallway, CGA, 15 min",
     [("97112", 35, None)]),
    ("AM: Gait 97116 - 300 ft with RW, pt held rails on stairs, 20 min\nPM: Gait 97116 - 150 ft x2 with RW, CGA, 15 min",
     [("97116", 35, None)]),
    # "total assist", "total knee" are no code's total
    ("AM: Ther act 97530 total assist sit<>stand x5, bed mobility, 20 min\nPM: Ther act 97530 min A transfers w/c<>mat x4, 15 min",
     [("97530", 35, None)]),
    # tagged items yield to a heading or a bill stating the code's minutes
    ("Ther Ex (97110) 25 min:\n- Bike L3 warm-up (TE) 6 min\n- SLR, bridges, clamshells 2x10\n- Step ups (TE) 5 min",
     [("97110", 25, None)]),
    ("Treatment:\n- Bike L3 warm-up (TE) 6 min\n- Leg press (TE) 8 min\n- SLR, bridges 2x10\nBilling: 97110 ther ex 23 min, 2 units",
     [("97110", 23, 2)]),
    # items of a home program, of an earlier visit, or not billed are no part of the visit's time
    ("Treatment: 97110 ther ex 20 min - bike, leg press, SLR\nHEP updated:\n- Walking program (TE) 10 min daily\n"
     "- Stationary bike (TE) 15 min 1x/day", [("97110", 20, None)]),
    ("Prior visit:\n- Bike (TE) 8 min\n- Leg press (TE) 8 min\nToday:\n- Bike (TE) 10 min\n- Leg press (TE) 6 min",
     [("97110", 16, None)]),
    ("Treatment:\n- Bike warm-up (TE) 6 min - not billed\n- Leg press (TE) 8 min\n- Step ups (TE) 8 min", [("97110", 16, None)]),
    ("Treatment:\n├─ Bike (TE) 6 min\n├─ Leg press (TE) 8 min\n└─ Step ups (TE) 5 min", [("97110", 19, None)]),
    # "not needed" about an aid or a cue, and a pain score after a leader, leave the service given
    ("Gait training 97116: AD not needed, amb 300 ft SBA, 15 min\nNMR 97112: not required to use UE support on foam today, 12 min",
     [("97116", 15, None), ("97112", 12, None)]),
    ("97116 Gait training on level surfaces ... 0/10 pain, 15 min, RW, CGA\n97110 Ther ex 10 min",
     [("97116", 15, None), ("97110", 10, None)]),
    # only the 8-minute rule's threshold is no time spent
    ("Gait training 97116: pt tolerated just under 15 min today d/t fatigue, 150 ft x2 RW", [("97116", 15, None)]),
    # "Gait 15m" where the note writes another service's minutes so
    ("Ther ex 20m\nGait 15m - RW, CGA, 150 ft x2", [("97110", 20, None), ("97116", 15, None)]),
    # a muscle's abbreviation in brackets in a sentence is no service
    ("NMES to L ankle dorsiflexors (TA) 15 min, 97032\nGait 97116 20 min", [("97032", 15, None), ("97116", 20, None)]),
])
def test_this_stops_tagged_items_sittings_and_leaders_stay_in_their_place(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,type_", [
    ("Pt agreed to HEP progression without hesitation.", "deficit"),
    ("Pt educated on disc anatomy using spine model; recumbent bike model at home.", "cue"),
    ("Pt reports post-void dribbling and urge incontinence.", "technique"),
    ("Communicates with gestures; aphasia unchanged.", "cue"),
])
def test_words_of_the_new_vocabulary_in_their_other_senses(text, type_):
    assert [m.text for m in review(text).entities if m.type == type_] == []


@pytest.mark.parametrize("text,expected", [
    # a line about an earlier visit or a held modality opens no block of another visit's text
    ("O:\nIFC/ice from prior visit not performed today - skin irritation noted\nNMR 97112 balance on foam, tandem 20 min\n"
     "TE 97110 bike, LAQ, SLR 15 min\nA: tolerated well\n", [("97112", 20, None), ("97110", 15, None)]),
    ("S: Pt reports soreness since last visit, told to ignore mild DOMS.\nO: NMR 97112 balance on foam 20 min; "
     "TE 97110 bike 15 min", [("97112", 20, None), ("97110", 15, None)]),
    # a heading dated with today closes the block
    ("[PRIOR TX 11/03 -- carried fwd, not today]\nNMR 97112 25 min\nTE 97110 15 min\nInterventions 11/05:\n"
     "NMR 97112 30 min\nGait 97116 15 min\nAssessment: progressing.", [("97112", 30, None), ("97116", 15, None)]),
    # hours around the session time no service
    ("97760 orthotic management and training: resting hand splint fabricated, wearing schedule 2 hrs on/2 hrs off "
     "30 min\nTA 97530 ADL retraining 15 min", [("97760", 30, None), ("97530", 15, None)]),
    ("TA 97530 bed mobility, rolling, educated staff on turning q 2 hrs 25 min", [("97530", 25, None)]),
    ("TE 97110: seated ther ex, pt fatigues after 1/2 hour; total 25 min", [("97110", 25, None)]),
    ("O: Gait 1 hr post Sinemet dose: shuffling, festination, freezing at doorways.\n"
     "NMR 97112 large amplitude training, LSVT BIG 30 min\nTE 97110 15 min", [("97112", 30, None), ("97110", 15, None)]),
    ("Assessment: TE 2 hrs daily at home per HEP log", []),
    ("POC cert 1105 through 1231: TE 97110, NMR 97112, gait 97116 2x/wk", [("97110", None, None), ("97112", None, None),
                                                                          ("97116", None, None)]),
    # a whole and a half hour, and an hour with its minutes run together
    ("Work conditioning TE 97110 1 1/2 hrs", [("97110", 90, None)]),
    ("NMR 97112 1hr15min: balance", [("97112", 75, None)]),
    # the same treatment under a second sitting's label, or under today's heading, is given again
    ("AM session 0900-0930:\nNMR 97112: static balance on foam, tandem stance, reaching 15 min\n"
     "PM session 1400-1430:\nNMR 97112: static balance on foam, tandem stance, reaching 15 min", [("97112", 30, None)]),
    ("Prior visit:\n- Bike warm-up (TE) 8 min, level 3, RPE 11-12\n- SLS on airex with ball toss (NMR) 6 min\n\nToday:\n"
     "- Bike warm-up (TE) 8 min, level 3, RPE 11-12\n- SLS on airex with ball toss (NMR) 6 min\n"
     "- Leg press 3x10 @ 60 lb (TE) 10 min\n- Tandem walk fwd/bwd 4 laps (NMR) 8 min", [("97110", 18, None), ("97112", 14, None)]),
    # a request someone else made, and the authorization on today's own bill, leave today's services
    ("Per pt's request, gait training 97116 on stairs and curbs 20 min\nTE 97110 LE strengthening 15 min",
     [("97116", 20, None), ("97110", 15, None)]),
    ("Per physician request, gait training 97116 stairs 20 min", [("97116", 20, None)]),
    ("NMR 97112 25 min: balance on foam\nTE 97110 15 min: bike, LAQ\n"
     "Billing (Auth # A12345, 6 of 12 visits approved): 97112 x 2, 97110 x 1", [("97112", 25, 2), ("97110", 15, 1)]),
    ("Visit 6 of 12 authorized - TE 97110 bike 25 min, NMR 97112 foam 15 min", [("97110", 25, None), ("97112", 15, None)]),
])
def test_this_stops_paste_hours_and_request_readings_stay_within_their_layouts(text, expected):
    assert billed(text) == expected



@pytest.mark.parametrize("text,expected", [
    # a code planned on its own line beside billed code lines stays the plan
    ("Plan: cont POC.\n97140 manual therapy PRN for pain\n97112 NMR x 25 min\n97110 TE x 10 min",
     [("97112", 25, None), ("97110", 10, None)]),
    ("Plan:\n97116 gait training once cleared for WBAT\n97110 x 2 (25 min)", [("97110", 25, 2)]),
    ("P: Progress SLS next visit. Add:\n97116 gait training on uneven surfaces\n"
     "97112 x 2 units (25 min); 97110 x 1 unit (10 min)", [("97112", 25, 2), ("97110", 10, 1)]),
    ("Plan: cont POC.\n97164 progress re-eval after 10 visits\n97112 NMR x 25 min\n97110 TE x 10 min",
     [("97112", 25, None), ("97110", 10, None)]),
    ("Plan: cont.\n97164 re-eval at visit 10\n97112 x 25 min", [("97112", 25, None)]),
    # a list of codes the line before introduces as the plan, or a summary of past visits, is not today's bill
    ("LTG (6 wks): indep HEP; amb 1000 ft w/o AD.\nTreatment will include:\n97110, 97112, 97116, 97140\n\n"
     "Today: 97161 PT eval low complexity", [("97161", None, None)]),
    ("LTG (6 wks): indep HEP.\nFrequency: 2x/wk x 6 wks\n97110, 97112, 97116, 97140", []),
    ("Summary of treatment this period (10 visits):\n97110, 97112, 97116, 97530 - total treatment time 410 min\n\n"
     "Today: 97164 re-eval. 97110 x 15 min.", [("97164", None, None), ("97110", 15, None)]),
    # a code of another place or day beside today's bill
    ("History: R TKA 2022, outpatient PT then:\n97110, 97140 at outside clinic\n97112 x 25 min SLS on foam",
     [("97112", 25, None)]),
    ("Initial evaluation:\n97162 PT eval mod complexity on 1/5/24\n97110 x 2 (25 min), 97112 x 1 (10 min)",
     [("97110", 25, 2), ("97112", 10, 1)]),
    # a service changed, not withheld, is given
    ("Gait training held to 150 ft x 2 d/t SpO2 88% on RA. Ther ex 97110 x 15 min. Total timed 24 min.",
     [("97116", None, None), ("97110", 15, None)]),
    ("NMR 97112 x 15 min\nGait training (deferred to 2nd half of session) 12 min on TM", [("97112", 15, None), ("97116", 12, None)]),
    ("Ther ex: LAQ, SLR, clams; however, these were not progressed d/t knee pain.\nNMR 97112 x 12 min: SLS.\n"
     "Total timed 30 min.", [("97110", None, None), ("97112", 12, None)]),
    ("Gait training was planned for today but not outdoors d/t rain; amb 400 ft x 3 on treadmill instead. "
     "Ther ex 97110 x 10 min. Total timed 25 min.", [("97116", None, None), ("97110", 10, None)]),
    # a count of bouts or reps after a heading is no minutes when the minutes are written
    ("Gait training x 8 - 50 ft bouts w/ RW, 16 min\nTE 97110 x 10 min", [("97116", 16, None), ("97110", 10, None)]),
    ("Ther ex x 10: bridges, clams, SLR; 15 min\nNMR 97112 x 12 min", [("97110", 15, None), ("97112", 12, None)]),
    ("Transfer training x 10: sit<>stand from low mat, 12 min", [("97530", 12, None)]),
    # each code's own "total time" on one line
    ("97110 TE total time 15 min; 97112 NMR total time 25 min", [("97110", 15, None), ("97112", 25, None)]),
    ("97112 NMR 20 min, 97116 gait 3 laps total time 12 min", [("97112", 20, None), ("97116", 12, None)]),
])
def test_this_stops_planned_code_lines_not_given_and_totals_stay_within_their_layouts(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text", [
    "Dizzy c quick head turns, no nystagmus at rest.",
    "Still gets swimmy in grocery aisles w/ quick head turns while driving.",
    "A: ascent nearly ready for school; descent limited by eccentric quad control and ataxia.",
])
def test_a_symptoms_trigger_and_a_judged_ability_are_no_techniques(text):
    assert techniques(text) == []


# A review of the clock-reading, encounter-form and goal rules reported these; each input stays read as before them.
@pytest.mark.parametrize("text,expected,cms", [
    # the ends of a range with spaces are a range, not two readings
    ("NMR 97112: tandem stance, SLS on foam (0:00 - 0:23)\nGait 97116: SPC 200 ft x3 (0:23 - 0:38)",
     [("97112", 23), ("97116", 15)], 3),
    ("97112 NMR: tandem stance, SLS on foam (timer 0:05 - 0:28).", [("97112", 23)], 2),
    ("97112 NMR Duration: 3:15 to 3:45: tandem stance, SLS", [("97112", 30)], 2),
    # a test's or a hold's time is no service's minutes
    ("O: NMR: SLS on foam, tandem stance, weight shifting. TUG 0:14.", [("97112", None)], None),
    ("97112 NMR: tandem stance, SLS 0:08 on foam, perturbations.", [("97112", None)], None),
    ("O: 97112 NMR: balance training. Stopwatch: 0:30 SLS on foam.", [("97112", None)], None),
    ("97116 Gait 15 min: 150 ft x2 SBA.\n97112 NMR: tandem stance. 6MWT 6:00 (mm:ss), 850 ft.",
     [("97116", 15), ("97112", None)], None),
    # an elapsed time under five minutes, a time of day, a task's total
    ("97112 NMR: tandem stance on foam, SLS. Elapsed 1:30", [("97112", None)], None),
    ("Time in 12:45 Time out 1:30 total 45 min\n97112 NMR: tandem stance, SLS", [("97112", None)], 3),
    ("97112 NMR: tandem stance, SLS on foam, perturbations. Total: 1:15 pm", [("97112", None)], None),
    ("97112 NMR: tandem, perturbations, 1:05 total hold time across trials", [("97112", None)], None),
    # prose with "in" and "out" is no time grid's header
    ("Pt arrived in w/c, out of breath.\n97112 NMR tandem stance; 97116 gait  1000  1050 ft total over 2 bouts",
     [("97112", None), ("97116", None)], None),
])
def test_clock_readings_and_forms_read_only_where_they_are_durations(text, expected, cms):
    result = review(text)
    assert [(s.code, s.minutes) for s in result.services] == expected
    assert result.allocation.units_allowed_cms_or_stated == cms


def test_a_rewritten_reading_is_quoted_whole():
    minutes = [m.text for m in review("NMR 0:24 tandem on foam").entities if m.type == "minutes"]
    assert minutes == ["0:24"]


@pytest.mark.parametrize("goals", [
    "Goals (4 wks):\n- Encounter tolerance: 45 min without rest\n- Amb 300 ft mod I with SPC\n- Berg >= 48/56",
    "Goals (4 wks):\n- Amb 300 ft mod I with SPC\n- Total FGA score: >= 22/30\n- Berg >= 48/56",
])
def test_goal_lines_naming_an_encounter_or_a_test_total_are_goals(goals):
    found = [m.text for m in review(goals + "\n\n97112 NMR 25 min: tandem").entities if m.type == "goal"]
    assert len(found) == 3


@pytest.mark.parametrize("row", [
    "O: 97112 NMR: PNF diag 2 min each UE, rhythmic stabilization 8 min.",
    "O: 97112 NMR: cervical JPS retraining w/ laser pointer 4 min, gaze stabilization 8 min.",
    "97112 NMR: PNF diag 1, 2 x 10 each UE",
])
def test_a_diagonal_or_a_laser_pointer_is_no_diagnosis_pointer(row):
    assert without_diagnosis_pointers(row) == row


@pytest.mark.parametrize("text,expected", [
    # a home-dose word in the next sentence, "at home" in a home-health visit, or seconds after a service's time
    ("NMR 23 min. At home pt practicing tandem stance at counter.\n97112 x 2 units", [("97112", 23)]),
    ("NMR 25 min, TE 10 min. Daily HEP reviewed w/ pt.", [("97112", 25), ("97110", 10)]),
    ("HH visit: NMR 20 min at home - standing balance at counter, tandem, CGA", [("97112", 20)]),
    ("Pt seen for NMR 25 min, daily treatment per acute plan", [("97112", 25)]),
    ("Gait training 12 min 30 sec on treadmill w/ harness", [("97116", 12)]),
    # a block's own time before a dosed item
    ("NMR: standing balance on foam x 15 min, tandem stance 3 x 30 s, CGA\n97112 x 1 unit", [("97112", 15)]),
    ("Gait training: amb w/ RW on level surfaces 12 min, stairs 4 x 12 steps w/ R rail, CGA", [("97116", 12)]),
    # a code's description naming another service is no second service
    ("Tx: 97112 neuromuscular re-ed, gait training with head turns and on foam, 15 min, 1 unit. CGA", [("97112", 15)]),
    ("97112, gait training on foam w/ VOR 15 min (1u)", [("97112", 15)]),
    # each code with its own minutes keeps them before "N mins total"
    ("Billing: 97110 ther ex, 15 mins total; 97112 NMR, 23 mins total", [("97110", 15), ("97112", 23)]),
    # a year range in brackets and a schedule's clock ranges are no services
    ("Social hx: lived in US (2010-2015) then returned to Brazil.\nNMR 20 min: tandem on foam", [("97112", 20)]),
    ("Pt seen 0900-0930, ADL 0930-1000 w/ nursing", []),
    # "today" opens no bill
    ("NMR 97112 25 min: tandem on foam. Today gait training was attempted but pt too fatigued.", [("97112", 25)]),
])
def test_the_home_dose_block_dose_list_and_total_rules_leave_these_alone(text, expected):
    assert [(s.code, s.minutes) for s in review(text).services] == expected


@pytest.mark.parametrize("text,expected", [
    ("ltg amb 500 ft w spc to reach her goal of attending church", ["ltg amb 500 ft w spc to reach her goal of attending church"]),
    ("Updated LTG's (8 wk):\n1. Berg >= 46/56\n2. TUG < 14 s w/ SPC", ["Berg >= 46/56", "TUG < 14 s w/ SPC"]),
])
def test_a_goal_word_inside_a_goal_does_not_split_it(text, expected):
    assert [m.text for m in review(text).entities if m.type == "goal"] == expected


@pytest.mark.parametrize("text", [
    "Gait: trunk lat shifts to R during stance phase, Trendelenburg",
    "Educated on dynamic disc model and posture",
])
def test_gait_deviations_and_disc_models_are_no_techniques(text):
    assert [m.text for m in review(text).entities if m.type == "technique"] == []


# A review of this stop's billing and run-on rules reported these; each reads as before the rules.
O_FOAM = "O: tandem on foam 3x30s, perturbations at hips.\n"


@pytest.mark.parametrize("text,expected", [
    # a plan's, a refused or a not-done service closing a run-on is no bill of today
    ("s: pt reports 2 falls\no: tandem on foam 3x30s cga, perturbations at hips\na: improving\np: nmr 20 min", []),
    ("tandem stance 3x30s cga, perturbations at hips, pt tol well, next tx nmr 20 min", []),
    ("tandem stance 3x30s cga, perturbations at hips, pt tol well, pt refused gait 10 min", []),
    ("tandem stance 3x30s cga, perturbations at hips, nmr 25 min, no gait 10 min", [("97112", 25, None)]),
    # an empty box is no dash cell
    ("O: tandem on foam 3x30s, perturbations at hips, NMR 25 min.\nCharges:\n97110 ☐ 1 unit\n97112 ☑ 2 units", [("97112", 25, 2)]),
    # a code followed by its units heads no block: minutes in a later clause are another's
    ("O: x\nBilled 97112 - 2 units; the 8 minutes of exercise were not billed", [("97112", None, 2)]),
    ("Billing: 97112: 2 units; pt arrived 10 min late", [("97112", None, 2)]),
    # a plan's units per visit, an authorisation's or a week's counts, a plan's stacked lines
    (O_FOAM + "POC: 2x/wk x 6 wks\nNMR 2 units\nTE 1 unit", []),
    (O_FOAM + "Plan:\n- NMR 2u each visit x 6 wks\n- Gait 1u\n- Ther ex 15 min HEP review", []),
    (O_FOAM + "Auth remaining (units):\nNMR 16\nTE 12", [("97112", None, None)]),
    (O_FOAM + "Minutes this week:\nNMR 75\nTE 45", [("97112", None, None)]),
    (O_FOAM + "A: improving.\nP:\nNMR 30\nGait 15", []),
])
def test_this_stops_billing_rules_do_not_bill_plans_counts_or_empty_boxes(text, expected):
    assert [(s.code, s.minutes, s.units_billed) for s in review(text).services] == expected


@pytest.mark.parametrize("text,expected", [
    ("S: Pt reports improved balance.\nO: Tandem on foam 3x30s, perturbations at hips. NMR 25 min.\n"
     "A: STG 2 met; LTG gait 300' with SPC mod I in progress.", ["LTG gait 300' with SPC mod I in progress."]),
    ("reviewed goals w pt, ltg tolerate standing at sink for self care 10 min w/o loss of balance",
     ["ltg tolerate standing at sink for self care 10 min w/o loss of balance"]),
])
def test_a_services_time_inside_a_goal_is_no_bill_ending_it(text, expected):
    assert [m.text for m in review(text).entities if m.type == "goal"] == expected


def test_the_new_billing_patterns_stay_fast_on_long_runs_of_spaces():
    from notereview.nlp.services import MINUTES_THEN_TIMES, STACKED_LINE
    assert STACKED_LINE.fullmatch("NMR 25" + " " * 20000 + "x") is None
    assert MINUTES_THEN_TIMES.match(" x 25" + " " * 20000 + "min" + " " * 20000 + "q") is None
