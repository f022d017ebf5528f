"""Train and evaluate the 97112 classifier from the labelled corpus (scikit-learn is needed here only).

Evaluation is by note: every fold holds out whole notes, and leave-one-style-out holds out a
whole writing style, so no figure comes from text the model trained on.
"""
from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from .classifier import export_weights, make_pipeline, model_path
from .extract import extraction_from_doc
from .features import SegmentFeatures
from .nlp.pipeline import get_pipeline
from .nlp.text import doc_for
from .engine import judged_ranges, segment_features

LABELS = ("strengthening", "nmr")  # y = 1 means nmr


@dataclass(frozen=True)
class LabelledNote:
    """A corpus note with its label and writing style."""

    id: str
    style: str
    setting: str
    label: str
    text: str
    origin: str


def load_corpus(corpus_dir: Path) -> list[LabelledNote]:
    """Every labelled note under a folder of JSONL files, in a stable order."""
    notes = []
    files = sorted(Path(corpus_dir).rglob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{corpus_dir}: no .jsonl files with labelled notes")
    for file in files:
        origin = file.parent.name
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") not in LABELS:
                raise ValueError(f"{file}:{number}: label must be one of {LABELS}")
            notes.append(LabelledNote(row["id"], row.get("style", file.stem), row.get("setting", ""), row["label"],
                                      row["text"], origin))
    return notes


def corpus_hash(corpus_dir: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(Path(corpus_dir).rglob("*.jsonl")):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def featurize(notes: list[LabelledNote]) -> list[SegmentFeatures]:
    """Run the extraction on every note and build the classifier input exactly as a review does."""
    nlp = get_pipeline()
    segments = []
    # doc_for repairs the layout for reading as review does; the features read the note as written
    docs = nlp.pipe((doc_for(nlp, n.text) for n in notes), batch_size=64)
    for doc, note in zip(docs, notes):
        extraction = extraction_from_doc(doc)
        segments.append(segment_features(note.text, extraction, judged_ranges(extraction, len(note.text))))
    return segments


def _metrics(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict:
    predicted = (p >= 0.5).astype(int)
    accuracy = float((predicted == y).mean())
    f1s = []
    for positive in (0, 1):
        tp = int(((predicted == positive) & (y == positive)).sum())
        fp = int(((predicted == positive) & (y != positive)).sum())
        fn = int(((predicted != positive) & (y == positive)).sum())
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    brier = float(np.mean((p - y) ** 2))
    # Expected calibration error over equal-width bins of P(nmr).
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (p >= low) & ((p < high) if high < 1 else (p <= high))
        if inside.any():
            ece += inside.mean() * abs(p[inside].mean() - y[inside].mean())
    confusion = {
        "nmr_as_nmr": int(((predicted == 1) & (y == 1)).sum()),
        "nmr_as_strengthening": int(((predicted == 0) & (y == 1)).sum()),
        "strengthening_as_nmr": int(((predicted == 1) & (y == 0)).sum()),
        "strengthening_as_strengthening": int(((predicted == 0) & (y == 0)).sum()),
    }
    return {"n": int(len(y)), "accuracy": round(accuracy, 4), "macro_f1": round(float(np.mean(f1s)), 4),
            "brier": round(brier, 4), "ece": round(float(ece), 4), "confusion": confusion}


def _fit_predict(train_x, train_y, test_x, seed: int) -> np.ndarray:
    pipeline = make_pipeline(seed=seed)
    pipeline.fit(train_x, train_y)
    return pipeline.predict_proba(test_x)[:, 1]


def cross_validated_probabilities(segments, y: np.ndarray, seed: int) -> np.ndarray:
    """Out-of-fold P(nmr) for every note, stratified 5-fold."""
    from sklearn.model_selection import StratifiedKFold

    p = np.zeros(len(y))
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        p[test] = _fit_predict([segments[i] for i in train], y[train], [segments[i] for i in test], seed)
    return p


def leave_one_style_out(notes, segments, y: np.ndarray, seed: int) -> tuple[dict, np.ndarray]:
    """Train on every style but one, test on that one; per-style and pooled figures."""
    styles = sorted({n.style for n in notes})
    p = np.zeros(len(y))
    per_style = {}
    for style in styles:
        test = np.array([n.style == style for n in notes])
        p[test] = _fit_predict([s for s, t in zip(segments, test) if not t], y[~test],
                               [s for s, t in zip(segments, test) if t], seed)
        per_style[style] = _metrics(y[test], p[test])
    return per_style, p


def uncertainty_band(y: np.ndarray, p: np.ndarray, target_accuracy: float = 0.98, minimum_half_width: float = 0.1) -> tuple[float, float]:
    """The narrowest band around 0.5 outside which cross-validated accuracy reaches the target.

    Chosen on out-of-fold probabilities (never on a test split): notes inside the band are
    flagged `needs_review` instead of being given confident advice.
    """
    best = (0.5, 0.5)
    for half_width in np.arange(minimum_half_width, 0.46, 0.01):
        low, high = 0.5 - half_width, 0.5 + half_width
        outside = (p < low) | (p > high)
        if outside.sum() == 0:
            break
        accuracy = float((((p >= 0.5).astype(int)) == y)[outside].mean())
        best = (round(low, 2), round(high, 2))
        if accuracy >= target_accuracy:
            break
    return best


def evaluate_heldout(corpus_dir: Path, heldout_dir: Path, seed: int = 0) -> dict:
    """Train on the whole corpus, test on notes by other writers in styles the corpus lacks."""
    train_notes, test_notes = load_corpus(corpus_dir), load_corpus(heldout_dir)
    y_train = np.array([LABELS.index(n.label) for n in train_notes])
    y_test = np.array([LABELS.index(n.label) for n in test_notes])
    p = _fit_predict(featurize(train_notes), y_train, featurize(test_notes), seed)
    per_style = {}
    for style in sorted({n.style for n in test_notes}):
        mask = np.array([n.style == style for n in test_notes])
        per_style[style] = _metrics(y_test[mask], p[mask])
    return {"all": _metrics(y_test, p), "per_style": per_style,
            "misread": [n.id for n, yi, pi in zip(test_notes, y_test, p) if int(pi >= 0.5) != yi]}


def evaluate_classifier(corpus_dir: Path, seed: int = 0, progress: Callable[[str], None] = lambda m: None) -> dict:
    """Cross-validated and leave-one-style-out figures on the labelled corpus."""
    notes = load_corpus(corpus_dir)
    progress(f"extracting features from {len(notes)} notes ...")
    segments = featurize(notes)
    y = np.array([LABELS.index(n.label) for n in notes])
    progress("stratified 5-fold cross-validation ...")
    p_cv = cross_validated_probabilities(segments, y, seed)
    progress("leave-one-style-out ...")
    per_style, p_loso = leave_one_style_out(notes, segments, y, seed)
    origins = sorted({n.origin for n in notes})
    by_origin = {o: _metrics(y[np.array([n.origin == o for n in notes])],
                             p_cv[np.array([n.origin == o for n in notes])]) for o in origins}
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "notes": len(notes),
        "labels": {label: int((y == i).sum()) for i, label in enumerate(LABELS)},
        "styles": sorted({n.style for n in notes}),
        "cv": _metrics(y, p_cv),
        "cv_by_origin": by_origin,
        "leave_one_style_out": _metrics(y, p_loso),
        "per_style": per_style,
        "band": uncertainty_band(y, p_cv),
    }


def format_report(report: dict) -> str:
    """A plain-text table of the evaluation report."""
    lines = [f"notereview classifier evaluation ({report['date']}): {report['notes']} notes "
             f"({report['labels']['nmr']} nmr / {report['labels']['strengthening']} strengthening), "
             f"{len(report['styles'])} styles", ""]
    header = f"{'split':<34}{'n':>5}{'accuracy':>10}{'macro-F1':>10}{'Brier':>8}{'ECE':>8}"
    lines.append(header)
    lines.append("-" * len(header))

    def row(name, m):
        lines.append(f"{name:<34}{m['n']:>5}{m['accuracy']:>10.3f}{m['macro_f1']:>10.3f}{m['brier']:>8.3f}{m['ece']:>8.3f}")

    row("5-fold CV (stratified)", report["cv"])
    for origin, m in report["cv_by_origin"].items():
        row(f"  5-fold CV, {origin}", m)
    row("leave-one-style-out", report["leave_one_style_out"])
    for style, m in report["per_style"].items():
        row(f"  held out: {style}", m)
    c = report["leave_one_style_out"]["confusion"]
    lines += ["", "leave-one-style-out confusion (rows = truth):",
              f"  nmr:           {c['nmr_as_nmr']:>4} nmr  {c['nmr_as_strengthening']:>4} strengthening",
              f"  strengthening: {c['strengthening_as_nmr']:>4} nmr  {c['strengthening_as_strengthening']:>4} strengthening",
              "", f"needs_review band (from 5-fold CV): P(nmr) in [{report['band'][0]:.2f}, {report['band'][1]:.2f}]"]
    if "heldout" in report:
        lines += ["", "held-out writers and styles (trained on the whole corpus, never tuned on these):", header,
                  "-" * len(header)]
        row("held-out, all", report["heldout"]["all"])
        for style, m in report["heldout"]["per_style"].items():
            row(f"  {style}", m)
    return "\n".join(lines)


def train(corpus_dir: Path, output: Path | None = None, seed: int = 0,
          progress: Callable[[str], None] = lambda m: None) -> dict:
    """Fit on the whole corpus, export the weights with a model card, and return the card."""
    import sklearn
    import spacy

    report = evaluate_classifier(corpus_dir, seed=seed, progress=progress)
    notes = load_corpus(corpus_dir)
    segments = featurize(notes)
    y = np.array([LABELS.index(n.label) for n in notes])
    progress("fitting the final model on every note ...")
    pipeline = make_pipeline(seed=seed)
    pipeline.fit(segments, y)
    output = Path(output) if output else model_path()
    card = {
        "model": "notereview 97112 classifier",
        "created": report["date"],
        "seed": seed,
        "corpus": {"path": str(corpus_dir), "sha256": corpus_hash(corpus_dir), "notes": len(notes),
                   "labels": report["labels"], "styles": report["styles"]},
        "versions": {"scikit-learn": sklearn.__version__, "spacy": spacy.__version__, "python": platform.python_version()},
        "metrics": {"cv": report["cv"], "leave_one_style_out": report["leave_one_style_out"],
                    "per_style": report["per_style"], "cv_by_origin": report["cv_by_origin"]},
        "uncertainty_band": list(report["band"]),
    }
    weights = export_weights(pipeline, report["band"], card)
    output.write_text(json.dumps(weights, separators=(",", ":")), encoding="utf-8")
    card_path = output.with_name(output.stem + ".card.json")
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return {**card, "path": str(output)}
