"""The CMS 8-minute rule and the AMA per-code method against docs/reference.md sections 3 and 4."""
from __future__ import annotations

import pytest

from notereview.billing import CodeMinutes, allocate, allocate_ama, allocate_cms, units_for_minutes


def visit(*pairs):
    return [CodeMinutes(code, minutes) for code, minutes in pairs]


@pytest.mark.parametrize("minutes,units", [
    (0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4), (67, 4),
    (68, 5), (82, 5), (83, 6), (97, 6), (98, 7), (112, 7), (113, 8), (127, 8), (128, 9),
])
def test_billing_cms_table_boundaries(minutes, units):
    assert units_for_minutes(minutes) == units


# (id, input, expected units per code) for the vectors without a tie
CMS_VECTORS = [
    ("V1", visit(("97112", 24), ("97110", 23)), {"97112": 2, "97110": 1}),
    ("V3", visit(("97110", 33), ("97140", 7)), {"97110": 2, "97140": 1}),
    ("V4", visit(("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)), {"97110": 1, "97140": 1, "97116": 1, "97035": 0}),
    ("V6", visit(("97112", 7)), {"97112": 0}),
    ("V8", visit(("97112", 5), ("97140", 3)), {"97112": 1, "97140": 0}),
    ("V9a", visit(("97112", 22)), {"97112": 1}),
    ("V9b", visit(("97112", 23)), {"97112": 2}),
    ("V10a", visit(("97112", 60)), {"97112": 4}),
    ("V10b", visit(("97112", 68)), {"97112": 5}),
    ("V10c", visit(("97112", 127)), {"97112": 8}),
    ("V10d", visit(("97112", 128)), {"97112": 9}),
    ("V11", visit(("97112", 25), ("97140", 8)), {"97112": 2, "97140": 0}),
    ("V14", visit(("97112", 38), ("97110", 15)), {"97112": 3, "97110": 1}),
    ("V15", visit(("97112", 20), ("97140", 12)), {"97112": 1, "97140": 1}),
    ("V16", visit(("97112", 20), ("97110", 10)), {"97112": 1, "97110": 1}),
    ("V17", visit(("97112", 20), ("97110", 15)), {"97112": 1, "97110": 1}),
    ("V18", visit(("97112", 15)), {"97112": 1}),
]


@pytest.mark.parametrize("vector_id,services,expected", CMS_VECTORS, ids=[v[0] for v in CMS_VECTORS])
def test_billing_cms_reference_vectors(vector_id, services, expected):
    result = allocate_cms(services)
    assert result.units == expected
    assert result.total_units == sum(expected.values())
    assert result.tied_codes == ()


# Ties: the total is fixed, the last unit is the clinician's choice among the tied codes.
TIE_VECTORS = [
    ("V2", visit(("97112", 20), ("97110", 20)), 3, {"97112", "97110"}, 2),
    ("V5", visit(("97112", 7), ("97110", 7), ("97140", 7)), 1, {"97112", "97110", "97140"}, 1),
    ("V7", visit(("97112", 7), ("97110", 7)), 1, {"97112", "97110"}, 1),
    ("V12", visit(("97110", 22), ("97140", 22)), 3, {"97110", "97140"}, 2),
    ("V13", visit(("97112", 10), ("97110", 10), ("97140", 10)), 2, {"97112", "97110", "97140"}, 1),
]


@pytest.mark.parametrize("vector_id,services,total,tied,max_per_code", TIE_VECTORS, ids=[v[0] for v in TIE_VECTORS])
def test_billing_cms_ties_are_reported_and_never_pile_on_one_code(vector_id, services, total, tied, max_per_code):
    result = allocate_cms(services)
    assert result.total_units == total
    assert set(result.tied_codes) == tied
    assert sum(result.units.values()) == total
    assert max(result.units.values()) <= max_per_code


def test_billing_untimed_minutes_never_count():
    # V16/V17/V18: untimed codes are left out before allocation; only the timed minutes count.
    assert allocate_cms(visit(("97112", 20), ("97110", 10))).total_units == 2


AMA_TABLE = [
    (visit(("97112", 8), ("97140", 8)), 1, 2),
    (visit(("97112", 10), ("97110", 10), ("97140", 10)), 2, 3),
    (visit(("97112", 25), ("97140", 8)), 2, 3),
    (visit(("97112", 7), ("97110", 7)), 1, 0),
    (visit(("97112", 5), ("97140", 3)), 1, 0),
    (visit(("97110", 22), ("97140", 22)), 3, 2),
    (visit(("97110", 20), ("97140", 18)), 3, 2),
    (visit(("97112", 24), ("97110", 23)), 3, 4),
    (visit(("97112", 20), ("97110", 20)), 3, 2),
    (visit(("97110", 33), ("97140", 7)), 3, 2),
    (visit(("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)), 3, 4),
]


@pytest.mark.parametrize("services,cms_units,ama_units", AMA_TABLE)
def test_billing_cms_and_ama_totals_match_reference_table(services, cms_units, ama_units):
    assert allocate(services, "cms").total_units == cms_units
    assert allocate(services, "ama").total_units == ama_units


def test_billing_ama_counts_each_code_alone():
    result = allocate_ama(visit(("97112", 25), ("97140", 8)))
    assert result.units == {"97112": 2, "97140": 1}


def test_billing_unknown_payer_is_refused():
    with pytest.raises(ValueError, match="unknown payer"):
        allocate(visit(("97112", 20)), "medicaid")
