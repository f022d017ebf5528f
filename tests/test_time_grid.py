"""Time kept in a grid of clock-time rows or numbered blocks: each code's minutes are the sum of its rows."""
from __future__ import annotations

import pytest

from notereview import review
from notereview.nlp.time_grid import time_grid


def minutes_by_code(text: str) -> dict[str, int | None]:
    return {s.code: s.minutes for s in review(text).services}


def test_rows_sum_per_code_with_a_shared_row_split_and_a_rest_left_out():
    text = ("0800-0815 TE\n0815-0830 NMR\n0830-0845 NMR/GT (8/7)\n0845-0850 rest, BP 132/80 sitting\n0850-0905 GT\n"
            "Total 65 min   97112(2) 97116(2) 97110(1)\n\n"
            "TE: NuStep L3 x 10 min warm up\nNMR: static standing at counter w/ wt shift to R LE, tactile cues at R glute med.\n"
            "GT: amb 2x100' w/ hemi walker, min A")
    result = review(text)
    assert minutes_by_code(text) == {"97110": 15, "97112": 23, "97116": 22}
    assert result.allocation.timed_minutes_total == 60
    assert result.allocation.units_allowed_cms == 4


@pytest.mark.parametrize("text,expected", [
    # cells with bars; a short last block
    ("0930-0945 | NMR\n0945-1000 | NMR\n1000-1015 | GT\n1015-1020 | TE\n97112 x2  97116 x1  97110 x1\n"
     "NMR: semi-tandem in // bars, CGA; vc for upright trunk.", {"97112": 30, "97116": 15, "97110": 5}),
    # several rows on one line, 12-hour times with a qualifying word before the name
    ("0715-0730 NMR   0730-0745 NMR   0745-0755 TE\n97112 2u  97110 1u\nBAPS lvl 3, SLS R on airex 3x30 s.",
     {"97112": 30, "97110": 10}),
    ("10:30a-10:45a postural NMR\n10:45a-11:00a postural NMR\n11:00a-11:14a TE\n2u NMR, 1u TE\n"
     "TE: prone lying tolerance 3 min, seated row green band 2x12.", {"97112": 30, "97110": 14}),
    # a split written with the names, rests inside the grid
    ("3:00-3:15 NMR\n3:15-3:30 NMR/TA  (7 NMR, 8 TA)\n3:30-3:45 TA\n97112(2) 97530(1)", {"97112": 22, "97530": 23}),
    ("1000-1012  TE   cycle ergometer\n1012-1017  rest (fatigue 6/10)\n1017-1032  NMR\n1032-1037  rest\n"
     "1037-1052  NMR/TE split 10/5\n97112 x2 / 97110 x1", {"97110": 17, "97112": 25}),
    # numbered blocks, with and without their clock times
    ("Block 1 (1:00-1:15): ther ex\nBlock 2 (1:15-1:30): NMR\nBlock 3 (1:30-1:45): NMR\nBlock 4 (1:45-1:53): NMR\n"
     "Billing: 97110 x1 + 97112 x3 = 4 units", {"97110": 15, "97112": 38}),
    ("15-min blocks:\nBlk 1 TE | Blk 2 NMR | Blk 3 NMR | Blk 4 GT\n97110 x1, 97112 x2, 97116 x1 = 4u",
     {"97110": 15, "97112": 30, "97116": 15}),
    ("AM 0830-0900  NMR\nAM 0900-0915  TA\nPM 1500-1515  NMR\nPM 1515-1530  GT\nDay total: 97112 x3, 97530 x1, 97116 x1",
     {"97112": 45, "97530": 15, "97116": 15}),
])
def test_grid_layouts(text, expected):
    assert minutes_by_code(text) == expected


def test_a_shared_row_without_its_split_leaves_its_codes_to_the_rest_of_the_note():
    grid = time_grid("0800-0815 NMR\n0815-0830 NMR/TE\n0830-0845 GT\n97112 x2 97110 x1 97116 x1")
    assert grid is not None
    assert grid.minutes == {"97116": 15}


@pytest.mark.parametrize("text,expected", [
    # a row's own minutes, a smaller total stated for the code, a row not given, a row that is no service
    ("0800-0815 NMR 10 min (BP check 5 min)\n0815-0830 NMR 10 min (restroom 5 min)\n0830-0845 TE 15 min\n"
     "97112 x2 97110 x1", {"97112": 20, "97110": 15}),
    ("1300-1315 NMR\n1315-1330 NMR\nNMR 22 min total (pt needed rest breaks), 97112 x 2", {"97112": 22}),
    ("0900-0915 NMR - not performed, pt c/o dizziness\n0915-0930 TE: SLR, bridges\n"
     "NMR 12 min later in session once dizziness resolved\n97112 x1, 97110 x1", {"97110": 15, "97112": 12}),
    ("0900-0915 discussed NMR plan with family\n0915-0930 NMR: SLS, tandem\n0930-0945 NMR: foam, perturbations\n97112 x3",
     {"97112": 30}),
])
def test_grid_rows_that_do_not_give_their_whole_span(text, expected):
    assert minutes_by_code(text) == expected


def test_no_grid_where_the_names_stand_before_their_times():
    # "te 1400-1418 nmr 1418-1445": each name is the one before its time, not after it
    assert time_grid("heel walking 3x20ft, stg heel strike 50% in clinic te 1400-1418 nmr 1418-1445") is None
    assert time_grid("0905-0930 NMR: tandem stance on foam with VC") is None  # one row is no grid


def test_more_minutes_billed_outside_the_grid_stand():
    text = ("1602-1614 bike warm up 12'\n1614-1626 TE: SL leg press 3x10 70#\n1626-1650 NMR -- drop jump w/ stick landing\n"
            "Billing 97110 24' 2u (bike+TE), 97112 24' 2u")
    assert minutes_by_code(text) == {"97110": 24, "97112": 24}


def test_a_billing_line_repeating_the_grids_clock_ranges_adds_nothing():
    text = ("0800-0815 Therapeutic exercise (97110):\nBike 8 min, LAQ 2 x 10.\n"
            "0815-0840 Neuromuscular re-education (97112):\nTandem stance on foam 3 x 30 s, CGA, perturbations.\n"
            "0840-0852 Gait training (97116):\nAmb 300 ft with SPC.\n"
            "BILLING: 0800-0815 97110 (15 min); 0815-0840 97112 (25 min); 0840-0852 97116 (12 min). Total timed 52 min.")
    result = review(text)
    assert sorted((s.code, s.minutes) for s in result.services) == [("97110", 15), ("97112", 25), ("97116", 12)]
    assert result.allocation.units_allowed_cms == 3
