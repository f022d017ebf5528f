"""Tidy the SpanRuler's overlapping matches into the mentions a reader would underline."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .rules import feature_patterns, feature_words
from .text import doc_text

# A technique word inside (or the same words as) a deficit or measure phrase is part of it: "impaired static
# balance" names a problem and "9-hole peg test" a measure, not an exercise; likewise "manipulation" inside
# "in-hand manipulation" is the technique, not manual therapy.
ABSORBED = {"deficit": {"technique", "intervention", "response"}, "measure": {"technique", "intervention"},
            "technique": {"intervention"}}
STANCE_MEASURES = {"sls": "sls", "single leg stance": "sls", "single-leg stance": "sls", "single limb stance": "sls",
                   "single-limb stance": "sls", "slb": "sls", "single leg balance": "sls", "single-leg balance": "sls"}


def _stance_result_as_measure(doc: Doc, text: str, span: Span) -> Span | None:
    """'SLS R 5 s' reports a test result: the stance is a measure there, not an exercise."""
    if span.id_ != "balance_training" or span.text.lower() not in feature_words("stance_tests"):
        return None
    line_start = text.rfind("\n", 0, span.start_char) + 1
    if span.text.lower() not in STANCE_MEASURES and any(
            p.search(text[line_start:span.start_char]) for p in feature_patterns()["goal_lead_before_stance"]):
        return None  # "pt will hold tandem stance 20 s": a practised stance as a goal's criterion
    following = text[span.end_char: span.end_char + 40]
    for pattern in feature_patterns()["timed_result_after_stance"]:
        result = pattern.match(following)
        if result:
            # the test's conditions ("SLS L EC on foam: 12 s") belong to the measure, not to a technique
            conditions = re.match(r"[^\d<>~≥≤=:]*", following[:result.end()]).group(0).rstrip(" \t(:,-=")
            whole = doc.char_span(span.start_char, span.end_char + len(conditions), alignment_mode="expand")
            end = whole.end if whole is not None and "\n" not in conditions else span.end
            return Span(doc, span.start, end, label="measure", span_id=STANCE_MEASURES.get(span.text.lower(), "other"))
    return None


def _union_same_id(doc: Doc, spans: list[Span]) -> list[Span]:
    """Overlapping matches of one id become one mention: "tandem stance" + "stance on foam"."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.id_, s.start, -s.end)):
        last = merged[-1] if merged else None
        if last is not None and last.id_ == span.id_ and span.start < last.end:
            if span.end > last.end:
                merged[-1] = Span(doc, last.start, span.end, label=last.label_, span_id=last.id_)
            continue
        merged.append(span)
    return merged


def _not_a_technique(text: str, span: Span) -> bool:
    """A technique word that names a symptom's trigger or something else ('foam blocks')."""
    before = text[max(0, span.start_char - 60): span.start_char]
    if any(p.search(before) for p in feature_patterns()["symptom_provoked_by"]):
        after = text[span.end_char: span.end_char + 60]
        # "dizziness 4/10 with VOR x1, 3 x 60 s" was an exercise; "dizziness with head turns" a trigger
        return not any(p.match(after) for p in feature_patterns()["dosage_after_technique"])
    window_start = max(0, span.start_char - 20)
    window = text[window_start: span.end_char + 20]
    for pattern in feature_patterns()["not_a_technique"]:
        for match in pattern.finditer(window):
            if match.start() + window_start <= span.start_char and span.end_char <= match.end() + window_start:
                return True
    return False


def _techniques_outside_deficits(doc: Doc, techniques: list[Span], deficits: list[Span]) -> list[Span]:
    """Drop technique words that describe a problem rather than an exercise.

    "impaired dual-task gait" and "decreased weight shift" name deficits; in "decreased balance
    on compliant surfaces" or "impaired balance w/ head turns" the technique words name where the
    deficit shows. Neither says the exercise was done.
    """
    before = feature_words("deficit_words_before_technique")
    links = feature_words("deficit_condition_links")
    # only a stated impairment ("decreased balance") has a condition; "LOB with tandem stance" was practised
    deficit_ends = {d.end for d in deficits if d[0].lower_ in before}
    kept = []
    for span in techniques:
        lead = list(doc[max(0, span.start - 2): span.start])
        modifier_at = max((i for i, t in enumerate(lead) if t.lower_ in before), default=None)
        if modifier_at is not None and not any(t.is_punct for t in lead[modifier_at + 1:]):
            continue
        gap_start = span.start
        while gap_start > 0 and span.start - gap_start < 3 and doc[gap_start - 1].lower_ in links:
            gap_start -= 1
        if gap_start < span.start and gap_start in deficit_ends:
            deficit_ends.add(span.end)  # "decreased balance on foam and with head turns"
            continue
        kept.append(span)
    return kept


def _deficits_outside_diagnoses(deficits: list[Span], conditions: list[Span]) -> list[Span]:
    """Drop deficit words that only qualify a diagnosis: "spastic" in "spastic diplegic CP"."""
    nouns = feature_words("diagnosis_nouns")
    return [d for d in deficits
            if not any(c.start <= d.start and d.end <= c.end and len(c) > len(d) and c[-1].lower_ in nouns
                   for c in conditions)]


@Language.component("notereview_mentions", assigns=["doc.spans"], requires=["doc.spans"])
def tidy_mentions(doc: Doc) -> Doc:
    """Keep the longest match per type, drop techniques inside deficit phrases, and read stance times as measures."""
    by_type: dict[str, list] = {}
    text = doc_text(doc)
    for span in doc.spans.get("mentions", []):
        if span.label_ == "technique":
            if _not_a_technique(text, span):
                continue
            measure = _stance_result_as_measure(doc, text, span)
            if measure is not None:
                span = measure
        by_type.setdefault(span.label_, []).append(span)
    kept = {label: filter_spans(_union_same_id(doc, spans)) for label, spans in by_type.items()}
    for container, absorbed in ABSORBED.items():
        outer = kept.get(container, [])
        for label in absorbed:
            if label in kept and outer:
                kept[label] = [
                    s for s in kept[label]
                    if not any(o.start <= s.start and s.end <= o.end for o in outer)
                ]
    if "condition" in kept and "deficit" in kept:
        kept["deficit"] = _deficits_outside_diagnoses(kept["deficit"], kept["condition"])
    if "technique" in kept:
        kept["technique"] = _techniques_outside_deficits(doc, kept["technique"], kept.get("deficit", []))
    spans = sorted((s for group in kept.values() for s in group), key=lambda s: (s.start, s.end, s.label_))
    doc.spans["mentions"] = spans
    return doc
