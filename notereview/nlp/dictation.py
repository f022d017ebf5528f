"""Punctuation a speech recogniser wrote out as words, put back for reading.

"new paragraph Billing colon neuromuscular re-education ...": dictated notes sometimes keep the
spoken commands. "new paragraph" becomes a line break and a heading's "colon" its colon, each
padded with spaces to the same length, so every offset still points into the note as written.
Only a heading's colon is read so, and only in a note that says "new paragraph", has two such
headings or names a known section so ("Billing colon ..."): "PMH colon ca 2015" keeps its colon.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .rules import feature_words, sections as section_rules

NEW_PARAGRAPH = re.compile(r"\bnew paragraph\b ?", re.IGNORECASE)


@lru_cache(maxsize=None)
def _heading_colon() -> re.Pattern:
    """A heading of one to four words opening its line (or what a "new paragraph" opened), then "colon";
    not the organ (features.json `colon_as_organ_before`: "PMH colon ca 2015")."""
    organ = "|".join(sorted(map(re.escape, feature_words("colon_as_organ_before")), key=len, reverse=True))
    return re.compile(r"(?m)^([ \t]*[A-Za-z][A-Za-z/&-]*(?: [A-Za-z][A-Za-z/&-]*){0,3}) colon\b"
                      rf"(?! (?:{organ})\b)")


def with_spoken_punctuation(text: str) -> str:
    """The note with dictated "new paragraph" and a heading's "colon" read as punctuation."""
    if "colon" not in text and "paragraph" not in text:
        return text
    dictated = NEW_PARAGRAPH.search(text) is not None
    text = NEW_PARAGRAPH.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
    heading_colon = _heading_colon()
    headings = heading_colon.findall(text)
    if not dictated and len(headings) < 2 and not any(h.strip().lower() in _section_names() for h in headings):
        return text  # "PMH colon ca 2015": one such line in a typed note is a word, not a command
    return heading_colon.sub(lambda m: m.group(1) + ":" + " " * (len(m.group(0)) - len(m.group(1)) - 1), text)


@lru_cache(maxsize=None)
def _section_names() -> frozenset[str]:
    """The heading names of sections.json ("billing", "assessment" ...): "Billing colon ..." alone is one."""
    return frozenset(name for names in section_rules()["headings"].values() for name in names if len(name) > 2)
