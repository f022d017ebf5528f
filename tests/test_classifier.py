"""The exported classifier: numpy inference equals scikit-learn's, and bad model files are refused."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from notereview.classifier import ModelError, NmrModel, export_weights, load_model, make_pipeline, model_path, shipped_model
from notereview.training import LABELS, featurize, load_corpus, uncertainty_band

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "classifier" / "hand"


@pytest.fixture(scope="module")
def small_fit():
    notes = load_corpus(CORPUS)
    train_notes = [n for i, n in enumerate(notes) if i % 5 != 0][:200]
    test_notes = [n for i, n in enumerate(notes) if i % 5 == 0][:40]
    train_x, test_x = featurize(train_notes), featurize(test_notes)
    y = np.array([LABELS.index(n.label) for n in train_notes])
    pipeline = make_pipeline(seed=0).fit(train_x, y)
    return pipeline, test_x


def test_classifier_numpy_inference_matches_sklearn(small_fit):
    pipeline, test_x = small_fit
    model = NmrModel(export_weights(pipeline, (0.4, 0.6), {"test": True}))
    expected = pipeline.predict_proba(test_x)[:, 1]
    got = np.array([model.probability(segment) for segment in test_x])
    assert np.allclose(got, expected, atol=1e-9)


def test_classifier_explanation_names_words_and_features(small_fit):
    pipeline, test_x = small_fit
    model = NmrModel(export_weights(pipeline, (0.4, 0.6), {}))
    probability, contributions = model.explain(test_x[0])
    assert 0.0 <= probability <= 1.0
    assert contributions and all(c.feature for c in contributions)
    assert abs(contributions[0].weight) >= abs(contributions[-1].weight)


def test_classifier_tampered_model_is_refused(tmp_path):
    weights = json.loads(model_path().read_text())
    weights["intercept"] += 1.0
    path = tmp_path / "model.json"
    path.write_text(json.dumps(weights))
    with pytest.raises(ModelError, match="checksum"):
        load_model(path)


@pytest.mark.parametrize("content,message", [
    ("", "cannot be read"),
    ('{"format": "something-else/1"}', "notereview model"),
    ("[1, 2, 3]", "notereview model"),
])
def test_classifier_damaged_or_foreign_model_is_refused(tmp_path, content, message):
    path = tmp_path / "model.json"
    path.write_text(content)
    with pytest.raises(ModelError, match=message):
        load_model(path)


def test_classifier_missing_model_says_how_to_rebuild(tmp_path):
    with pytest.raises(ModelError, match="notereview train"):
        load_model(tmp_path / "absent.json")


def test_classifier_shipped_model_card_has_provenance():
    card = shipped_model().card
    assert card["corpus"]["notes"] >= 500
    assert len(card["corpus"]["sha256"]) == 64
    assert {"scikit-learn", "spacy"} <= set(card["versions"])
    assert card["metrics"]["leave_one_style_out"]["n"] == card["corpus"]["notes"]


def test_classifier_uncertainty_band_widens_when_confident_predictions_err():
    y = np.array([1, 1, 0, 0, 1, 0, 1, 0])
    p_clean = np.array([0.9, 0.95, 0.1, 0.05, 0.8, 0.2, 0.85, 0.15])
    p_noisy = np.array([0.9, 0.95, 0.1, 0.05, 0.35, 0.62, 0.85, 0.15])
    low_clean, high_clean = uncertainty_band(y, p_clean)
    low_noisy, high_noisy = uncertainty_band(y, p_noisy)
    assert high_noisy - low_noisy > high_clean - low_clean


def test_counted_columns_equal_numpy_unique():
    import numpy as np

    from notereview.classifier import _counted

    rng = np.random.default_rng(0)
    for size in (1, 2, 17, 2500):
        columns = rng.integers(0, 50, size=size).astype(np.int64)
        unique, counts = _counted(columns)
        expected_unique, expected_counts = np.unique(columns, return_counts=True)
        assert np.array_equal(unique, expected_unique) and np.array_equal(counts, expected_counts)
        assert counts.dtype == expected_counts.dtype


def test_word_terms_are_unigrams_then_bigrams_in_order():
    from notereview.classifier import _word_terms

    assert _word_terms("Tandem stance, on foam", (1, 2)) == [
        "tandem", "stance", "on", "foam", "tandem stance", "stance on", "on foam"]
    assert _word_terms("one", (1, 3)) == ["one"]
