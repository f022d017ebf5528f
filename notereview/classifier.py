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
import os
import re
from collections import Counter
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
        # the n-grams in order: tokens[i:i + n] for every i, as n staggered copies zipped together
        terms.extend(tokens if n == 1 else map(" ".join, zip(*(tokens[i:] for i in range(n)))))
    return terms


@lru_cache(maxsize=65536)
def _word_char_grams(word: str, low: int, high: int) -> tuple[str, ...]:
    # Mirrors scikit-learn's char_wb analyzer for one word (a test checks the two agree);
    # cached because the words of therapy notes repeat from note to note.
    word = " " + word + " "
    length = len(word)
    grams = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(word[offset:offset + n])
        while offset + n < length:
            offset += 1
            grams.append(word[offset:offset + n])
        if offset == 0:
            break
    return tuple(grams)


def _counted(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(columns, return_counts=True)` for a non-empty integer array, without its overhead."""
    ordered = np.sort(columns)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(starts, append=len(ordered))


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
        self.checksum = weights["checksum"]
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
        self._char_cache: dict[str, np.ndarray] = {}

    def _tfidf(self, terms: list[str], block: _Block) -> tuple[np.ndarray, np.ndarray]:
        index = block.index
        counter = Counter(terms)
        known = counter.keys() & index.keys()
        if not known:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        known = sorted(known)  # a set's order changes with the process's hash seed; results must not
        columns = np.fromiter(map(index.__getitem__, known), dtype=np.int64, count=len(known))
        counts = np.fromiter(map(counter.__getitem__, known), dtype=float, count=len(known))
        values = (1.0 + np.log(counts)) * block.idf[columns]
        norm = math.sqrt(float(values @ values))
        if norm == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return columns + block.offset, values / norm

    def _char_columns(self, word: str) -> np.ndarray:
        """The vocabulary columns of a word's character n-grams (cached: words repeat across notes)."""
        columns = self._char_cache.get(word)
        if columns is None:
            index = self.chars.index
            columns = np.fromiter((index[g] for g in _word_char_grams(word, *self.char_range) if g in index),
                                  dtype=np.int64)
            columns.flags.writeable = False  # shared by every note with this word
            if len(self._char_cache) < 200_000:
                self._char_cache[word] = columns
        return columns

    def _char_tfidf(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        # scikit-learn collapses whitespace runs before splitting; split() alone gives the same words
        words = text.lower().split()
        cache = self._char_cache
        try:
            parts = [cache[word] for word in words]
        except KeyError:  # a word not seen yet
            parts = [self._char_columns(word) for word in words]
        columns = np.concatenate(parts) if words else ()
        if not len(columns):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        unique, counts = _counted(columns)
        values = (1.0 + np.log(counts)) * self.chars.idf[unique]
        norm = math.sqrt(float(values @ values))
        return unique + self.chars.offset, values / norm

    def vector(self, segment: SegmentFeatures) -> tuple[np.ndarray, np.ndarray]:
        """The sparse feature vector (column indices, values), as scikit-learn's fitted pipeline builds it."""
        word_cols, word_vals = self._tfidf(_word_terms(segment.text, self.word_range), self.words)
        char_cols, char_vals = self._char_tfidf(segment.text)
        extracted = [(self.extracted_index[n], float(v)) for n, v in segment.counts.items() if n in self.extracted_index]
        ext_cols = np.fromiter((i for i, _ in extracted), dtype=np.int64, count=len(extracted))
        ext_vals = np.fromiter((v for _, v in extracted), dtype=float, count=len(extracted))
        return np.concatenate([word_cols, char_cols, ext_cols]), np.concatenate([word_vals, char_vals, ext_vals])

    def decision_value(self, x: tuple[np.ndarray, np.ndarray]) -> float:
        columns, values = x
        return self.intercept + float(self.coef[columns] @ values)

    def probability(self, segment: SegmentFeatures) -> float:
        """Calibrated P(nmr)."""
        return self._calibrate(self.decision_value(self.vector(segment)))

    def _calibrate(self, decision: float) -> float:
        z = self.a * decision + self.b
        return 1.0 / (1.0 + math.exp(z)) if z > -700 else 1.0

    def explain(self, segment: SegmentFeatures, top: int = 6) -> tuple[float, tuple[Contribution, ...]]:
        """P(nmr) and the words and extracted features that pushed it most, either way.

        Character n-grams carry much of the weight but read as noise, so the explanation names
        the words and extracted features only.
        """
        columns, values = self.vector(segment)
        probability = self._calibrate(self.intercept + float(self.coef[columns] @ values))
        # Calibration slope a is negative for a well-fitted model: a positive coefficient pushes to nmr.
        direction = -1.0 if self.a > 0 else 1.0
        extracted_start = self.chars.offset + len(self.chars.index)
        readable = (columns < self.chars.offset) | (columns >= extracted_start)
        columns, weights = columns[readable], self.coef[columns[readable]] * values[readable] * direction
        order = np.lexsort((columns, -np.abs(weights)))[:top]  # ties broken by column: same in every process
        contributions = []
        for position in order:
            column = int(columns[position])
            name = (f"'{self.word_names[column]}'" if column < self.chars.offset
                    else self.extracted_names[column - extracted_start])
            contributions.append(Contribution(name, float(weights[position])))
        return probability, tuple(contributions)


def model_path() -> Path:
    """Where the shipped model lives inside the package."""
    return Path(str(resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)))


def read_weights(path: Path, what: str, command: str) -> dict:
    """The JSON export at `path` (the `what` of notereview, rebuilt by `command`); clear errors for a missing or
    unreadable file."""
    if not path.exists():
        raise ModelError(f"no {what} at {path}; build it with `{command}`")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{what} file {path} cannot be read ({error.__class__.__name__}); "
                         f"rebuild it with `{command}`") from None


def load_model(path: str | Path | None = None) -> NmrModel:
    """Load and verify a model export; clear errors for a missing or damaged file."""
    return NmrModel(read_weights(Path(path) if path else model_path(), "model", "notereview train"))


@lru_cache(maxsize=1)
def shipped_model() -> NmrModel:
    """The model in use, loaded once per process: NOTEREVIEW_MODEL if set, else the one shipped."""
    return load_model(os.environ.get("NOTEREVIEW_MODEL") or None)
