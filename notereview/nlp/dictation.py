"""Punctuation a speech recogniser wrote out as words, put back for reading.

"new paragraph Billing colon neuromuscular re-education ...": dictated notes sometimes keep the
spoken commands. "new paragraph" and "new line" become a line break and a heading's "colon" its colon,
each padded with spaces to the same length, so every offset still points into the note as written.
Only a heading's colon is read so, and only in a note that says "new paragraph", has two such
headings or names a known section so ("Billing colon ..."): "PMH colon ca 2015" keeps its colon.
In a note that speaks its commands ("new line", "new paragraph", or three spoken periods), a spoken
"period" and "comma" are the marks too ("total visit 40 minutes period"), not "a period of 2 weeks", and
"from 10 15 to 10 55" the clock times 10:15 to 10:55.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .rules import feature_words, sections as section_rules

NEW_PARAGRAPH = re.compile(r"\bnew (?:paragraph|line)\b ?", re.IGNORECASE)
# "from 10 15 to 10 55": a clock time as the recogniser wrote it, hour and minutes apart
SPOKEN_CLOCK_RANGE = re.compile(r"\b(?P<lead>from|between) (?P<h1>\d{1,2}) (?P<m1>[0-5]\d) (?P<join>to|and|until) (?P<h2>\d{1,2}) "
                                r"(?P<m2>[0-5]\d)\b", re.IGNORECASE)
# a spoken mark ends its clause: a word or the note's end follows, and no word that makes "period" a noun precedes
# ("reporting period:", "this period,", '"on" period performance', "a period of 2 weeks")
SPOKEN_MARK = re.compile(r"(?<![\"'])(?<!\bthe)(?<!\bthis)(?<!\bthat)(?<!\beach)(?<!\bper)(?<!\ba)(?<!\bon)(?<!\boff)"
                         r"(?<!\breporting)(?<!\bcertification)(?<!\brest)(?<!\btime) (?P<word>period|comma)\b"
                         r"(?= [A-Za-z0-9]|[ \t]*$)(?! of\b)", re.IGNORECASE | re.MULTILINE)


@lru_cache(maxsize=None)
def _heading_colon() -> re.Pattern:
    """A heading of one to four words opening its line (or what a "new paragraph" opened), then "colon";
    not the organ (features.json `colon_as_organ_before`: "PMH colon ca 2015")."""
    organ = "|".join(sorted(map(re.escape, feature_words("colon_as_organ_before")), key=len, reverse=True))
    return re.compile(r"(?m)^([ \t]*[A-Za-z][A-Za-z/&-]*(?: [A-Za-z][A-Za-z/&-]*){0,3}) colon\b"
                      rf"(?! (?:{organ})\b)")


def with_spoken_punctuation(text: str) -> str:
    """The note with dictated "new paragraph" and a heading's "colon" read as punctuation."""
    if "colon" not in text and "paragraph" not in text and "new line" not in text and " period" not in text:
        return text
    dictated = NEW_PARAGRAPH.search(text) is not None
    text = NEW_PARAGRAPH.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
    if dictated or len(SPOKEN_MARK.findall(text)) >= max(3, text.count(". ")):
        marks = {"period": ".", "comma": ","}
        heading_after = _spoken_heading()
        # a spoken period before a section's name ends the line: "... fall risk period goals patient will ..."
        text = SPOKEN_MARK.sub(lambda m: ("\n" if m["word"].lower() == "period" and heading_after.match(text, m.end() + 1)
                                          else marks[m["word"].lower()]) + " " * (len(m.group(0)) - 1), text)
        text = _spoken_headings(text)
        text = SPOKEN_CLOCK_RANGE.sub(lambda m: f"{m['lead']} {m['h1']}:{m['m1']} {m['join']} {m['h2']}:{m['m2']}", text)
    heading_colon = _heading_colon()
    headings = heading_colon.findall(text)
    if not dictated and len(headings) < 2 and not any(h.strip().lower() in _section_names() for h in headings):
        return text  # "PMH colon ca 2015": one such line in a typed note is a word, not a command
    return heading_colon.sub(lambda m: m.group(1) + ":" + " " * (len(m.group(0)) - len(m.group(1)) - 1), text)


@lru_cache(maxsize=None)
def _section_names() -> frozenset[str]:
    """The heading names of sections.json ("billing", "assessment" ...): "Billing colon ..." alone is one."""
    return frozenset(name for names in section_rules()["headings"].values() for name in names if len(name) > 2)


@lru_cache(maxsize=None)
def _spoken_heading() -> re.Pattern:
    """A section's name opening a line of a dictated note, then a space and its first word ("goals patient will ...")."""
    names = sorted((re.escape(name).replace(r"\ ", " ") for name in _section_names() if name.replace(" ", "").isalpha()),
                   key=len, reverse=True)
    return re.compile(r"(?m)(^[ \t]*(?:" + "|".join(names) + r")) (?=[A-Za-z0-9])(?!of\b|and\b|to\b|9\d{4}\b|ninety\b)|(?<= )(?:"
                      + "|".join(names) + r") (?=[A-Za-z0-9])(?!of\b|and\b|to\b|9\d{4}\b|ninety\b)", re.IGNORECASE)


def _spoken_headings(text: str) -> str:
    """"goals patient will walk ..." after a spoken "new line": the heading's space read as its colon ("goals:patient ..."),
    the same length, so the goals, plan and assessment of a dictated note are their sections."""
    return _spoken_heading().sub(lambda m: m.group(1) + ":" if m.group(1) else m.group(0), text)

