"""Services, minutes and billed units in the forms therapists write them."""
from __future__ import annotations

import pytest

from notereview import review


def billed(text: str) -> list[tuple[str, int | None, int | None]]:
    """(code, minutes, units billed) of each service found, in note order."""
    return [(s.code, s.minutes, s.units_billed) for s in review(text).services]


def assert_billed(text: str, expected: list[tuple]) -> None:
    """The note's services are the expected ones, in order, each compared on as many fields as expected gives
    (code, minutes, units billed); the note is reviewed once."""
    got = billed(text)
    assert [service[:len(want)] for service, want in zip(got, expected)] == expected
    assert len(got) == len(expected)


def service(text: str, code: str):
    result = review(text)
    found = [s for s in result.services if s.code == code]
    assert found, f"{code} not found in {text!r}: {[s.code for s in result.services]}"
    return found[0]


@pytest.mark.parametrize("text,minutes", [
    ("NMR x 23 min: tandem stance on foam with TC.", 23),
    ("NMR 23': tandem stance on foam with TC.", 23),
    ("Neuromuscular re-education (23 minutes): tandem stance on foam with TC.", 23),
    ("NMRE 23m - tandem stance on foam with TC.", 23),
    ("97112 2 units / 24 min: tandem stance on foam with TC.", 24),
    ("NMR 0905-0930: tandem stance on foam with TC.", 25),
    ("NMR 8:05-8:30 tandem stance on foam with TC.", 25),
    ("Spent 25 minutes on neuromuscular re-education focusing on tandem stance on foam.", 25),
    ("neuro re-ed x23min tandem on foam w/ TC", 23),
])
def test_services_minutes_forms(text, minutes):
    assert service(text, "97112").minutes == minutes


@pytest.mark.parametrize("text,units", [
    ("NMR 97112 x 23 min, 2 units: tandem stance on foam.", 2),
    ("97112 x2u 23 min tandem stance on foam", 2),
    ("NMR 97112 23 min (2)", 2),
    ("97112 NMR 2 units / 24 min", 2),
])
def test_services_billed_units_forms(text, units):
    assert service(text, "97112").units_billed == units


@pytest.mark.parametrize("line", [
    "cpt_code=97112 | units=2 | minutes=24",
    '<Service code="97112" min="24" units="2"/>',
    '{"code": "97112", "minutes": 24, "units": 2}',
    "billing.97112 = {units: 2, minutes: 24}",
    "tx.97112.min = 24 ; tx.97112.units = 2",
    "97112 units: 2 minutes: 24",
    "CPT 97112 GP  Qty 2  Min 24",
    "Service: NeuroMuscReEd (97112) Minutes: 24 Units: 2",
])
def test_services_export_and_claim_line_fields(line):
    # each value after its key: "units: 2 minutes: 24" is not "2 minutes"
    text = "SLS on foam EO/EC 4 x 30 s, VC for hip strategy.\n" + line + "\n"
    assert billed(text) == [("97112", 24, 2)]


def test_services_minutes_heading_is_no_field_key():
    # "15 min: 150 ft" is the heading's minutes, then a distance
    text = "Gait training (97116), 15 min: 150 ft x 3 with hemi-walker, VC for heel strike.\n"
    assert billed(text) == [("97116", 15, None)]


def test_services_pipe_table_columns():
    text = ("CPT | Description | Minutes | Units\n"
            "97112 | Neuromuscular re-ed | 23 | 2\n"
            "97110 | Ther ex | 15 | 1\n")
    nmr, ther_ex = service(text, "97112"), service(text, "97110")
    assert (nmr.minutes, nmr.units_billed) == (23, 2)
    assert (ther_ex.minutes, ther_ex.units_billed) == (15, 1)
    assert review(text).allocation.timed_minutes_total == 38


def test_services_tab_table_columns():
    text = "Code\tService\tMin\tUnits\n97112\tNMR\t30\t2\n97530\tTher act\t10\t1\n"
    assert service(text, "97112").minutes == 30
    assert service(text, "97530").units_billed == 1


def test_services_untimed_codes_do_not_count_toward_timed_minutes():
    text = "97150 group therapy 30 min. NMR 97112 x 15 min: tandem stance on foam with TC, 1 unit."
    result = review(text)
    assert service(text, "97150").timed is False
    assert result.allocation.timed_minutes_total == 15
    assert result.allocation.units_allowed_cms == 1


def test_services_home_health_visit_code_leaves_the_cpt_minutes_their_units():
    # G0151 is the home health claim's line for the whole visit; the CPT lines beside
    # it itemize that visit's time, so counting it again would leave the total unknown.
    text = ("HH PT visit. Time in 0932 / out 1018.\n"
            "Neuro re-ed 18 min: tandem stance at kitchen counter 4 x 15 s, CGA, VC to unlock knees.\n"
            "Gait trng 15 min: RW 3 x 45 ft, SBA.\n"
            "Billing: G0151 x1 visit.")
    result = review(text)
    assert service(text, "G0151").timed is False
    assert result.allocation.timed_minutes_total == 33
    assert result.allocation.units_allowed_cms == 2


def test_services_segment_is_the_nmr_text_only():
    text = ("Ther ex 97110 x 15 min: leg press 3 x 10.\n"
            "NMR 97112 x 23 min: tandem stance on foam with TC at pelvis.\n"
            "Gait training 97116 x 10 min: 150 ft with SPC.\n")
    nmr = service(text, "97112")
    segment = text[nmr.start:nmr.end]
    assert "tandem stance" in segment and "leg press" not in segment and "SPC" not in segment


def test_services_plan_mention_is_not_a_claim():
    result = review("Ther ex 97110 x 30 min: leg press 3 x 10, bike 10 min.\nPlan: begin NMR next visit.")
    assert not result.claims_97112


def test_services_stated_total_counts_but_is_not_put_on_a_code():
    text = ("NMR 97112: tandem stance on foam with TC, 2 units.\n"
            "Ther ex 97110 x 15 min: bridges 3 x 10.\n"
            "Total timed minutes: 40\n")
    result = review(text)
    assert service(text, "97112").minutes is None  # the note does not say (docs/contract.md §4)
    # the stated total is kept apart: the codes' own minutes do not add up to it (GUIDELINES.md)
    assert (result.allocation.timed_minutes_total, result.allocation.units_allowed_cms) == (None, None)
    assert (result.allocation.stated_timed_minutes, result.allocation.units_allowed_cms_stated) == (40, 3)
    assert "time.missing" in {g.id for g in result.gaps}
    assert service(text, "97110").units_allocated_ama == 1


@pytest.mark.parametrize("text,code,minutes,units", [
    ("Charges: 97112 x 2 (25 min), 97110 x 1 (10 min)", "97110", 10, 1),
    ("NMR 97112 25 min (2 units), ther ex 97110 10 min", "97110", 10, None),
    ("Billed: 97112 x4, 38 min of tandem stance on foam with TC", "97112", 38, 4),
])
def test_services_values_stay_with_their_own_code_on_billing_lines(text, code, minutes, units):
    found = service(text, code)
    assert (found.minutes, found.units_billed) == (minutes, units)


@pytest.mark.parametrize("text", [
    "Ther ex 97110 x 20 min: bridges 3 x 10. Will add NMR next visit.",
    "Ther ex 97110 x 20 min: bridges 3 x 10. NMR not performed today d/t fatigue.",
    "Hx: pt previously received NMR at another clinic.\nTher ex 97110 x 20 min: bridges.",
    "Ther ex 97110 x 20 min: bridges 3 x 10.\nP: next visit NMR 15 min.",
])
def test_services_planned_denied_or_past_nmr_is_not_a_claim(text):
    result = review(text)
    assert not result.claims_97112
    assert result.allocation.timed_minutes_total == 20


def test_services_feet_are_not_minutes():
    text = "Gait training 97116: ambulated 150' with RW and CGA, x 12 min."
    assert service(text, "97116").minutes == 12


@pytest.mark.parametrize("text,minutes", [
    ("NMRE 25 min: PNF D1 with manual resistance. Gait 15 min: crutches 4-pt pattern 100' x 2, VC.", 15),
    ("rhythmic stab in kneeling. gait 0910-0925: RW 40 ft w min A.", 15),
    ("Gait (12 min): walking with head turns 4 x 60 ft.", 12),
])
def test_services_gait_with_a_duration_is_gait_training(text, minutes):
    assert service(text, "97116").minutes == minutes


@pytest.mark.parametrize("text", [
    "O: gait 150' x2 with RW, gait 50 ft CGA. NMR 97112 23 min.",
    "Gait: antalgic, decreased stance time on the L. NMR 97112 23 min.",
])
def test_services_gait_described_is_not_a_service(text):
    assert [s.code for s in review(text).services] == ["97112"]


def test_services_transfer_training_is_therapeutic_activities():
    text = "Gait training\t15 min: RW in home\nTransfer training\t10 min: sit to stand from bed, min A"
    assert service(text, "97530").minutes == 10
    assert review(text).allocation.units_allowed_cms == 2


def test_services_a_visit_total_after_a_code_is_not_that_code_minutes():
    result = review("Billing | 97112 x 2 units; 97116 x 1 unit; total timed 35 min")
    assert service("Billing | 97112 x 2 units; 97116 x 1 unit; total timed 35 min", "97116").minutes is None
    assert result.allocation.units_allowed_cms_stated == 2


def test_services_only_untimed_codes_have_no_timed_total():
    # no timed code, no timed total to count: null, as for a note with no billing
    result = review("97150 group therapy 45 min, 4 pts: obstacle course and ball games. Billed 97150 x1.")
    assert [s.code for s in result.services] == ["97150"]
    assert (result.allocation.timed_minutes_total, result.allocation.units_allowed_cms) == (None, None)
    assert review("Pt tolerated session well.").allocation.units_allowed_cms is None
    # a stated total of timed minutes is kept as the note's claim
    result = review("Eval 97162. Total timed minutes: 20.")
    assert (result.allocation.timed_minutes_total, result.allocation.units_allowed_cms) == (None, None)
    assert (result.allocation.stated_timed_minutes, result.allocation.units_allowed_cms_stated) == (20, 1)


def test_services_table_with_a_minutes_units_column():
    text = ("Exercise\tParameters\tAssist/Cues\tMinutes/Units\n"
            "Unattended e-stim B quads (G0283)\t35 Hz, 15 min\tset-up only\t15 / 1\n"
            "Tall kneeling rhythmic stabilization\t5 x 20 s\tmod A -> min A at pelvis\t\n"
            "Half kneel transitions\t2 x 5 ea side\tVC to lead w/ R\tNMR 97112 = 26 / 2\n"
            "BWSTT 30% BWS\t1.2 mph x 12 min\tmanual stepping assist\tGait 97116 = 14 / 1\n")
    found = billed(text)
    assert found == [("G0283", 15, 1), ("97112", 26, 2), ("97116", 14, 1)]


@pytest.mark.parametrize("header", ["Time (min)", "Tx min", "Minutes"])
def test_services_table_minutes_header_forms(header):
    text = f"Code\tActivity\t{header}\n97112\ttandem stance on foam, CGA\t23\n97110\tleg press\t15\n"
    assert [(s.code, s.minutes) for s in review(text).services] == [("97112", 23), ("97110", 15)]


def test_services_a_row_with_minutes_is_not_a_header():
    text = ("Activity\tDose\tAssist\n"
            "Treadmill walking\t6 min, 1.0 mph\tHHA x2\n"
            "Codes\t97112 - 24 min\t97116 - 14 min\n")
    assert [(s.code, s.minutes) for s in review(text).services] == [("97112", 24), ("97116", 14)]


def test_services_held_by_is_not_held():
    text = "- 1525-1550 Neuromuscular re-education (97112): standing on the platform swing held by ropes."
    assert [(s.code, s.minutes) for s in review(text).services] == [("97112", 25)]


@pytest.mark.parametrize("text,expected", [
    ("neuro muscular re education twenty three minutes two units period gait training fifteen minutes one unit period",
     [("97112", 23, 2), ("97116", 15, 1)]),
    ("[x] Neuromuscular re-ed (97112)   [ ] Ther ex (97110)   [ ] Gait training (97116)\n"
     "NMR: tandem stance on foam, CGA.\nTIME: 97112 - 25 min / 2u", [("97112", 25, 2)]),
    ("NEURO RE-ED MINUTES: 28\nNEURO RE-ED DETAIL: SLS on foam\nTHER EX MINUTES: 10\nUNITS: 97112-2, 97110-1",
     [("97112", 28, 2), ("97110", 10, 1)]),
    ("- Propriception/NMR x 18' (x2u): BAPS lvl 3, SLS on wobble bd", [("97112", 18, 2)]),
    ("CPT: 97168; 97112 x 20; 97530 x 10", [("97168", None, None), ("97112", 20, None), ("97530", 10, None)]),
    ("Gait training: not attempted today (BP 168/94).\nNMR x 26 min: weight shifts in sitting.", [("97112", 26, None)]),
])
def test_services_in_dictated_checkbox_and_keyed_notes(text, expected):
    assert billed(text) == expected


def test_services_a_billing_table_beats_a_duration_deep_in_the_treatment_text():
    text = ("- Neuromuscular re-ed: SLS on a disc 3 x 10; stepping stones with VC; treadmill walking, 5 min; SLS 3 x max\n"
            "Code\tDescription\tMin\tUnits\n97112\tNeuromuscular re-ed\t28\t(2)\n97110\tTher ex\t8\t(1)\n")
    assert billed(text) == [("97112", 28, 2), ("97110", 8, 1)]


def test_services_cp_is_cerebral_palsy_not_a_cold_pack():
    assert [s.code for s in review("6 y/o with R hemiplegic CP (GMFCS I). NMR 97112 x 25 min: SLS on disc.").services] \
        == ["97112"]


def test_lower_casing_keeps_characters_in_place_but_for_two():
    # what lets service names be looked for in text.lower(): see services.LOWER_SHIFTS
    import re
    import sys

    from notereview.nlp.services import LOWER_SHIFTS

    word = re.compile(r"[\w/]")
    shifting = set()
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if (len(lower) != 1 or bool(word.match(char)) != bool(word.match(lower))
                or char.isascii() != lower.isascii()):
            shifting.add(char)
    assert shifting == set(LOWER_SHIFTS)


@pytest.mark.parametrize("text", [
    "NMR 23 min; Ther ex 10 min; gait trng 8 min; self care 5",
    "neuro\u2011muscular re-ed 23'; ther/ex; w/c mobility; e-stim 10 min; 2nmr; x_gait",
    "\u212a NMR 23 min; \u0130ce 10 min; ther ex 12 min; \u017felf care",
])
def test_service_names_found_from_lower_cased_text_as_from_every_word(text):
    from notereview.nlp import services

    regex = services._name_regexes()[0]
    spans = [m.span() for m in services._loose_matches(regex, text)]
    first_words = services._first_words()
    expected, next_free = [], 0
    for word in services.WORD_START.finditer(text):
        if word.start() >= next_free and word.group(0).lower() in first_words:
            match = regex.match(text, word.start())
            if match:
                next_free = match.end()
                expected.append(match.span())
    assert spans == expected


@pytest.mark.parametrize("text", [
    "NMR 0930-0955: tandem x 3, 12345 min, 15'20, 150' amb, x15min, @10 mins, 1.5 min, 10-15 min",
    "1000-1030 then 12:50-1:15; 23m walk; 5 m; 9:00 to 9:25; \u0661\u0662 min; 8:05-8:30pm",
    "Tx 30 minutes2 and 20mins; 3x10 min; 2 x 5m; 1015 -1045",
])
def test_durations_found_from_digit_runs_as_everywhere(text):
    from notereview.nlp.services import MINUTES_RE, TIME_RANGE_RE, _from_digit_runs

    for regex in (MINUTES_RE, TIME_RANGE_RE):
        for part in (text, text[3:], text[:len(text) // 2]):
            assert [m.span() for m in _from_digit_runs(regex, part)] == [m.span() for m in regex.finditer(part)]


@pytest.mark.parametrize("text,expected", [
    ("Gait training: amb 75' with RW CGA; 15 min", [("97116", 15, None)]),
    ("Gait training: amb 150 ft x 2 min A with RW", [("97116", None, None)]),
    ("Gait training: amb 40 m with RW, 15 mins", [("97116", 15, None)]),
    ("Gait training: 6 minute walk test 1100 ft", [("97116", None, None)]),
    ("Ther ex: bike x 8 min, bridges 2x10; Total 20 min", [("97110", 20, None)]),
    ("97112x2 (25 min)", [("97112", 25, 2)]),
    ("Billed: 97112x2, 97110x1", [("97112", None, 2), ("97110", None, 1)]),
    ("Ther ex 15 min including transfer training and bridges", [("97110", 15, None)]),
    ("Ther ex 20 min: supine TA 10 x 10 s holds", [("97110", 20, None)]),
    ("NMR 25 min: SLS on foam, dual task gait training with head turns", [("97112", 25, None)]),
    ("NMR time: 10:15-10:40", [("97112", 25, None)]),
    ("NEUROMUSCULAR RE-EDUCATION (97112):\nSLS on foam\nMinutes: 23", [("97112", 23, None)]),
    ("Ther Ex: 0 min\nNeuro Re-ed: 25 min\nGait Training: 0 min", [("97112", 25, None)]),
    ("| Code | Min | Activity |\n| 97112 | 25 | tandem on foam |\n| 97116 | — | gait deferred (fire drill) |",
     [("97112", 25, None)]),
    ("Services: therapeutic activities and neuromuscular re-education.", [("97530", None, None), ("97112", None, None)]),
    ("NMR: 1 min bouts of SLS on foam x 5, CGA.\nBilling: 97112 x2 (25 min)", [("97112", 25, 2)]),
    ("Neuromuscular re-education (24 minutes): D2 flexion.\nBilled 97112 x 2; the 8 minutes of exercise were not billed.",
     [("97112", 24, 2)]),
])
def test_services_distances_assist_levels_prose_and_not_given(text, expected):
    assert billed(text) == expected


def test_services_a_visit_total_on_a_later_line_is_not_the_code_minutes():
    result = review("97112 x2\nTotal treatment time: 40 minutes\nTotal timed: 35 minutes")
    assert [(s.code, s.minutes) for s in result.services] == [("97112", None)]
    assert result.allocation.units_allowed_cms_stated == 2


@pytest.mark.parametrize("text,expected", [
    ("8:30-8:42 gait: RW 80 ft x 2 in house, SBA.\nNMR 97112 x 25 min: tap-ups.", [("97116", 12, None), ("97112", 25, None)]),
    ("| Activity | Code | Min |\n| Reach in sitting | 97112 | 12 |\n| Weight shift in standing | 97112 | 14 |\n"
     "| Hip abd | 97110 | 7 |", [("97112", 26, None), ("97110", 7, None)]),
    ("Tx: NMR x2u - balance activities as previously documented. Gait x1u. Ther ex per flow sheet.",
     [("97112", None, 2), ("97116", None, 1), ("97110", None, None)]),
    ("Billing: 97110 x1, 97112 x2 — Total timed 40 min", [("97110", None, 1), ("97112", None, 2)]),
    ("This week: sessions of ther act; tolerating 60-70 min/day.\nNMR x 25 min: SLS.", [("97112", 25, None)]),
])
def test_services_in_home_health_snf_and_table_notes(text, expected):
    assert billed(text) == expected


def test_services_a_total_written_before_the_code_is_the_visit_total():
    result = review("• Neuro re-ed x 28 min: Frenkel exercises.\n• Total timed 36 min -> 97112 x 2u")
    assert [(s.code, s.minutes, s.units_billed) for s in result.services] == [("97112", 28, 2)]


def test_services_space_aligned_billing_table():
    text = ("Billing\nCPT    Description    Units   Min\n97112  NM re-ed       (2)     27\n97110  Ther ex        (1)     13\n"
            "Assessment: improving.")
    assert billed(text) == [("97112", 27, 2), ("97110", 13, 1)]


def test_services_double_spaces_in_prose_are_not_a_table():
    text = "Pt tolerated  well.  Min A for transfers.\nNMR x 23 min:  SLS  on foam."
    assert [(s.code, s.minutes) for s in review(text).services] == [("97112", 23)]


@pytest.mark.parametrize("text,expected", [
    ("Billing: 97112 (2), 97110 (1)", [("97112", None, 2), ("97110", None, 1)]),
    ("Code\tActivity\tUnits/Min\n97112\tSLS on foam\t2 / 26\n97110\tleg press\t1 / 10", [("97112", 26, 2), ("97110", 10, 1)]),
    ("Billing: 97112 (25 min), 97110 (10 min)", [("97112", 25, None), ("97110", 10, None)]),
])
def test_services_bracketed_counts_and_units_first_columns(text, expected):
    assert billed(text) == expected


def test_a_table_row_naming_its_service_twice_is_counted_once():
    text = ("Exercise\tParameters\tCode\tMin\tComments\n"
            "Paraffin\tR hand/wrist\t97018\t8\tbefore ex, skin intact\n"
            "Gyroscopic ball\t3 x 30 s\t97112\t\tcued to keep forearm neutral\n"
            "NMR subtotal\t\t97112\t25\t2 units\n")
    assert ("97018", 8, None) in billed(text)
    assert service(text, "97112").minutes == 25


def test_a_name_after_its_time_range_in_brackets_is_a_service():
    text = ("1. Grooming at sink (0905-0930, neuro re-ed): weight shift toward hemi side, TC at R trunk\n"
            "2. LB dressing seated EOB (0930-0942, self-care): reacher for pants, min A\n")
    assert billed(text) == [("97112", 25, None), ("97535", 12, None)]


def test_one_service_given_in_two_sittings_adds_both_time_ranges():
    text = ("1. 97112 - 0830-0910 and 1330-1402 - billed 5 units\n   rhythmic stabilization at pelvis, CGA\n"
            "2. 97116 - 1402-1415\n   gait trng w/ RW 150 ft x 2\n")
    assert billed(text) == [("97112", 72, 5), ("97116", 13, None)]


@pytest.mark.parametrize("text,expected", [
    ("Service\tTime\tUnits\nTher ex\t9:05a-9:17a\t1\nNeuro re-ed\t9:17a-9:40a\t2\n",
     [("97110", 12, 1), ("97112", 23, 2)]),
    ("Service                         Min    Units\nNeuro re-ed 97112               (25)   (2)\n"
     "Ther act 97530-59               (15)   (1)\n", [("97112", 25, 2), ("97530", 15, 1)]),
    ("| Code | Minutes | Units |\n| 97112 GP | 30 | 2 |\n| 97530 GP | 10 | 1 |\n| 97140 GP | 0 | 0 |\n",
     [("97112", 30, 2), ("97530", 10, 1)]),
    ("CPT 97018 (10) 1u\nCPT 97112 (23) 2u\nCPT 97535 (15) 1u\n",
     [("97018", 10, 1), ("97112", 23, 2), ("97535", 15, 1)]),
    ("NMR x23: tandem stance EC, CGA.\nGait x15: SPC trial in hallway.\nTE x8: ankle DF.\n",
     [("97112", 23, None), ("97116", 15, None), ("97110", 8, None)]),
    ("Telehealth. Billed 97112-GP-95 x2.", [("97112", None, 2)]),
])
def test_billing_formats_clinics_write(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("From 1:15 to 1:40 we worked on neuromuscular re-education of the right arm: grasp and release.",
     [("97112", 25, None)]),
    ("neuro re-ed 18m gaze stab vor x1 seated 30 s x3. ther ex 12m stationary bike. total 30 min.",
     [("97112", 18, None), ("97110", 12, None)]),
    ("Code\tService\tTime\tUnits\n97112\tNeuro re-ed\t28 min\t2\n97116\tGait training\t--\t--\n",
     [("97112", 28, 2)]),
    ("Ther activity (20 minutes): cut-and-paste craft at the table.", [("97530", 20, None)]),
])
def test_prose_and_table_forms_of_minutes(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Seen 0930-1008 for neuromuscular re-education and 1008-1020 for therapeutic activities.",
     [("97112", 38, None), ("97530", 12, None)]),
    ("Tx today, billed 97530 x 2 (28 min) + 97110 x 1 (10 min): relevé on BOSU.", [("97530", 28, 2), ("97110", 10, 1)]),
    ("1100-1124 NMR (2): mirror therapy.\n1124-1139 Self-care (1): donning cardigan, min A.\n",
     [("97112", 24, 2), ("97535", 15, 1)]),
    ("97112 25 min wt shifting in // bars w mod vc. 97116 13 min gait rw 40 ft x3 cga.",
     [("97112", 25, None), ("97116", 13, None)]),
    ("Billing: 97112 - 24 min (BAPS, hops) / 97110 - 12 min / 97140 - not performed today (pt declined, sore).",
     [("97112", 24, None), ("97110", 12, None)]),
])
def test_billing_lines_of_further_writers(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("• Tx 40 min (97112 25 / 97530 15):\n   ◦ platform swing in tall kneel\n", [("97112", 25, None), ("97530", 15, None)]),
    ("Minutes: 97112 22 | 97110 10 | 97116 8 | Total timed 40\n",
     [("97112", 22, None), ("97110", 10, None), ("97116", 8, None)]),
    # a sentence of nothing but codes and their numbers closing its line is about minutes too
    ("Dx codes reviewed. Billing: 97112 12, 97110 10", [("97112", 12, None), ("97110", 10, None)]),
    ("Dx codes reviewed with pt, 97112 12, 97110 10 per insurer.", [("97112", None, None), ("97110", None, None)]),
])
def test_a_bare_number_after_a_code_is_minutes_only_on_a_line_about_minutes(text, expected):
    assert [(c, m) for c, m, _ in billed(text)] == [(c, m) for c, m, _ in expected]


@pytest.mark.parametrize("text,expected", [
    ("NMR 23 min, same drills as 2 days ago.", [("97112", 23, None)]),
    ("97112 and 97116 held today, pt c/o dizziness.", []),
    ("NMR 0900-0920, 0920-0945 gait training.", [("97112", 20, None), ("97116", 25, None)]),
    ("Ther ex: 8 min bike, 10 min bridges and clamshells; total 18 min.", [("97110", 18, None)]),
    ("Ther ex: bike x 8 min, bridges 2 x 10. Total 20 min.", [("97110", 20, None)]),
    ("Gait x 2: 150 ft with RW, CGA.", [("97116", None, None)]),
    ("1300-1310 Manual muscle testing performed, BLE 4/5.", []),
    ("Billing: 97112-95, 2 units", [("97112", None, 2)]),
])
def test_billing_readings_a_review_found_wrong(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected,timed_total", [
    ("97150 - 1 / 97112 - 2 / TTM 25 / TTT 70", [("97150", None, 1), ("97112", None, 2)], 25),
    # the minutes said of the balance work reach 97112; ther ex's share is not said, so no timed total
    ("Balance work took about 25 minutes.\n97112(2) 97110(1) total 38", [("97112", 25, 2), ("97110", None, 1)], None),
    ("Retraining (35 min, 97112): Frenkel exercises. The remaining 10 min went to ther ex: bridges.\n"
     "Billing: 97112 x2, 97110 x1 (35 + 10 = 45 min).", [("97112", 35, 2), ("97110", 10, 1)], 45),
    ("Proprioceptive re-ed 24': wrist JPS. Ther ex 14': putty.\n97112-GO(2) 97110-GO(1) total 38",
     [("97112", 24, 2), ("97110", 14, 1)], 38),
    ("Then we did about 23 minutes of neuromuscular work: rhythmic stabilization.\nBilling: 97112 (2), 97110 (1) - 45 min.",
     [("97112", 23, 2), ("97110", None, 1)], None),
    ("Codes: 97112-CO x1, 97535-CO x1 (34 min timed).", [("97112", None, 1), ("97535", None, 1)], 34),
])
def test_billing_said_in_prose_and_shorthand(text, expected, timed_total):
    assert billed(text) == expected
    assert review(text).allocation.timed_minutes_or_stated == timed_total


@pytest.mark.parametrize("text,expected,timed_total", [
    ("Most of today, 30 minutes, was gait training. He then rode the stepper.\nCharges: gait training 97116, two units.",
     [("97116", 30, 2)], 30),
    ("The next fifteen minutes were therapeutic activities: carrying a tray.\n97530 x 1.", [("97530", 15, 1)], 15),
    ("Charges: 97168, 97112 x2, 97535 x1 (38 timed minutes).",
     [("97168", None, None), ("97112", None, 2), ("97535", None, 1)], 38),
])
def test_minutes_said_in_narrative_sentences(text, expected, timed_total):
    assert billed(text) == expected
    assert review(text).allocation.timed_minutes_or_stated == timed_total


@pytest.mark.parametrize("text,expected,timed_total", [
    ("Ther ex (LE strengthening) - 15 min\nNMR (static/dynamic balance) - 23 min",
     [("97110", 15, None), ("97112", 23, None)], 38),
    ("97110 (1) - 15 min\n97112 (2) - 23 min", [("97110", 15, 1), ("97112", 23, 2)], 38),
    ("Pt did 15 min ther ex and 23 min NMR. Total 38 min.", [("97110", 15, None), ("97112", 23, None)], 38),
    ("NMR (23 min total): tandem, SLS, foam", [("97112", 23, None)], 23),
    ("97112 (23 min timed)\n97110 (15 min timed)", [("97112", 23, None), ("97110", 15, None)], 38),
    ("97110 - 2 lb ankle weights, 12 min", [("97110", 12, None)], 12),
    ("97112 x2 - 23 min\n97110 x1 - 15 min", [("97112", 23, 2), ("97110", 15, 1)], 38),
    # a range read as written without "approx", not as a count of units before the minutes ("approx" ends in x)
    ("NMR approx 20-25 min: SLS on foam, VC for posture", [("97112", 20, None)], 20),
    ("97112 x2, 97110 x1, total 38 min", [("97112", None, 2), ("97110", None, 1)], None),
    ("Manual therapy held today / ther ex 2 units / NMR 1 unit", [("97110", None, 2), ("97112", None, 1)], None),
    ("S: Pt uses 20 min of TENS at home BID.\nO: Ther ex 15 min", [("97110", 15, None)], 15),
    ("Pt could only tolerate 10 minutes of neuromuscular work before fatigue; NMR 97112 x2.", [("97112", None, 2)], None),
    ("97110 x1, 97112 x2\nTotal 38 min. 6 min timed walk: 900 ft.", [("97110", None, 1), ("97112", None, 2)], None),
    ("Transfer training x5: bed<>w/c with SBA\nTher ex 15 min", [("97530", None, None), ("97110", 15, None)], None),
    ("97150 - 1 / 97110 - 0 / 97112 - 2", [("97150", None, 1), ("97112", None, 2)], None),
])
def test_billing_readings_a_second_review_found_wrong(text, expected, timed_total):
    assert billed(text) == expected
    assert review(text).allocation.timed_minutes_total == timed_total


@pytest.mark.parametrize("text,total", [
    ("Telehealth PT. Start 10:02 / End 10:27. Billed 97112-GP-95 x2.\nStanding on a cushion EO w/ head turns.", 25),
    ("HH PT visit. Time in 1005 / time out 1050.\nNMR: tandem stance at the counter, CGA. 97112 x3", 45),
    ("In: 9:00  Out: 9:40\nNeuro re-ed: perturbations on foam, TC at pelvis. 97112 (3)", 40),
])
def test_visit_clock_times_give_the_timed_total_of_a_sole_timed_service(text, total):
    result = review(text)
    assert [s.minutes for s in result.services] == [None]  # the visit's length is not the code's own minutes
    assert result.allocation.timed_minutes_total is None
    assert result.allocation.stated_timed_minutes == total


def test_visit_clock_times_do_not_fill_several_codes_without_minutes():
    result = review("Time in 1010 / time out 1055.\nBalance work at the counter, CGA.\n97112(2) 97110(1)")
    assert result.allocation.timed_minutes_total is None


@pytest.mark.parametrize("text,expected", [
    ("Tx 40 min (NMR 25', Gait 15'): beam walking, rocker board, CGA.", [("97112", 25, None), ("97116", 15, None)]),
    ("ther ex 15' laq 2x10. gait 10' w rw 150 ft x2, cues for posture", [("97110", 15, None), ("97116", 10, None)]),
    ("97112 NMR 23' + 97116 gait 15'", [("97112", 23, None), ("97116", 15, None)]),
    # feet walked, not minutes: a walking word before, nothing saying it is a time
    ("NMR 97112 x 25 min: SLS on foam. Gait 15' w/ RW, CGA.", [("97112", 25, None)]),
    ("Pt amb 40', gait 15', CGA. NMR 97112 x 25 min: tandem stance.", [("97112", 25, None)]),
])
def test_gait_followed_by_a_prime_is_minutes_only_where_the_note_says_so(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Billing: 97112 15 min x1 / 97110 10 min x1", [("97112", 15, 1), ("97110", 10, 1)]),
    ("Billing: 97112 23' x2 | 97530 16' x1", [("97112", 23, 2), ("97530", 16, 1)]),
    ("Billing: 97530 x 2u (28 min) / 97112 x 1u (15 min)\nPlan: add crossing midline games",
     [("97530", 28, 2), ("97112", 15, 1)]),
    ("Billing:\n 97112 .......... 28 min / 2 units\n 97110 .......... 10 min / 1 unit", [("97112", 28, 2), ("97110", 10, 1)]),
    ("Billing:\n  NMR ... 97112 ... 40 min ... 3 units", [("97112", 40, 3)]),
    ("NMR 97112 (30) - bridges 3x10, clamshells 2x15.\nBilled 97112 x 2 units.", [("97112", 30, 2)]),
    # a bout's length and its count are not a service's minutes and units
    ("Gait 2 min x 3 laps w/ RW. NMR 97112 x 25 min: tandem stance.", [("97112", 25, None)]),
])
def test_billing_lines_with_leaders_counts_after_minutes_and_slashes(text, expected):
    assert [s for s in billed(text) if s[0] == "97112" or s[1] is not None] == expected


def test_a_billing_line_after_the_goals_is_billed_today():
    text = ("Tandem stance EO firm 3 x 30 s w/ SBA.\nP: Resume VOR x2 next visit if HA <=3.\n"
            "LTG: tolerate VOR x2 60 s for return to practice\nNMR 20', TE 8'")
    assert billed(text) == [("97112", 20, None), ("97110", 8, None)]
    text = ("PLAN: Continue two times per week.\n\nTime-based codes: neuromuscular reeducation 25 minutes (2 units), "
            "gait training 12 minutes (1 unit). Total timed minutes 37.")
    assert billed(text) == [("97112", 25, 2), ("97116", 12, 1)]
    assert billed("Plan: NMR 25 min next visit") == []


@pytest.mark.parametrize("text,expected", [
    ("Gait training in the hall w/ RW.\nMinutes: neuro re-ed 25, gait 20 (indiv).", [("97112", 25, None), ("97116", 20, None)]),
    ("Minutes: NMR 25, gait 10, TE 10.", [("97112", 25, None), ("97116", 10, None), ("97110", 10, None)]),
    ("Time: 45 min indiv (NMR 30 / ther act 15).", [("97112", 30, None), ("97530", 15, None)]),
    ("Time-based codes: neuromuscular reeducation 20 minutes (1 unit), electrical stimulation attended 12 minutes "
     "(1 unit).", [("97112", 20, 1), ("97032", 12, 1)]),
])
def test_minutes_lines_listing_services_by_name(text, expected):
    assert sorted(billed(text)) == sorted(expected)


def test_one_code_given_in_two_sittings_adds_its_minutes():
    text = ("AM (0800-0845):\nNMR 97112 20 min - tall kneeling on mat w/ ball toss, half kneel to stand w/ facilitation.\n"
            "Ther act 97530 25 min - bed mobility, rolling both directions, car transfer sim.\n"
            "PM (1330-1400):\nNMR 97112 15 min - standing at counter, stepping strategies fwd/lat, cues for hip ext.\n"
            "Gait 97116 15 min - amb 100 ft x2 w/ quad cane, min A.")
    assert sorted(billed(text)) == [("97112", 35, None), ("97116", 15, None), ("97530", 25, None)]
    # a billing line repeating a block's minutes is not a second sitting
    text = ("NMR 97112 23 min - tandem stance on foam, perturbations at the pelvis, TC at hips.\n"
            "Ther ex 97110 15 min - bridges 3x10, clams.\nBilling: 97112 23 min (2 units), 97110 15 min (1 unit)")
    assert billed(text) == [("97112", 23, 2), ("97110", 15, 1)]
    # the sitting's name alone before the code, with no colon of its own
    text = ("AM 97112 0900-0915: PNF D1 flexion L LE sidelying to standing, TC at L hip.\n"
            "AM 97530 0915-0935: toilet transfers and dressing in standing w/ min A.\n"
            "PM 97112 1400-1415: stepping strategy after perturbations in bars, CGA.\n"
            "PM 97116 1415-1430: gait w/ hemi-walker 100 ft x 3.")
    assert sorted(billed(text)) == [("97112", 30, None), ("97116", 15, None), ("97530", 20, None)]


@pytest.mark.parametrize("text,expected", [
    ("r lat ankle sprain. te 15 theraband 4 way ankle red 3x15, sl calf raises. nmr 23 baps lvl 3 cw/ccw 2min, "
     "sls on bosu 4x30sec w ball toss, vc knee over toe", [("97110", 15, None), ("97112", 23, None)]),
    ("5yo cp. nmr 97112 25: sitting on peanut ball w facilitation at pelvis. gait 97116 20min gait trng w walker",
     [("97112", 25, None), ("97116", 20, None)]),
    # a count after the name is not minutes, and capitals set TE apart in a note typed with them
    ("NMR 10 reps of perturbations on foam; Gait 20 ft x2 w/ RW. Billed 97112 x1.", [("97112", None, 1)]),
    ("Pt reports te pain. NMR 23 BAPS board cw/ccw, SLS on foam with ball toss.", [("97112", 23, None)]),
])
def test_telegraphic_minutes_and_lowercase_abbreviations(text, expected):
    assert billed(text) == expected


def test_minutes_in_brackets_heading_each_line_and_laps_of_feet():
    text = ("Res c cerebellar CVA.\n(25) NMR: Frenkel ex heel to targets on floor 3x10; tandem walk along counter.\n"
            "(13) Gait: amb 150' RW c CGA, veers R.\n(10) TA: floor to chair tfr practice c min A.")
    assert billed(text) == [("97112", 25, None), ("97116", 13, None), ("97530", 10, None)]
    assert billed("NMR 97112 12': stdg bal, ball toss.\n97116: amb 2 x 30' // bars, CGA.") == [
        ("97112", 12, None), ("97116", None, None)]


@pytest.mark.parametrize("text,expected,total", [
    # the visit's minutes are not the last code's (and, a visit total, do not fill the codes' minutes)
    ("NMR: SL squat on BOSU, star excursion.\n97110 x1 97530 x1 97112 x1 - 38 min", [("97110", None, 1), ("97530", None, 1), ("97112", None, 1)], None),
    ("Ther ex: leg press.\n97140 x1 97112 x1 97110 x1 (37 min)", [("97140", None, 1), ("97112", None, 1), ("97110", None, 1)], None),
    # an earlier item with its own minutes, or only an untimed code before: the bracket is the code's own
    ("Charges: 95992 x1; 97112 x1 (15 min)", [("95992", None, 1), ("97112", 15, 1)], 15),
    ("Billing: 97112 ×2 (26 min) | 97110 ×1 (10 min)", [("97112", 26, 2), ("97110", 10, 1)], 36),
    ("97110 x1 (18')  97112 x1 (14')  total timed 32 min", [("97110", 18, 1), ("97112", 14, 1)], 32),
    ("Minutes\n97112 NMR: AM 22 + PM 0 = 22\n97535 Self-care: AM 8 + PM 20 = 28\nUnits: 97112 x1, 97535 x2",
     [("97112", 22, 1), ("97535", 28, 2)], 50),
])
def test_list_totals_own_minutes_and_sums_on_billing_lines(text, expected, total):
    result = review(text)
    assert sorted((s.code, s.minutes, s.units_billed) for s in result.services) == sorted(expected)
    assert result.allocation.timed_minutes_total == total


def test_a_zero_minute_template_row_and_a_treatment_table_beside_the_billing_grid():
    text = ("| CPT | Description | Units | Minutes | Mod |\n| 97112 | Neuromuscular reed | 2 | 25 | GO |\n"
            "| 97110 | Ther ex (UE ergometer) | | 0 | GO |")
    assert billed(text) == [("97112", 25, 2)]
    text = ("Treatment\tMin\tNotes\nParaffin L hand/wrist\t10\tpre-tx\nWrist JPS retraining, laser, EO -> EC\t8\tKR\n\n"
            "Billing\tCPT\tUnits\tMin\tMod\nParaffin\t97018\t1\t10\tGO\nNMR\t97112\t1\t20\tGO")
    assert ("97018", 10, 1) in billed(text)


@pytest.mark.parametrize("text,expected", [
    ("I saw Mrs. B at home today. We spent about 25 minutes on balance at the kitchen counter: feet together, eyes "
     "closed, small nudges at her hips.\nThe last 10 minutes were strengthening: sit to stands x10.\n"
     "Billed 97112 x2 and 97110 x1.", [("97112", 25, 2), ("97110", 10, 1)]),
    ("12 min balance: SLS at the counter 5 x 10 sec.\n28 min strengthening: quad sets, SLR, step ups.\n"
     "Billed 97112 x1, 97110 x2.", [("97112", 12, 1), ("97110", 28, 2)]),
    ("We did sitting balance on the edge of the bed, reaching for the washcloths and folding them, about 15 minutes.\n"
     "97112 x1, 97530 x1 (7 min).", [("97112", 15, 1), ("97530", 7, 1)]),
    # the activity alone before its minutes or its clock range, and "on this" when one code is billed
    ("Tandem stance 3 x 20 s at the counter.\nGait 20 min, balance 15 min. Billed 97116 x1 97112 x1.",
     [("97116", 20, 1), ("97112", 15, 1)]),
    ("Postural work 20 min: standing tall against the wall 5 x 20 sec.\n10 min of ther ex: seated rows.\n"
     "97112 x1, 97110 x1.", [("97112", 20, 1), ("97110", 10, 1)]),
    ("Balance 0930-0945: weight shifting onto the L leg, semi-tandem 3 x 20 sec, CGA.\nGait 0945-0955 with the "
     "rollator.\nStrengthening 0955-1005: bridges 2x10.\n\nBilled 97112 x1, 97116 x1, 97110 x1.",
     [("97112", 15, 1), ("97116", 10, 1), ("97110", 10, 1)]),
    ("1015-1040 sitting balance at the edge of the bed, reaching out to the side.\n1040-1050 supine to sit x3, mod A."
     "\n97112 x2, 97530 x1.", [("97112", 25, 2), ("97530", None, 1)]),
    ("Reaching into the top cupboard with a hand on the counter, 10 each. About 30 minutes on this. 97530 x2.",
     [("97530", 30, 2)]),
    ("Spent approx 25 min on balance: firm EC 30 s, foam EO 18 s.\nBilling: 97112 x 2", [("97112", 25, 2)]),
    # an exercise's own dose and the visit's length are not an activity's minutes
    ("Visit 45 min. Bike x 10 min, then tandem stance on foam with TC.\nBilled 97112 x2, 97110 x1.",
     [("97112", None, 2), ("97110", None, 1)]),
    # "that" naming no activity goes to no code when two are billed without minutes
    ("Tandem walking with CGA, about 10 minutes of that. Then bridges. 97112 x1, 97110 x1.",
     [("97112", None, 1), ("97110", None, 1)]),
])
def test_minutes_said_of_the_activity_reach_the_billed_code(text, expected):
    assert sorted(billed(text)) == sorted(expected)


@pytest.mark.parametrize("text,expected,claims", [
    # a note naming no code gives the session's time by activity: each part to the code its words name
    ("O/E: sits EOB, falls to R.\nTime: sitting balance 25 min, sit to stand and transfers 10 min, "
     "positioning and education with daughter 10 min.\nPlan: daily Rx.", [("97112", 25, None), ("97530", 10, None)], False),
    ("Rx 14:05-14:50: large amplitude stepping, VC big step.\nTime: balance retraining 20 min, gait re-ed incl. cueing "
     "20 min, advice to wife on cueing 5 min.", [("97112", 20, None), ("97116", 20, None)], False),
    ("Contact time 14:05-15:20 incl. Ax. Rx: strength ex 10 min, balance ex 10 min, floor recovery 10 min, advice 10 min.",
     [("97110", 10, None), ("97112", 10, None), ("97530", 10, None)], False),
    ("Time: gaze stabilisation 15 min, balance 20 min, advice 10 min (night lighting).", [("97112", 35, None)], False),
    # a named service on the line keeps its own reading and the others join it
    ("Time: manual therapy 10 min, exercise 15 min, balance/proprioception 10 min.",
     [("97140", 10, None), ("97110", 15, None), ("97112", 10, None)], False),
    # not: a note with codes (its activity minutes go only to billed codes), one part of an unlabelled line,
    # the plan, a history of what the patient does
    ("97112 x 2 units.\nTime: balance 25 min, strengthening 10 min.", [("97112", 25, 2)], True),
    ("Rx: balance ex 10 min.", [], False),
    ("Plan:\nTime: balance 20 min, strengthening 15 min next visit", [], False),
    ("HPC: walks daily.\nS: Rx: walking 30 min, gardening 20 min each day.", [], False),
])
def test_a_session_timed_by_activity_in_a_note_without_codes(text, expected, claims):
    result = review(text)
    assert [(s.code, s.minutes, s.units_billed) for s in result.services] == expected
    assert result.claims_97112 is claims


@pytest.mark.parametrize("text,expected,claims", [
    ("97530 x1 (15), 97112 x1 (12), 97535 x1 (10)", [("97530", 15, 1), ("97112", 12, 1), ("97535", 10, 1)], True),
    ("Standing balance NOT performed today. NMR (97112) deferred - not billed.\n97110-95 x 20 min: Seated AAROM.",
     [("97110", 20, None)], False),
    ("97112 (standing balance/wt shifting in // bars) HELD today d/t orthostatic hypotension.\n"
     "97530 Ther act 20 min: transfers.", [("97530", 20, None)], False),
    # done but not billed is still given: listed, its minutes count
    ("BILLING: 97112 x 2 (30 min), 97530 x 1 (15 min), 97110 not billed (5 min stretch)",
     [("97112", 30, 2), ("97530", 15, 1), ("97110", 5, None)], True),
])
def test_a_service_held_or_deferred_is_not_given_but_one_not_billed_is(text, expected, claims):
    result = review(text)
    assert [(s.code, s.minutes, s.units_billed) for s in result.services] == expected
    assert result.claims_97112 is claims


@pytest.mark.parametrize("text,expected", [
    ("Sess 1: gait 60 ft RW CGA.\n97116 30 97112 30 97530 45", [("97116", 30, None), ("97112", 30, None), ("97530", 45, None)]),
    ("97110 20 / 97112 10 / 97116 20 / 97530 10", [("97110", 20, None), ("97112", 10, None), ("97116", 20, None), ("97530", 10, None)]),
    ("Spent 10 min on manual.\nThe last 20 min were neuromuscular control: slide board stops.\n"
     "97140 x1, 97110 x1, 97112 x1 = 45 min", [("97140", 10, 1), ("97110", None, 1), ("97112", 20, 1)]),
    # one service's minutes in parts: "AM 50 min + PM 40 min", "(15' + 10')"
    ("Billing: 97530 AM 50 min + PM 40 min; 97112 AM 30 min (2 units); 97535 PM 20 min (1 unit).",
     [("97530", 90, None), ("97112", 30, 2), ("97535", 20, 1)]),
    ("Timed code minutes: 40 / Total treatment time: 40 min\n97112 x2 (15' + 10'), 97110 x1 (15')",
     [("97112", 25, 2), ("97110", 15, 1)]),
    ("Billing: 97112 AM 30 + PM 25 = 55 min (4 u), 97116 AM 35 + PM 15 = 50 min (3 u), 97110 PM 35 min (2 u).",
     [("97112", 55, 4), ("97116", 50, 3), ("97110", 35, 2)]),
    # a skilled nursing facility's kinds of minutes, and a clock range opening the line of its code
    ("97110 x1 (conc 15) / 97112 x2 (ind 32)", [("97110", 15, 1), ("97112", 32, 2)]),
    ("97112 Neuromuscular Re-education – AM 25 min, PM 20 min – 3 units", [("97112", 45, 3)]),
    ("Today 4/11: 97112 AM 12 min + PM 10 min: wt shift in // bars. 97116 16 min: gait RW 100 ft x2.",
     [("97112", 22, None), ("97116", 16, None)]),
    # a billing line's "x25" after a name is minutes; "= 3u" after it the line's total, no one code's units
    ("NMR: turn trng w/ VC, dual task serial 3s.\nTE: NuStep L4 8', seated trunk rot 2x10.\nNMR x25 TE x13 = 3u",
     [("97112", 25, None), ("97110", 13, None)]),
    ("97110 x2, 97112 x1, 97140 x1 = 4u / 53 min", [("97110", None, 2), ("97112", None, 1), ("97140", None, 1)]),
    ("Billing: NMR x25 TE x13 GT x10 = 4u", [("97112", 25, None), ("97110", 13, None), ("97116", 10, None)]),
    # a name's small count on a list counts manoeuvres or laps, not units
    ("Canalith repositioning x2, 95992. NMR 97112 x 12 min.", [("95992", None, None), ("97112", 12, None)]),
    # a service not given, with its content in brackets before the words that say so
    ("97110 TE 12 min: pendulums.\nNeuro re-ed (rhythmic stabilization) not appropriate yet, deferred to wk 6.",
     [("97110", 12, None)]),
    # a code's count heading its content is the block's time, not a dose inside it
    ("Ther ex 97110 x 15: putty gray 5 min, wrist flex/ext 2 lb 3x15\n"
     "Ther act 97530 (30): ladder climb + overhead conduit sim 10 lb x 3 min bouts x 4.",
     [("97110", 15, None), ("97530", 30, None)]),
    # work hardening is billed by the hour and stays out of the 8-minute rule's total
    ("Work conditioning 97545 0800-1000 (120 min). NMR 97112 18 min: beam walking w/ tool belt, 1 unit.",
     [("97545", 120, None), ("97112", 18, 1)]),
    # a labelled line of codes and bare minutes closed by the discipline's total; sittings listed on one line
    ("Gait: outside on gravel 200 ft w/ FWW.\nPT today: 97110 10, 97116 20, 97112 15. PT total 45.",
     [("97110", 10, None), ("97116", 20, None), ("97112", 15, None)]),
    ("NMR: tandem at the rail.\nMinutes: AM 97116 15, 97530 10, 97112 15; PM 97112 25\nSwing bed PT total today: 65 min",
     [("97112", 40, None), ("97116", 15, None), ("97530", 10, None)]),
    # a duration-only name with its count and a prime before the colon
    ("TE x 25': heel slides, SAQ 2x15\nGait x 10': amb 250' RW, SBA", [("97110", 25, None), ("97116", 10, None)]),
    # a clock range spent on an activity, the codes billed apart
    ("Worked w/ pt 1:1 in the gym from 0915 to 0953 on dynamic balance and coordination. Tandem walking 6 x 15 ft.\n"
     "97112 neuromuscular re-education x 4 units.", [("97112", 38, 4)]),
    # two numbered blocks of one code, each heading its own work, add up
    ("NMR block 1 (97112) 12 min - sEMG VMO quad sets to SLR, threshold up 10 uV, hit 9/10.\n"
     "TE (97110) 15 min: leg press 3x12, hip abd machine.\n"
     "NMR block 2 (97112) 10 min: SLS L on rocker board w/ VC + TC at hip, 4 x 30 s.",
     [("97112", 22, None), ("97110", 15, None)]),
    ("A: Progressing ROM. No balance deficits noted; NMR not indicated yet.\nBilled 97110 x2", [("97110", None, 2)]),
    # a printed flowsheet: dot leaders, then the columns its header names; two rows of one code add up
    ("INTERVENTIONS                                 MINUTES    UNITS\n"
     "NMR 97112 ................................... 35         2\n"
     "Gait Training 97116 ......................... 20         1\n\nNMR:\n- Tall kneeling on mat, min A",
     [("97116", 20, 1), ("97112", 35, 2)]),  # in the order of the text documenting each
    ("FLOWSHEET                                        UNITS   MIN\n"
     "Neuromuscular Re-ed 97112 (AM 0900) ......... 2     30\n"
     "Neuromuscular Re-ed 97112 (PM 1330) ......... 1     15\n"
     "Therapeutic Activities 97530 (PM) ........... 1     10", [("97112", 45, 3), ("97530", 10, 1)]),
    ("Billing 97112 34 (2) | 97110 10 (1) | 97530 8 (1)", [("97112", 34, 2), ("97110", 10, 1), ("97530", 8, 1)]),
    # a paper form's filled blanks, on the code's line or where its block ends
    ("P: Cont POC.\n   97112  __2__ units  __30__ min\n   97116  __1__ units  __15__ min\n   97110  _____ units  _____ min\n"
     "Therapist: ______________ PT     Page 1 of 1", [("97112", 30, 2), ("97116", 15, 1)]),
    ("97112  __2__ units  __25__ min\n97140  __1__ units  __8__  min\n97110  _____ units  __7__  min",
     [("97112", 25, 2), ("97140", 8, 1), ("97110", 7, None)]),
    ("Tx:\n97112  standing bal in corner w/ chair, EO/EC, feet together, CGA\n       __1__ units  __12__ min\n"
     "97530  bed mob + sit<>stand from low bed, min A->CGA   __1__ units __20__ min\n"
     "97112  stepping strategy w/ light pushes, reaching to counter,\n       mod VC for safety   __1__ units  __13__ min\n"
     "A: Impaired static & dynamic bal.", [("97530", 20, 1), ("97112", 25, 2)]),
    ("97110 (Conc 15): NuStep L1 x 8 min, then LAQ 2x10.\n97112 (Ind 12): standing at parallel bars, hip abd 2x10.\n"
     "Ind 12 / Conc 15 / Grp 0", [("97110", 15, None), ("97112", 12, None)]),
    ("1300-1315 concurrent (w/ res rm 108) 97110: SciFit x8 min, heel cord stretch 3x30 s.\n"
     "1315-1339 ind 97112: rocker board A/P in // bars 3 x 1 min, CGA.\n97110 x1 / 97112 x2",
     [("97110", 15, 1), ("97112", 24, 2)]),
    ("1320-1350 gait 97116 15min gait w rw 120ft x2 cga. ther act 97530 15min sit to stand from low chair x5",
     [("97116", 15, None), ("97530", 15, None)]),
    # a lowercase note's bill closing its last line, one service with its units or two named ones
    ("4yo m cp r hemi. sls foam hha, beam cga, tall kneel ball throw, vc wt shift to r. r foot drag less today, "
     "mom says no falls at daycare. pt tol well nmr 22 1u", [("97112", 22, 1)]),
    ("tummy time on wedge 3 min x2 head turning to l for toys. reviewed positioning in car seat and crib, goal full "
     "cervical rot l to 90 deg in 8 wks\nnmr 15 te 15", [("97112", 15, None), ("97110", 15, None)]),
    # a stated timed total, bare, opening its line or cell; and one after the codes ("| 40 min timed")
    ("- VOR x1 horiz 2 min ea\nTimed: 38 | Units: 3 | 97112 x3", [("97112", None, 3)]),
    ("NMR 30 min\nGait 10 min: amb 250'\nBilled: 97112 x2, 97116 x1 | 40 min timed", [("97112", 30, 2), ("97116", 10, 1)]),
    # a row with more cells than the header above it keeps its minutes in its last cell
    ("Ex | Dose | Notes | Min\nVOR x1 H/V standing | 3 x 1 min ea | pt indep | 8\n\nBilling | 97112 | GP | 2 | 25",
     [("97112", 25, None)]),
    # a gait heading's minutes in brackets, feet walked after it
    ("Gait (8'): amb 35 ft RW CGA, slow cadence.\nNMR (15'): standing at RW static balance 3 x 30 s.\n"
     "Billing: 97116 x1, 97112 x1.", [("97116", 8, 1), ("97112", 15, 1)]),
    # struck out of today's charges
    ("BILLING\n~~97140 Manual therapy 8 min~~ (not today)\nToday's charges:\n97110 Ther ex 24 min 2u\n97112 NMR 16 min 1u",
     [("97110", 24, 2), ("97112", 16, 1)]),
    # the visit's minutes and units in brackets after the last code's own number
    ("97535 - 30 / 97112 - 25 / 97530 - 20 (75 min, 5 units)", [("97535", 30, None), ("97112", 25, None), ("97530", 20, None)]),
    ("97112 (25 min, 2 units), 97110 (10 min, 1 unit)", [("97112", 25, 2), ("97110", 10, 1)]),
    # milliseconds and comparisons after a name are no minutes ("TA" is a timing score here)
    ("NMR 97112 - 30 min\n- both hands clap TA 48 ms (sess 1: 97 ms)\nA: timing improving (TA 48 from 97 ms)",
     [("97112", 30, None)]),
    # a table row with its minutes was given, whatever "no" its cells hold
    ("Exercise | dose | code | min\nUpright bike | L3 no res | 97110 | 8\nQuadruped rock back | 2x15 | 97110 | 3\n"
     "Bridges B | 3x12 | 97110 | 3", [("97110", 14, None)]),
    # each code with its own "(units) - minutes" is no list closed by a total
    ("Billing: 97112 (2) - 26 min; 97110 (1) - 12 min", [("97112", 26, 2), ("97110", 12, 1)]),
    ("97112 (2), 97110 (1) - 45 min", [("97112", None, 2), ("97110", None, 1)]),
    # a dot-leader row's minutes keyed after its units
    ("97110 Ther ex ........ 2 units ...... min: 10\n97530 Ther activity .. 1 unit ....... min: 25",
     [("97110", 10, 2), ("97530", 25, 1)]),
    # names joined by "+" before the line's sum; feet joined by "+" are no minutes
    ("Time: NMR 28 + TE 12 = 40 min, 3 units", [("97112", 28, None), ("97110", 12, None)]),
    ("Gait 150 + 150 ft w/ RW. NMR 20 min", [("97112", 20, None)]),
    # a bracketed total adding up the names' numbers, or a dash before the codes, ends the last name's minutes
    ("Time: NMR 32 / TE 14 (46 min) — 97112 x2, 97110 x1", [("97112", 32, 2), ("97110", 14, 1)]),
    ("Time: NMR 32 / TE 14 — 97112 x2, 97110 x1", [("97112", 32, 2), ("97110", 14, 1)]),
    # a line labelled as time after the plan is today's bill
    ("Plan/next visit: progress to foam EC w/ CGA\nTime: NMR 26 / TE 0 / Gait 0 — 26 min, 2 units", [("97112", 26, 2)]),
    ("Plan/next visit: cont 2x/wk x 6 wks, add dim light\nTime: re-eval 97164; NMR 25 min (2)",
     [("97164", None, None), ("97112", 25, 2)]),
    # a run of codes or names closing a lowercase note needs no comma before it
    ("r ankle sprain 6 wks, edema min lat mall, decr proprioception r ankle, tx baps lvl 3 cw/ccw 2x1 min, sls on airex "
     "3x20s w ball toss vc for ankle strat vs hip, tb ankle 4 way green 2x15, calf raises 3x12 sl, stg sls R 30s 3 wks "
     "97112 15 97110 10", [("97112", 15, None), ("97110", 10, None)]),
    ("lbp chronic 2 yrs worse sitting at desk, poor lumbopelvic control, tra activation hooklying w pressure biofeedback "
     "cuff 10x10s, tc at asis & vc draw in, dead bug 2x8 ea, bird dog w mirror 2x8, prone press ups x10, stm R "
     "paraspinals 8 min, ltg sit 60 min at desk w/o incr sx nmr 23 te 10 mt 8",
     [("97112", 23, None), ("97110", 10, None), ("97140", 8, None)]),
])
def test_lines_of_codes_with_bare_minutes_and_a_total_after_an_equals_sign(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a visit's length, feet walked, a modality's minutes, rests and counts are no activity's or service's minutes
    ("Pt participated in 45 min of skilled PT focusing on balance, gait and transfers. Billed 97112 x1, 97116 x1, 97530 x1.",
     [("97112", None, 1), ("97116", None, 1), ("97530", None, 1)]),
    ("We spent 25 min on balance; the last 10 min of balance work were on foam with eyes closed. Billed 97112 x2.",
     [("97112", 25, 2)]),
    ("Pt ambulated w/ RW 75' to therapy gym for standing balance. Static standing balance at counter. Billed 97112 x2.",
     [("97112", None, 2)]),
    ("Hot pack to low back 10 min. Ther ex: bridges, clams, SLR. Billed 97010, 97110 x2", [("97110", None, 2), ("97010", None, None)]),
    ("Balance work at the counter, tandem and SLS with CGA. Pt needed 3 min seated rest between trials. Billed 97112 x1.",
     [("97112", None, 1)]),
    ("Gait 75' x2, 150' x1 with RW, CGA. 97116 x1", [("97116", None, 1)]),
    ("Gait: 150, RW, min A x1, w/c follow\n97116 x1", [("97116", None, 1)]),
    ("Ther ex: 20 bridges, 20 clamshells ea side, 10 SLR, 15 min total", [("97110", 15, None)]),
    ("Ther act 97530: sit to stand 5 + 5 = 10 reps from mat, 15 min", [("97530", 15, None)]),
    ("Manual therapy 97140 (12 min): held sustained ischemic pressure to R UT, 90 sec x3.\nTher ex 97110 (15 min): rows.",
     [("97140", 12, None), ("97110", 15, None)]),
    ("s: hip pain 4/10\no: mmt hip abd 4-/5, ta: 4/5, gastroc 4/5. ttp r gt - mod\nther ex 97110 x2 25 min: clams, bridges",
     [("97110", 25, 2)]),
    # a plan listing what each visit will include is not billed today; a bare billing line after the plan is
    ("O: Ther ex 97110 25 min - bridges.\nP: Continue POC. Each visit to include:\nNMR 15 min - SLS on foam, tandem\n"
     "Gait training 10 min - SPC on stairs", [("97110", 25, None)]),
    ("A: High fall risk.\nP: re-offer perturbations nxt visit.\nNMR 23 min", [("97112", 23, None)]),
])
def test_readings_a_review_of_this_stop_found_wrong(text, expected):
    assert billed(text) == expected


def test_an_assessment_line_repeating_a_blocks_minutes_is_not_a_second_sitting():
    text = ("O:\nNMR 97112 23 min - tandem on foam, SLS, perturbations with CGA.\nTher ex 97110 10 min - bridges, clams, SAQ.\n"
            "A:\nNMR 23 min: pt demonstrated improved stability with tandem on foam, fewer LOB.")
    assert sorted(billed(text)) == [("97110", 10, None), ("97112", 23, None)]


def test_visit_clock_times_do_not_fill_a_timed_code_beside_an_untimed_one():
    result = review("In: 1:00 Out: 1:45\nE-stim unattended 15 min to L quad (G0283). Ther ex 97110: quad sets, SAQ.")
    assert result.allocation.timed_minutes_total is None


@pytest.mark.parametrize("text,expected", [
    ("Tandem walk on beam.\n97112 x2 (27 min) 97110 x1 (10 min)", [("97112", 27, 2), ("97110", 10, 1)]),
    ("Prone on swing.\nUnits: 97530-1 (12 min) 97533-2 (30 min)", [("97530", 12, 1), ("97533", 30, 2)]),
    ("Stepping stones 2 passes.\nNMR 15 / TA 23", [("97112", 15, None), ("97530", 23, None)]),
    ("Rx: 97140 x15 - mobs C4-6 gr II-III. NMR 97112 x10 - DNF holds 10x10s.", [("97140", 15, None), ("97112", 10, None)]),
    ("A: good.\nMinutes: NMR (sitting bal) 25; ther act (transfers) 20", [("97112", 25, None), ("97530", 20, None)]),
    ("Gait (15')\n- step-to w/ RW\n\nMin: NMR 20 / gait 15 / ther act 15 = 50 indiv",
     [("97112", 20, None), ("97116", 15, None), ("97530", 15, None)]),
    ("Billing (day)\n- 97535 ADL: 25 min (2u)\n- 97112 NMR: 15 min AM + 23 min PM = 38 min (3u)",
     [("97535", 25, 2), ("97112", 38, 3)]),
    ("Tx:\n0900-0930 Gait\n- amb 120 ft\n0930-0950 NMR\n- standing balance", [("97116", 30, None), ("97112", 20, None)]),
])
def test_billing_lines_of_this_round_of_writers(text, expected):
    assert billed(text) == expected


def test_a_plan_of_care_naming_codes_and_a_session_length_bills_nothing_today():
    text = ("Plan: 1x/wk aquatic 97113 + 97112, 45 min, 12 wks.\n"
            "Billing: 97162 eval; 97113 x 1 (15 min)")
    assert billed(text) == [("97162", None, None), ("97113", 15, 1)]
    # a unit count after the code on a plan line is the bill
    assert ("97112", None, 1) in billed("Plan: continue 1-2x/wk x 4 more wks. Re-eval 97164, 97112 x1.")


def test_a_bracketed_name_of_the_previous_code_keeps_its_minutes():
    text = "NMR/sEMG biofeedback 20 min (97112): masseter downtraining, pt got <3 uV after ~5 min."
    assert billed(text) == [("97112", 20, None)]


@pytest.mark.parametrize("text,expected", [
    ("97530 Therapeutic Activities   14 min   1 unit\n97535 Self Care/Home Mgmt            ___\n"
     "97112 NMR              8 min   1u\n97110 Ther Ex       ___      [ ]", [("97530", 14, 1), ("97112", 8, 1)]),
    ("NMR 97112 [x] 15 min   TE 97110 [ ] __   Gait 97116 [x] 10 min", [("97112", 15, None), ("97116", 10, None)]),
    ("PELVIC PT DAILY NOTE\n[x] 97112 NMR ___25___ min\n[ ] 97110 Ther Ex ______ min\n[x] 97140 Manual ___10___ min",
     [("97112", 25, None), ("97140", 10, None)]),
    ("Service           | Code  | Min | Units\nNeuromuscular re-ed | 97112 | 28  | 2\n"
     "Ther activities   | 97530 | --  |\nManual            | 97140 | --  |", [("97112", 28, 2)]),
])
def test_template_blanks_and_empty_boxes_are_services_not_given(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Billing/Time:\n- AM: 97112 x 30 min (0900-0930)\n- PM: 97112 x 25 min (1330-1355)\n- 97112 total 55 min = 4 units",
     [("97112", 55, 4)]),
    ("CPT | Desc | AM min | PM min | Units\n97116 | Gait | 20 | — | 1\n97112 | NMR | 30 | 25 | 4\n97110 | TE | — | 10 | 1",
     [("97116", 20, 1), ("97112", 55, 4), ("97110", 10, 1)]),
    ("AM: sitting balance. NMR 97112 12 min, rest = ther act.\nPM: standing balance. NMR 97112 10 min.\n"
     "Totals: 97112 22 min (2u), 97530 16 min (1u)", [("97112", 22, 2), ("97530", 16, 1)]),
    ("CPT | Desc | Min | Units\n97112 | NMR | 25 | 2\n97116 | Gait | — | —", [("97112", 25, 2)]),
    ("Ther ex 15 min.\n97112 - not today, too early for rhythmic stab per protocol.", [("97110", 15, None)]),
    ("Billing:\n97530 - 18 min - 1u\n97112 - (held)", [("97530", 18, 1)]),
    ("Billing: TE 97110 x1 - 14 min. NMR not billed (held)", [("97110", 14, 1)]),
    ("97110 x 35 min (2u), 97112 not billed today.", [("97110", 35, 2)]),
    ("POC 2x/wk x 6 wks: ther ex, NMR (BAPS, SLS progressions), manual.\nTE 97110 x 20 min", [("97110", 20, None)]),
    # an empty box opening the line before the name, a dash after a bracketed code, an em dash before "not today"
    ("NMR 97112 24 min: SLS on foam\n[ ] Ther ex 97110\n[x] Ther act 97530 10 min\n[ ] Gait 97116",
     [("97112", 24, None), ("97530", 10, None)]),
    ("NMR (97112) 26 min: SLS on foam\n[ ] Ther ex (97110) —\n[ ] Gait (97116) —", [("97112", 26, None)]),
    ("Today's charges:\n97110 ther ex 26 min 2u\n97112 NMR 22 min 1u\n97140 — not today",
     [("97110", 26, 2), ("97112", 22, 1)]),
    ("Service\tMin\tUnits\nGait training (97116)\t0 min\t—\nNMR (97112)\t38 min\t3", [("97112", 38, 3)]),
    # a service named after "held" with no time of its own; an earlier visit's charges copied forward
    ("Ther ex 97110 18 min (1u).\nPer protocol held NMR 97112 and gait today, SBP 178.", [("97110", 18, 1)]),
    ("Charges (prior visit, copied): 97110 x2 / 97112 x1 / 97140 x1\nToday's charges:\n97110 ther ex 26 min 2u\n"
     "97112 NMR 22 min 1u\n97140 — not today", [("97110", 26, 2), ("97112", 22, 1)]),
])
def test_sittings_totals_and_services_not_given(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("pt says feels steadier in kitchen, stg berg 48/56 3 wks ltg amb 500 ft w spc mod i plan add dual task nxt visit, "
     "97112 30 97116 10", [("97112", 30, None), ("97116", 10, None)]),
    ("acl recon 14 wks, sl hops 3x10 soft landing vc knee over toe, y balance ant reach l 58cm r 66cm, "
     "stg l ant reach w/in 4cm of r 4 wks plan start agility ladder next wk, nmr x25 ther ex x15",
     [("97112", 25, None), ("97110", 15, None)]),
    ("pt did buttons w min a and vc for sequence, ltg ue dressing mod i 8 wks, nmr 25 / ther act 15 3u total",
     [("97112", 25, None), ("97530", 15, None)]),
    ("pt did sls on foam w cga and step strat drills, stg step length 20in w/o cues 3/3 trials, 97112 33 2u, "
     "te 7 min nustep not billed", [("97112", 33, 2), ("97110", 7, 0)]),
    ("pt did tandem on foam and sls w vc, plan add curb negotiation + perts in walking nxt, nmr 30 2u gait 10 1u",
     [("97112", 30, 2), ("97116", 10, 1)]),
])
def test_the_bill_closing_a_run_on_line(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Plan/next visit: progress to tandem EC on foam, add head turns\nTime: NMR 28 / TE 12 = 40 min, 3 units",
     [("97112", 28, None), ("97110", 12, None)]),
    ("Plan/next visit: add dual task\nTime: NMR 23 min / 2 units", [("97112", 23, 2)]),
])
def test_a_time_line_after_the_plan_bills_today(text, expected):
    assert billed(text) == expected


def test_labelled_blocks_of_one_code_in_two_sessions_add_up():
    text = ("Session 1 (0800-0900, 60 min)\nADL: 97535 - 35 min\n- UB bathing seated in w/c at sink, min A for back\n"
            "NMR: 97112 - 25 min\n- sitting balance EOB reaching outside BOS to cones, CGA\n"
            "Session 2 (1400-1430, 30 min)\nADL: 97535 - 30 min\n- LB dressing seated w/ reacher, min A threading pants")
    assert billed(text) == [("97535", 65, None), ("97112", 25, None)]


def test_bracketed_minutes_of_a_code_heading_its_bullets():
    text = "- ADL 97535 (30): grooming standing at sink\n- NMR 97112 (30):\n   - tandem stance at counter, CGA"
    assert ("97112", 30, None) in billed(text)


@pytest.mark.parametrize("text,expected", [
    # a recap in the billing repeats the sittings written above it
    ("AM session: 97112 NMR 0910-0922 (12 min): Frenkel ex supine and seated, VC for slow movement.\n"
     "PM session: 97112 NMR 1415-1425 (10 min): tandem stance in // bars 3x15 s, toe taps w/ CGA.\n"
     "Billing:\nAM: 97112 12 min\nPM: 97112 10 min", [("97112", 22, None)]),
    # a visit total before the codes of a 'Totals:' line is no code's minutes
    ("97112 NMR 25 min: tandem stance on foam 3x30s, SLS 3x10s, CGA.\n97110 TE 13 min: bridges 2x10.\n"
     "Totals: 38 min - 97112 x2, 97110 x1", [("97112", 25, 2), ("97110", 13, 1)]),
    ("AM: NMR 20 min - weight shifting in parallel bars, tandem stance with CGA.\n"
     "PM: NMR 15 min - perturbations in standing, stepping strategy practice.\nTotals: 97112 30 min (2u)",
     [("97112", 30, 2)]),
    # a plan's frequency in an earlier clause leaves today's time line billed
    ("O: VOR x1 3x60s, tandem on foam 3x30s.\nP: Cont POC 2x/wk. Time: 97112 25 min / 97110 10 min",
     [("97112", 25, None), ("97110", 10, None)]),
    # test scores, feet and muscle grades are no services
    ("O: Tinetti 18/28 - balance 10, gait 8\nNMR 97112 25 min: tandem stance on foam 3x30s, CGA.", [("97112", 25, None)]),
    ("O: MMT L: hip flex 4, quad 4, hams 4-, TA 2\nNMR 25 min: tandem stance on foam 3x30s, CGA.", [("97112", 25, None)]),
    # in a lowercase note, codes closing a plan or a history line are not today's bill
    ("s: pt reports knee feels stiff\no: nmr 25 tandem on foam 3x30s cga, te 10 bike lvl 2\na: improving static bal\n"
     "p: 1x/wk x 6 wks 97112 30 97116 15", [("97112", 25, None), ("97110", 10, None)]),
    # a line underlined for writing with its minutes below is filled in
    ("Treatment provided:\n97112 Neuromuscular re-ed ____________\n   Tandem stance on foam 3x30s. Minutes: 25",
     [("97112", 25, None)]),
])
def test_readings_the_review_of_this_stop_found_wrong(text, expected):
    assert billed(text) == expected



@pytest.mark.parametrize("text,expected,timed", [
    # a code's own "(minutes, units)" after its count is no line total
    ("Billing: 97112 x2 (25 min, 2 units), 97110 x1 (10 min, 1 unit)", [("97112", 25, 2), ("97110", 10, 1)], 35),
    # a trailing pipe or a comment cell after the minutes column keeps the header's column
    ("Code | Service | Min\n97112 | NMR | 25 |\n97110 | Ther ex | 12 |", [("97112", 25, None), ("97110", 12, None)], 37),
    ("Code | Service | Min\n97112 | NMR | 25 | tandem, SLS foam\n97110 | Ther ex | 12 | bridges",
     [("97112", 25, None), ("97110", 12, None)], 37),
    # a test's result, a goal and what the patient did at home are no activity's minutes
    ("O: Static sitting balance: 3 min without UE support before LOB.\nTx: NMR - weight shifts, perturbations.\n"
     "Billed 97112 x2", [("97112", None, 2)], None),
    ("Tx: NMR - tandem, SLS on foam.\nSTG (2 wks): standing balance 5 min at sink for grooming; gait 10 min with RW.\n"
     "Billed 97112 x2, 97116 x1", [("97112", None, 2), ("97116", None, 1)], None),
    ("S: Pt states she was able to walk 20 min on it over the weekend.\nO: Ther ex: SLR 3x10, bridges 3x10.\n"
     "Billed: 97110 x2", [("97110", None, 2)], None),
    # tomorrow's schedule in the plan, and a range naming several activities, are no code's minutes
    ("Tx: NMR - tandem, SLS on foam; CGA.\nBilled 97112 x2\nP: Continue POC. Tomorrow:\n0900-0930 balance\n1300-1330 gait",
     [("97112", None, 2)], None),
    # a timed test is no stated timed total; rest and a hot pack after a "+" are not the service's minutes
    ("Objective:\nTimed 25-Foot Walk: 8.4 s, 8.1 s.\nTx: NMR - tandem walking, SLS on foam.\nBilled: 97112 x2",
     [("97112", None, 2)], None),
    ("Ther ex 97110: 20 min + 10 min MHP to L knee 97010\nNMR 97112: 15 min",
     [("97110", 20, None), ("97010", 10, None), ("97112", 15, None)], 35),
    ("Gait 97116 x1 12 min + 5 min seated rest\nNMR 97112 x2 25 min", [("97116", 12, 1), ("97112", 25, 2)], 37),
    # "x" before the minutes is a count, not an exercise between the code and its minutes
    ("Tx:\n1000-1045 pt participated in 97110 ther ex x 20 min and 97112 NMR x 25 min",
     [("97110", 20, None), ("97112", 25, None)], 45),
    # a lowercase plan line adding a service is not today's bill
    ("s: pt reports less dizziness\no: vor x1 2x60s, habituation, tandem walking. pt tol well\na: improving gaze stability\n"
     "p: cont poc, next visit add 97530 20 1u", [], None),
])
def test_readings_a_review_of_this_stop_found_wrong(text, expected, timed):
    result = review(text)
    assert [(s.code, s.minutes, s.units_billed) for s in result.services] == expected
    assert result.allocation.timed_minutes_total == timed


def test_a_table_row_that_says_it_was_not_done_is_not_billed_whatever_its_minutes():
    text = "Code | Service | Comment | Min\n97112 | NMR | tandem, SLS foam | 25\n97140 | Manual | not performed today | 8"
    assert billed(text) == [("97112", 25, None)]


WEEKLY_SUMMARY = (
    "PT WEEKLY SUMMARY   Med A   wk 2 (11/10-11/14)\n"
    "Minutes     Mon  Tue  Wed  Thu  Fri | wk\n"
    "97110        18   15   20   16   15 |  84\n"
    "97112        22   25   --   23   24 |  94\n"
    "tot          40   40   20   39   39 | 178\n"
    "Skilled need: impaired dynamic standing balance. NMR this wk focused on wt shifting over R LE in // bars.\n"
    "Goals by 11/28:\n1) Res will amb 150 ft RW SBA to reach dining rm\n2) Berg >= 36/56\n"
    "Today 11/14: 97112 24 min: wt shift on foam in // bars 3x1 min, VC to widen BOS. 97110 15 min: LAQ 2# 2x12.\n"
)


def test_a_weekly_summary_bills_only_todays_note():
    found = review(WEEKLY_SUMMARY)
    assert sorted((s.code, s.minutes) for s in found.services) == [("97110", 15), ("97112", 24)]
    assert found.allocation.timed_minutes_total == 39
    assert [m.text for m in found.entities if m.type == "goal"] == [
        "Res will amb 150 ft RW SBA to reach dining rm", "Berg >= 36/56"]


def test_a_days_line_above_todays_note_is_past():
    text = ("PT WEEKLY PROGRESS - PART B - 2/9-2/13\nTue 2/10: 97112 24' 2u, 97116 10' 1u\n"
            "Today 2/13: session cut short. 97112 8 min 1u: EC stance firm 3x15 s CGA.")
    assert billed(text) == [("97112", 8, 1)]


def test_work_hardening_hours_stay_out_of_the_timed_total():
    found = review("97545 work hardening 2 hrs, 97546 x1 hr. NMR 97112 x 35 min (2u): ladder sim w/ perturbations, CGA.")
    assert found.allocation.timed_minutes_total == 35 and found.allocation.units_allowed_cms == 2


def test_what_a_weekly_summary_says_above_todays_note_is_the_week():
    by_date = ("PT Weekly Progress - Med B\nVisits    12/2(T)   12/4(Th)   12/5(F)\n95992       x1        x1         --\n"
               "97112     15/1u     14/1u      13/1u\n97110     10/1u      --         --\n"
               "Today 12/5: 97112 13 min x1u: VOR x1 seated 3x30 s, CGA.")
    assert billed(by_date) == [("97112", 13, 1)]
    codes_of_the_week = ("OT weekly - Part A - 10/20-10/24\ncodes: 97535 / 97530 indiv, 97530 conc, 97150 grp\n"
                         "Today 10/24: 97535 22 min indiv: self-feeding at lunch, VCs.")
    assert billed(codes_of_the_week) == [("97535", 22, None)]
    # a daily note in a numbered week is no weekly summary: its billing above "Today:" is today's
    daily = "Daily note - wk 4 post-op\n97112 x2 (25 min)\nToday: SLS on foam 3x30 s w/ VC."
    assert billed(daily) == [("97112", 25, 2)]


def test_a_note_without_charges_bills_none_of_the_services_it_names():
    text = ("PT note - session not completed. Scheduled for balance/gait trng (NMR + gait).\n"
            "Resting HR 118 irregular, BP 92/60. Held all exercise per protocol.\nNo PT charges.")
    found = review(text)
    assert found.services == () and not found.claims_97112


def test_an_addendum_correcting_the_bill_replaces_what_the_note_said():
    text = ("97110 Ther ex x 15 min: NuStep L3 x 8 min, LAQ 2# 2x15 B\n"
            "97112 Neuro re-ed x 32 min / 3 units: heel raises at rail 3x10, step ups 4\" 2x10. No LOB.\n"
            "__________ PT\n\nADDENDUM 2/7 0815: 97112 minutes above entered in error. "
            "Should read 97112 x 23 min / 2 units. Total timed 38 min / 3 units. __________ PT")
    assert billed(text) == [("97110", 15, None), ("97112", 23, 2)]


def test_a_code_removed_from_the_claim_is_no_service():
    text = ("Neuro re-ed 97112 x 25 min: side-lying hip abd 2x12, bridges 3x10, clamshells 2x15.\n"
            "Gait 97116 x 13 min: amb 200 ft w/ RW SBA.\n\nCORRECTION 3/3: exercises under 97112 above are "
            "strengthening. Corrected charges: 97110 x 25 min / 2 units, 97116 x 13 min / 1 unit. 97112 removed from claim.")
    found = review(text)
    assert sorted((s.code, s.minutes, s.units_billed) for s in found.services) == [("97110", 25, 2), ("97116", 13, 1)]
    assert not found.claims_97112


def test_a_printed_form_reads_its_fields_for_each_service():
    text = ("Treatment Performed\nNeuromuscular Re-education Performed: No - held 2/2 orthostatic hypotension\n"
            "Therapeutic Activity Performed: Yes\n  Bed mobility: rolling R/L w/ rail, Min A\n"
            "Gait Training Performed: No\nTherapeutic Exercise: --\n"
            "Time Calculation\nSelf Care/Home Mgmt Minutes: 12\nTher Act Minutes: 28\nNeuro Re-Ed Minutes: 0\n"
            "Total Timed Minutes: 40\nUnits: 3\n")
    found = review(text)
    assert [(s.code, s.minutes) for s in found.services] == [("97530", 28), ("97535", 12)]
    assert not found.claims_97112
    two_sittings = "Neuro Re-Ed Minutes: AM 25 / PM 25\nTher Ex Minutes: AM 15\nTotal Timed Minutes: 65\n"
    assert billed(two_sittings) == [("97112", 50, None), ("97110", 15, None)]
    self_care = "Self Care/ADL Training: Yes\n  LB dressing: Min A w/ reacher\nSelf Care Minutes: 38\n"
    assert billed(self_care) == [("97535", 38, None)]


@pytest.mark.parametrize("text", [
    "Neuromuscular Re-education Performed: Yes\n  Balance: static standing, no LOB.\nNeuro Re-Ed Minutes: 23\n",
    "NMR: no LOB on foam today, tandem 3x30s.\nNMR 97112 23 min\n",
])
def test_a_yes_or_a_sentence_after_the_field_keeps_the_service(text):
    assert billed(text) == [("97112", 23, None)]


def test_an_exercise_dose_on_a_service_line_is_no_sitting_of_its_own():
    text = ("NMR - seated reach outside BOS R/L 2x10 - VC big / standing wt shift A/P in // bars 2x1min - CGA\n"
            "97112 23min 2u\n")
    assert billed(text) == [("97112", 23, 2)]
    rest = "NMR - VOR x1 yaw seated 2x30s -> HA 5/10 - stopped, 2 min rest, 1x30s tol\n97112-1u-18min\n"
    assert billed(rest) == [("97112", 18, 1)]
    two_blocks = ("97112 x 25 min (2u): stepping strategy trng w/ perturbations at pelvis.\n"
                  "97112 x 15 min (1u): large amplitude B UE reaching.\n")
    assert billed(two_blocks) == [("97112", 40, 3)]


def test_sittings_in_one_paragraph_add_whatever_the_paragraph_says_elsewhere():
    text = ("INPT REHAB PT. AM SESSION NMR 97112 X 25 MIN: SITTING BAL EOB W/ LATERAL REACH, PUSHER TENDENCY NOT "
            "PRESENT. PM SESSION NMR 97112 X 20 MIN: TM WALKING W/ 30% BWS. GAIT 97116 X 15 MIN: AMB 40 FT.\n")
    assert billed(text) == [("97112", 45, None), ("97116", 15, None)]


def test_a_clinical_instructors_note_corrects_the_students_bill():
    text = ("Neuromuscular re-education (97112): perturbations 3x10 w/ CGA, tandem on foam.\n"
            "Gait (97116): gait training w/ SPC 150 ft x 3.\nBilling: 97112 x 26 min (2 units); 97116 x 12 min (1 unit).\n"
            "CI note: 97112 min corrected to 23 (3 min seated rest between sets not billable).\n")
    found = review(text)
    assert [(s.code, s.minutes) for s in found.services] == [("97112", 23), ("97116", 12)]
    assert found.allocation.timed_minutes_total == 35
    units = "Self-care (97535), 18 min: grooming.\nBilling: 97535 x 18 min (2 units).\nCI note: 97535 corrected to 1 unit."
    assert billed(units) == [("97535", 18, 1)]


@pytest.mark.parametrize("edit,expected", [
    ("ADDENDUM (late entry) 2/22: Correction to note of 2/20: 97112 time was 18 minutes, not 28 minutes.",
     [("97112", 18, 2), ("97110", 10, 1)]),
    ("CI correction: NMR time was 20 min (first 10 min was hot pack set-up). Billing corrected to 97112 x1, 97110 x1.",
     [("97112", 20, 1), ("97110", 10, 1)]),
])
def test_a_correction_saying_what_the_time_was_replaces_it(edit, expected):
    text = ("NMR 97112 28 min: SLS R on firm and foam, ball toss in tandem, VC for R knee flexion, min A.\n"
            "TherEx 97110 10 min: bike.\nBilled: 97112 x2, 97110 x1.\n-- A. Patel, SPT\n" + edit + "\n")
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("NMR x 23 min: large amplitude reaching at counter w/ vc.\nADL x 15 min: grooming at sink standing, CGA\n",
     [("97112", 23, None), ("97535", 15, None)]),
    ("- NMR 25 min: wt shifts in stance\n- ADL - 15 min\n", [("97112", 25, None), ("97535", 15, None)]),
    ("NMR 97112 25 min: tandem on foam. Pt indep w/ ADL at home, ADL retraining per OT.\n", [("97112", 25, None)]),
])
def test_adl_names_self_care_only_with_its_minutes(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("0710-0733 BAPS lvl 3 CW/CCW 2x20; SLS R on airex EO 3x30s\nBilling -- MT 8, NMR 23, TE 10\n",
     [("97140", 8, None), ("97112", 23, None), ("97110", 10, None)]),
    ("1003-1015 wrist JPS w/ feedback\n97010 x1, 97140 10, 97110 15, 97112 12\n",
     [("97010", None, 1), ("97140", 10, None), ("97110", 15, None), ("97112", 12, None)]),
    ("0840-0850 sit<>stand from bed x5, RW, CGA\nther act 18, gait 15, TE 7\n",
     [("97530", 18, None), ("97116", 15, None), ("97110", 7, None)]),
    ("13:05-13:25 [97112] standing balance on force plate\n13:25-13:30 seated rest\n"
     "13:30-13:40 [97112] manual perturbations in stance\n13:40-13:55 [97116] BWSTT\n", [("97112", 30, None), ("97116", 15, None)]),
    ("SLS on foam 3x30s.\nBilling\nNMR: 25\nther act: 15\nTotal 40 min\n", [("97112", 25, None), ("97530", 15, None)]),
])
def test_a_time_logs_billing_lines(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("| 97140 | STM L paraspinals | 10 min |\n| 97112 | TrA activation w/ biofeedback 10 x 10 s; bird dog w/ TC 2 x 8 | 20 min |\n",
     [("97140", 10, None), ("97112", 20, None)]),
    ("<table><tr><td>97112</td><td>TrA activation; quadruped bird dog w/ TC 2 x 8</td><td>20 min</td></tr></table>",
     [("97112", 20, None)]),
    ("Goals\nLTG amb 300' w/ RW SBA\n1005-1030 NMR: turning practice around cones w/ VC, step strategy training.\n"
     "1030-1048 Gait: amb RW 2 x 300', CGA.\n97112 x2, 97116 x1.\n", [("97112", 25, 2), ("97116", 18, 1)]),
    ("[X] Self-care/ADL\nADL Minutes: 20\nNeuro Re-Ed Minutes: 25\nTotal Timed Minutes: 45\n", [("97535", 20, None), ("97112", 25, None)]),
])
def test_rows_logs_and_fields_that_give_a_service_its_minutes(text, expected):
    assert billed(text) == expected


def test_how_long_a_symptom_lasted_is_no_service_time():
    text = ("CANALITH REPOSITIONING (95992): R EPLEY X 2. 2ND TRIAL DIX-HALLPIKE NEG, MILD RESIDUAL DIZZINESS RESOLVED "
            "IN 5 MIN.\nNMR 97112 X 16 MIN: VOR X1 SEATED 2 X 30 S.\n")
    assert [(code, minutes) for code, minutes, _ in billed(text)] == [("95992", None), ("97112", 16)]


def test_a_code_recoded_in_a_correction_keeps_its_minutes_under_the_new_code():
    text = ("Ther ex and NMR today.\nSLS on foam 3x30s with CGA, VC for hip strategy. Step-ups onto 6 in box 2x10.\n"
            "97110 x 12 min, 97112 x 25 min.\nCorrection (11/20): 97110 should be 97530.\n")
    assert billed(text) == [("97530", 12, None), ("97112", 25, None)]
    another_note = text.replace("Correction (11/20): 97110", "Correction: in the 11/13 note 97110")
    assert ("97110", 12, None) in billed(another_note)
    no_edit = text.replace("Correction (11/20): ", "Next visit ")
    assert billed(no_edit) == [("97110", 12, None), ("97112", 25, None)]


def test_a_count_after_an_untimed_manoeuvre_is_no_minutes():
    text = "CRP 95992: Epley x2, BBQ roll x10\nNMR 97112 x 20 min: VOR x1 2x1 min, tandem on foam with VC.\n"
    assert [(code, minutes) for code, minutes, _ in billed(text)] == [("95992", None), ("97112", 20)]
    assert review(text).allocation.timed_minutes_total == 20


def test_units_billed_in_a_sentence_of_their_own_go_to_the_only_timed_service():
    text = ("NMR 97112 38 min: stepping stones w/ 180 deg turns, SLS 10 s holds while stacking cups.\n"
            "Billed 3 units.\nSTG (6 wks): SLS >=10 s B")
    assert billed(text) == [("97112", 38, 3)]
    two_services = "NMR 97112 25 min: SLS on foam.\nTE 97110 12 min: bridges.\nBilled 3 units."
    assert [units for _, _, units in billed(two_services)] == [None, None]


def test_a_trigger_before_a_comma_speaks_of_what_came_before_it():
    text = ("hs soccer mid, concussion 4 wk, bess 18 errors was 27 at eval, nmr 25 vor x2 standing 4x30s sx +1, "
            "cutting drills w head turns 3x4, te 10 bike 10 min hr 140")
    assert billed(text) == [("97112", 25, None), ("97110", 10, None)]


@pytest.mark.parametrize("line,minutes", [
    ("1425-1440 Gait training: 100' x2 in parallel bars w/ bilat KAFOs, mod A.", 15),
    ("1425-1440 Gait training: 200' x2 w/ RW, VC for step length.", 15),
    ("Gait training 97116: 150 m x2 w/ RW, VC for step length.", None),
])
def test_services_distance_walked_so_many_times_is_no_minutes(line, minutes):
    # "100' x2" is feet walked twice: read as minutes and units it would be 100 minutes for 2 units
    text = "NMR 97112 25 min: tandem stance on foam EC, CGA, TC at hips.\n" + line + "\n"
    assert [(code, m) for code, m, _ in billed(text)] == [("97112", 25), ("97116", minutes)]


@pytest.mark.parametrize("text,expected", [
    ("NMR 23' x2: tandem stance on foam EC with TC at pelvis.\n", ("97112", 23, 2)),
    ("97112 NMR 38' x2: tandem stance on foam EC with TC at pelvis.\n", ("97112", 38, 2)),
    ("97112 30m x1: tandem stance on foam EC with TC at pelvis.\n", ("97112", 30, 1)),
])
def test_services_minutes_then_units_still_read(text, expected):
    # fewer units than the minutes allow is billing's business, not a distance
    assert billed(text) == [expected]


@pytest.mark.parametrize("line", [
    "97112 NMR 25 min 2 units, TUG time: 14",
    "97112 (2 units) 25 min - 5xSTS time: 18, Berg 42",
    "97112 x2 units, 25 min, Duration: 6 weeks",
    "97112 NMR 25 min 2 units - min 3 LOB on foam, min 1 LOB on floor",
    "97112 NMR 25 min, 2 units, pt on Unit: 4",
])
def test_services_fields_only_right_after_the_code(line):
    # a test's time or a ward's unit later on the line is no field of the code's
    assert billed("SLS on foam EO/EC 4 x 30 s, VC for hip strategy.\n" + line + "\n") == [("97112", 25, 2)]


@pytest.mark.parametrize("heading,minutes", [
    ("Neuromuscular re-education 97112 x 25 minutes total, including 10 minutes of seated rest:", 15),
    ("NMR 97112 30 min (10 min of this was seated rest):", 20),
    ("NMR 97112 30 min, less 10 min rest = 20 min treatment:", 20),
    ("NMR 97112 30 min with 1 min rest between sets:", 30),
])
def test_rest_inside_a_services_minutes_is_no_treatment_time(heading, minutes):
    # rest periods are not treatment time [BPM 220.3]; a rest between sets is part of the exercise's dose
    text = heading + " static standing on foam EO/EC, tandem stance at counter, CGA w/ VC.\nBilled 97112 x2.\n"
    assert billed(text) == [("97112", minutes, 2)]


@pytest.mark.parametrize("line,code,name,timed", [
    ("97533 sensory integration 30 min: platform swing, 2 units.", "97533", "sensory integrative techniques", True),
    ("97537 community reintegration 25 min: bus route practice.", "97537", "community/work reintegration training", True),
    ("97169 athletic training eval, low complexity.", "97169", "athletic training evaluation, low complexity", False),
])
def test_services_codes_are_named(line, code, name, timed):
    found = service(line + "\nNMR 97112 15 min: SLS on foam, TC at pelvis.\n", code)
    assert (found.name, found.timed) == (name, timed)


@pytest.mark.parametrize("text,expected,negated", [
    ("NMR 97112 ~~30 min~~ 23 min x2: wt shifting at counter, TC at hip.\n", [("97112", 23, 2)], []),
    ("NMR 97112 <del>30</del> 23 min x2: wt shifting at counter, TC at hip.\n", [("97112", 23, 2)], []),
    ("NMR 97112 23 min x2: wt shifting at counter, ~~perturbations~~ [deleted: pt fatigued], TC at hip.\n",
     [("97112", 23, 2)], ["perturbations"]),
])
def test_struck_through_text_is_not_what_the_note_says(text, expected, negated):
    # a note's tracked edits: struck figures are replaced, a struck technique was not done
    found = review(text)
    assert [(s.code, s.minutes, s.units_billed) for s in found.services] == expected
    assert [m.text for m in found.entities if m.type == "technique" and m.negated] == negated

@pytest.mark.parametrize("text,expected", [
    # one block of time for two timed codes: neither code's own minutes (the total needs each code's minutes)
    ("NMR/TE 40 min: SLS on foam, tandem, LAQ 2x10 w/ 3#", [("97112", None, None), ("97110", None, None)]),
    ("TE/NMR 45 min: bridges, SLS on foam", [("97110", None, None), ("97112", None, None)]),
    ("Ther ex/NMR x 40 min: bridges, SLS on foam", [("97110", None, None), ("97112", None, None)]),
    ("97112/97116 - total 38 min: foam stance EC, gait with head turns", [("97112", None, None), ("97116", None, None)]),
    # an untimed code beside a timed one leaves the timed one its own figures
    ("Re-eval 97164 + ther act 97530 20 min: tall kneeling, bear walks", [("97164", None, None), ("97530", 20, None)]),
    ("97164 + 97112 1u", [("97164", None, None), ("97112", None, 1)]),
    # a name glued to a shorthand's slash is no service
    ("Amb w/NMR focus 20 min on uneven ground", []),
])
def test_services_named_together_share_their_time(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a template's row left unfilled is no service
    ("97112: standing wt shifting in // bars w/ manual perturbations, TC L glute med.\n97110: ***\n\n"
     "CPT     Description   Min   Units\n97112   NMR           25    2\n97110   Ther Ex       ***   ***",
     [("97112", 25, 2)]),
    ("Ther Ex 97110: 20 min\n Recumbent bike, SAQ 2x15\nNeuromuscular Re-education 97112: *** min\n ***\n"
     "Gait 97116: 8 min\n Stair training 12 steps\n\nCharges:\n97110  x1\n97112  ___\n97116  x1",
     [("97110", 20, 1), ("97116", 8, 1)]),
    # given, its minutes left blank: no minutes read from the doses under it
    ("NMR (97112): *** min\n - gaze stabilization VOR x1 H/V, standing on firm, 1 min ea x 2\n"
     " - Romberg on foam EC 3 x 30 s w/ SBA\nUnits: 97112 x 1", [("97112", None, 1)]),
    ("97112 NMR - {minutes}\n97530 Ther act - 20", [("97112", None, None), ("97530", 20, None)]),
])
def test_template_placeholders_are_no_values(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("LTG: Return to rec soccer\nCPT,Units,Minutes\n97112,2,27\n97110,1,15", [("97112", 27, 2), ("97110", 15, 1)]),
    ("P: cont balance program.\nCPT;Units;Minutes\n97112;2;32", [("97112", 32, 2)]),
    ("Goals: amb 150 ft w/ SBA\nCPT,Start,Stop,Units\n97112,1002,1025,2\n97530,1025,1040,1",
     [("97112", 23, 2), ("97530", 15, 1)]),
    ("Service,Minutes,Units\nGait training,20,1\nNeuromuscular re-ed,12,1", [("97116", 20, 1), ("97112", 12, 1)]),
    ("Session,CPT,Minutes\nAM,97112,20\nAM,97116,12\nPM,97112,8", [("97112", 28, None), ("97116", 12, None)]),
    ('Exercise,Sets,Reps,Cues,Minutes\n"SLS, foam",3,30 s,"TC, VC",8\nCPT,Units,Minutes\n97112,1,8', [("97112", 8, 1)]),
])
def test_an_exported_logs_delimited_billing_lines_give_minutes_and_units(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # prose with commas is no export: a space follows its commas
    ("CPT, units, minutes as usual. NMR 97112, 25 min, 2 units.", [("97112", 25, 2)]),
    # a prose line between ends the export: its rows no longer read the header's columns
    ("CPT,Units,Minutes\nPt tolerated well.\n97112,2,27", [("97112", None, None)]),
])
def test_commas_in_prose_make_no_export(text, expected):
    assert billed(text) == expected


def test_two_rows_of_one_code_take_units_billed_apart():
    text = ("| Start | End | CPT | Intervention |\n|---|---|---|---|\n| 1300 | 1314 | 97112 | Romberg on Airex |\n"
            "| 1314 | 1322 | 97112 | stepping strategy |\n\nUnits billed: 97112 x2")
    assert billed(text) == [("97112", 22, 2)]


@pytest.mark.parametrize("text,expected", [
    # a pair in the order a heading declares
    ("Billing (min / units)\n97140 Manual 10 / 1\n97116 Gait 12 / 1", [("97140", 10, 1), ("97116", 12, 1)]),
    ("Billing (units/min)\n97112 2/25", [("97112", 25, 2)]),
    # no order declared: a pair is no reading ("25/2" could be anything)
    ("97112 NMR 25/2", [("97112", None, None)]),
    # a lowercase note's abbreviation heading its line with its minutes
    ("nmr 24: standing on foam 3x30s cga.\nte 10: calf stretch, hip abd w/ band 2x12.", [("97112", 24, None),
                                                                                      ("97110", 10, None)]),
    # the sum of a code's sittings on the billing line beats one sitting's clock time
    ("97112 0900-0915: static standing.\n97116 0915-0925: gait.\n97112: stepping.\n"
     "Billing: 97112 AM 15 + PM 12 = 27 min (2u); 97116 10 min (1u).", [("97112", 27, 2), ("97116", 10, 1)]),
    # an export's rows after the goals bill, with minutes or with units alone
    ("Goals: Pull test 2 steps\nService,Units,Minutes\nNeuromuscular re-education,2,\nTherapeutic exercise,1,10",
     [("97112", None, 2), ("97110", 10, 1)]),
])
def test_billing_written_as_pairs_sums_and_rows(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("NMR x 20-25 min: tandem stance.", [("97112", 20, None)]),  # a range after "x" reads its lower end
    ("97112 x2 - 23 min", [("97112", 23, 2)]),  # a count of units, then the minutes
    ("TE: heel slides 2x15 - 15 min", [("97110", 15, None)]),  # reps, then the minutes
    # two services sharing one block of time, each named with its code in brackets: neither owns the 40
    ("NMR (97112)/TE (97110) 40 min", [("97112", None, None), ("97110", None, None)]),
    ("NMR (97112) 25 min / TE (97110) 10 min", [("97112", 25, None), ("97110", 10, None)]),
    # the first name said in a sentence is no service, yet the time after both is still shared
    ("Pt did ther ex and NMR 38 min total", [("97112", None, None)]),
])
def test_ranges_after_x_and_bracketed_codes_sharing_time(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Minutes: NMR AM 17 / PM 15; gait AM 8\nBilling: 97112 x 2, 97116 x 1", [("97112", 32, 2), ("97116", 8, 1)]),
    ("pm standing in // bars wt shifts mod a, transfers min a, 97112 am 20 pm 15 97530 12",
     [("97112", 35, None), ("97530", 12, None)]),
    ("Neuro Re-Ed Minutes: AM 25 / PM 25 (PM held - pt at dialysis)", [("97112", 25, None)]),
    ("NMR AM 8:30 - tandem stance", [("97112", None, None)]),  # a time of day, not minutes
    ("97116 Gait 22' (1 unit): BWSTT w/ harness 1.3 mph x 12 min, VC.", [("97116", 22, 1)]),
])
def test_minutes_by_sitting_and_a_gait_headings_prime(text, expected):
    assert billed(text) == expected


def test_remote_monitoring_and_e_visits_stay_out_of_the_timed_total():
    text = ("In person: NMR 97112 25 min: tandem stance on foam, VC.\n"
            "RTM this month: 98980 - 22 min treatment management (app data reviewed, 4 video uploads).")
    found = review(text)
    assert [(s.code, s.minutes, s.timed) for s in found.services] == [("97112", 25, True), ("98980", 22, False)]
    assert found.allocation.timed_minutes_total == 25 and found.allocation.units_allowed_cms == 2


def test_french_service_names_with_their_minutes():
    text = ("Tx:\n- Thérapie manuelle 15 min: GH posterior glides grade III\n- Exercices 20 min: pulleys, ER with band\n"
            "- Neuromuscular re-education 10 min: rhythmic stabilization, perturbations by therapist")
    assert billed(text) == [("97140", 15, None), ("97110", 20, None), ("97112", 10, None)]


@pytest.mark.parametrize("text,expected", [
    # a code as dictation software or a transcriptionist writes it
    ("Billing today was neuromuscular re-education, ninety-seven one twelve, for thirty minutes, two units.",
     [("97112", 30, 2)]),
    ("billing neuro muscular re education ninety seven one one two thirty minutes two units period", [("97112", 30, 2)]),
    ("Billed 97 112 x 2 units, and 97 110 for 10 min", [("97112", None, 2), ("97110", 10, None)]),
    ("code 9-7-1-1-2 for 23 minutes", [("97112", 23, None)]),
    # a dash between a code and its bare minutes on a time line, whichever dash the keyboard made
    ("Time: 97112 — 25 | 97530 — 12 | 97110 — 8 | total 45, 3u", [("97112", 25, None), ("97530", 12, None), ("97110", 8, None)]),
    ("Time: NMR – 25 | TA – 12", [("97112", 25, None), ("97530", 12, None)]),

    # not: two numbers that happen to follow 97, a number word that is no code
    ("BP 97 112 HR 80, NMR 97112 25 min", [("97112", 25, None)]),
    ("Pt is ninety-seven, one twelve-step program graduate. TE 97110 10 min", [("97110", 10, None)]),
])
def test_a_code_said_in_words_or_spaced_digits(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # the units the line's minutes add up to, closing it, leave each name its minutes
    ("Pt tol well.\nBilling: NMR 15 / TE 15 (2u)", [("97112", 15), ("97110", 15)]),
    ("Billing: NMR 25 / TE 15 = 3 units", [("97112", 25), ("97110", 15)]),
])
def test_a_line_of_names_and_minutes_closed_by_its_units(text, expected):
    assert [(code, minutes) for code, minutes, _ in billed(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # a count in brackets closing its sentence: units when small, minutes when too large for units
    ("Billing: 97112 (2), 97110 (1).", [("97112", None, 2), ("97110", None, 1)]),
    ("2 y/o M, hypotonia. 97530 (23).\nCouch cushion mountain: walking up cushions w/ HHA", [("97530", 23, None)]),
])
def test_a_bracketed_count_closing_its_sentence(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected,timed_total", [
    # codes billed beside therapy's: read as services, so a bare number before them is the code's minutes
    ("mld l le 35 min then rewrapped. 97140 35 97112 18 29582", [("97140", 35, None), ("97112", 18, None), ("29582", None, None)], 53),
    ("Dry needling R UT (20561). 97140 10 min, 97112 15 min.", [("20561", None, None), ("97140", 10, None), ("97112", 15, None)], 25),
    ("CMT 98940 x1. NMR 97112 25 min.", [("98940", None, 1), ("97112", 25, None)], 25),
    ("Cardiac rehab 93798 45 min on tele; then 97112 14 min balance.", [("93798", 45, None), ("97112", 14, None)], 14),
    # pelvic-floor biofeedback training: whether it counts with therapy's timed codes is unverified, so it stays out
    ("sEMG biofeedback 90912 15 min, 90913 16 min. 97110 10 min.", [("90912", 15, None), ("90913", 16, None), ("97110", 10, None)], 10),
])
def test_codes_billed_beside_therapy(text, expected, timed_total):
    assert billed(text) == expected
    assert review(text).allocation.timed_minutes_total == timed_total


@pytest.mark.parametrize("text,expected", [
    # the care a sentence argues for is no service given
    ("Assessment: Skilled PT warranted for transfer training, gait training with external cueing, and staff training.\n"
     "Today: Eval 97163 + ther act 10 min (transfer training w/ rhythmic cueing).", [("97163", None, None), ("97530", 10, None)]),
    # manual lymph drainage is manual therapy
    ("Manual lymph drainage, 25 minutes: R UE and upper trunk.\nNeuromuscular re-education, 16 minutes: foam stance EC.",
     [("97140", 25, None), ("97112", 16, None)]),
])
def test_services_argued_for_and_lymph_drainage(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a remark in brackets closing a line of codes and their numbers
    ("CPT: 97112 25 | 97116 20 | 97530 15 (co-treat share)\nNMR: standing at // bars facing a tape line.",
     [("97116", 20, None), ("97530", 15, None), ("97112", 25, None)]),
    # codes and their numbers closing a line of prose
    ("Reach to L for clothespins 2x10, min A x1. 97112 20 / 97530 15.", [("97112", 20, None), ("97530", 15, None)]),
    # a heading timing the visit does not take the place of each code's own minutes
    ("Live video 30 min: 97110 x 15, 97530 x 15.", [("97110", 15, None), ("97530", 15, None)]),
    # a breakdown of the visit's minutes after the goals
    ("Goal: transfers w/ RW SBA in 2 wks\nVisit breakdown: TE 12', ther act 10', NMR 10', gait 8', G0151 x3u.",
     [("97110", 12, None), ("97530", 10, None), ("97112", 10, None), ("97116", 8, None), ("G0151", None, 3)]),
])
def test_billing_lines_with_remarks_prose_and_headings(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a European clock range; not a range of decimals with a unit
    ("09.10-09.35 Neuromotor reeducation (97112): proprioceptive board.\n09.35-09.45 Manual therapy (97140): mobilization.",
     [("97112", 25, None), ("97140", 10, None)]),
    ("Weight vest 10.25-10.50 kg. NMR 97112 x 20 min", [("97112", 20, None)]),
    # a service not realized today, as a translation says it
    ("Therapeutic exercise (97110): not realized today, the guest tired.\nNMR (97112) 13 min: trunk control.",
     [("97112", 13, None)]),
    # an order's frequency line lists the services ordered, not given
    ("PT/OT eval and treat. PT 5x/wk x 4 wks: ther ex, gait training, balance/NMR, transfer training.\n"
     "Ther ex 97110 1300-1320: heel slides, quad sets.", [("97110", 20, None)]),
])
def test_european_clock_translated_notes_and_orders(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a checked line whose leader runs to 0 minutes is a service not given
    ("[x] 97112 NMR ........ 25 min ... 2u\n[x] 97116 Gait ........ 0 min\n[x] 97535 Self-care ... 12 min ... 1u",
     [("97112", 25, 2), ("97535", 12, 1)]),
    # a service's name and how often it is to be given is a plan
    ("Will coordinate with PT (scapular NMR 2x/wk); OT to address ADL.\nIntervention today (97535, 15 min): dressing.",
     [("97535", 15, None)]),
    # ... but a list of codes given in the period keeps its frequency
    ("Tx this period: 97112, 97116, 5x/wk. NMR has focused on sitting balance.",
     [("97116", None, None), ("97112", None, None)]),
    # a remark in brackets closing a line of names and their numbers
    ("pt did doorway practice x10 w/ floor lines then w/o, clock turns x8 sba. nmr 25 2u te 10 1u (hip ext/abd 2x10)",
     [("97112", 25, 2), ("97110", 10, 1)]),
    # a service said not to be needed is not given
    ("Pt walking on unit with nursing; gait training not needed.\nTher ex 15 min: bands.", [("97110", 15, None)]),
    # the 8-minute rule's threshold is no time spent
    ("Ther ex 97110 - 30 min (2 units): UBE 5 min.\nAlso 7 min of DNF motor control with a pressure cuff, "
     "documented as 97112 but not billed (under 8 min).", [("97110", 30, 2), ("97112", 7, None)]),
    # metres walked after "Gait", unless the line lists each service's minutes so
    ("Rx:\n- Gait 60m no aid, CGA, wide BOS, VCs to narrow base.", [("97116", None, None)]),
    ("NMR 20m, gait 15m, TE 10m", [("97112", 20, None), ("97116", 15, None), ("97110", 10, None)]),
])
def test_leaders_frequencies_remarks_thresholds_and_metres(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,minutes", [
    # two sittings of one code, each named with its clock range
    ("AM session (0830-0850) NMR 97112 20 min: standing on foam EO then EC, CGA.\n"
     "PM session (1400-1415) NMR 97112 15 min: tandem stance at the bars 3 x 20 s, step-overs.", 35),
    ("O: Session 1 (0900-0915) NMR: Romberg EC on firm 3 x 20 sec with CGA.\n"
     "Session 2 (1000-1012) NMR: tandem walking on a line 10 ft x 4 with tactile cues.\n"
     "Billing: 97112 x 2 units.", 27),
    # a line totalling the sittings under the service's name
    ("AM (0900-0930): NMR 97112 -- BWSTT 30% BWS, manual facilitation at R knee for stance control.\n"
     "PM (1400-1415): NMR 97112 -- standing balance w/ reaching in // bars, min A.\nNMR total 45 min, 3 units", 45),
    # a line saying the block above was not billed is no second sitting
    ("NMR 1135-1141: semi-tandem at counter 3x20 s, SBA, VC to unlock knees.\n"
     "NMR not billed as only 6 min; total timed 16 min = 1 unit, billed to 97110.", 6),
])
def test_sittings_named_with_their_clock_ranges(text, minutes):
    assert [s.minutes for s in review(text).services if s.code == "97112"] == [minutes]


def test_a_table_drawn_with_box_characters_reads_as_a_typed_one():
    text = ("┌───────┬──────────────────────┬─────┬───────┐\n"
            "│ CPT   │ Description          │ Min │ Units │\n"
            "├───────┼──────────────────────┼─────┼───────┤\n"
            "│ 97112 │ Neuromuscular re-ed  │  20 │     1 │\n"
            "│ 97530 │ Therapeutic activit. │  18 │     1 │\n"
            "│ 97535 │ Self-care/ADL        │   0 │     0 │\n"
            "└───────┴──────────────────────┴─────┴───────┘")
    result = review(text)
    assert billed(text) == [("97112", 20, 1), ("97530", 18, 1)]
    assert result.allocation.units_allowed_cms == 3


@pytest.mark.parametrize("text,expected", [
    # each exercise tagged with its code and minutes: the code's time is their sum
    ("Tx:\n- Bike L3 warm-up (TE) 6 min\n- Leg press 3x10 @ 140# (NMR) 8 min\n- SLS on airex w/ ball toss (NMR) 5 min\n"
     "- Lateral band walks GTB (TE) 4 min\n- Fwd step-downs (TE) 5 min - VC knee over 2nd toe\nBilled 97112 x1, 97110 x1.",
     [("97112", 13, 1), ("97110", 15, 1)]),
    # parts of a session timed by the clock under one code
    ("BWSTT 0830-0900 (97116): 30% BWS, TM 1.8 mph.\nOverground 0900-0915 (97116): amb 120' x2 w/ FWW.\n"
     "NMR 0915-0935 (97112): standing balance in // bars.", [("97116", 45, None), ("97112", 20, None)]),
    # a line totalling the code stands over its rows and tags
    ("- Obstacle course (97112) 8 min - CGA\n- Dual task walking (97112) 6 min\n- Catch/throw in stride (97112) 5 min\n"
     "97112 total 19 min", [("97112", 19, None)]),
    ("Item | CPT | Min\nStanding feet together, head turns | 97112 | 5\nGait w/ pitch head movements | 97112 | 6\n"
     "Tandem walk on line | 97112 |\n97112 subtotal 16 min (1u)", [("97112", 16, 1)]),
    # a block timed by the clock and the billing line repeating it are one service, not two parts
    ("GROUP (97150) 1000-1045, 6 pts\nPt participated in seated warm up.\nINDIVIDUAL 1050-1105\nNMR 97112: reactive stepping.\n"
     "Group Ther Proc (97150) ..................... 45 min\nNeuromuscular Re-ed (97112) ................. 15 min",
     [("97150", 45), ("97112", 15)]),
])
def test_exercises_tagged_with_their_code_add_up(text, expected):
    # each expected item is (code, minutes) or (code, minutes, units billed)
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # a treatment line pasted a second time is one service, not two parts of it
    ("NMR 97112 x 20 min: tandem stance, SLS at counter, marching 2x10, heel raises 2x10. SBA.\n"
     "NMR 97112 x 20 min: tandem stance, SLS at counter, marching 2x10, heel raises 2x10. SBA.\n"
     "Ther ex 97110 x 10 min: NuStep L4.", [("97112", 20), ("97110", 10)]),
    # a billing table pasted twice
    ("Tx: VOR x1 yaw 60 s x 3; foam EC 4 x 20 s, min A once.\nCPT | Min | Units\n97112 | 38 | 3\n97110 | 0 | 0\n"
     "Total timed: 38\nCPT | Min | Units\n97112 | 38 | 3\n97110 | 0 | 0\nTotal timed: 38", [("97112", 38, 3)]),
    # a heading and its first item pasted again below the block
    ("NMR 97112 25 min:\n- kneeling on peanut ball, facilitation at pelvis\n- stepping stones x 6, CGA\n"
     "NMR 97112 25 min:\n- kneeling on peanut ball, facilitation at pelvis\nTher ex 97110 10 min: bridges x 15.",
     [("97112", 25), ("97110", 10)]),
    # a sitting's line pasted again, cut short, under a code's total
    ("AM (0900-0930): NMR 97112 -- BWSTT 30% BWS 1.8 mph, manual facilitation at R knee for stance; lateral wt shifts.\n"
     "PM (1400-1415): NMR 97112 -- standing balance w/ reaching in // bars, min A.\n"
     "AM (0900-0930): NMR 97112 -- BWSTT 30% BWS 1.8 mph, manual facilitation at R knee for stance.",
     [("97112", 45)]),
    # a block of another visit's text, said not to be today's, up to its closing line or the assessment
    ("[PRIOR TX 11/03 -- carried fwd, not today]\nTher ex 97110 x 20 min: seated marching, LAQ 2x15.\n"
     "NMR 97112 x 10 min: static stance in // bars EO/EC.\n[END PRIOR]\nTODAY 11/05:\n"
     "NMR 97112 x 23 min: narrow BOS 3 x 30 s, EC 3 x 10 s w/ CGA.\nTher ex 97110 x 15 min: LAQ 2x15 w/ 2#.",
     [("97112", 23), ("97110", 15)]),
    ("NMR (97112) 0915-0940: Romberg on foam 3 x 20 s, tandem walk 20 ft x 4 w/ CGA.\n"
     "Ther act (97530) 0940-0955: floor transfers w/ min A x 2.\nCopied note text from 10/12 below (disregard):\n"
     "NMR (97112) 0915-0935: static standing EO/EC, wt shifting.\nA: Impaired static and dynamic balance.",
     [("97112", 25), ("97530", 15)]),
    ("Prior visit charges (auto-populated, do not bill): 97161 eval, 97110 x2\n"
     "Today's charges: 97112 x 2u (26 min), 97110 x 1u (14 min)", [("97112", 26, 2), ("97110", 14, 1)]),
    # a short sitting line typed again for the second sitting is no paste: two sittings
    ("AM: NMR 97112 15 min\nstanding on foam EO/EC, CGA, VC for hip strategy\n"
     "PM: NMR 97112 15 min\ntandem walking in the hallway, SBA", [("97112", 30)]),
])
def test_lines_pasted_twice_are_given_once(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # time written in hours and fractions of an hour
    ("NMR (97112) 0.5 hr: tandem stance on foam 3 x 30 s.\nTher ex (97110) .25 hrs: L hip abd sidelying 2 x 12.\n"
     "Total timed 0.75 hr.", [("97112", 30), ("97110", 15)]),
    ("TE 0.4 h: pendulums, table slides.\nMT 0.3 h: GH inf and post glides gr II-III.\nBilled: 97110 x2, 97140 x1",
     [("97110", 24, 2), ("97140", 18, 1)]),
    ("NMR 97112 - 1/2 hour: sitting balance EOM with reaching.\nGait 97116 - 1/4 hr: amb in // bars 10 ft x 3.",
     [("97112", 30), ("97116", 15)]),
    ("Ther act (97530), three quarters of an hour: floor transfers, reaching in standing.", [("97530", 45)]),
    ("TE (quarter hour): calf raises 3 x 15.\nNMR 10 min: SLS on foam.\nBilled 97110 x1, 97112 x1",
     [("97110", 15, 1), ("97112", 10, 1)]),
    # a clock range said in words
    ("NMR (97112), from 2:05 pm until 2:31 pm: weight shifts onto L LE with tactile cue at L knee.", [("97112", 26)]),
    ("Start 1402 stop 1430 - NMR 97112\nStanding in // bars: wt shifts A/P w/ mirror.", [("97112", 28)]),
    # the visit's total in hours before the codes is no code's minutes
    ("NMR (.3 h): tall kneeling, rhythmic stabilization at pelvis.\nTE (.2 h): leg press 3x10.\nGait (.4 h): treadmill.\n"
     "Total .9 hr (54 min), 4 units: 97112 x1, 97110 x1, 97116 x2.", [("97112", 18, 1), ("97110", 12, 1), ("97116", 24, 2)]),
])
def test_time_written_in_hours_and_clock_ranges_in_words(text, expected):
    assert_billed(text, expected)


def test_hours_in_prose_are_no_services_minutes():
    # "sitting > 1 hr", "taken 1 hr before", "half-kneel", "2 h post-op" do not time a service
    text = ("Pain worse after sitting > 1 hr at desk; meds taken 1 hr before session. 2 h post-op check.\n"
            "NMR 97112 x 25 min: half-kneel to stand, SLS on foam.\nBilled 97112 x2")
    assert billed(text) == [("97112", 25, 2)]


@pytest.mark.parametrize("text,expected", [
    # codes asked of the payer for the coming visits are not given today
    ("Requested codes per visit: 97112 x 2 units, 97116 x 1 unit, 97530 x 1 unit.\nDAILY NOTE (visit 12)\n"
     "NMR 97112 25 min: stance wt shifting onto R LE w/ TC at R quad.\nGait 97116 15 min: SPC 3 x 150 ft.",
     [("97112", 25), ("97116", 15)]),
    ("CPT requested: 97110 x 2u, 97112 x 1u, 97140 x 1u, 97010 per visit\nStatus: pending.", []),
    ("Requesting 8 more (2x/wk x 4 wks): 97110 x 2, 97112 x 1, 97140 x 1.\nGoals: AROM 0-115 deg.\nToday's tx:\n"
     "Ther ex 20 min - bike, heel slides w/ strap.\nNeuro re-ed 15 min - SLR 3 x 10 w/ 2#.\nManual 10 min - patellar mobs.",
     [("97110", 20), ("97112", 15), ("97140", 10)]),
    # a request of someone else's, or to reconsider a claim, leaves the day's codes billed
    ("Pt requested NMR first today: NMR 97112 x 20 min, SLS on foam 3 x 30 s. Billed 97112 x1.", [("97112", 20, 1)]),
    ("Re: Request for reconsideration - claim - OT services DOS 12/03 (97112 x1, 97535 x2)",
     [("97112", None, 1), ("97535", None, 2)]),
])
def test_codes_requested_of_the_payer_are_not_given_today(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # a dictated bill says each service's minutes as a number alone
    ("PT: Okay, for the note. Weight shift right with tactile cue, stepping onto foam. NMR twenty-five, gait ten.",
     [("97112", 25), ("97116", 10)]),
    ("Note: rotator cuff repair, week 5. GH glides, pulleys, table slides. Manual fifteen, ther ex twenty-two.",
     [("97140", 15), ("97110", 22)]),
    ("OT: Note. Weight bearing through R UE with facilitation at elbow. NMR 97112 twenty-two minutes, ther act 97530 "
     "sixteen.", [("97112", 22), ("97530", 16)]),
    # scores said in words are no gait service
    ("Tinetti sixteen out of twenty-eight, balance eight and gait seven; last month thirteen.", []),
])
def test_minutes_said_as_a_number_alone_in_a_dictated_bill(text, expected):
    assert_billed(text, expected)


def test_telephone_and_virtual_check_in_codes_stay_out_of_the_timed_total():
    text = ("Phone call w/ pt re: dizziness, reviewed HEP. Phone time 9 min. 98966.\n"
            "G2251 virtual check-in 7 min: reviewed video of gait.\nNMR 97112 18 min: SLS on foam, CGA.")
    result = review(text)
    assert {s.code for s in result.services} == {"98966", "G2251", "97112"}
    assert result.allocation.timed_minutes_total == 18 and result.allocation.units_allowed_cms == 1


def test_gait_heading_its_block_with_its_code_adds_up_over_two_sittings():
    text = ("AM:\nGait 97116: walked in hallway with RW, CGA, cues for step length 15 min\n"
            "PM:\nGait 97116: walked outside on grass with RW, CGA 15 min")
    assert billed(text) == [("97116", 30, None)]


@pytest.mark.parametrize("text,expected", [
    # the sentence goes on to say the service it names was not given
    ("The last 10 minutes were ther ex 97110: lateral band walks.\nManual therapy to the patellofemoral joint was "
     "planned but deferred due to effusion.", [("97110", 10)]),
    ("Planned standing NMR and gait training; however, both were deferred today due to symptoms. "
     "Ther act 97530 x 8 min: transfers.", [("97530", 8)]),
    ("Tx: MET R SIJ 97140 10 min.\nNMR (SLS progression, perturbations) deferred to visit 2.", [("97140", 10)]),
    ("THERAPEUTIC ACTIVITIES (97530) ............... not provided\nNEURO RE-ED (97112) ........... 25 min",
     [("97112", 25)]),
    # a service given, then another planned and given
    ("Gait training was planned but pt was tired, so NMR 97112 25 min done instead: SLS at counter.",
     [("97116", None), ("97112", 25)]),
])
def test_services_the_sentence_says_were_not_given(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # after the goals, a code line beside the billed ones is billed, even with no minutes (an evaluation)
    ("Tx after eval: narrow BOS stance 3 x 30 s, CGA.\nLTG (8 wks): Berg >= 48/56; ABC > 67%.\n"
     "97162 PT eval mod complexity x1\n97112 x1 (15 min)\nTotal treatment time 60 min",
     [("97162", None), ("97112", 15)]),
    ("Goals: amb 150' FWW SBA; indep c HEP\n97161 (low cx)\n97530 x 10 min", [("97161", None), ("97530", 10)]),
    ("PLOF: indep no AD, golfs; 1 fall last winter on ice.\nAmb 60' FWW CGA.\n97161 (low cx); 97530 x 10 min",
     [("97161", None), ("97530", 10)]),
    # a line of nothing but codes and the words of a bill
    ("Goals: Amb 500 ft w/ AFO and no LOB; 10MWT >=1.0 m/s.\n97112, 97116\nTotal tx time 45 min",
     [("97112", None), ("97116", None)]),
    ("Goals (3 months): Will stand without UE support for 10 s.\nBilled 97112 and 97530. Total treatment time 45 min.",
     [("97112", None), ("97530", None)]),
    # a code with plan words on its line stays planned
    ("Goals: Berg >= 48/56 in 6 wks.\n97164 re-eval due in 4 wks\n97112 x1 (15 min)", [("97112", 15)]),
    ("Plan: 2x/wk x 6 wks.\nNext visit: 97112, 97116", []),
])
def test_codes_billed_in_a_run_of_code_lines_after_the_goals(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # a heading's minutes, then its units in brackets, then the colon
    ("NMR x 30 (2u): sitting EOM, lat wt shift to R.\nGait x 15 (1u): amb 20' //bars mod A.\n"
     "Ther act x 8 (1u): w/c>bed SPT to R min A.\nTotal 53 min / 4u", [("97112", 30, 2), ("97116", 15, 1), ("97530", 8, 1)]),
    # the heading's own time stands over a dose inside its block
    ("Ther ex (22): calf raises 3 x 15, stationary bike 6 min warm-up, gastroc stretches 3 x 30 s.", [("97110", 22)]),
])
def test_a_headings_own_time_over_units_and_doses_after_it(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # the visit's total after a list of codes is none of the codes' minutes
    ("nmr: big steps w vc. gait outdoors 400 ft sba. billed 97112 97116 97110 total tx 45 min",
     [("97112", None), ("97116", None), ("97110", None)]),
    ("wt shift w vc. 97112 x2 97116 x1 total visit 40 min", [("97112", None, 2), ("97116", None, 1)]),
    ("Gait 300 ft x 2 w/ SPC.\nCPT: 97112, 97116        Total treatment time: 48 min", [("97112", None), ("97116", None)]),
    # and a list of codes with a visit total, after the plan, is the bill
    ("P:\n - cont 2x/wk; next visit trial laser cane\n\n97112, 97110 -- total tx 45 min", [("97112", None), ("97110", None)]),
])
def test_a_visit_total_after_a_list_of_codes(text, expected):
    assert_billed(text, expected)


def test_retired_evaluation_codes_stay_out_of_the_timed_total():
    # 97001-97004 were the evaluation and re-evaluation codes before 2017; old charts still carry them
    result = review("97001 PT evaluation, 2015.\n97112 x 10 min: SLS on foam, CGA.")
    assert [(s.code, s.timed) for s in result.services] == [("97001", False), ("97112", True)]
    assert result.allocation.timed_minutes_total == 10 and result.allocation.units_allowed_cms == 1


@pytest.mark.parametrize("text,expected", [
    # minutes said of an activity in a narrative give the billed code its minutes
    ("We spent about 35 minutes on midline. The last ten minutes were transfers bed to chair. Billed 97112 and 97530.",
     [("97112", 35), ("97530", 10)]),
    ("Most of the visit was gait training, 30 min: donned AFO. 10 min seated DF AROM and gastroc stretch 3x30 sec ea. "
     "Billing 97116 and 97110, total 40 min.", [("97116", 30), ("97110", 10)]),
    # a goal's or a plan's minutes are no activity's
    ("97112 x2 NMR: sitting balance.\nPt will sit EOB unsupported 5 min w/ midline posture during grooming.\n97535 x1",
     [("97112", None, 2), ("97535", None, 1)]),
])
def test_minutes_said_of_an_activity_and_not_of_a_goal(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # a second service named after a code, joined to it, is its own
    ("mctsib foam ec fall at 6 s. eval 97162 then nmr 15 min feet together on foam eo 3x30s cga",
     [("97162", None), ("97112", 15)]),
    ("97162 and NMR 15 min feet together", [("97162", None), ("97112", 15)]),
    # words after a code that describe it stay its own
    ("97150 group ther ex (30 min)", [("97150", 30)]),
])
def test_a_service_named_after_a_code_and_joined_to_it(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # an evaluation named only in passing, as another day's event, is not billed today
    ("AHA at last re-eval 52 AHA units.\n97112 x 24 min (2u)", [("97112", 24, 2)]),
    ("SARA 14/40 (13 at re-eval 4 wks ago). NMR 97112 20 min.", [("97112", 20)]),
    ("Re-eval in 6 mo. 97112 15 min", [("97112", 15)]),
    # today's re-evaluation stays
    ("Re-eval completed today. 97112 x 15 min", [("97164", None), ("97112", 15)]),
    ("re-eval 30d\nberg 44/56 was 38 at eval. NMR 97112 15 min", [("97164", None), ("97112", 15)]),
])
def test_an_evaluation_named_in_passing(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,expected", [
    # a reading with no hours after a code's dot leader, and a gait reading ("0:12" must not become feet)
    ("Neuro re-ed (97112) ........ 0:26\n- rocker board w/ VC\nGait (97116) ........ 0:12\n- 300' w/ cane, CGA",
     [("97112", 26), ("97116", 12)]),
    # hours, minutes and seconds under a timer's label, the label with no colon
    ("97112 NMR\nStart 10:01:05 | Stop 10:20:35 | Duration 00:19:00\nSLS on foam\n\n"
     "97110 TE\nStart 10:20:35 | Stop 10:31:35 | Duration 00:11:00\nleg press",
     [("97112", 19), ("97110", 11)]),
    # minutes and seconds marked as such: whole minutes
    ("TE 13:40 (mm:ss) - bike, bridges\nNMR 21:15 (mm:ss) - perturbations on foam", [("97110", 13), ("97112", 21)]),
    # a reading before its block's colon
    ("Eval 97163 - 0:40\nTx 97112 - 0:17: weight shift onto L over targets", [("97163", 40), ("97112", 17)]),
])
def test_durations_written_as_clock_readings(text, expected):
    assert_billed(text, expected)


@pytest.mark.parametrize("text,minutes", [
    ("NMR 10:05-10:28 tandem on foam", 23),  # a clock range is still a range, not a reading
    ("NMR 0905-0930 tandem on foam", 25),
])
def test_clock_ranges_not_read_as_durations(text, minutes):
    assert service(text, "97112").minutes == minutes


def test_a_reading_with_hours_is_a_total_only_beside_total():
    result = review("NMR 0:30 | TA 0:20 | TE 0:15 | 1:05 total")
    assert [(s.code, s.minutes) for s in result.services] == [("97112", 30), ("97530", 20), ("97110", 15)]
    assert result.allocation.units_allowed_cms == 4
    # a time of day after a service's name stays a time of day
    assert service("Seen at 14:02 for NMR 25 min", "97112").minutes == 25


def test_an_encounter_forms_row_reads_past_its_diagnosis_pointers_and_skips_empty_boxes():
    form = ("Goal: DHI < 30 in 8 wks.\n\n"
            "[X] 97112  Neuromuscular re-ed  GP  Dx 1,2  Min 27  Units 2\n"
            "[  ] 97530  Ther activities\n"
            "(  ) 97110  Ther ex\n"
            "Total timed 27    Total units 2")
    assert_billed(form, [("97112", 27, 2)])


@pytest.mark.parametrize("grid,expected", [
    ("Start  Stop   Code   Service\n0900   0915   97110  bike, bridges\n0915   0938   97112  SLS on foam, VC",
     [("97110", 15), ("97112", 23)]),
    ("Svc         Start  Stop   Min  Units\n97110 TE    1302   1314   12   1\n97112 NMR   1314   1340   26   2",
     [("97110", 12), ("97112", 26)]),
])
def test_start_and_stop_columns_of_a_time_grid_give_each_rows_minutes(grid, expected):
    assert_billed(grid, expected)


def test_two_times_on_a_code_row_without_a_start_stop_header_are_not_a_range():
    # "1400 1415" here are a count of feet and a weight, not clock columns
    assert service("NMR 97112 12 min; gait 1200  1230 ft total", "97112").minutes == 12


@pytest.mark.parametrize("text,expected", [
    # a home programme's dose is no service's time
    ("sent home highlighted paper + 5 min daily copy task, 97166 mod complexity, nmr 15 min 1 unit",
     [("97166", None, None), ("97112", 15, 1)]),
    ("NMR: tandem on foam, walk 10 min 2x/day at home reviewed", [("97112", None, None)]),
    # a task timed in minutes and seconds is no service's time
    ("Ther act: button-up shirt timed: shirt 2 min 40 s (1 button missed).\nNMR 20 min",
     [("97530", None, None), ("97112", 20, None)]),
    # a timed service's name listed after another code is its own service
    ("97168 reeval, nmr 20 min", [("97168", None, None), ("97112", 20, None)]),
    ("Charges: 97110, nmr 20 min", [("97110", None, None), ("97112", 20, None)]),
    ("97112, NMR 20 min", [("97112", 20, None)]),
])
def test_home_doses_timed_tasks_and_names_listed_after_a_code(text, expected):
    assert [(s.code, s.minutes, s.units_billed) for s in review(text).services] == expected


@pytest.mark.parametrize("text,expected", [
    # a treatment time after a list of codes is the visit's, not the last code's
    ("Charges: 97110, 97112, 97140, 97010 — tx time 44 min",
     [("97110", None, None), ("97112", None, None), ("97140", None, None), ("97010", None, None)]),
    ("Billed 97112 x2 and 97530 x1, 40 minutes total.", [("97112", None, 2), ("97530", None, 1)]),
    # an OT re-evaluation billed by number is the re-evaluation the note's title names
    ("Re-evaluation at 12 weeks after toxin. Box and Blocks 22.\n97168 re-evaluation; 97112 25 min (2 units).",
     [("97168", None, None), ("97112", 25, 2)]),
    # unattended e-stim named in the note is the G0283 of its grid, which takes its minutes
    ("E-stim unattended (IFC) + ice R knee x 15 min.\nCode   Mod   Min   Units\n97112  GP    25    2\nG0283  GP    15    1",
     [("97112", 25, 2), ("G0283", 15, 1)]),
    ("Ice + unattended e-stim 15 min post tx (G0283).\nNMR 97112 23 min", [("G0283", 15, None), ("97112", 23, None)]),
    # self-care named by a clock range on a line of timed services, or heading its block with one
    ("billing nmr 0900-0925, adl 0925-0940", [("97112", 25, None), ("97535", 15, None)]),
    ("Ther act (0925-0940): cone stacking at counter.\nSelf-care (0940-0953): donning pullover shirt, min A.",
     [("97530", 15, None), ("97535", 13, None)]),
    ("stand at sink for ADLs 0925-0940", []),
    # names after "billed" are the bill, and the total after them is the visit's
    ("Pt did standing balance on foam with CGA. Billed neuro re-ed and self care mgmt, total 45 min",
     [("97112", None, None), ("97535", None, None)]),
])
def test_visit_totals_after_codes_names_of_billed_codes_and_self_care_blocks(text, expected):
    assert [(s.code, s.minutes, s.units_billed) for s in review(text).services] == expected


@pytest.mark.parametrize("text,expected", [
    # the first item's dose in a block whose other items carry their own doses is no minutes of the block
    ("• TE: bike 8 min, side plank 3 x 20 s, bridges 3x12\nBilling: 97112 x2, 97110 x1", [("97110", None, 1), ("97112", None, 2)]),
    ("TE: hamstring stretch 3 x 30 s B, prone lying for hip ext 5 min, recumbent bike 10 min.\n97112 x 2 units, 97110 x 1 unit",
     [("97110", None, 1), ("97112", None, 2)]),
    # a block of one activity keeps its time
    ("NMR: standing on foam 12 min, CGA", [("97112", 12, None)]),
    ("97032 - NMES R quad 12 min, attended, during seated LAQ; intensity 22 -> 30 mA", [("97032", 12, None)]),
])
def test_an_items_dose_at_the_head_of_a_block_is_not_the_blocks_time(text, expected):
    assert [(s.code, s.minutes, s.units_billed) for s in review(text).services] == expected


@pytest.mark.parametrize("text,expected", [
    # a service's time opening a line ends the goals above it
    ("P: Progress beam.\nLTG: Child will walk 10 ft on 2\" beam without stepping off 3/4 trials.\nNMR x 38 min (3).",
     [("97112", 38)]),
    ("Goals: less avoidance of stores; DHI ≤ 30 in 8 wk\nNeuromuscular re-education: 2 units. Therapeutic activities: 1 unit.",
     [("97112", None), ("97530", None)]),
    # a table of two columns, a service and its minutes
    ("Goals: mCTSIB foam EO 30 s\n\nService\tMin\nNeuromuscular re-ed\t24\nTherapeutic exercise\t6\nGait training\t10",
     [("97112", 24), ("97110", 6), ("97116", 10)]),
    # a plan sentence inside a paragraph lists the plan of care, not today's services
    ("TUG under 14 seconds. Plan 3 times a week for 4 weeks: gait training, range of motion, strengthening and balance. "
     "PT evaluation, low complexity (97161).", [("97161", None)]),
    # "manual" in a row's resistance cell is no manual therapy
    ("| Exercise | Sets/Reps | Resistance | Cues | Min |\n| Rhythmic stabilization 90/90 supine | 4 x 30 s | manual | VC | 5 |\n"
     "| CPT | Description | Min | Units |\n| 97112 | Neuromuscular re-ed | 11 | 1 |", [("97112", 11)]),
])
def test_service_lines_after_goals_two_column_tables_plan_sentences_and_table_cells(text, expected):
    assert [(s.code, s.minutes) for s in review(text).services] == expected


def test_a_stated_timed_total_is_reported_apart_and_still_checks_the_units():
    text = "NMR: foam SLS EC, perturbations, TC at hips.\nBilling: 97112 x3u, 97110 x1u; total timed 40 min"
    payload = review(text).to_dict()
    assert (payload["timed_minutes_total"], payload["units_allowed_cms"]) == (None, None)
    assert (payload["stated_timed_minutes"], payload["units_allowed_cms_stated"]) == (40, 3)
    assert "units.overbilled" in {g["id"] for g in payload["gaps"]}  # 4 units billed, 3 allowed for 40 min


@pytest.mark.parametrize("text,expected", [
    # a code heading its block reads the minutes closing the block, past a semicolon
    ("97530: simulated jar opening, carrying grocery bag 5# 20 ft; 8 min\nTher ex: bridges 10 min",
     [("97530", 8, None), ("97110", 10, None)]),
    ("97530 - jar opening, wringing towel; 12 min\n97110: bridges 10 min", [("97530", 12, None), ("97110", 10, None)]),
    # a gait heading's N' before its units in brackets is minutes, not feet
    ("- 97110 TE 24' (2): bridges\n- 97116 Gait 15' (1): amb 3 x 150' w/ rollator",
     [("97110", 24, 2), ("97116", 15, 1)]),
])
def test_a_heading_reads_the_minutes_of_its_block(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # the bill run into a lowercase run-on after its plan and goals, in any form, is billed today
    ("started wt shifts at counter ec 3x20s cga, tandem 3x15s vc to look at target, plan progress tandem off counter "
     "nxt visit, stg tug under 13 s 3 wks ltg amb to mailbox w rw mod i nmr 1005-1030 te 10 min",
     [("97112", 25, None), ("97110", 10, None)]),
    ("fine motor coord in-hand manipulation coins 10 trials vc slow down, standing on foam hitting lights cga, "
     "stg 9hpt r under 30 s 4 wks ltg back to part time job stocking shelves 97112 0930-1000", [("97112", 30, None)]),
    ("drop jumps 3x5 w mirror vc soft landing, sls on bosu w pertubations, stg hop test lsi 90% 6 wks "
     "ltg rts soccer nmr 22 te 20 total timed 42", [("97112", 22, None), ("97110", 20, None)]),
    ("tandem stance at counter 2x20s, sls w 1 hand 2x10s each, goal walk to church w/o cane 97150 group 45 min",
     [("97150", 45, None)]),
    # a plan's service stays planned
    ("tandem stance at counter 2x20s, plan add nmr next visit", []),
])
def test_a_run_ons_closing_bill_is_todays(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # minutes then the count they bill, right after the service
    ("Charges: 97162 (moderate complexity); 97112 x 10 min x1.", [("97162", None, None), ("97112", 10, 1)]),
    ("NMR x 25 min x2: tandem on foam, perturbations", [("97112", 25, 2)]),
    # stacked lines of a service and a bare number are its minutes
    ("Tx: tandem, foam, TC at hips.\n97112 25\n97110 15", [("97112", 25, None), ("97110", 15, None)]),
    ("Fine motor: coins palm-to-finger translation.\nTher act 20\nSelf-care 97535 15", [("97530", 20, None), ("97535", 15, None)]),
    # a test's items stacked the same way are no services
    ("Tinetti\nBalance 10\nGait 8", []),
    ("NMR 25", [("97112", None, None)]),
])
def test_minutes_then_units_and_stacked_service_lines(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a line of services with their units after the plan bills today's visit (a plan gives no units)
    ("Goal: self-feeding w/ U-cuff mod I in 2 wks\nPlan: retry FES tomorrow; progress reaching\nNMR 2u, ther act 1u, total tx 45 min",
     [("97112", None, 2), ("97530", None, 1)]),
    # "--" for minutes beside billed units is no service left out
    ("CPT | Minutes | Units\n97112 | -- | 2\n97110 | 15 | 1\nTotal treatment time: 45 min", [("97112", None, 2), ("97110", 15, 1)]),
    ("CPT | Minutes | Units\n97112 | -- | --\n97110 | 15 | 1", [("97110", 15, 1)]),
    # a two-column "Billing<TAB>Units" table after the goals
    ("P: Cont BWSTT.\nGoals\tStatus\n10MWT >= 0.6 m/s\tprogressing\n\nBilling\tUnits\n97116 Gait training\t2\n97112 Neuromuscular re-ed\t2",
     [("97116", None, 2), ("97112", None, 2)]),
    # a closing "TTM 38" leaves a line of codes and their minutes one
    ("Billing: 97112 15, 97535 23, TTM 38", [("97112", 15, None), ("97535", 23, None)]),
])
def test_billing_lines_and_tables_after_the_plan(text, expected):
    assert billed(text) == expected


@pytest.mark.parametrize("text,expected", [
    # "gait 10" after another service and its number closes the run-on's bill; a test's "gait 8" stays no bill
    ("pt declined foam, gait w rw 2x60 ft sba, stg tinetti 20/28 4 wks te 20 gait 10", [("97110", 20, None), ("97116", 10, None)]),
    ("tinetti balance 10 gait 8", []),
])
def test_gait_with_a_bare_number_after_another_service(text, expected):
    assert billed(text) == expected
