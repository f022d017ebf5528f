"""What a scanned paper note or a fixed-width export does to text, undone for reading.

The pipeline reads a new line as the start of a sentence, an item or a heading. A note typed
to a fixed width breaks its sentences wherever the line filled ("Pt declined\\ntandem walking
today", "PNF D1/D2 with slow\\nreversals"), so negation scope, phrases and billing lines would
stop at the margin; text recognition also reads 'l' as '1' inside words ("ba1ance", "Frenke1").
Both are repaired character for character: the text keeps its length, so every offset still
points into the note as written, and mentions are quoted from the note as written.
"""
from __future__ import annotations

import re

# a wrapped note: lines this wide at most, most of them close to the widest
WRAP_WIDTHS = range(40, 101)
FULL_LINE_MARGIN = 20  # a line this close to the widest one was cut by the margin
FULL_LINE_SHARE = 0.4
MIN_LINES = 4
MIN_WRAPS = 3  # one or two short items that happen to fill a line are no wrapped note
# a note almost without capitals writes one item a line ("abc 61%\nstill fall risk"): never joined
MIN_CAPITALS_SHARE = 0.04
LINE_END_OF_ITS_OWN = ".:;!?|-"
# a word no sentence ends on: a line ending in one was cut by the margin
CUT_AFTER = re.compile(r"\b(?:on|to|w/|with|and|the|of|for|a|an|at|in|from|by|or|per|into|onto|than|after|before)[ \t]*$",
                       re.IGNORECASE)
CONTINUES = re.compile(r"[ \t]*[a-z(]")
# the next line opens a list item, a numbered point, a code or a heading
OPENS_ITEM = re.compile(r"[ \t]*(?:[-*•◦▪>]|\d{1,2}[.)][ \t]|(?:[a-z]|[ivx]{1,4})[.)][ \t]|97\d{3}|G0\d{3}"
                        r"|[A-Za-z][A-Za-z /]{0,19}:)")


# the letters before a '1' read for an 'l' ("ba1ance", "fa11s", "Frenke1")
WORD_BEFORE = re.compile(r"[A-Za-z]*$")
VOWEL = re.compile(r"[aeiouAEIOU]")
MIN_MISREADS = 3


def as_read(text: str) -> str:
    """The note with text-recognition damage repaired, same length, for the pipeline to read."""
    unwrapped = unwrap_lines(text)
    # on a page cut by a margin one misread word is enough; elsewhere a word typed "Goal1" may be meant
    return _letters_read_as_digits(unwrapped, 1 if unwrapped is not text else MIN_MISREADS)


def _letters_read_as_digits(text: str, min_misreads: int = MIN_MISREADS) -> str:
    """'1' for 'l' after two lowercase letters or more.

    Not after an 'x' ("VOR x1", "vorx1"), before a digit ("lvl12") or closing a word without a vowel ("stg1").
    """
    repaired, count = None, 0
    start = text.find("1", 2)
    while start != -1:
        end = start
        while end < len(text) and text[end] == "1":
            end += 1
        if "a" <= text[start - 1] <= "z" and text[start - 1] != "x":
            before = WORD_BEFORE.search(text, max(0, start - 30), start).group(0)
            following = text[end:end + 1]
            if (sum(c.islower() for c in before) >= 2 and not (following.isdigit() or following.isupper())
                    and (following.isalpha() or VOWEL.search(before))):  # not "stg1", "wk1": a label's number
                repaired = repaired or list(text)
                repaired[start:end] = "l" * (end - start)
                count += 1
        start = text.find("1", end)
    # a scanned page misreads many words; one or two ("Session1:", "Goal1:") were typed that way
    return "".join(repaired) if repaired and count >= min_misreads else text


def unwrap_lines(text: str) -> str:
    """The note with each line break that only wraps a sentence replaced by a space."""
    if text.count("\n") < MIN_LINES - 1:
        return text
    lines = text.split("\n")
    widths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(widths) < MIN_LINES or max(widths) not in WRAP_WIDTHS:
        return text
    widest = max(widths)
    if sum(1 for width in widths if width >= widest - FULL_LINE_MARGIN) < FULL_LINE_SHARE * len(widths):
        return text
    letters = sum(1 for c in text if c.isalpha())
    if not letters or sum(1 for c in text if c.isupper()) < MIN_CAPITALS_SHARE * letters:
        return text
    wraps = []
    position = 0
    for line, following in zip(lines, lines[1:]):
        position += len(line)
        body = line.rstrip()
        if (len(body) >= widest - FULL_LINE_MARGIN and body[-1] not in LINE_END_OF_ITS_OWN
                and CONTINUES.match(following) and not OPENS_ITEM.match(following)):
            wraps.append(position)
        position += 1
    if len(wraps) < MIN_WRAPS or not any(CUT_AFTER.search(text, max(0, at - 12), at) for at in wraps):
        return text  # lines that each hold an item end whole; a margin cuts "caught self on|counter"
    joined = list(text)
    for position in wraps:
        joined[position] = " "
    return "".join(joined)
