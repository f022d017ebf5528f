"""Punctuation a speech recogniser wrote out as words, put back for reading.

"new paragraph Billing colon neuromuscular re-education ...": dictated notes sometimes keep the
spoken commands. "new paragraph" and "new line" become a line break and a heading's "colon" its colon,
each padded with spaces to the same length, so every offset still points into the note as written.
Only a heading's colon is read so, and only in a note that says "new paragraph", has two such
headings or names a known section so ("Billing colon ..."): "PMH colon ca 2015" keeps its colon.
In a note that speaks its commands ("new paragraph", "new line" twice, or more spoken periods than typed
breaks), a spoken "period" and "comma" are the marks too ("total visit 40 minutes period"), not "a period of
2 weeks"; a section's name opening a line is its heading ("goals patient will ..."), and "from 10 15 to 10 55"
the clock times 10:15 to 10:55.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .rules import categories_defaulting_to, feature_words, sections as section_rules

NEW_PARAGRAPH = re.compile(r"\bnew paragraph\b ?", re.IGNORECASE)
NEW_LINE = re.compile(r"\bnew line\b ?", re.IGNORECASE)
# "from 10 15 to 10 55": a clock time as the recogniser wrote it, hour and minutes apart
SPOKEN_CLOCK_RANGE = re.compile(r"\b(?P<lead>from|between) (?P<h1>\d{1,2}) (?P<m1>[0-5]\d) (?P<join>to|and|until) (?P<h2>\d{1,2}) "
                                r"(?P<m2>[0-5]\d)\b", re.IGNORECASE)


@lru_cache(maxsize=None)
def _spoken_mark() -> re.Pattern:
    """A spoken mark ending its clause: a word or the note's end follows, and no word that makes "period" a noun
    precedes (features.json `period_as_noun_after`: "reporting period:", "this period,", "visits in period 12"),
    nor a quote ('"on" period performance'), nor "of" after it ("a period of 2 weeks")."""
    nouns = "".join(rf"(?<!\b{re.escape(word)})" for word in sorted(feature_words("period_as_noun_after")))
    return re.compile(r"(?<![\"'])" + nouns + r" (?P<word>period|comma)\b(?= [A-Za-z0-9]|[ \t]*$)(?! of\b)",
                      re.IGNORECASE | re.MULTILINE)


@lru_cache(maxsize=None)
def _not_a_spoken_heading() -> str:
    """After a section's name, words that make it a sentence's subject (features.json `spoken_heading_not_before`:
    "history obtained from ...") or a code that makes it a bill ("evaluation 97162")."""
    words = "|".join(re.escape(word) + r"\b" for word in sorted(feature_words("spoken_heading_not_before")))
    return r"(?!" + words + r"|9\d{4}\b|ninety\b)"


@lru_cache(maxsize=None)
def _heading_colon() -> re.Pattern:
    """A heading of one to four words opening its line (or what a "new paragraph" opened), then "colon";
    not the organ (features.json `colon_as_organ_before`: "PMH colon ca 2015")."""
    organ = "|".join(sorted(map(re.escape, feature_words("colon_as_organ_before")), key=len, reverse=True))
    return re.compile(r"(?m)^([ \t]*[A-Za-z][A-Za-z/&-]*(?: [A-Za-z][A-Za-z/&-]*){0,3}) colon\b"
                      rf"(?! (?:{organ})\b)")


def with_spoken_punctuation(text: str) -> str:
    """The note with dictated commands ("new paragraph", "new line", "period", a heading's "colon") read as marks."""
    lower = text.lower()
    if "colon" not in lower and "paragraph" not in lower and "new line" not in lower and " period" not in lower:
        return text
    # a note speaks its commands when it says "new paragraph", "new line" twice ("new line placed L arm" once is a
    # line of IV access), or three spoken periods in a text with fewer typed line and sentence breaks
    spoken_lines = len(NEW_LINE.findall(text))
    dictated = NEW_PARAGRAPH.search(text) is not None or spoken_lines >= 2
    spoken_marks = len(_spoken_mark().findall(text))
    dictated = dictated or (spoken_marks >= 3 and spoken_marks > text.count("\n") + text.count(". "))
    text = NEW_PARAGRAPH.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
    if dictated:
        text = NEW_LINE.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
        marks = {"period": ".", "comma": ","}
        heading_after = _heading_word()
        # a spoken period before a section of today's visit ends the line: "... fall risk period goals patient will ...";
        # not before a past one ("period at eval Berg was 38 period ..."), which would take the rest of the line with it
        text = _spoken_mark().sub(lambda m: ("\n" if m["word"].lower() == "period" and heading_after.match(text, m.end() + 1)
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
def _heading_names(today_only: bool) -> str:
    """An alternation of the sections' names of letters and spaces; with `today_only`, not those of past sections
    (history, prior level, evaluation)."""
    past = categories_defaulting_to("historical")
    names = sorted({re.escape(name).replace(r"\ ", " ") for category, names in section_rules()["headings"].items()
                    if not (today_only and category in past)
                    for name in names if len(name) > 2 and name.replace(" ", "").isalpha()}, key=len, reverse=True)
    return "(?:" + "|".join(names) + ")"


@lru_cache(maxsize=None)
def _heading_word() -> re.Pattern:
    """The name of a section of today's visit, then a space and its first word ("goals patient will ...")."""
    return re.compile(_heading_names(True) + r" (?=[A-Za-z0-9])" + _not_a_spoken_heading(), re.IGNORECASE)


@lru_cache(maxsize=None)
def _line_heading() -> re.Pattern:
    """A section's name opening a line of a dictated note, then a space and its first word."""
    return re.compile(r"(?m)(^[ \t]*" + _heading_names(False) + r") (?=[A-Za-z0-9])" + _not_a_spoken_heading(), re.IGNORECASE)


def _spoken_headings(text: str) -> str:
    """"goals patient will walk ..." opening a line: the heading's space read as its colon ("goals:patient ..."),
    the same length, so the goals, plan and assessment of a dictated note are their sections."""
    return _line_heading().sub(lambda m: m.group(1) + ":", text)
