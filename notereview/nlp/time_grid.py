"""A time grid: clock-time rows or numbered 15-minute blocks, each naming the service its time was spent on.

    0800-0815 TE
    0815-0830 NMR
    0830-0845 NMR/GT (8/7)
    0845-0850 rest, BP 132/80 sitting
    0850-0905 GT

Each code's minutes are the sum of its rows (97110 15, 97112 23, 97116 22), or of the minutes a row writes
for itself ("0800-0815 NMR 10 min"); a row shared by two codes counts only with its split written ("(8/7)",
"split 10/5", "(7 NMR, 8 TA)"), without it the grid says nothing of those codes; a row naming no service (a
rest, a bathroom break) or one not given ("- not performed") counts for none. Facilities that keep time this
way bill from the grid, so its sums are the minutes the 8-minute rule is applied to (CMS Pub. 100-04 ch.5
§20.2, docs/reference.md §1).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

from .rules import service_rules
from .services import (CODE_RE, JOINED_NAMES, _name_regexes, _normalize_name, _past_days, _range_minutes,
                       _strict_code_of, _strict_names_any_case, _typed_in_lowercase, words_pattern)

# a clock range and what separates it from the row's service: "0815-0830 NMR", "2:05p-2:20p NMR",
# "Block 2 (1:15-1:30): NMR", "0930-0945 | NMR", "1000-1012  TE   cycle ergometer"
ROW = re.compile(r"(?<![\d:])(?P<a>\d{1,2}:\d{2}|\d{4})[ \t]*(?:[ap]\.?(?:m\.?)?(?![a-z]))?[ \t]*(?:-|–|—|to)[ \t]*"
                 r"(?P<b>\d{1,2}:\d{2}|\d{4})[ \t]*(?:[ap]\.?(?:m\.?)?(?![a-z]))?(?![\d:])"
                 r"[ \t]*\)?[ \t]*(?:[|:\-–\t][ \t]*)*", re.IGNORECASE)
# "15-min blocks: Blk 1 TE | Blk 2 NMR": a block of a stated length, numbered
BLOCK_LENGTH = re.compile(r"\b(?P<minutes>15|10|8)[ \t-]*min(?:ute)?[ \t-]*blo?c?ks?\b", re.IGNORECASE)
BLOCK = re.compile(r"\bbl(?:oc)?k[ \t]*\d{1,2}[ \t]*[:\-–]?[ \t]*", re.IGNORECASE)
# the split of a shared row: "(8/7)", "split 10/5", "10/5"; "(7 NMR, 8 TA)", "(NMR 10 / TE 5)"
SPLIT = re.compile(r"(?<![\d/])(\d{1,2})[ \t]*/[ \t]*(\d{1,2})(?![\d/])")
SHARE_BEFORE_NAME = re.compile(r"\b(\d{1,2})[ \t]*(?:min\b|')?[ \t]*")
NAME_START = re.compile(r"(?<![\w/])(?=[A-Za-z]|97|G0)")
SHARE_AFTER_NAME = re.compile(r"[ \t]*[:=\-]?[ \t]*(\d{1,2})\b")
ROW_END = re.compile(r"\n|\|[ \t]*(?=bl(?:oc)?k|\d)|[ \t]{3,}(?=\d{1,2}:?\d{2}[ \t]*[-–])", re.IGNORECASE)
# what may stand before a row's clock range on its line: a bullet, a cell's bar, "AM", "Block 2 ("
ROW_OPENING = re.compile(r"[ \t]*(?:[-*•>|][ \t]*)?(?:(?:am|pm)\b[ \t]*)?(?:bl(?:oc)?k[ \t]*\d{1,2}[ \t]*\(?[ \t]*)?",
                         re.IGNORECASE)
SENTENCE_END_BEFORE = re.compile(r"[.;][ \t]+$")
# between two rows on one line: "0715-0730 NMR   0730-0745 NMR"
ROW_GAP = re.compile(r"(?:[ \t]{2,}|[ \t]*[|,;][ \t]*)")
MIN_ROWS = 2
MAX_ROW = 200  # a row's words after its service: enough for a split or a note, bounded on a long single line
LEADING_WORDS = 2
LEADING_WORD = re.compile(r"([A-Za-z]{2,12})[ \t]+")
# the row's own minutes, written after its service: "0800-0815 NMR 10 min (BP check 5 min)"
ROW_MINUTES = re.compile(r"[ \t]*[:\-–]?[ \t]*(?:x[ \t]*)?(\d{1,3})[ \t]*(?:min(?:ute)?s?\b|['’])", re.IGNORECASE)
# a row whose service was not given: "0900-0915 NMR - not performed, pt c/o dizziness"
ROW_NOT_GIVEN = re.compile(r"[^\n]{0,25}?\b(?:" + words_pattern(service_rules()["grid_row_not_given"]["words"]) + r")\b",
                           re.IGNORECASE)


def _code_at(text: str, at: int, lowercase: bool) -> tuple[str, int] | None:
    """The service named at `at` (a code, an abbreviation or a name) and where its name ends."""
    loose, strict, loose_codes, _ = _name_regexes()
    if (code := CODE_RE.match(text, at)) is not None:
        return code.group("code").upper(), code.end()
    found = (_strict_names_any_case().regex if lowercase else strict).match(text, at)
    if found is not None:
        if code := _strict_code_of(found.group(0)):
            return code, found.end()
    found = loose.match(text, at)
    if found is not None and (code := loose_codes.get(_normalize_name(found.group(0)))):
        return code, found.end()
    return None


def _row_codes(text: str, at: int, lowercase: bool) -> tuple[list[str], int]:
    """The services a row names, joined by "/" ("NMR/GT"), and where their names end.

    One or two words may qualify the first name ("postural NMR", "seated ther ex").
    """
    qualifiers = _row_qualifiers()
    for _ in range(LEADING_WORDS):
        if _code_at(text, at, lowercase) is not None:
            break
        word = LEADING_WORD.match(text, at)
        if word is None or word.group(1).lower() not in qualifiers:
            break
        at = word.end()
    codes: list[str] = []
    while (named := _code_at(text, at, lowercase)) is not None:
        code, end = named
        if code not in codes:  # "Self-care/ADL (97535)" names one service twice
            codes.append(code)
        # "97535 ADL": a code and its name are one service
        if (following := _code_at(text, end + 1, lowercase)) is not None and following[0] == code and text[end] in " \t":
            end = following[1]
        join = JOINED_NAMES.match(text, end)
        if join is None or join.end() == end:
            return codes, end
        at = join.end()
    return codes, at


@lru_cache(maxsize=None)
def _row_qualifiers() -> frozenset[str]:
    """Words that may qualify a row's service ("postural NMR", "seated TE"): services.json `grid_row_qualifiers`."""
    return frozenset(word.lower() for word in service_rules()["grid_row_qualifiers"]["words"])


def _split(rest: str, codes: list[str], minutes: int, lowercase: bool) -> list[int] | None:
    """Each code's share of a shared row, in the order the codes are named, when written."""
    shares: dict[str, int] = {}
    for number in SHARE_BEFORE_NAME.finditer(rest):
        named = _code_at(rest, number.end(), lowercase)
        if named is not None and named[0] in codes:
            shares[named[0]] = int(number.group(1))
    if len(shares) != len(codes):
        shares = {}
        for word in NAME_START.finditer(rest):
            named = _code_at(rest, word.start(), lowercase)
            number = SHARE_AFTER_NAME.match(rest, named[1]) if named else None
            if named is not None and named[0] in codes and number is not None:
                shares[named[0]] = int(number.group(1))
    if len(shares) == len(codes) and sum(shares.values()) == minutes:
        return [shares[code] for code in codes]  # "(7 NMR, 8 TA)", "(NMR 10 / TE 5)"
    split = SPLIT.search(rest)
    if len(codes) == 2 and split is not None and int(split.group(1)) + int(split.group(2)) == minutes:
        return [int(split.group(1)), int(split.group(2))]  # "(8/7)", "split 10/5"
    return None


def _row_end(text: str, names_end: int) -> int:
    """Where a row's words end: its line's end, the next cell or row, or MAX_ROW characters on."""
    row_end = ROW_END.search(text, names_end, names_end + MAX_ROW)
    return row_end.start() if row_end else min(len(text), names_end + MAX_ROW)


class TimeGrid(NamedTuple):
    """Each code's minutes summed over the grid (not a code in a shared row without its split), and the rows' spans."""

    minutes: dict[str, int]
    rows: tuple[tuple[int, int], ...]

    def holds(self, at: int) -> bool:
        """Whether a position lies inside one of the grid's rows (rows in note order, not overlapping)."""
        index = bisect_right(self.rows, (at, float("inf"))) - 1
        return index >= 0 and self.rows[index][0] <= at < self.rows[index][1]


def time_grid(text: str) -> TimeGrid | None:
    """The note's time grid, or None when it keeps none (fewer than two rows naming a service)."""
    clock_rows = list(ROW.finditer(text))
    length = BLOCK_LENGTH.search(text)
    if len(clock_rows) < MIN_ROWS and length is None:
        return None  # most notes: no grid to read
    lowercase = _typed_in_lowercase(text)
    past = _past_days(text)
    rows: list[tuple[list[str], int, str, int, int]] = []  # (codes, minutes, the rest of the row, start, end)
    previous_end = -1
    seen: set[tuple[str, str, tuple[str, ...]]] = set()  # the rows' clock ranges and codes read so far
    for row in clock_rows:
        if any(start <= row.start() < end for start, end in past):
            continue  # a weekly summary's past days
        line_start = text.rfind("\n", 0, row.start()) + 1
        if not (ROW_OPENING.fullmatch(text, line_start, row.start())
                or SENTENCE_END_BEFORE.search(text, max(line_start, row.start() - 4), row.start())
                or (line_start <= previous_end and ROW_GAP.fullmatch(text, previous_end, row.start()))):
            continue  # "... te 1400-1418 nmr 1418-1445": the names stand before their times
        minutes = _range_minutes(row.group("a"), row.group("b"))
        codes, names_end = _row_codes(text, row.end(), lowercase)
        if minutes and codes:
            end = _row_end(text, names_end)
            previous_end = names_end
            if rows and rows[-1][4] > row.start():
                rows[-1] = (*rows[-1][:4], row.start())  # rows on one line end where the next begins
            if ROW_NOT_GIVEN.match(text, names_end, end):
                continue  # "0900-0915 NMR - not performed, pt c/o dizziness"
            if len(codes) == 1 and (own := ROW_MINUTES.match(text, names_end, end)) and 0 < int(own.group(1)) <= minutes:
                minutes = int(own.group(1))  # "0800-0815 NMR 10 min (BP check 5 min)": the row's own minutes
            if (clock := (row.group("a"), row.group("b"), tuple(codes))) in seen:
                continue  # "BILLING: ... 0815-0840 97112 (25 min)" repeats the block "0815-0840 NMR (97112):" above
            seen.add(clock)
            rows.append((codes, minutes, text[names_end:end], row.start(), end))
    if length is not None and not rows:
        for block in BLOCK.finditer(text, length.end()):
            codes, names_end = _row_codes(text, block.end(), lowercase)
            if codes:
                end = _row_end(text, names_end)
                rows.append((codes, int(length.group("minutes")), text[names_end:end], block.start(), end))
    if len(rows) < MIN_ROWS:
        return None
    sums: dict[str, int] = {}
    unsplit: set[str] = set()
    for codes, minutes, rest, _, _ in rows:
        shares = [minutes] if len(codes) == 1 else _split(rest, codes, minutes, lowercase)
        if shares is None:
            unsplit.update(codes)  # "0815-0830 NMR/GT" without its split: the grid cannot say these codes' minutes
            continue
        for code, share in zip(codes, shares):
            sums[code] = sums.get(code, 0) + share
    return TimeGrid({code: total for code, total in sums.items() if code not in unsplit},
                    tuple((start, end) for _, _, _, start, end in rows))
