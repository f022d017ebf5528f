"""Tidy the SpanRuler's overlapping matches into the mentions a reader would underline."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

# A technique word inside a deficit phrase is part of the deficit: "impaired static balance"
# names a problem, not an exercise.
ABSORBED_BY_DEFICIT = {"technique", "intervention", "response"}


@Language.component("notereview_mentions", assigns=["doc.spans"], requires=["doc.spans"])
def tidy_mentions(doc: Doc) -> Doc:
    """Keep the longest match per type, and drop techniques that sit inside a deficit phrase."""
    by_type: dict[str, list] = {}
    for span in doc.spans.get("mentions", []):
        by_type.setdefault(span.label_, []).append(span)
    kept = {label: filter_spans(spans) for label, spans in by_type.items()}
    deficits = kept.get("deficit", [])
    for label in ABSORBED_BY_DEFICIT:
        if label in kept:
            kept[label] = [
                s for s in kept[label]
                if not any(d.start <= s.start and s.end <= d.end and (d.end - d.start) > (s.end - s.start) for d in deficits)
            ]
    spans = sorted((s for group in kept.values() for s in group), key=lambda s: (s.start, s.end, s.label_))
    doc.spans["mentions"] = spans
    return doc
