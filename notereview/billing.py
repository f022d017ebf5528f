"""Unit arithmetic for timed CPT codes: the CMS 8-minute rule and the AMA per-code method.

Sources (docs/reference.md sections 3 and 4):
- Medicare Claims Processing Manual, ch. 5 section 20.2 [CPM]: total timed minutes of
  the date set the total units (8-22 min = 1, 23-37 = 2, ...), allocated across codes by
  full 15-minute blocks first, then by the largest remaining minutes.
- CPT time rule, "a unit of time is attained when the midpoint is passed" [CPT-TIME],
  applied to each code on its own [AMA-CMP].
"""
from __future__ import annotations

from dataclasses import dataclass


def units_for_minutes(minutes: int) -> int:
    """Units the CMS table gives for a total of timed minutes (closed form of the table).

    T < 8 gives 0; otherwise floor((T + 7) / 15), which reproduces 8-22 = 1, 23-37 = 2, ...
    """
    if minutes < 8:
        return 0
    return (minutes + 7) // 15


@dataclass(frozen=True)
class CodeMinutes:
    """One timed code of a visit and the minutes documented for it."""

    code: str
    minutes: int


@dataclass(frozen=True)
class UnitAllocation:
    """Units per code, the visit total, and the codes whose last unit was a tie."""

    units: dict[str, int]
    total_units: int
    tied_codes: tuple[str, ...] = ()


def _minutes_by_code(services: list[CodeMinutes]) -> dict[str, int]:
    """Minutes per code in note order; a code written twice has its minutes added."""
    minutes_by_code: dict[str, int] = {}
    for service in services:
        minutes_by_code[service.code] = minutes_by_code.get(service.code, 0) + max(service.minutes, 0)
    return minutes_by_code


def allocate_cms(services: list[CodeMinutes]) -> UnitAllocation:
    """Allocate the CMS total units across the visit's timed codes.

    The procedure of docs/reference.md section 3: N = table(T); each code first gets its
    full 15-minute blocks; the R = N - sum(full) remaining units go to the codes with the
    largest leftover minutes. Ties at the cut-off are the clinician's choice [CPM Ex.2];
    we break them by note order and report the tied codes.
    """
    minutes_by_code = _minutes_by_code(services)
    total_minutes = sum(minutes_by_code.values())
    total_units = units_for_minutes(total_minutes)
    units = {code: minutes // 15 for code, minutes in minutes_by_code.items()}
    remaining = total_units - sum(units.values())
    leftovers = sorted(
        ((minutes % 15, order, code) for order, (code, minutes) in enumerate(minutes_by_code.items())),
        key=lambda item: (-item[0], item[1]),
    )
    candidates = [(left, code) for left, _, code in leftovers if left > 0]
    tied: list[str] = []
    if remaining > 0:
        cut_value = candidates[remaining - 1][0] if remaining <= len(candidates) else None
        for left, code in candidates[:remaining]:
            units[code] += 1
        if cut_value is not None:
            at_cut = [code for left, code in candidates if left == cut_value]
            chosen_at_cut = [code for left, code in candidates[:remaining] if left == cut_value]
            if len(at_cut) > len(chosen_at_cut):
                tied = at_cut
    elif remaining < 0:
        # Cannot happen with the closed form (N >= sum of full blocks); kept as a guard.
        raise ValueError("allocation produced more full units than the table allows")
    return UnitAllocation(units=units, total_units=total_units, tied_codes=tuple(tied))


def allocate_ama(services: list[CodeMinutes]) -> UnitAllocation:
    """Units per code counted on their own: a unit once the midpoint (8 of 15 min) is passed."""
    minutes_by_code = _minutes_by_code(services)
    units = {code: units_for_minutes(minutes) for code, minutes in minutes_by_code.items()}
    return UnitAllocation(units=units, total_units=sum(units.values()))


def allocate(services: list[CodeMinutes], payer: str = "cms") -> UnitAllocation:
    """Allocate units with the payer's method: `cms` (8-minute rule) or `ama` (per code)."""
    if payer == "cms":
        return allocate_cms(services)
    if payer == "ama":
        return allocate_ama(services)
    raise ValueError(f"unknown payer method {payer!r}: use 'cms' or 'ama'")
