"""Punctuation a speech recogniser wrote out as words, put back for reading.

"new paragraph Billing colon neuromuscular re-education ...": dictated notes sometimes keep the
spoken commands. "new paragraph" becomes a line break and a heading's "colon" its colon, each
padded with spaces to the same length, so every offset still points into the note as written.
Only a heading's colon is read so ("stage III colon ca" keeps its colon).
"""
from __future__ import annotations

import re

NEW_PARAGRAPH = re.compile(r"\bnew paragraph\b ?", re.IGNORECASE)
# a heading of one to four words opening its line (or what a "new paragraph" opened), then "colon"
HEADING_COLON = re.compile(r"(?m)^([ \t]*[A-Za-z][A-Za-z/&-]*(?: [A-Za-z][A-Za-z/&-]*){0,3}) colon\b")


def with_spoken_punctuation(text: str) -> str:
    """The note with dictated "new paragraph" and a heading's "colon" read as punctuation."""
    if "colon" not in text and "paragraph" not in text:
        return text
    text = NEW_PARAGRAPH.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
    return HEADING_COLON.sub(lambda m: m.group(1) + ":" + " " * (len(m.group(0)) - len(m.group(1)) - 1), text)
