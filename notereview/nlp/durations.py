"""Durations written as clock readings ("NMR 0:24", "00:31:00", "12:30 (mm:ss)", "Timer: 15:00"),
rewritten in place as minutes ("NMR  24'") so that the service readers see the minutes they know.

Same length in and out: the Doc's offsets stay the note's. A clock time of day ("10:05-10:28",
"at 14:02") is left alone: only a reading with no hours ("0:24", "00:31:00"), one marked as
minutes and seconds ("12:30 (mm:ss)"), one under a timer's label ("Timer: 25:00", "Duration
1:05") or a total in hours and minutes ("1:05 total") is a duration.
"""
from __future__ import annotations

import re

# "0:24", "00:18", "00:31:00", "0:07:40": no hours, so no time of day (a ward clock shows 12:24 a.m. as 00:24,
# but no therapy session is logged then); not one end of a range ("00:15-00:40")
NO_HOURS = re.compile(r"(?<![\d:.\-–])0{1,2}:(?P<minutes>[0-5]\d)(?::[0-5]\d)?(?![\d:]|[ \t]*[-–][ \t]*\d|[ \t]*(?:to|until)\b)")
# "12:30 (mm:ss)", "22:45 mm:ss", "07:40 (min:sec)": the marked minutes and seconds; the mark goes too
MARKED_MINUTES_SECONDS = re.compile(r"(?<![\d:.])(?P<minutes>\d{1,2}):[0-5]\d(?P<mark>[ \t]*\(?[ \t]*(?:mm:ss|min:sec|m:s)[ \t]*\)?)",
                                    re.IGNORECASE)
# "Timer: 25:00", "Duration 1:05", "Duration 00:18:00", "Elapsed - 0:25", "time on task 18:00": a timer's reading
TIMER_READING = re.compile(r"\b(?:timer|duration|elapsed|stopwatch|time on task)(?P<reading>[ \t]*[:=\-–]?[ \t]*"
                           r"(?P<first>\d{1,2}):(?P<second>[0-5]\d)(?::(?P<third>[0-5]\d))?)"
                           r"(?![\d:]|[ \t]*[-–][ \t]*\d|[ \t]*[ap]\.?m\b)", re.IGNORECASE)
# "1:05 total", "Timed 1:10": hours and minutes of a total
HOURS_MINUTES_TOTAL = re.compile(r"(?:(?<=\btimed )|(?<=\btotal )|(?<=\btotal: ))(?P<reading>[1-3]:[0-5]\d)(?![\d:])"
                                 r"|(?<![\d:.\-–])(?P<reading2>[1-3]:[0-5]\d)(?=[ \t]+total\b)", re.IGNORECASE)
WALK_BEFORE = re.compile(r"\b(?:gait|walk\w*|amb\w*|treadmill)\b[^\n\d]{0,12}$", re.IGNORECASE)
HINT = re.compile(r"\d:\d\d")
# a timer reading from 5 on is minutes and seconds (no session runs five hours); below 5, hours and minutes
SHORTEST_MINUTES_READING = 5


def _written(minutes: int, width: int, label: str = "", after_a_walk: bool = False) -> str:
    """`minutes` as "24 min" (or "24min", "24'" where that is too wide), right-aligned in `width` characters
    (the width of what it replaces) after `label`; "24mn" after a walk, where "24'" reads as feet."""
    short = f"{minutes}mn" if after_a_walk else f"{minutes}'"
    for written in (f"{minutes} min", f"{minutes}min", short):
        if len(label) + len(written) <= width:
            return label + written.rjust(width - len(label))
    return ""


def as_minutes(text: str) -> str:
    """The text with each duration written as a clock reading rewritten as minutes, same length."""
    if not HINT.search(text):
        return text
    edits: list[tuple[int, int, str]] = []

    def add(start: int, end: int, minutes: int, label: str = "") -> None:
        written = _written(minutes, end - start, label, bool(WALK_BEFORE.search(text, max(0, start - 20), start)))
        if written and not any(s < end and start < e for s, e, _ in edits):
            edits.append((start, end, written))

    for match in MARKED_MINUTES_SECONDS.finditer(text):
        add(match.start(), match.end(), int(match["minutes"]))
    for match in TIMER_READING.finditer(text):
        first, second = int(match["first"]), int(match["second"])
        if match["third"] is not None:  # "00:18:00": hours, minutes, seconds
            minutes = 60 * first + second
        else:
            minutes = first if first >= SHORTEST_MINUTES_READING else 60 * first + second
        # "Duration 00:18:00" -> "Duration:  18 min": the label keyed, as the minute readers know it
        add(match.start("reading"), match.end("reading"), minutes, label=": ")
    for match in HOURS_MINUTES_TOTAL.finditer(text):
        group = "reading" if match["reading"] else "reading2"
        hours, minutes = match[group].split(":")
        add(match.start(group), match.end(group), 60 * int(hours) + int(minutes))
    for match in NO_HOURS.finditer(text):
        add(match.start(), match.end(), int(match["minutes"]))
    if not edits:
        return text
    pieces, last = [], 0
    for start, end, written in sorted(edits):
        pieces += [text[last:start], written]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
