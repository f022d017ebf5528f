"""The spaCy pipeline: registered component names, serialization, multiprocessing."""
from __future__ import annotations

import spacy

from notereview.extract import extraction_from_doc
from notereview.nlp.pipeline import COMPONENTS, build_pipeline, get_pipeline
from tests.conftest import EXAMPLES


def notes() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]


def summary(doc):
    extraction = extraction_from_doc(doc)
    return ([(m.type, m.id, m.start, m.end, m.negated, m.hypothetical, m.historical) for m in extraction.mentions],
            [(s.code, s.minutes, s.units_billed) for s in extraction.services])


def test_pipeline_component_names_are_pinned():
    assert tuple(get_pipeline().pipe_names) == COMPONENTS


def test_pipeline_round_trips_through_disk(tmp_path):
    nlp = build_pipeline()
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    for text in notes():
        assert summary(loaded(text)) == summary(nlp(text))


def test_pipeline_runs_in_two_processes():
    nlp = get_pipeline()
    texts = notes() * 3
    single = [summary(doc) for doc in nlp.pipe(texts)]
    multi = [summary(doc) for doc in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert multi == single
