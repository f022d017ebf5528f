"""The mention check: a learned second look at each technique and intervention match, loaded from plain JSON."""
from __future__ import annotations

import json
import shutil

import pytest

from notereview import review
from notereview.classifier import ModelError
from notereview.mention_check import check_path, load_check
from notereview.mention_training import train_mention_check


def techniques(text: str) -> list[str]:
    return [m.text for m in review(text).entities if m.type == "technique"]


def test_the_shipped_check_is_plain_json_with_a_card():
    body = json.loads(check_path().read_text(encoding="utf-8"))
    assert body["format"] == "notereview-mention-check/1"
    check = load_check()
    assert set(check.types) == {"technique", "intervention"}
    for mention_type, figures in check.card["types"].items():
        assert 0 < check.threshold(mention_type) < 1
        scores = {s["threshold"]: s for s in figures["cv_by_file"]}
        # figures are cross-validated by corpus file, and the check gains on the unchecked matches
        assert scores[check.threshold(mention_type)]["f1"] > scores[0.0]["f1"]
        assert scores[check.threshold(mention_type)]["precision"] > scores[0.0]["precision"]


def test_an_edited_check_file_is_refused(tmp_path):
    body = json.loads(check_path().read_text(encoding="utf-8"))
    body["types"]["technique"]["threshold"] = 0.0
    edited = tmp_path / "check.json"
    edited.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(ModelError, match="checksum"):
        load_check(edited)
    with pytest.raises(ModelError, match="train-mention-check"):
        load_check(tmp_path / "missing.json")


def unchecked_techniques(text: str, monkeypatch, switch: str = "off") -> list[str]:
    monkeypatch.setenv("NOTEREVIEW_MENTION_CHECK", switch)
    try:
        return techniques(text)
    finally:
        monkeypatch.delenv("NOTEREVIEW_MENTION_CHECK")


@pytest.mark.parametrize("practised,other,phrase", [
    ("NMR 15 min: saccades between 2 cards 3 x 30 s, then VOR x1 on foam, VC to slow down.",
     "vHIT R gain 0.71 with covert catch-up saccades.", "saccades"),  # a test's finding
    ("Mirror therapy 10 min for L hand, pt watched reflection during finger taps.",
     "She gets dizzy turning to the mirror while brushing her hair.", "mirror"),  # a thing at home
    ("NMR: weight shift to L over targets 3 x 10, TC at hip.",
     "Plan: progress to SPC when weight shift is symmetric.", "weight shift"),  # a condition of a plan
    ("Rebounder: trampoline bounces with catch 3 x 20, min A.",
     "Injured falling off a trampoline at a party.", "trampoline"),  # how the injury happened
])
def test_a_phrase_practised_is_a_technique_and_the_same_words_elsewhere_are_not(practised, other, phrase, monkeypatch):
    assert any(phrase in t.lower() for t in techniques(practised))
    # the vocabulary matches the phrase in both; the check keeps only the practised one
    assert any(phrase in t.lower() for t in unchecked_techniques(other, monkeypatch))
    assert not any(phrase in t.lower() for t in techniques(other))


@pytest.mark.parametrize("switch", ["off", "OFF", "0", "false"])
def test_switched_off_the_matches_are_all_the_vocabularys(switch, monkeypatch):
    text = "vHIT R gain 0.71 with covert catch-up saccades."
    checked = techniques(text)  # the check loaded first: the switch is read on every review
    assert set(checked) < set(unchecked_techniques(text, monkeypatch, switch))


def test_a_technique_beside_another_is_judged_by_what_the_other_is_not_by_its_words():
    # "manipulation" inside "in-hand manipulation" (a technique) is no manual therapy's word
    assert "bilateral coordination" in techniques("O: 97112 NMR: in-hand manipulation, bilateral coordination 15 min.")


def test_training_cross_validates_by_file_and_writes_a_loadable_check(tmp_path):
    dev = tmp_path / "dev"
    dev.mkdir()
    for name in ("soap", "narrative", "bullets", "emr_table", "vestibular_sports"):
        shutil.copy(f"corpora/extraction/dev/{name}.jsonl", dev)
    card = train_mention_check(dev, output=tmp_path / "check.json")
    assert card["corpus"]["files"] == 5
    assert card["types"]["technique"]["matches"] > 100 and card["types"]["intervention"]["matches"] > 50
    trained = load_check(tmp_path / "check.json")
    assert trained.types["intervention"]["weights"] and trained.card["corpus"]["sha256"] == card["corpus"]["sha256"]
