"""The 97112 decision: skilled neuromuscular re-education (`nmr`) or plain strengthening.

Training builds a scikit-learn Pipeline (word and character TF-IDF plus extracted counts into
a logistic regression with sigmoid calibration) and exports the fitted weights as plain JSON.
Inference applies that export with numpy alone: no pickle, no scikit-learn import at review
time, and a checksum so a tampered or foreign file is refused.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .features import SegmentFeatures
from .results import Contribution

MODEL_FORMAT = "notereview-linear/1"
MODEL_PACKAGE = "notereview.models"
MODEL_FILE = "nmr_classifier.json"
TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
WHITE_SPACES = re.compile(r"\s\s+")
DEFAULT_BAND = (0.35, 0.65)


class ModelError(RuntimeError):
    """The model file is missing, damaged or of another version."""


# ---------------------------------------------------------------- training (scikit-learn)

def segment_texts(segments):
    """Select the judged text of each segment (a module-level function: picklable, no lambda)."""
    return [s.text for s in segments]


def segment_counts(segments):
    """Select the extracted counts of each segment."""
    return [s.counts for s in segments]


def make_pipeline(seed: int = 0, C: float = 4.0):
    """The unfitted scikit-learn Pipeline: TF-IDF words + chars + counts -> calibrated logistic regression."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    features = FeatureUnion([
        ("words", Pipeline([
            ("select", FunctionTransformer(segment_texts)),
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=20000)),
        ])),
        ("chars", Pipeline([
            ("select", FunctionTransformer(segment_texts)),
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                      max_features=30000)),
        ])),
        ("extracted", Pipeline([
            ("select", FunctionTransformer(segment_counts)),
            ("dict", DictVectorizer(sparse=True)),
        ])),
    ])
    model = CalibratedClassifierCV(
        LogisticRegression(C=C, max_iter=5000, random_state=seed),
        method="sigmoid", cv=5, ensemble=False,
    )
    return Pipeline([("features", features), ("model", model)])


def export_weights(pipeline, band: tuple[float, float], card: dict) -> dict:
    """The fitted pipeline as plain data: vocabularies, idf, coefficients, calibration."""
    features = pipeline.named_steps["features"]
    blocks = dict(features.transformer_list)
    words = blocks["words"].named_steps["tfidf"]
    chars = blocks["chars"].named_steps["tfidf"]
    extracted = blocks["extracted"].named_steps["dict"]
    calibrated = pipeline.named_steps["model"].calibrated_classifiers_[0]
    estimator = calibrated.estimator
    calibrator = calibrated.calibrators[0]

    def vocabulary(vectorizer) -> list[str]:
        terms = [""] * len(vectorizer.vocabulary_)
        for term, index in vectorizer.vocabulary_.items():
            terms[index] = term
        return terms

    body = {
        "format": MODEL_FORMAT,
        "positive_label": "nmr",
        "words": {"vocabulary": vocabulary(words), "idf": [float(v) for v in words.idf_],
                  "ngram_range": list(words.ngram_range)},
        "chars": {"vocabulary": vocabulary(chars), "idf": [float(v) for v in chars.idf_],
                  "ngram_range": list(chars.ngram_range)},
        "extracted": {"names": list(extracted.feature_names_)},
        "coef": [float(v) for v in estimator.coef_[0]],
        "intercept": float(estimator.intercept_[0]),
        "calibration": {"a": float(calibrator.a_), "b": float(calibrator.b_)},
        "uncertainty_band": [float(band[0]), float(band[1])],
        "card": card,
    }
    body["checksum"] = _checksum(body)
    return body


def _checksum(body: dict) -> str:
    content = {k: v for k, v in body.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


# ---------------------------------------------------------------- inference (numpy only)

def _word_terms(text: str, ngram_range: tuple[int, int]) -> list[str]:
    tokens = TOKEN_RE.findall(text.lower())
    low, high = ngram_range
    terms = []
    for n in range(low, high + 1):
        terms.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return terms


def _char_terms(text: str, ngram_range: tuple[int, int]) -> list[str]:
    # Mirrors scikit-learn's char_wb analyzer exactly (a test checks the two agree).
    text = WHITE_SPACES.sub(" ", text.lower())
    low, high = ngram_range
    grams = []
    for word in text.split():
        word = " " + word + " "
        length = len(word)
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[offset:offset + n])
            while offset + n < length:
                offset += 1
                grams.append(word[offset:offset + n])
            if offset == 0:
                break
    return grams


@dataclass
class _Block:
    index: dict[str, int]
    idf: np.ndarray
    offset: int


class NmrModel:
    """The exported classifier: P(nmr) for a segment, and the features that drove it."""

    def __init__(self, weights: dict):
        if not isinstance(weights, dict) or weights.get("format") != MODEL_FORMAT:
            raise ModelError(
                f"model file is not a notereview model of format {MODEL_FORMAT!r}; rebuild it with `notereview train`"
            )
        if weights.get("checksum") != _checksum(weights):
            raise ModelError("model file checksum does not match its content (damaged or edited); "
                             "rebuild it with `notereview train`")
        self.card = weights.get("card", {})
        words, chars = weights["words"], weights["chars"]
        self.word_range = tuple(words["ngram_range"])
        self.char_range = tuple(chars["ngram_range"])
        self.words = _Block({t: i for i, t in enumerate(words["vocabulary"])}, np.asarray(words["idf"]), 0)
        self.chars = _Block({t: i for i, t in enumerate(chars["vocabulary"])}, np.asarray(chars["idf"]),
                            len(words["vocabulary"]))
        extracted_offset = self.chars.offset + len(chars["vocabulary"])
        self.extracted_names = list(weights["extracted"]["names"])
        self.extracted_index = {n: extracted_offset + i for i, n in enumerate(self.extracted_names)}
        self.coef = np.asarray(weights["coef"], dtype=float)
        self.intercept = float(weights["intercept"])
        self.a = float(weights["calibration"]["a"])
        self.b = float(weights["calibration"]["b"])
        self.band = tuple(weights.get("uncertainty_band", DEFAULT_BAND))
        expected = extracted_offset + len(self.extracted_names)
        if self.coef.shape != (expected,):
            raise ModelError("model file is inconsistent (coefficients do not match vocabularies); "
                             "rebuild it with `notereview train`")
        self.word_names = words["vocabulary"]

    def _tfidf(self, terms: list[str], block: _Block) -> dict[int, float]:
        counts: dict[int, int] = {}
        for term in terms:
            index = block.index.get(term)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        values = {i: (1.0 + math.log(c)) * block.idf[i] for i, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        if norm == 0:
            return {}
        return {block.offset + i: v / norm for i, v in values.items()}

    def vector(self, segment: SegmentFeatures) -> dict[int, float]:
        """The sparse feature vector, as scikit-learn's fitted pipeline would build it."""
        x = self._tfidf(_word_terms(segment.text, self.word_range), self.words)
        x.update(self._tfidf(_char_terms(segment.text, self.char_range), self.chars))
        for name, value in segment.counts.items():
            index = self.extracted_index.get(name)
            if index is not None:
                x[index] = float(value)
        return x

    def decision_value(self, x: dict[int, float]) -> float:
        return self.intercept + sum(self.coef[i] * v for i, v in x.items())

    def probability(self, segment: SegmentFeatures) -> float:
        """Calibrated P(nmr)."""
        return self._calibrate(self.decision_value(self.vector(segment)))

    def _calibrate(self, decision: float) -> float:
        z = self.a * decision + self.b
        return 1.0 / (1.0 + math.exp(z)) if z > -700 else 1.0

    def explain(self, segment: SegmentFeatures, top: int = 6) -> tuple[float, tuple[Contribution, ...]]:
        """P(nmr) and the words and extracted features that pushed it most, either way.

        Character n-grams are folded into the words that contain them, so a reader sees words.
        """
        x = self.vector(segment)
        probability = self._calibrate(self.decision_value(x))
        # Calibration slope a is negative for a well-fitted model: a positive coefficient pushes to nmr.
        direction = -1.0 if self.a > 0 else 1.0
        named: dict[str, float] = {}
        extracted_start = self.chars.offset + len(self.chars.index)
        for index, value in x.items():
            weight = self.coef[index] * value * direction
            if index < self.chars.offset:
                named[f"'{self.word_names[index]}'"] = named.get(f"'{self.word_names[index]}'", 0.0) + weight
            elif index >= extracted_start:
                named[self.extracted_names[index - extracted_start]] = weight
        ranked = sorted(named.items(), key=lambda item: -abs(item[1]))[:top]
        return probability, tuple(Contribution(name, weight) for name, weight in ranked)


def model_path() -> Path:
    """Where the shipped model lives inside the package."""
    return Path(str(resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)))


def load_model(path: str | Path | None = None) -> NmrModel:
    """Load and verify a model export; clear errors for a missing or damaged file."""
    path = Path(path) if path else model_path()
    if not path.exists():
        raise ModelError(f"no model at {path}; build it with `notereview train`")
    try:
        weights = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"model file {path} cannot be read ({error.__class__.__name__}); "
                         "rebuild it with `notereview train`") from None
    return NmrModel(weights)


@lru_cache(maxsize=1)
def shipped_model() -> NmrModel:
    """The model shipped with the package, loaded once per process."""
    return load_model()
