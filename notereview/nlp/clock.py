"""Clock times as notes write them: "0845", "8:45", "14.02"."""
from __future__ import annotations

import re


def minute_of_day(value: str) -> int | None:
    """The minute of the day of a clock time written "HHMM", "H:MM" or "H.MM"; None when it is no time."""
    if ":" in value or "." in value:
        hours, minutes = re.split(r"[:.]", value)
    else:
        hours, minutes = value[:-2], value[-2:]
    hours_i, minutes_i = int(hours), int(minutes)
    if hours_i > 23 or minutes_i > 59:
        return None
    return hours_i * 60 + minutes_i
