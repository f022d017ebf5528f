"""Encounter forms, superbills and time grids copied under a note, read as the service readers know them:
the labelled diagnosis pointers of code rows ("[X] 97112 NMR  GP  Dx 1,2  Min 26  Units 2") blanked, and
the start and stop columns of a code row under a "Start  Stop" header ("0845  0907  97112 SLS on Airex")
joined into a clock range ("0845- 0907").

Same length in and out: the Doc's offsets stay the note's. A pointer column with no label on the
row ("A,C" under a "Ptr" heading) is left: blanked, its run of spaces misleads the column readers
more often than the letters do.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from .clock import minute_of_day
from .durations import with_edits

CODE_ON_LINE = re.compile(r"^[^\n]*\b(?:97\d{3}|G0\d{3})\b[^\n]*$", re.MULTILINE)
_POINTER = r"(?:[1-4]|[A-D])"
# "Dx 1,2", "Dx: A", "Ptr A,C", "Dx ptr 1", "Dx pointer: B": a label and the diagnoses it points to (upper-case
# letters only; not "laser pointer 4 min", "PNF diag 2 min each", "diag 1, 2 x 10")
LABELLED_POINTERS = re.compile(rf"\b(?i:dx(?:[ \t]+(?:ptrs?|pointers?))?|ptrs?)\b\.?[ \t]*[:#]?[ \t]*"
                               rf"{_POINTER}(?:[ \t]*,[ \t]*{_POINTER})*(?![\w.])"
                               r"(?![ \t]*(?i:x\b|[x×]\d|(?:min|mins|minutes)\b(?![ \t]*[:=]?[ \t]*\d)|each|sets?|reps?|sec|s\b))")
HINT = re.compile(r"\b(?:dx|ptr)", re.IGNORECASE)


_CLOCK = r"(?:[01]\d|2[0-3])[0-5]\d|(?:[01]?\d|2[0-3]):[0-5]\d"
# a header row naming start and stop columns: "Start Stop  Code", "Svc  Start  Stop  Min", "Time in | Time out",
# "Begin  End", "From   To"; a row of column words, no sentence ("Pt arrived in w/c, out of breath.")
START_STOP_HEADER = re.compile(r"^[ \t|]*(?:[A-Za-z#/()]+[ \t|]+){0,4}(?:start|begin|from|time[ \t]+in|in)[ \t|]+"
                               r"(?:stop|end|finish|to|time[ \t]+out|out)\b[A-Za-z#/() \t|]*$", re.IGNORECASE | re.MULTILINE)
CLOCK_COLUMNS = re.compile(rf"(?<![\d:.])(?P<start>{_CLOCK})(?P<gap>[ \t]{{2,}})(?P<stop>{_CLOCK})(?![\d:.\-–])"
                           r"(?![ \t]*(?i:ft|feet|m\b|steps|cert|lbs?|kg|#))")
MAX_HEADER_DISTANCE = 12  # rows between a grid's header and a row under it
LONGEST_ROW_MINUTES = 120


def clock_columns_as_ranges(text: str) -> str:
    """The text with each code row's start and stop columns under a "Start  Stop" header joined by a dash."""
    headers = [match.start() for match in START_STOP_HEADER.finditer(text)]
    if not headers:
        return text
    edits = []
    for line in CODE_ON_LINE.finditer(text):
        # the nearest header above, at most MAX_HEADER_DISTANCE lines up
        above = bisect_left(headers, line.start())
        if not above or text.count("\n", headers[above - 1], line.start()) > MAX_HEADER_DISTANCE:
            continue
        for match in CLOCK_COLUMNS.finditer(text, line.start(), line.end()):
            if 0 < minute_of_day(match["stop"]) - minute_of_day(match["start"]) <= LONGEST_ROW_MINUTES:
                edits.append((match.start("gap"), match.start("gap") + 1, "-"))
    return with_edits(text, edits)


def without_diagnosis_pointers(text: str) -> str:
    """The text with the labelled diagnosis pointers on lines holding a code blanked to spaces, same length."""
    if not HINT.search(text):
        return text
    return with_edits(text, [(match.start(), match.end(), " " * (match.end() - match.start()))
                             for line in CODE_ON_LINE.finditer(text)
                             for match in LABELLED_POINTERS.finditer(text, line.start(), line.end())])
