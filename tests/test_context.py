"""ConText flags on therapy language, including what general clinical rule sets get wrong."""
from __future__ import annotations

import pytest

from notereview import review
from notereview.extract import extraction_from_doc
from notereview.nlp.pipeline import get_pipeline


def mentions(text: str):
    return extraction_from_doc(get_pipeline()(text)).mentions


def find(text: str, surface: str, type_: str | None = None):
    found = [m for m in mentions(text) if surface.lower() in m.text.lower() and (type_ is None or m.type == type_)]
    assert found, f"{surface!r} not extracted from {text!r}: {[(m.type, m.text) for m in mentions(text)]}"
    return found[0]


@pytest.mark.parametrize("text,surface,flag", [
    ("Pt declined foam today.", "foam", "negated"),
    ("No PNF d/t shoulder pain.", "PNF", "negated"),
    ("SLS on foam held 2/2 dizziness.", "foam", "negated"),
    ("Will add perturbations next session.", "perturbations", "hypothetical"),
    ("Progress to SLS on foam as tolerated.", "SLS", "hypothetical"),
    ("Progress to SLS on foam as tolerated.", "foam", "hypothetical"),
    ("At eval pt required max A for standing balance.", "max A", "historical"),
    ("Consider biofeedback for quad activation.", "biofeedback", "hypothetical"),
    ("Pt refused BOSU activities.", "BOSU", "negated"),
    ("OT - TBI (fall from ladder 4 mo ago), outpatient.", "fall from", "historical"),
    ("Central cord syndrome after a fall on ice 4 mo ago.", "a fall", "historical"),
    ("He has not had a fall since the last visit.", "a fall", "negated"),
    ("NMR 97112 25 min: leg press 3x10. HEP updated: tandem stance at counter 3x30s.", "tandem stance", "hypothetical"),
    ("HEP updated today and reviewed: SLS on pillow, BAPS board.", "BAPS board", "hypothetical"),
    ("Foam not used today; SLS on firm 3x20s.", "Foam", "negated"),
    ("BOSU not trialed d/t knee pain. Tandem 3x30s.", "BOSU", "negated"),
    # a mention that opens on its own history trigger is past
    ("Dx: R26.81 unsteadiness on feet; Z91.81 history of falling", "history of falling", "historical"),
    ("Pt has hx of falls at home, lives alone.", "hx of falls", "historical"),
])
def test_context_flags_the_phrase(text, surface, flag):
    mention = find(text, surface)
    assert getattr(mention, flag), (text, mention)


@pytest.mark.parametrize("text,surface", [
    ("Neuromuscular re-education (7 minutes, not billed): Romberg stance on foam with eyes closed 3 x 20 s.",
     "Romberg stance"),
    ("- motor re-ed: place-hold in opposition IF/MF w/ TC over APB, visual fdbk w/ mirror, 10x5s", "visual fdbk"),
])
def test_unbilled_time_and_finger_names_leave_the_technique_done_today(text, surface):
    mention = find(text, surface, "technique")
    assert not (mention.negated or mention.hypothetical or mention.historical), mention


def test_a_service_not_billed_still_goes_unbilled():
    found = review("Group balance class 40 min, 97150. Not billed as 97112 - group format, no 1:1.")
    assert not found.claims_97112 and [s.code for s in found.services] == ["97150"]


@pytest.mark.parametrize("text,surface,type_", [
    ("Decline in static balance noted this week.", "decline in static balance", "deficit"),
    ("Pt not able to maintain tandem stance x 10 s.", "not able to maintain tandem stance", "deficit"),
])
def test_context_decline_and_not_able_are_present_deficits(text, surface, type_):
    mention = find(text, surface, type_)
    assert mention.id == "balance"
    assert mention.performed


def test_context_unable_to_maintain_tandem_is_not_a_negated_technique():
    found = mentions("Pt not able to maintain tandem stance x 10 s.")
    assert not [m for m in found if m.type == "technique" and m.negated]


def test_context_without_ue_support_is_a_progression_not_a_negation():
    mention = find("Static standing on foam without UE support 3 x 30 s.", "standing on foam")
    assert mention.performed


def test_context_no_lob_negates_the_loss_not_the_exercise():
    found = mentions("No LOB with tandem stance on foam.")
    assert find("No LOB with tandem stance on foam.", "tandem stance").performed
    assert any(m.type == "deficit" and m.negated for m in found)


def test_context_scope_stops_at_but():
    text = "Pt declined BOSU but performed tandem stance on foam with CGA."
    assert find(text, "BOSU").negated
    assert find(text, "tandem stance").performed


def test_context_plan_section_is_hypothetical_by_default():
    text = "O: tandem stance on foam.\nP: dual task training and perturbations."
    assert find(text, "tandem stance").performed
    assert find(text, "perturbations").hypothetical


def test_context_history_section_is_historical_by_default():
    text = "PMH: stroke 2019 with spasticity.\nO: weight shifting with TC."
    assert find(text, "spasticity").historical
    assert find(text, "weight shifting").performed


def test_context_goal_mentions_are_hypothetical():
    text = "Goals: pt will perform SLS on foam x 20 s in 4 wks."
    assert find(text, "SLS").hypothetical


def test_each_problem_of_a_problem_oriented_note_is_today_again_after_the_plan_before_it():
    text = ("S: dizziness with quick head turns improved.\n\n"
            "#1 R vestibular hypofunction - impaired gaze stability\nVOR x1 seated 3x60s, sx 3/10.\n"
            "P: add VOR x1 vertical next visit.\n\n"
            "#2 Impaired dynamic balance\nGait w/ horizontal head turns 4x50 ft, CGA. Tandem on foam 3x20s.\n"
            "P: add pivot turns next wk.\n\nProblem 3: Decreased endurance\nNuStep L3 x 10 min.\n")
    assert [m.hypothetical for m in mentions(text) if m.text == "VOR x1"] == [False, True]
    assert find(text, "Tandem on foam").performed
    assert not find(text, "dynamic balance", "deficit").hypothetical
    assert find(text, "pivot turns").hypothetical
    assert find(text, "NuStep").performed


@pytest.mark.parametrize("text,surface", [
    ("O: tandem on foam 3x30s.\nPlan:\n#1 add perturbations\n#2 progress to foam EC\nGoals:\n#1 SLS 10 s\n", "EC"),
    ("O: tandem on foam 3x30s.\nPlan:\n1) add perturbations\n2) progress to foam EC\n", "EC"),
    ("O: SLS 3x10s.\nGoals:\nSTG:\n#1 SLS 10 s\n#2 tandem on foam 20 s\nLTG:\n#1 Berg 50/56\n#2 no LOB on foam EC\n",
     "tandem on foam"),
])
def test_numbered_plans_and_goals_stay_planned(text, surface):
    assert find(text, surface).hypothetical


def test_a_history_section_ends_at_a_heading_of_any_name():
    from notereview import review
    text = ("Background: Liam is a six year old with DCD; at eval he could not hold prone extension.\n\n"
            "Session Summary: The child was positioned prone over the bolster swing for prone extension with tactile "
            "cues at the thoracic spine, ten trials.\n")
    later = [m for m in review(text).entities if m.start > text.index("Session Summary")]
    assert later and not any(m.historical for m in later), [(m.text, m.historical) for m in later]


def test_a_dictated_paragraph_ends_its_history_at_an_inline_heading():
    from notereview import review
    text = ("Background: Maya, seven year old with hypotonia, seen for balance and fine motor. Session Summary: "
            "single leg stance on the foam with tactile cues at the pelvis, five trials. Objective Findings: "
            "stood on the right foot four seconds. Recommendations: continue PT. Billing: neuromuscular "
            "re-education 97112, twenty minutes, one unit; therapeutic activities 97530, fifteen minutes, one unit.")
    result = review(text)
    assert not find(text, "single leg stance").historical
    assert [(s.code, s.minutes, s.units_billed) for s in result.services] == [("97112", 20, 1), ("97530", 15, 1)]
    assert result.allocation.units_allowed_cms == 2


def test_an_inline_plan_word_does_not_open_a_section_mid_sentence():
    text = "O: tandem stance on foam with TC. Pt will progress to SLS next visit."
    assert find(text, "tandem stance").performed


def test_codes_listed_inside_a_plan_sentence_are_not_todays_bill():
    from notereview import review
    text = ("Plan: 2x/wk x 8 wks - sEMG biofeedback, PFM coordination training, HEP. Codes: 97112, 97110, 97535.\n"
            "Today: eval 45 min + 97535 10 min - Knack handout.")
    assert [s.code for s in review(text).services if s.code.startswith("97") and s.timed] == ["97535"]


@pytest.mark.parametrize("text,surface,flag", [
    # a history's or an evaluation's own "Treatment:" and "Objective Findings:" stay past
    ("HPI: L TKA 6/1. Had home health PT x4 wks. Treatment: gait training 97116 and ther ex 97110 2x/wk.\n"
     "O: Ther ex 97110 x2 25 min: bridges, SAQ, LAQ 3x10.", "ther ex", "historical"),
    ("Initial Evaluation: Pt presented 10/1 after R CVA. Objective Findings: BBS 32/56, TUG 22 s with SPC.\n"
     "Today: BBS 44/56.", "TUG", "historical"),
    # a numbered plan item and a goal's "Tests:" stay planned
    ("O: Ther ex 97110 x2 24 min: bridges, clams.\nPlan:\n1. Exercises: add lunges next visit\n2. Manual therapy 97140",
     "Manual therapy", "hypothetical"),
    ("O: tandem on foam 3x30s.\nLTG (6 wks): pt will amb 500 ft with SPC. Tests: TUG < 12 s, BBS > 45/56.", "TUG",
     "hypothetical"),
])
def test_an_inline_heading_does_not_end_a_history_a_plan_or_goals(text, surface, flag):
    assert getattr(find(text, surface), flag)


@pytest.mark.parametrize("text,word", [
    ("A: Cont to demo R knee hyperextension in midstance and LOB w/ head turns.", "LOB"),
    ("Pt continues to require CGA for tandem stance on foam.", "tandem stance on foam"),
])
def test_continuing_to_show_a_finding_is_present_not_planned(text, word):
    from notereview import review
    found = [m for m in review(text).entities if m.text == word]
    assert found and not found[0].hypothetical, [(m.text, m.hypothetical) for m in review(text).entities]


def test_a_flowsheets_today_column_says_what_was_done_today():
    from notereview import review

    text = ("Activity | 11/03 | 11/07 | 11/10 | 11/14 (today)\n"
            "VOR x1 H seated, plain bkgd | 2x60s | 2x60s | -- | --\n"
            "Tandem stance on foam | -- | 3x20s | 3x20s | 3x30s\n"
            "Perturbations in standing | -- | -- | -- | held\n"
            "\nToday: pt tolerated tandem on foam well, CGA.")
    found = {m.text: m for m in review(text).entities if m.type == "technique"}
    assert found["VOR x1"].historical and not found["VOR x1"].negated
    assert not found["Tandem stance on foam"].historical and not found["Tandem stance on foam"].negated
    assert found["Perturbations"].negated


DISCHARGE = (
    "PHYSICAL THERAPY DISCHARGE SUMMARY\nDx: R hemiparesis s/p L MCA CVA\n"
    "Tx provided over episode: NMR for standing balance and wt shifting onto R LE, gait trng w/ SPC.\n"
    "Goals:\nLTG1 Pt will amb 500 ft community distances w/ LRAD mod I - MET\n"
    "Last visit: NMR 97112 x 25 min - tandem walking fwd/back, SLS R 3x10s at counter, CGA. "
    "Gait 97116 x 10 min - outdoor amb on uneven grass, SBA.\n"
)


def test_a_discharge_summary_tells_the_episode_and_bills_its_last_visit():
    from notereview import review

    found = review(DISCHARGE)
    assert [(s.code, s.minutes) for s in found.services] == [("97112", 25), ("97116", 10)]
    flags = {m.text: (m.hypothetical, m.historical) for m in found.entities if m.type == "technique"}
    assert flags["wt shifting"] == (False, True)  # the episode's treatment
    assert flags["tandem walking"] == (False, False) and flags["SLS"] == (False, False)  # the last visit's


def test_a_billed_codes_line_under_the_plan_is_todays_treatment():
    from notereview import review

    text = ("Plan: cont 2x/wk x 8 wks; 97112, 97110, 97116 as indicated. Rehab potential good.\n"
            "97112 x 25 min: posterior perturbations at pelvis, stepping strategy drills, CGA.")
    found = review(text)
    assert [(s.code, s.minutes) for s in found.services] == [("97112", 25)]
    assert not any(m.hypothetical for m in found.entities if m.text == "posterior perturbations")


def test_an_addendum_after_the_plan_is_no_plan():
    text = ("Plan: progress to VOR x2 on foam.\n__________ PT\n\n"
            "Addendum 11/4: 5xSTS 14.2 s done at this visit, left out of the note above.")
    measure = next(m for m in review(text).entities if m.type == "measure")
    assert not measure.hypothetical


def test_a_line_entered_in_error_is_not_done():
    text = "NMR 97112 x 25 min: tandem on foam.\nBAPS board lvl 3 x 2 min - entered in error"
    baps = next(m for m in review(text).entities if m.text.startswith("BAPS"))
    assert baps.negated


def test_a_progress_reports_summary_of_the_period_is_history_until_todays_billed_block():
    text = ("REASON FOR REFERRAL\nL cerebellar stroke, ataxia.\n\nTREATMENT SUMMARY (visits 11-20)\n"
            "Rhythmic stabilization in tall kneeling, perturbations on foam, dual task gait.\n\n"
            "97112 NMR 28 min, 2 units\n- Tandem stance on Airex 4 x 20 s, CGA, TC at pelvis.")
    found = review(text).entities
    past = next(m for m in found if m.text.lower().startswith("rhythmic"))
    today = next(m for m in found if m.text.lower().startswith("tandem"))
    assert past.historical and not today.historical


def test_an_at_eval_line_is_past_and_the_next_line_today():
    text = ("Today: KOOS JR 78, TUG 7.6 s.\nAt eval: KOOS JR 49, TUG 15.2 s.\n"
            "Pt performed:\n  - perturbations in tandem stance 3x30 s, SBA on foam")
    flags = {(m.text, m.historical) for m in review(text).entities if m.text in ("TUG", "perturbations")}
    assert flags == {("TUG", False), ("TUG", True), ("perturbations", False)}


@pytest.mark.parametrize("text,surface", [
    ("NMR: SLS at counter 3x30s.\nPOC reviewed w/ PTA. Progress NMR: add foam pad at counter and stepping strategy trng.", "foam pad"),
    ("NMR: SLS at counter 3x30s.\nPTA to progress dual task to outdoor paths and add perturbations on foam.", "perturbations"),
])
def test_a_supervisors_directive_is_planned(text, surface):
    assert find(text, surface).hypothetical
    assert find(text, "SLS" if "SLS" in text else "tandem").performed


def test_hip_adduction_is_no_plan_to_add():
    text = "TE: hip abd/add 2x10 RTB, hip add ball squeeze 2x10, bridges 2x10. NMR: SLS on foam 3x30s."
    assert not any(m.hypothetical for m in mentions(text)), [(m.text, m.hypothetical) for m in mentions(text)]


@pytest.mark.parametrize("heading", ["Tx", "Tx this date"])
def test_todays_treatment_after_a_progress_reports_goal_status_is_today(heading):
    text = ("O (IE / today)\nBerg 38 / 46\nGoals\n- Berg >= 45/56 - MET\n- amb 300 ft w/o LOB - ongoing\n"
            f"{heading}\nNMR 97112 - 25 min: rhythmic stabilization w/ eyes closed, TC at scapula; "
            "quadruped perturbations on BOSU.\nA: improving.\nP: add plyo drops.")
    assert find(text, "rhythmic stabilization").performed
    assert find(text, "BOSU").performed
    assert find(text, "plyo").hypothetical


def test_tx_alone_on_a_line_of_prose_is_no_heading():
    text = "Goals: pt will amb 300 ft w/o LOB and tolerate\ntx\nfor 45 min w/o rest by d/c."
    assert find(text, "LOB").hypothetical


def test_a_plan_at_the_top_ends_at_a_service_heading_with_its_minutes():
    # "HEP: ..." first, then "NMR 97112 25 min: ...": today's treatment, not the home program
    text = "HEP: tandem at counter 3x30s.\nNMR 97112 25 min: SLS on foam w/ perturbations, TC at pelvis.\n"
    assert find(text, "tandem").hypothetical
    assert not find(text, "perturbations").hypothetical


@pytest.mark.parametrize("text,surface,historical", [
    # falls and findings reported from the weeks before, and text copied forward from another visit
    ("Fall risk: high (2 falls in past 3 mo).", "2 falls", True),
    ("81 yo F, ESHF, COPD. Hx falls x2 in past 6 mo (one w/ rib fx).", "falls", True),
    ("Dtr reports 1 fall last wk (found on floor by bathroom).", "1 fall", True),
    ("** copied fwd from visit 7: Pt amb 50 ft w/ RW CGA, fatigued. **\nToday: pt more alert.", "CGA", True),
    # a comparison with last week speaks of today
    ("A: Static balance improving, fewer LOB w/ EC than last wk.", "LOB", False),
    ("Dx: hx falls, B LE weakness, mild dementia", "LE weakness", False),
    ("Dx: hx falls, B LE weakness, mild dementia", "falls", True),
])
def test_history_of_recent_weeks_and_copied_text(text, surface, historical):
    assert find(text, surface).historical is historical


def test_a_technique_planned_and_then_not_done_is_negated():
    assert find("I had planned push-and-release work but he declined, c/o low back pain.", "push-and-release").negated


def test_a_home_program_to_do_is_planned():
    assert find("97110 10 min: heel raises.\nHEP to do: tandem w/ head turns 2x30s daily on non-HD days.", "tandem").hypothetical


def test_a_past_line_and_todays_heading_on_one_line():
    text = ("PROGRESS REPORT\nObjective (eval to today):\n- At eval: LOB on every tandem trial. Today: LOB only EC\n"
            "- Berg 41 to 50\nToday: SLS on foam 3 x 20 s w/ VC\nBilled: 97112 x 2")
    result = review(text)  # once crashed: the line after "At eval:" was resumed before "Today:" began
    first_lob = next(m for m in result.entities if text[m.start:m.end] == "LOB")
    assert first_lob.historical
    assert not any(m.historical for m in result.entities if m.start > text.index("Today:"))


@pytest.mark.parametrize("heading", ["Exam:", "Findings:", "Screen:", "Observations:"])
def test_an_exam_heading_ends_the_history_before_it(heading):
    text = (f"PT INITIAL EVALUATION\nHx: 2 falls in Jan, walks w/ cane, LOB when turning.\n{heading}\n"
            "- Gait w/ SPC: R knee buckling, decreased stance time R\n- TUG 21 s\nBilling: 97162")
    result = review(text)
    history_end = text.index(heading)
    assert all(m.historical for m in result.entities if m.start < history_end and m.type == "deficit")
    assert not any(m.historical for m in result.entities if m.start > history_end)


@pytest.mark.parametrize("text,surface", [
    # the note's own title naming today's evaluation
    ("Initial evaluation - virtual (video), POS 02, 97162-95\nPt 41 y/o, 3 mo neck pain.\nNDI 18/50.", "NDI"),
    ("PT Initial Evaluation - telehealth, POS 10\nHx: knee pain 4 yrs.\nExam by video:\n- TUG 10.8 s timed from video.",
     "TUG"),
    # a heading qualified by today
    ("OT - Parkinson's disease\nBaseline today: 9HPT R 31 s / L 27 s", "9HPT"),
])
def test_todays_evaluation_and_exam_are_not_past(text, surface):
    assert not find(text, surface).historical


@pytest.mark.parametrize("text,surface", [
    # "Evaluation:" and "Exploration:" head today's examination, as translated notes write it
    ("Physiotherapy diary (automatic translation)\nEvaluation: Spasticity in both gastrocnemius (MAS 2).\n"
     "Session: balance reactions on the ball.", "MAS"),
    ("Anamnesis: fall 3 weeks ago.\nExploration: Berg 44/56, Romberg positive.", "Berg"),
])
def test_evaluation_and_exploration_headings_are_todays_findings(text, surface):
    assert not find(text, surface).historical
