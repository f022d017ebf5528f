"""Durations written as clock readings ("NMR 0:24", "00:31:00", "12:30 (mm:ss)", "Timer: 15:00"),
rewritten in place as minutes ("NMR  24'") so that the service readers see the minutes they know.

Same length in and out: the Doc's offsets stay the note's. A clock time of day ("10:05-10:28",
"at 14:02") and a test's or a hold's time ("TUG 0:14", "SLS 0:08") are left alone: only a reading
right after a service's name or code or a timed total's label ("NMR 0:24", "97112 ..... 00:31:00",
"TE 12:30 (mm:ss)", "Timed 0:38"), one under a timer's label ("Timer: 25:00", "Duration 00:18:00")
or a session's total in hours and minutes ("1:05 total -> 4 units") is a service's duration; the end
of a range never is.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from .rules import literal_alternation, service_codes, service_names, service_rules

# a range's second clock time after, with a dash or "to", or in the next column: "0:05 - 0:28", "0:00   0:23"
_RANGE_AFTER = r"[ \t]*(?:[-–]|to\b|until\b|till\b)[ \t]*\d|[ \t]+\d{1,2}:\d{2}"
# a clock time right before, with or without a dash or "to": "0:05 - 0:28", "0:00   0:23" (columns), "1015 to 1:30"
_RANGE_BEFORE = re.compile(r"(?:\d:\d{2}|(?<!\d)\d{4})(?:[ \t]*[ap]\.?m\.?)?[ \t]*(?:[-–]|to|until|till)?[ \t]*$", re.IGNORECASE)
# "0:24", "00:18", "00:31:00", "0:07:40": no hours, so no time of day (a ward clock shows 12:24 a.m. as 00:24,
# but no therapy session is logged then)
NO_HOURS = re.compile(rf"(?<![\d:.])0{{1,2}}:(?P<minutes>[0-5]\d)(?::[0-5]\d)?(?!\d|:\d|{_RANGE_AFTER})", re.IGNORECASE)
# "12:30 (mm:ss)", "22:45 mm:ss", "07:40 (min:sec)": the marked minutes and seconds; the mark goes too
MARKED_MINUTES_SECONDS = re.compile(r"(?<![\d:.])(?P<minutes>\d{1,2}):[0-5]\d(?P<mark>[ \t]*\(?[ \t]*(?:mm:ss|min:sec|m:s)[ \t]*\)?)",
                                    re.IGNORECASE)
# "Timer: 25:00", "Duration 00:18:00", "Elapsed - 12:40", "time on task 18:00": a timer's reading in minutes and
# seconds, or in hours, minutes and seconds; "Duration 1:05" (an hour or a minute?) is left alone
# (services.json `timer_labels`)
TIMER_READING = re.compile(r"\b(?:" + literal_alternation(service_rules()["timer_labels"]) + r")(?P<reading>[ \t]*[:=\-–]?[ \t]*"
                           r"(?P<first>\d{1,2}):(?P<second>[0-5]\d)(?::(?P<third>[0-5]\d))?)"
                           rf"(?![\d:]|{_RANGE_AFTER}|[ \t]*[ap]\.?m\b)", re.IGNORECASE)
# "Timed 1:10", "1:05 total -> 4 units": hours and minutes of the session's total (not "1:05 total hold time",
# "1:30 total 45 min", "Total: 1:15 pm")
HOURS_MINUTES_TOTAL = re.compile(r"(?:(?<=\btimed )|(?<=\btotal )|(?<=\btotal: ))(?P<reading>[1-3]:[0-5]\d)"
                                 rf"(?![\d:]|{_RANGE_AFTER}|[ \t]*[ap]\.?m\b)"
                                 r"|(?<![\d:.])(?P<reading2>[1-3]:[0-5]\d)(?=[ \t]+total\b[ \t]*(?:$|->|→|=|[,;.|]|"
                                 r"(?:timed|tx|treatment|session|visit)\b))", re.IGNORECASE | re.MULTILINE)
WALK_BEFORE = re.compile(r"\b(?:gait|walk\w*|amb\w*|treadmill)\b[^\n\d]{0,12}$", re.IGNORECASE)
HINT = re.compile(r"\d:\d\d")
# a timer reading from 5 on is minutes and seconds (no session runs five hours)
SHORTEST_MINUTES_READING = 5
# what stands between a service's name or code and its reading: "NMR 0:24", "97112 Neuromuscular re-ed ..... 00:31:00",
# "Gait (97116) .......... 0:14", "TE 12:30 (mm:ss)", "- gait 00:09:00", "Timed 0:38"
BETWEEN_NAME_AND_READING = (r"[ \t]*(?:\(?[ \t]*(?:97\d{3}|G0\d{3})[ \t]*\)?)?[ \t]*"
                            # "G0283 unattended e-stim L ant tib ...... 0:15": a few words, then a dot leader
                            r"(?:(?:[ \t]+[A-Za-z][\w./-]*){1,5}[ \t]*\.{2,}|\.{2,}|[:=\-–|])?[ \t]*$")
_SERVICE_WORDS = {name.lower() for name in service_names()} | set(service_codes())
SERVICE_BEFORE = re.compile(r"(?:\b(?:" + literal_alternation(_SERVICE_WORDS)
                            + r"|timed|total|tx|treatment|session|time)\b)" + BETWEEN_NAME_AND_READING, re.IGNORECASE)
SERVICE_CONTEXT = 60  # characters before a reading searched for its service's name


def _a_services_reading(text: str, start: int) -> bool:
    """True when a service's name or code, a timed total's label, stands right before the reading at `start`."""
    line_start = text.rfind("\n", 0, start) + 1
    return SERVICE_BEFORE.search(text, max(line_start, start - SERVICE_CONTEXT), start) is not None


def _written(minutes: int, width: int, label: str = "", after_a_walk: bool = False) -> str:
    """`minutes` as "24 min" (or "24min", "24'" where that is too wide), right-aligned in `width` characters
    (the width of what it replaces) after `label`; "24mn" after a walk, where "24'" reads as feet."""
    short = f"{minutes}mn" if after_a_walk else f"{minutes}'"
    for written in (f"{minutes} min", f"{minutes}min", short):
        if len(label) + len(written) <= width:
            return label + written.rjust(width - len(label))
    return ""


def with_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each (start, end, written) edit made; the edits are sorted and do not overlap."""
    if not edits:
        return text
    pieces, last = [], 0
    for start, end, written in edits:
        pieces += [text[last:start], written]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def duration_edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, written) of each duration written as a clock reading, in order, for `with_edits`."""
    if not HINT.search(text):
        return []
    edits: list[tuple[int, int, str]] = []
    starts: list[int] = []  # the edits' starts, sorted, for the overlap test

    def add(start: int, end: int, minutes: int, label: str = "") -> None:
        written = _written(minutes, end - start, label, bool(WALK_BEFORE.search(text, max(0, start - 20), start)))
        at = bisect_left(starts, start)
        if not written or (at and edits[at - 1][1] > start) or (at < len(starts) and starts[at] < end):
            return
        starts.insert(at, start)
        edits.insert(at, (start, end, written))

    def ends_a_range(start: int) -> bool:
        return _RANGE_BEFORE.search(text, max(0, start - 16), start) is not None

    for match in MARKED_MINUTES_SECONDS.finditer(text):
        if _a_services_reading(text, match.start()):
            add(match.start(), match.end(), int(match["minutes"]))
    for match in TIMER_READING.finditer(text):
        first, second = int(match["first"]), int(match["second"])
        if match["third"] is not None:  # "00:18:00": hours, minutes, seconds
            minutes = 60 * first + second
        elif first >= SHORTEST_MINUTES_READING:
            minutes = first
        else:
            continue
        # "Duration 00:18:00" -> "Duration:  18 min": the label keyed, as the minute readers know it
        add(match.start("reading"), match.end("reading"), minutes, label=": ")
    for match in HOURS_MINUTES_TOTAL.finditer(text):
        group = "reading" if match["reading"] else "reading2"
        if ends_a_range(match.start(group)):
            continue
        hours, minutes = match[group].split(":")
        add(match.start(group), match.end(group), 60 * int(hours) + int(minutes))
    for match in NO_HOURS.finditer(text):
        if not ends_a_range(match.start()) and _a_services_reading(text, match.start()):
            add(match.start(), match.end(), int(match["minutes"]))
    return edits
