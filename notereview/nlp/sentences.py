"""Sentence boundaries for clinical notes: line breaks, bullets and end punctuation."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

END_PUNCT = {".", "!", "?"}


@Language.component("notereview_sentences", assigns=["token.is_sent_start"])
def clinical_sentences(doc: Doc) -> Doc:
    """Start a sentence after a newline and after '.', '!' or '?' (notes rarely wrap lines mid-sentence)."""
    for index, token in enumerate(doc):
        if index == 0:
            token.is_sent_start = True
            continue
        previous = doc[index - 1]
        starts = "\n" in previous.text or "\n" in previous.whitespace_ or (
            previous.text in END_PUNCT and not token.is_space
        )
        if "\n" in previous.text_with_ws and previous.is_space:
            starts = True
        token.is_sent_start = bool(starts)
    return doc
