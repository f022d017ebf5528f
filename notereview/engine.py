"""The review flow: text -> spaCy Doc -> mentions and services -> decision -> billing -> gaps -> Review.

This is the only module that knows the order of the stages.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Iterator

from . import billing
from .classifier import NmrModel, shipped_model
from .extract import Extraction, extraction_from_doc
from .features import SegmentFeatures, extracted_counts
from .gaps import GapInputs, find_gaps, gap_rules, score
from .nlp.pipeline import get_pipeline
from .nlp.rules import feature_words
from .nlp.text import doc_for, doc_text
from .results import Allocation, Decision, Review, Service

PAYERS = ("cms", "ama")

WORD_RE = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def review(text: str, *, id: str | None = None, payer: str = "cms", model: NmrModel | None = None) -> Review:
    """Review one note: what it documents, whether it supports 97112, and what is missing."""
    return next(review_many([text], ids=[id], payer=payer, model=model))


def review_many(texts: Iterable[str], *, ids: Iterable[str | None] | None = None, payer: str = "cms",
                model: NmrModel | None = None, batch_size: int = 64) -> Iterator[Review]:
    """Review many notes, streaming them through spaCy's `nlp.pipe`."""
    if payer not in PAYERS:
        raise ValueError(f"unknown payer method {payer!r}: use one of {', '.join(PAYERS)}")
    model = model or shipped_model()
    nlp = get_pipeline()
    pairs = zip(texts, ids, strict=True) if ids is not None else ((text, None) for text in texts)
    # as_tuples carries each note's text and id through nlp.pipe, so nothing is held back;
    # the Doc is made here so the components need not rebuild its text from the tokens
    for doc, (text, note_id) in nlp.pipe(((doc_for(nlp, text), (text, note_id)) for text, note_id in pairs),
                                         as_tuples=True, batch_size=batch_size):
        yield review_doc(doc, id=note_id, payer=payer, model=model, text=text)


def judged_ranges(extraction: Extraction, text_length: int) -> tuple[tuple[int, int], ...]:
    """The text judged as the 97112 content.

    The 97112 segment (each of its sittings) when the note documents it under its own heading; otherwise (no codes, or
    a code only on a billing line) the note less the segments of the other services.
    """
    thin = gap_rules()["thin_segment_words"]
    words = extraction.segment_words
    nmr = next((s for s in extraction.services if s.code == "97112"), None)
    if nmr is not None and words.get("97112", 0) >= thin:
        # "AM: 97112 15 min - seated marching ...", "PM: 97112 12 min - foam, perturbations": every sitting that
        # documents its work is judged (not "AM billing: 97112 25 min x2", whose work is written elsewhere)
        sittings = [(start, end) for start, end, words in extraction.sitting_ranges.get("97112", ()) if words >= thin]
        return tuple(sittings) if len(sittings) > 1 else ((nmr.start, nmr.end),)
    others = sorted((s.start, s.end) for s in extraction.services if s.code != "97112" and words.get(s.code, 0) >= thin)
    ranges, cursor = [], 0
    for start, end in others:
        if start > cursor:
            ranges.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < text_length:
        ranges.append((cursor, text_length))
    return tuple(ranges) or ((0, text_length),)


def segment_features(text: str, extraction: Extraction, ranges: tuple[tuple[int, int], ...]) -> SegmentFeatures:
    """The classifier's input for the judged ranges of a note."""
    judged_text = "\n".join(text[s:e] for s, e in ranges)
    inside = [m for m in extraction.mentions if any(s <= m.start < e for s, e in ranges)]
    return SegmentFeatures(judged_text, extracted_counts(judged_text, inside, list(extraction.mentions)))


def _allocate(services: tuple[Service, ...], stated_total: int | None) -> tuple[tuple[Service, ...], Allocation]:
    """Units per code and for the visit; unknown (None) where a timed service has no minutes.

    A visit billing only untimed codes (group, evaluations, unattended modalities) has no timed
    total to count: None, as for a note with no billing, not 0.

    Allocation across codes needs every timed code's minutes [CPM]: with one missing, neither
    the total nor any code's share can be known, so none is claimed. A total the note states
    ("total timed 40 min") is kept apart, with the CMS units it gives: Medicare asks for total
    timed minutes, not minutes per code [BPM] §220.3.E, so the unit checks still use it, but
    it is the note's claim, not a sum the tool could check.
    """
    timed = [s for s in services if s.timed]
    stated_units = billing.units_for_minutes(stated_total) if stated_total is not None else None
    if not timed or any(s.minutes is None for s in timed):
        # AMA counts each code alone, so known codes keep their AMA units
        result = tuple(replace(s, units_allocated_ama=billing.units_for_minutes(s.minutes))
                       if s.timed and s.minutes is not None else s for s in services)
        return result, Allocation(None, None, None, stated_timed_minutes=stated_total,
                                  units_allowed_cms_stated=stated_units)
    pairs = [billing.CodeMinutes(s.code, s.minutes) for s in timed]
    cms, ama = billing.allocate_cms(pairs), billing.allocate_ama(pairs)
    result = tuple(replace(s, units_allocated_cms=cms.units[s.code], units_allocated_ama=ama.units[s.code])
                   if s.timed else s for s in services)
    return result, Allocation(sum(s.minutes for s in timed), cms.total_units, ama.total_units, cms.tied_codes,
                              stated_timed_minutes=stated_total, units_allowed_cms_stated=stated_units)


def _looks_like_therapy_note(text: str, extraction: Extraction) -> list[str]:
    words = WORD_RE.findall(text.lower())
    reasons = []
    if len(words) >= 8:
        english_words = feature_words("english_words")
        english = sum(map(english_words.__contains__, words)) / len(words)
        if english < 0.04:
            reasons.append("the text does not read as English")
    clinical = sum(1 for m in extraction.mentions if m.type in ("technique", "intervention", "deficit", "cue", "measure"))
    if clinical + len(extraction.services) == 0:
        reasons.append("the text names no therapy service, intervention, deficit or measure")
    return reasons


def review_doc(doc, *, id: str | None = None, payer: str = "cms", model: NmrModel | None = None,
               text: str | None = None) -> Review:
    """Review a Doc already processed by the notereview pipeline (pass its text if you have it: Doc.text is rebuilt)."""
    model = model or shipped_model()
    text = doc.text if text is None else text
    extraction = extraction_from_doc(doc)
    if doc_text(doc) != text:  # hard line wraps were read as spaces: quote each mention as the note wrote it
        extraction = replace(extraction, mentions=tuple(replace(m, text=text[m.start:m.end]) for m in extraction.mentions))
    services, allocation = _allocate(extraction.services, extraction.stated_timed_minutes)
    ranges = judged_ranges(extraction, len(text))
    features = segment_features(text, extraction, ranges)
    probability, contributions = model.explain(features)
    label = "nmr" if probability >= 0.5 else "strengthening"
    reasons = _looks_like_therapy_note(text, extraction)
    low, high = model.band
    if low <= probability <= high:
        reasons.append(f"P(nmr) = {probability:.2f} lies in the uncertain band {low:.2f}-{high:.2f}")
    decision = Decision(label, probability, bool(reasons), tuple(reasons), contributions, ranges)
    units_allowed = allocation.units_allowed_ama if payer == "ama" else allocation.units_allowed_cms_or_stated
    inputs = GapInputs(
        text=text, claims_97112=extraction.claims_97112, label=label, mentions=extraction.mentions,
        services=services, judged=ranges, timed_minutes_total=allocation.timed_minutes_or_stated,
        units_allowed=units_allowed, tied_codes=allocation.ties, payer=payer,
    )
    context = _template_context(text, extraction, services, allocation, ranges, payer)
    gaps = find_gaps(inputs, context)
    notices = tuple(reasons)
    return Review(
        id=id, text=text, claims_97112=extraction.claims_97112, decision=decision, services=services,
        allocation=allocation, entities=extraction.mentions, gaps=gaps, score=score(gaps), payer=payer,
        notices=notices,
    )


def _template_context(text, extraction, services, allocation, ranges, payer) -> dict:
    """Facts every feedback template may use: what the note did document."""
    performed = [m for m in extraction.mentions if m.type == "technique" and m.performed
                 and any(s <= m.start < e for s, e in ranges)]
    nmr = next((s for s in services if s.code == "97112"), None)
    deficits = [m for m in extraction.mentions if m.type == "deficit" and not m.negated and not m.hypothetical]
    return {
        "nmr_minutes": nmr.minutes if nmr else None,
        "nmr_units": nmr.units_billed if nmr else None,
        "performed_techniques": list(dict.fromkeys(m.text for m in performed))[:3],
        "deficit_examples": list(dict.fromkeys(m.text for m in deficits))[:2],
        "timed_minutes_total": allocation.timed_minutes_total,
        "payer": payer,
    }
