"""Goal tables of progress reports: "# | Goal | Baseline | Current | Status", one goal a row.

A row states a goal (hypothetical), where the patient started (historical) and where the patient
is now (present) in one line, so the sentence and section rules cannot flag its cells: the
columns' names say what each cell is. The goal finder takes each row's goal cell as the goal,
the context flagger reads each cell's role, and a Goals section whose table ends before a blank
line ends with it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

GOAL_COLUMNS = frozenset({"goal", "goals", "goal(s)", "functional goal", "functional goals", "goal description",
                          "stg", "ltg", "short-term goal", "long-term goal", "short term goal", "long term goal"})
BASELINE_COLUMN = re.compile(r"baseline|ie\b|initial|eval|start|previous|prior|last|pre\b|at eval|admission|soc\b",
                             re.IGNORECASE)
CURRENT_COLUMN = re.compile(r"current|now|today|latest|this visit|progress\b|re-?eval|discharge|d/c", re.IGNORECASE)
OTHER_COLUMN = re.compile(r"status|met\b|target|comments?|update|achieved|timeframe|due|date|#", re.IGNORECASE)
# "STG1 Berg >= 45/56", "2. Amb 300 ft": the row's label is not part of the goal
ROW_LABEL = re.compile(r"[ \t]*(?:(?:stg|ltg|goal)[ \t]*#?\d*|#?\d{1,2})[ \t]*[:.)\-–]?[ \t]+", re.IGNORECASE)
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
    if name in GOAL_COLUMNS:
        return "goal"
    for role, pattern in (("baseline", BASELINE_COLUMN), ("current", CURRENT_COLUMN), ("other", OTHER_COLUMN)):
        if pattern.match(name):
            return role
    return None


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
        roles = [_role(line[a:b].strip(" *#:").lower()) for a, b in _cells(line, separator)]
        if "goal" not in roles or not any(role in ("baseline", "current", "other") for role in roles):
            continue
        rows, table_end = [], header.end()
        while index < len(lines) and separator in lines[index].group(0):
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
