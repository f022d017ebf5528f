"""Encounter forms and superbills copied under a note: the labelled diagnosis pointers of their code
rows ("[X] 97112 NMR  GP  Dx 1,2  Min 26  Units 2") are blanked, so that the numbers the service
readers see on a code's row are its minutes and units.

Same length in and out: the Doc's offsets stay the note's. A pointer column with no label on the
row ("A,C" under a "Ptr" heading) is left: blanked, its run of spaces misleads the column readers
more often than the letters do.
"""
from __future__ import annotations

import re

CODE_ON_LINE = re.compile(r"^[^\n]*\b(?:97\d{3}|G0\d{3})\b[^\n]*$", re.MULTILINE)
_POINTER = r"(?:[1-4]|[A-D])"
# "Dx 1,2", "Dx: A", "Ptr A,C", "Dx ptr 1", "pointer: B": a label and the diagnoses it points to
LABELLED_POINTERS = re.compile(rf"\b(?:dx|diag|ptrs?|pointers?)\b\.?(?:[ \t]*(?:ptrs?|pointers?)\b)?[ \t]*[:#]?[ \t]*"
                               rf"{_POINTER}(?:[ \t]*,[ \t]*{_POINTER})*(?![\w.])", re.IGNORECASE)
HINT = re.compile(r"\b(?:dx|diag|ptr|pointer)", re.IGNORECASE)


def without_diagnosis_pointers(text: str) -> str:
    """The text with the labelled diagnosis pointers on lines holding a code blanked to spaces, same length."""
    if not HINT.search(text):
        return text
    spans = [match.span() for line in CODE_ON_LINE.finditer(text)
             for match in LABELLED_POINTERS.finditer(text, line.start(), line.end())]
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
