"""Fit the mention check (mention_check.py) on the development part of the extraction corpus.

Each technique or intervention the vocabulary matches in a development note is one example of
its type, labelled by whether it overlaps a gold mention of that type. Figures come from grouped cross-validation: every fold
holds out whole corpus files (one writer and style each), so no figure comes from a style the
fold trained on. The frozen test part is never read.
"""
from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from .classifier import _checksum
from .evaluation import _overlaps, gold_mentions
from .extract import extraction_from_doc
from .nlp.pipeline import get_pipeline
from .nlp.text import doc_for, doc_text
from .training import corpus_hash
from .mention_check import CHECK_FORMAT, CHECKED_TYPES, DEFAULT_THRESHOLD, mentions_by_line, candidates, check_path

FOLDS = 5
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def collect_examples(dev_dir: Path, progress: Callable[[str], None] = lambda m: None,
                     types: tuple[str, ...] = CHECKED_TYPES) -> tuple[dict[str, list], dict[str, int]]:
    """Per type: (features, label, file, note id, gold indices covered) per match, and the gold count."""
    files = sorted(Path(dev_dir).glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{dev_dir}: no annotated notes")
    nlp = get_pipeline()
    examples: dict[str, list] = {t: [] for t in types}
    gold_total = {t: 0 for t in types}
    for number, file in enumerate(files, 1):
        rows = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        docs = nlp.pipe(doc_for(nlp, row["text"]) for row in rows)
        for row, doc in zip(rows, docs):
            gold_all = gold_mentions(row)
            extraction = extraction_from_doc(doc, check_mentions=False)
            codes = frozenset(s.code for s in extraction.services)
            # the Doc's text, as the check reads it at review time (durations rewritten, markup read)
            text, mentions = doc_text(doc), list(extraction.mentions)
            by_line = mentions_by_line(text, mentions)
            for mention_type in types:
                gold = [g for g in gold_all if g.type == mention_type]
                gold_total[mention_type] += len(gold)
                for mention, features in candidates(text, mentions, codes, mention_type, by_line):
                    covered = tuple(i for i, g in enumerate(gold) if _overlaps(mention.start, mention.end, g.start, g.end))
                    examples[mention_type].append((features, int(bool(covered)), file.stem, row["id"], covered))
        if number % 50 == 0:
            progress(f"read {number} of {len(files)} files")
    return examples, gold_total


def _scores(examples, probabilities, gold_total: int, threshold: float) -> dict:
    kept = [e for e, p in zip(examples, probabilities) if p >= threshold]
    true = sum(e[1] for e in kept)
    covered = {(e[3], i) for e in kept for i in e[4]}
    precision = true / len(kept) if kept else 0.0
    recall = len(covered) / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "kept": len(kept), "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4)}


def _fit(features, labels, C: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform({f: 1 for f in row} for row in features)
    model = LogisticRegression(C=C, max_iter=3000).fit(x, labels)
    return vectorizer, model


def _cross_validated(examples: list, C: float) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    features = [e[0] for e in examples]
    labels = np.array([e[1] for e in examples])
    groups = np.array([e[2] for e in examples])
    probabilities = np.zeros(len(examples))
    for train, held_out in GroupKFold(FOLDS).split(features, labels, groups):
        vectorizer, model = _fit([features[i] for i in train], labels[train], C)
        x = vectorizer.transform({f: 1 for f in features[i]} for i in held_out)
        probabilities[held_out] = model.predict_proba(x)[:, 1]
    return probabilities


def train_mention_check(dev_dir: Path, output: Path | None = None, C: float = 1.0,
                        threshold: float = DEFAULT_THRESHOLD, types: tuple[str, ...] = CHECKED_TYPES,
                        progress: Callable[[str], None] = lambda m: None) -> dict:
    """Cross-validate by file, fit on every development note, export the weights; return the card."""
    import sklearn

    progress("reading the development part ...")
    examples, gold_total = collect_examples(dev_dir, progress, types)
    card = {
        "model": "notereview mention check",
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "corpus": {"path": str(dev_dir), "sha256": corpus_hash(dev_dir),
                   "files": len({e[2] for t in types for e in examples[t]})},
        "C": C,
        "versions": {"scikit-learn": sklearn.__version__, "python": platform.python_version()},
        "types": {},
    }
    models = {}
    for mention_type in types:
        progress(f"{mention_type}: cross-validation by file ({FOLDS} folds) ...")
        probabilities = _cross_validated(examples[mention_type], C)
        progress(f"{mention_type}: fitting on every development note ...")
        vectorizer, model = _fit([e[0] for e in examples[mention_type]], np.array([e[1] for e in examples[mention_type]]), C)
        models[mention_type] = {
            "threshold": threshold, "intercept": round(float(model.intercept_[0]), 6),
            "weights": {name: round(float(w), 6) for name, w in zip(vectorizer.feature_names_, model.coef_[0])
                        if abs(w) >= 1e-4}}
        card["types"][mention_type] = {
            "matches": len(examples[mention_type]), "gold": gold_total[mention_type], "threshold": threshold,
            "cv_by_file": [_scores(examples[mention_type], probabilities, gold_total[mention_type], t) for t in THRESHOLDS]}
    body = {"format": CHECK_FORMAT, "types": models, "card": card}
    body["checksum"] = _checksum(body)
    output = Path(output) if output else check_path()
    output.write_text(json.dumps(body, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    return {**card, "path": str(output)}
