"""The Doc's text, read once per Doc.

spaCy rebuilds `Doc.text` from the tokens on every access; several components need it, so
the first one to ask stores it in `doc.user_data` and the rest read it from there.
"""
from __future__ import annotations

from spacy.tokens import Doc

KEY = "notereview_text"


def doc_text(doc: Doc) -> str:
    """The text of the Doc, built at most once."""
    text = doc.user_data.get(KEY)
    if text is None:
        text = doc.text
        doc.user_data[KEY] = text
    return text
