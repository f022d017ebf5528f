"""The whole review on the bundled example notes: decision, gaps, JSON contract, offsets."""
from __future__ import annotations

import json

import pytest

from notereview import review, review_many
from notereview.render import render
from tests.conftest import EXAMPLES, assert_valid_review_json


def read(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_engine_strengthening_example_is_strengthening_with_gap():
    result = review(read("strengthening_billed_as_nmr.txt"))
    assert result.claims_97112
    assert result.label == "strengthening"
    assert "content.strengthening" in {g.id for g in result.gaps}


def test_engine_well_documented_example_is_nmr_without_errors():
    result = review(read("nmr_well_documented.txt"))
    assert result.label == "nmr"
    assert result.probability > 0.8
    assert not [g for g in result.gaps if g.severity == "error"]
    nmr = next(s for s in result.services if s.code == "97112")
    assert (nmr.minutes, nmr.units_billed, nmr.units_allocated_cms) == (25, 2, 2)
    assert result.allocation.timed_minutes_total == 40


def test_engine_note_billing_nmr_content_as_97110_gets_info_finding():
    result = review(read("no_nmr_billed.txt"))
    assert not result.claims_97112
    assert [g.id for g in result.gaps] == ["code.supports_97112"]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_engine_every_example_json_matches_schema_and_offsets(name):
    text = read(name)
    result = review(text, id=name)
    payload = json.loads(render(result, "json"))
    assert_valid_review_json(payload)
    assert payload["id"] == name
    for entity in payload["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
    for service in payload["services"]:
        assert 0 <= service["start"] < service["end"] <= len(text)
    for gap in payload["gaps"]:
        for evidence in gap["evidence"]:
            assert 0 <= evidence["start"] <= evidence["end"] <= len(text)


def test_engine_review_many_keeps_order_and_ids():
    names = sorted(p.name for p in EXAMPLES.glob("*.txt"))
    results = list(review_many([read(n) for n in names], ids=names))
    assert [r.id for r in results] == names
    assert [r.label for r in results] == [review(read(n)).label for n in names]


def test_engine_contract_keys_are_exact_and_in_order():
    payload = review(read("shorthand_messy.txt")).to_dict()
    contract_keys = ["schema", "id", "claims_97112", "label", "probability", "needs_review", "services",
                     "timed_minutes_total", "units_allowed_cms", "units_allowed_ama", "entities", "gaps", "score"]
    assert list(payload)[: len(contract_keys)] == contract_keys
    assert payload["schema"] == "notereview/1"


def test_engine_not_a_therapy_note_needs_review():
    result = review("Reminder: your appointment is moved to Tuesday at 3 pm. Please call the front desk to confirm.")
    assert result.needs_review
    assert any("no therapy" in reason for reason in result.decision.review_reasons)


def test_engine_other_language_needs_review():
    result = review("El paciente realizó ejercicios de equilibrio sobre espuma con apoyo del terapeuta durante veinte "
                    "minutos y mostró mejoría en la marcha comunitaria.")
    assert result.needs_review


def test_engine_payer_ama_changes_allowed_units():
    text = "NMR 97112 x 8 min: tandem stance on foam with TC. Manual therapy 97140 x 8 min."
    assert review(text, payer="cms").allocation.units_allowed_cms == 1
    assert review(text, payer="ama").allocation.units_allowed_ama == 2


def test_engine_html_escapes_note_text():
    text = ('NMR 97112 x 23 min: tandem stance on foam <script>alert(1)</script> '
            '"><img src=x onerror=alert(1)> with TC at pelvis.')
    html = render(review(text), "html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_each_sitting_of_97112_is_judged():
    # a 97112 given in an AM and a PM sitting: the AM's strengthening is judged as well as the PM's balance work
    text = ("AM session:\n97112 NMR 15 min - seated marching 2x10, seated LAQ 2x10 w/ 2#, seated hip abd w/ yellow band.\n"
            "97530 Ther act 20 min - sit<>stand transfers from w/c.\nPM session:\n"
            "97112 NMR 12 min - static standing balance on foam w/o UE support, perturbations at pelvis, CGA w/ TC.\n"
            "Billing: 97112 x2, 97530 x1\n")
    judged = [(r["start"], r["end"]) for r in review(text).to_dict()["segment"]]
    judged_text = " ".join(text[start:end] for start, end in judged)
    assert len(judged) == 2 and "seated LAQ" in judged_text and "perturbations" in judged_text, judged
