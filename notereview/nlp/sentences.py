"""Sentence boundaries for clinical notes: line breaks and end punctuation.

Notes rarely wrap a sentence over a line break, and bullets, table rows and headings each
stand on their own line, so a new line always starts a sentence, as does the token after
'.', '!' or '?'. Boundaries are found on the text with one regular expression and written
in one array operation (a per-token Python loop cost more than the rest of the pipeline).
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .text import doc_text

# A sentence starts at the first non-space character after a newline, or after . ! ? and space.
BOUNDARY = re.compile(r"(?:\n|(?<=[.!?])[ \t]+)\s*(?=\S)")


@Language.component("notereview_sentences", assigns=["token.is_sent_start"])
def clinical_sentences(doc: Doc) -> Doc:
    """Mark sentence starts after a newline and after '.', '!' or '?'."""
    if not len(doc):
        return doc
    starts = numpy.full(len(doc), -1, dtype="int32")
    starts[0] = 1
    token_starts = doc.to_array(IDX).astype("int64")
    offsets = [m.end() for m in BOUNDARY.finditer(doc_text(doc))]
    if offsets:
        indices = numpy.searchsorted(token_starts, numpy.asarray(offsets, dtype="int64"))
        indices = indices[indices < len(doc)]
        hits = indices[token_starts[indices] == numpy.asarray(offsets, dtype="int64")[: len(indices)]]
        starts[hits] = 1
    doc.from_array([SENT_START], starts.reshape(-1, 1).astype("uint64"))
    return doc
