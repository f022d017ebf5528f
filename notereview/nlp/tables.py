"""Tables whose columns say when: goal tables ("# | Goal | Baseline | Current | Status") and flowsheets
with a column per visit ("Exercise | 10/02 | 10/06 | 10/13 (today)").

A goal row states a goal (hypothetical), where the patient started (historical) and where the
patient is now (present) in one line; a flowsheet row says at which visits an exercise was done.
The sentence and section rules cannot flag such cells: the columns' names say what each cell is.
The goal finder takes each goal row's goal cell as the goal, the context flagger reads each cell's
role and each flowsheet row's today column, and a Goals section whose table ends before a blank
line ends with it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .rules import sections as section_rules


@lru_cache(maxsize=None)
def _columns() -> tuple[frozenset[str], tuple[tuple[str, re.Pattern], ...]]:
    """The goal column's names and the other columns' patterns, from sections.json `table_columns`."""
    columns = section_rules()["table_columns"]
    return frozenset(columns["goal"]), tuple(
        (role, re.compile("|".join(columns[role]), re.IGNORECASE)) for role in ("baseline", "current", "other"))


SPACED = "  "  # a table aligned with runs of spaces: "97112  NM re-ed   (2)   27"
# a date as notes write it in a row or a heading: "11/14", "3/20/25"
DATE = r"\d{1,2}/\d{1,2}(?:/\d{2,4})?"
# a goal heading's timeframe: "STG 4 wk:", "LTG 8 weeks:"
TIMEFRAME = r"\d{1,2}[ \t]*(?:wks?|weeks?|mos?|months?|visits?)\.?"
# "STG1 Berg >= 45/56", "2. Amb 300 ft": the row's label is not part of the goal
ROW_LABEL = re.compile(r"[ \t]*(?:(?:stg|ltg|goal)[ \t]*#?\d*[ \t]*[:.)\-–]?|#\d{1,2}[ \t]*[:.)\-–]?|\d{1,2}[:.)\-–])[ \t]+",
                       re.IGNORECASE)  # "10 sit to stand ..." keeps its number
LINE = re.compile(r"[^\n]+")


class Cell(NamedTuple):
    """One cell of a goal table row: its characters in the note and its column's role."""

    start: int
    end: int
    role: str  # "goal", "baseline", "current" or "other"


class GoalTable(NamedTuple):
    """A goal table: its extent in the note (header included) and its rows' cells."""

    start: int
    end: int
    rows: tuple[tuple[Cell, ...], ...]


def _cells(line: str, separator: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table row, spaces trimmed; a leading or trailing border opens no cell."""
    cells, cursor = [], 0
    for part in line.split(separator):
        start = cursor + len(part) - len(part.lstrip())
        cells.append((start, start + len(part.strip())))
        cursor += len(part) + len(separator)
    if line.strip().startswith(separator):
        cells = cells[1:]
    if line.strip().endswith(separator):
        cells = cells[:-1]
    return cells


def _role(name: str) -> str | None:
    goal_names, patterns = _columns()
    if name in goal_names:
        return "goal"
    return next((role for role, pattern in patterns if pattern.match(name)), None)


@lru_cache(maxsize=8)  # the goal finder, the context flagger and the sections read the same note's tables
def goal_tables(text: str) -> tuple[GoalTable, ...]:
    """Every goal table: a header with a goal column beside a baseline, current or status column, and its rows."""
    if "|" not in text and "\t" not in text:
        return ()
    tables = []
    lines = list(LINE.finditer(text))
    index = 0
    while index < len(lines):
        header = lines[index]
        line = header.group(0)
        index += 1
        separator = "|" if "|" in line else "\t" if "\t" in line else None
        if separator is None or not re.search(r"goal|stg|ltg", line, re.IGNORECASE):
            continue
        names = [line[a:b].strip(" *#:").lower() for a, b in _cells(line, separator)]
        roles = [_role(name) for name in names]
        # a header names its columns, every one of them: "| STG | Pt will amb 150 ft ... | Met |" is a row
        if ("goal" not in roles or not any(role in ("baseline", "current", "other") for role in roles)
                or any(name and role is None for name, role in zip(names, roles))):
            continue
        rows, table_end = [], header.end()
        while index < len(lines) and separator in lines[index].group(0) and lines[index].start() == table_end + 1:
            row = lines[index]
            index += 1
            table_end = row.end()
            body = row.group(0)
            if set(body) <= set(separator + "-: \t"):
                continue  # "---|---|---": a Markdown table's rule
            cells = []
            for column, (start, end) in enumerate(_cells(body, separator)):
                role = roles[column] if column < len(roles) and roles[column] else "other"
                if role == "goal" and (label := ROW_LABEL.match(body, start, end)):
                    start = label.end()
                cells.append(Cell(row.start() + start, row.start() + end, role))
            rows.append(tuple(cells))
        tables.append(GoalTable(header.start(), table_end, tuple(rows)))
    return tuple(tables)


def cell_role(tables: tuple[GoalTable, ...], start: int, end: int) -> str | None:
    """The role of the goal-table cell holding text[start:end], or None outside every table's rows."""
    for table in tables:
        if table.start <= start < table.end:
            for row in table.rows:
                for cell in row:
                    if cell.start <= start and end <= cell.end:
                        return cell.role
    return None


# an exercise flowsheet with a column per visit: "Exercise | 10/02 | 10/06 | 10/13 (today)"
DATE_CELL = re.compile(rf"{DATE}(?:\s*\(?\s*today\s*\)?)?|today|(?:this|today's)\s+visit", re.IGNORECASE)
ABSENT_CELL = re.compile(r"(?:--+|—|–|-|n/?a|0)?", re.IGNORECASE)  # "--": not done at that visit
HELD = re.compile(r"\b(?:held|declined|deferred|refused|not\s+done)\b", re.IGNORECASE)


def _row_cells(line: str) -> tuple[str, list[tuple[int, int]]] | None:
    """A row's separator and cells: pipes, tabs, or columns set two spaces apart."""
    for separator in ("|", "\t"):
        if line.count(separator) >= 2:
            return separator, _cells(line, separator)
    cells, cursor = [], 0
    for part in re.split(r"( {2,})", line):
        if part.strip() and not part.startswith("  "):
            start = cursor + len(part) - len(part.lstrip())
            cells.append((start, start + len(part.strip())))
        cursor += len(part)
    return (SPACED, cells) if len(cells) >= 3 else None


SHORT_DATE = re.compile(r"\d/\d")


def _two_dates_on_a_line(text: str) -> bool:
    previous = None
    for found in SHORT_DATE.finditer(text):
        if previous is not None and text.find("\n", previous, found.start()) < 0:
            return True
        previous = found.end()
    return False


@lru_cache(maxsize=8)
def visit_columns(text: str) -> tuple[tuple[int, int, str], ...]:
    """The exercise cells of flowsheets with a column per visit, each with what today's column says of it.

    "today" when today's cell is filled ("2x45s", a check mark), "past" when only earlier visits' cells are
    ("BAPS lvl 2 | 2' | -- | --"), "not_done" when today's cell is empty everywhere or says held or declined.
    Today's column is the one marked "today", else the last date column.
    """
    if not ("|" in text or "\t" in text or "   " in text) or not _two_dates_on_a_line(text):
        return ()  # a flowsheet's columns are set apart by pipes, tabs or runs of spaces
    found = []
    lines = list(LINE.finditer(text))
    index = 0
    while index < len(lines):
        header = lines[index]
        index += 1
        read = _row_cells(header.group(0))
        if read is None:
            continue
        separator, cells = read
        names = [header.group(0)[a:b] for a, b in cells]
        dates = [i for i, name in enumerate(names) if i and DATE_CELL.fullmatch(name.strip())]
        if len(dates) < 2:
            continue
        today = next((i for i in dates if "today" in names[i].lower()), None)
        if today is None:  # the latest date, whichever end of the row it stands at ("| 11/14 | 11/07 | 11/03")
            today = max(dates, key=lambda i: _month_day(names[i]))
        previous_end = header.end()
        while index < len(lines):
            row = lines[index]
            body = row.group(0)
            if row.start() != previous_end + 1:
                break  # a blank line ends the flowsheet
            previous_end = row.end()
            read = _row_cells(body) if separator != SPACED or SPACED in body else None
            if read is None or not read[1]:
                break
            index += 1
            row_cells = read[1]
            if set(body) <= set(separator + "-: \t"):
                continue
            if len(row_cells) <= today:
                continue
            exercise = row_cells[0]
            today_text = body[row_cells[today][0]:row_cells[today][1]]
            earlier = [body[a:b] for i, (a, b) in enumerate(row_cells) if i in dates and i != today]
            held = HELD.search(today_text)
            if held or ABSENT_CELL.fullmatch(today_text.strip()):
                done_before = any(not ABSENT_CELL.fullmatch(cell.strip()) for cell in earlier)
                state = "not_done" if held or not done_before else "past"
            else:
                state = "today"
            found.append((row.start() + exercise[0], row.start() + exercise[1], state))
    return tuple(found)


def _month_day(cell: str) -> tuple[int, int]:
    found = re.search(r"(\d{1,2})/(\d{1,2})", cell)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def visit_state(cells: tuple[tuple[int, int, str], ...], start: int, end: int) -> str | None:
    """What today's column says of the flowsheet row whose first cell holds text[start:end], if any."""
    for cell_start, cell_end, state in cells:
        if cell_start <= start and end <= cell_end:
            return state
    return None
