"""The Doc's text, read once per Doc.

spaCy rebuilds `Doc.text` from the tokens on every access; several components need it, so
the first one to ask stores it in `doc.user_data` and the rest read it from there.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .dictation import with_spoken_punctuation
from .durations import duration_edits, with_edits
from .forms import clock_columns_as_ranges, without_diagnosis_pointers
from .markup import (as_ascii_table, without_emphasis, without_export_markup, without_interface_escapes,
                     without_struck_text)
from .scanned import as_read

KEY = "notereview_text"
REWRITTEN_KEY = "notereview_rewritten_durations"


def doc_text(doc: Doc) -> str:
    """The text of the Doc, built at most once."""
    text = doc.user_data.get(KEY)
    if text is None:
        text = doc.text
        doc.user_data[KEY] = text
    return text


def doc_for(nlp: Language, text: str) -> Doc | str:
    """A tokenized Doc that already holds its text, read as edited and repaired of box-drawn tables, export markup,
    scanning damage, Markdown emphasis and dictation, durations written as clock readings as minutes, and
    encounter forms' diagnosis pointers blanked and
    time grids' start and stop columns joined.

    Anything but a string is passed on as it is, for `nlp.pipe` to accept or refuse.
    """
    if not isinstance(text, str):
        return text
    # each repair keeps the text's length: the Doc's offsets are the note's
    if "\r" in text:  # Windows line ends ("\r\n") read as Unix ones, the "\r" as a trailing space; an old Mac's "\r" alone
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    text = without_export_markup(without_struck_text(as_ascii_table(without_interface_escapes(text))))
    text = with_spoken_punctuation(without_emphasis(as_read(text)))
    durations = duration_edits(text)
    text = with_edits(text, durations)
    text = clock_columns_as_ranges(without_diagnosis_pointers(text))
    doc = nlp.make_doc(text)
    doc.user_data[KEY] = text
    if durations:  # where a clock reading was rewritten as minutes, for its mention to quote the whole reading
        doc.user_data[REWRITTEN_KEY] = tuple((start, end) for start, end, _ in durations)
    return doc
