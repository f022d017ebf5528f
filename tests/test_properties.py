"""Properties that hold for any input: valid JSON, offsets inside the text, bounded score, determinism."""
from __future__ import annotations

import json
import socket

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notereview import review
from notereview.nlp.services import find_services
from notereview.render import render
from tests.conftest import assert_valid_review_json

FRAGMENTS = [
    "NMR 97112 x 23 min", "97110 (15')", "ther ex 3x10", "0905-0930", "8:05-8:30 nmr", "2 units", "x2u", "(2)",
    "tandem stance on foam", "SLS R 5 s", "pt declined BOSU", "no PNF d/t pain", "will add perturbations next visit",
    "at eval max A", "impaired dynamic balance", "B LE weakness 4-/5", "TC at pelvis", "VC for upright trunk",
    "Goals: Berg >= 46/56 in 4 wks", "Plan: cont POC", "A:", "P:", "S:", "O:", "|", "\t", "\n", "; ", ", ",
    "tolerated tx well", "in group with 3 others", "Total timed minutes: 38", "CPT | Minutes | Units",
    "97112 | NMR | 23 | 2", "G0283 e-stim", "97150 group 30 min", "hx of falls x3", "dizziness w/ head turns",
    "<script>alert(1)</script>", "\u00e9quilibre", "\u2191 tone", "\u2014", "\r\n", "  ", "x", "min", "'",
]
clinical_text = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map(" ".join)
any_text = st.text(min_size=1, max_size=400)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> None:
    result = review(text)
    payload = json.loads(render(result, "json"))
    assert_valid_review_json(payload)
    for entity in payload["entities"]:
        assert 0 <= entity["start"] <= entity["end"] <= len(text)
        assert text[entity["start"]:entity["end"]] == entity["text"]
    for service in payload["services"]:
        assert 0 <= service["start"] <= service["end"] <= len(text)
        assert service["minutes"] is None or 0 < service["minutes"] <= 240
    for gap in payload["gaps"]:
        for evidence in gap["evidence"]:
            assert 0 <= evidence["start"] <= evidence["end"] <= len(text)
    assert 0 <= payload["score"] <= 100
    assert json.loads(render(review(text), "json")) == payload  # deterministic
    html = render(result, "html")
    assert "<script>alert(1)</script>" not in html


@SETTINGS
@given(any_text)
def test_properties_any_unicode_text(text):
    check(text)


@SETTINGS
@given(clinical_text)
def test_properties_any_mix_of_clinical_fragments(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(any_text, clinical_text))
def test_properties_service_parser_stays_in_bounds(text):
    anchors, totals = find_services(text)
    for anchor in anchors:
        assert 0 <= anchor.start < anchor.end <= len(text)
        assert anchor.end <= max(anchor.segment_end, anchor.end) <= len(text)
        assert anchor.minutes is None or 0 < anchor.minutes <= 240
        assert anchor.units is None or 0 < anchor.units <= 16


def test_properties_review_and_batch_run_with_the_network_blocked(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("notereview tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = review("NMR 97112 x 23 min: tandem stance on foam with TC at pelvis; impaired balance.")
    assert result.claims_97112
    from notereview.batch import run_batch

    source = tmp_path / "notes.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "NMR x 23 min: SLS on foam with VC."}) + "\n", encoding="utf-8")
    counts, _ = run_batch([str(source)], [tmp_path / "out.jsonl", tmp_path / "out.html"], workers=1, quiet=True)
    assert counts.rows == 1 and counts.errors == 0
