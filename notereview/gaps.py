"""The gap catalogue (docs/contract.md section 3): one small rule per gap id.

Each rule reads a `GapInputs` and returns `None` or a `Finding` (evidence spans and the facts the
feedback template fills in). `find_gaps` runs them in catalogue order and renders each finding's
message, reason and suggested wording from `templates/gaps/<id>.j2`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from . import billing
from .features import NEUROMUSCULAR_DEFICITS
from .nlp.rules import find_matches, gap_rules, literal_alternation, service_codes
from .results import Evidence, Gap, Mention, Service


@dataclass(frozen=True)
class GapInputs:
    """What the gap rules read about one note."""

    text: str
    claims_97112: bool
    label: str
    mentions: tuple[Mention, ...]
    services: tuple[Service, ...]
    judged: tuple[tuple[int, int], ...]  # the ranges judged as the 97112 content
    timed_minutes_total: int | None
    units_allowed: int | None
    tied_codes: tuple[str, ...]
    payer: str

    def in_judged(self, mention: Mention) -> bool:
        return any(start <= mention.start < end for start, end in self.judged)

    def judged_text(self) -> str:
        return "\n".join(self.text[start:end] for start, end in self.judged)

    def judged_evidence(self) -> tuple[Evidence, ...]:
        return tuple(Evidence(start, end) for start, end in self.judged)

    @property
    def nmr_service(self) -> Service | None:
        return next((s for s in self.services if s.code == "97112"), None)


@dataclass(frozen=True)
class Finding:
    """A rule's verdict: where in the note, and the facts its template needs."""

    evidence: tuple[Evidence, ...]
    facts: dict = field(default_factory=dict)


def _evidence(mentions) -> tuple[Evidence, ...]:
    return tuple(Evidence(m.start, m.end) for m in mentions)


def _performed(inputs: GapInputs, type_: str, judged_only: bool) -> list[Mention]:
    return [m for m in inputs.mentions
            if m.type == type_ and m.performed and (not judged_only or inputs.in_judged(m))]


def time_missing(inputs: GapInputs) -> Finding | None:
    service = inputs.nmr_service
    if service is None or service.minutes is not None:
        return None
    return Finding((Evidence(service.start, service.end),), {"units_billed": service.units_billed})


def units_overbilled(inputs: GapInputs) -> Finding | None:
    service = inputs.nmr_service
    if service is None:
        return None
    timed = [s for s in inputs.services if s.timed]
    billed_total = sum(s.units_billed for s in timed if s.units_billed is not None)
    facts = {"minutes": service.minutes, "units_billed": service.units_billed,
             "timed_minutes_total": inputs.timed_minutes_total, "units_allowed": inputs.units_allowed,
             "billed_total": billed_total, "payer": inputs.payer}
    evidence = (Evidence(service.start, service.end),)
    if service.units_billed and not inputs.timed_minutes_total and not any(s.minutes for s in timed):
        return Finding(evidence, {**facts, "reason": "no_minutes"})
    ceiling = _units_ceiling(service, inputs)
    if service.units_billed is not None and ceiling is not None and service.units_billed > ceiling:
        return Finding(evidence, {**facts, "reason": "code", "allocated": ceiling})
    if inputs.units_allowed is not None and billed_total > inputs.units_allowed and all(
        s.units_billed is not None for s in timed
    ):
        return Finding(tuple(Evidence(s.start, s.end) for s in timed), {**facts, "reason": "total"})
    return None


def _units_ceiling(service: Service, inputs: GapInputs) -> int | None:
    """The most units 97112's documented minutes can support under the payer's method.

    AMA counts the code alone. CMS allocates across codes: 97112 has its full 15-minute
    blocks, plus the leftover unit where it won it, or where it is tied for it (the
    clinician's choice [CPM Ex.2]); with another timed code's minutes unknown, the most it
    could win is one unit for its leftover minutes.
    """
    if service.minutes is None:
        return None
    if inputs.payer == "ama":
        return billing.units_for_minutes(service.minutes)
    full, leftover = divmod(service.minutes, 15)
    if service.units_allocated_cms is None:
        return full + (1 if leftover else 0)
    if "97112" in inputs.tied_codes and service.units_allocated_cms == full:
        return full + 1
    return service.units_allocated_cms


def units_daily_limit(inputs: GapInputs) -> Finding | None:
    service = inputs.nmr_service
    limit = gap_rules()["daily_unit_limit"]
    if service is None:
        return None
    allocated = service.units_allocated_ama if inputs.payer == "ama" else service.units_allocated_cms
    units = service.units_billed if service.units_billed is not None else allocated
    if units is None or units <= limit:
        return None
    if find_matches("justification", inputs.text):
        return None
    return Finding((Evidence(service.start, service.end),), {"units": units, "limit": limit})


@lru_cache(maxsize=None)
def _nmr_names() -> frozenset[str]:
    return frozenset(name.lower() for name in service_codes()["97112"]["names"])


def _names_the_service(inputs: GapInputs, mention: Mention) -> bool:
    """ "Balance re-ed (97112) 30 min: bike ...": the service's own name heading its text is a label, not a
    technique shown (a bare label such as "balance re-ed" does not show one; reference: audit red flags)."""
    return mention.text.lower().rstrip(".") in _nmr_names() and any(s.start == mention.start for s in inputs.services)


def technique_missing(inputs: GapInputs) -> Finding | None:
    if [m for m in _performed(inputs, "technique", judged_only=True) if not _names_the_service(inputs, m)]:
        return None
    interventions = sorted({m.id for m in _performed(inputs, "intervention", judged_only=True)})
    not_done = [m.text for m in inputs.mentions if m.type == "technique" and not m.performed and inputs.in_judged(m)]
    return Finding(inputs.judged_evidence(), {"interventions": interventions, "not_done": not_done})


def content_strengthening(inputs: GapInputs) -> Finding | None:
    if inputs.label != "strengthening":
        return None
    plain = set(gap_rules()["plain_exercise_interventions"])
    strength = [m for m in _performed(inputs, "intervention", judged_only=True) if m.id in plain]
    return Finding(_evidence(strength) or inputs.judged_evidence(), {"examples": [m.text for m in strength[:4]]})


def _present_deficits(inputs: GapInputs) -> list[Mention]:
    return [m for m in inputs.mentions if m.type == "deficit" and not m.negated and not m.hypothetical]


def deficit_missing(inputs: GapInputs) -> Finding | None:
    if _present_deficits(inputs):
        return None
    return Finding(inputs.judged_evidence(), {})


def deficit_weakness_only(inputs: GapInputs) -> Finding | None:
    deficits = _present_deficits(inputs)
    if not deficits or any(m.id in NEUROMUSCULAR_DEFICITS for m in deficits):
        return None
    return Finding(_evidence(deficits), {"found": sorted({m.id for m in deficits}), "examples": [m.text for m in deficits[:3]]})


def skill_missing(inputs: GapInputs) -> Finding | None:
    if _performed(inputs, "cue", judged_only=True):
        return None
    if find_matches("progression", inputs.judged_text()):
        return None
    techniques = [m.text for m in _performed(inputs, "technique", judged_only=True)]
    return Finding(inputs.judged_evidence(), {"techniques": techniques[:3]})


NEGATED_BEFORE = re.compile(r"\b(?:not|no|never|without)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


# "P: cont NMR, pt seen w/ another resident", "97150 group": a plan's line or a group billed apart (gap_rules.json)
PLAN_OR_GROUP_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:" + literal_alternation(gap_rules()["plan_line_labels"])
                                + r")[ \t]*[:\-]|\b(?:" + literal_alternation(gap_rules()["group_line_words"]) + r")\b",
                                re.IGNORECASE | re.MULTILINE)


def supervision_not_one_on_one(inputs: GapInputs) -> Finding | None:
    found = []
    for start, end in inputs.judged:
        segment = inputs.text[start:end]
        for match_start, match_end in find_matches("supervision_not_one_on_one", segment):
            if segment[match_start:match_end] == "97150":
                continue  # a separate group service is billed apart [GROUP]; only wording inside the 97112 time counts
            if NEGATED_BEFORE.search(segment[max(0, match_start - 25):match_start]):
                continue
            found.append(Evidence(start + match_start, start + match_end))
    found += _plain_concurrent_wording(inputs)
    if not found:
        return None
    return Finding(tuple(found), {"phrases": [inputs.text[e.start:e.end] for e in found[:3]]})


def _plain_concurrent_wording(inputs: GapInputs) -> list[Evidence]:
    """'Resident seen concurrently with another resident' above the 97112 heading: concurrent treatment
    under Part B is group treatment [GROUP], wherever the note says it, unless it is about another
    service's own time, a plan, or a group billed apart."""
    text, found = inputs.text, []
    others = [(s.start, s.end) for s in inputs.services if s.code != "97112"]
    for start, end in find_matches("supervision_not_one_on_one_note_wide", text):
        if any(a <= start < b for a, b in inputs.judged) or any(a <= start < b for a, b in others):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if (PLAN_OR_GROUP_LINE.search(text, line_start, line_end)
                or any(line_start <= a < line_end for a, _ in others)  # "1300-1315 concurrent (w/ res rm 108) 97110:"
                or NEGATED_BEFORE.search(text[max(line_start, start - 25):start])):
            continue
        found.append(Evidence(start, end))
    return found


def goal_missing(inputs: GapInputs) -> Finding | None:
    if any(m.type == "goal" for m in inputs.mentions):
        return None
    return Finding((), {})


def goal_not_measurable(inputs: GapInputs) -> Finding | None:
    goals = [m for m in inputs.mentions if m.type == "goal"]
    if not goals or any(m.measurable for m in goals):
        return None
    return Finding(_evidence(goals), {"goals": [m.text for m in goals[:3]]})


def response_missing(inputs: GapInputs) -> Finding | None:
    responses = [m for m in inputs.mentions if m.type == "response" and m.id == "performance" and not m.hypothetical]
    if responses:
        return None
    tolerance = [m for m in inputs.mentions if m.type == "response" and m.id == "tolerance"]
    return Finding(_evidence(tolerance), {"tolerance": [m.text for m in tolerance[:2]]})


def necessity_missing(inputs: GapInputs) -> Finding | None:
    # "Goal: no falls x 3 mo" aims at a function; "no falls since last visit" reports none
    functional = [m for m in inputs.mentions if m.type == "function" and (not m.negated or m.section == "goals")]
    falls = [m for m in inputs.mentions if m.type == "deficit" and m.id == "fall_risk" and not m.negated]
    if functional or falls:
        return None
    deficits = [m.text for m in _present_deficits(inputs)][:2]
    return Finding((), {"deficits": deficits})


def code_supports_97112(inputs: GapInputs) -> Finding | None:
    if inputs.label != "nmr":
        return None
    deficits = [m for m in _present_deficits(inputs) if m.id in NEUROMUSCULAR_DEFICITS]
    techniques = [m for m in inputs.mentions if m.type == "technique" and m.performed]
    if not deficits or not techniques:
        return None
    codes = [s.code for s in inputs.services]
    return Finding(_evidence(techniques[:3]), {"techniques": [m.text for m in techniques[:3]],
                                               "deficits": [m.text for m in deficits[:2]], "codes": codes})


Rule = Callable[[GapInputs], "Finding | None"]

# Catalogue order; mutually exclusive pairs are exclusive by construction of their rules.
CLAIM_RULES: dict[str, Rule] = {
    "time.missing": time_missing,
    "units.overbilled": units_overbilled,
    "units.daily_limit": units_daily_limit,
    "technique.missing": technique_missing,
    "content.strengthening": content_strengthening,
    "deficit.missing": deficit_missing,
    "deficit.weakness_only": deficit_weakness_only,
    "skill.missing": skill_missing,
    "supervision.not_one_on_one": supervision_not_one_on_one,
    "goal.missing": goal_missing,
    "goal.not_measurable": goal_not_measurable,
    "response.missing": response_missing,
    "necessity.missing": necessity_missing,
}
UNCLAIMED_RULES: dict[str, Rule] = {"code.supports_97112": code_supports_97112}


def find_gaps(inputs: GapInputs, context: dict) -> tuple[Gap, ...]:
    """Every gap the note has, with its rendered feedback."""
    from .render import gap_feedback

    rules = CLAIM_RULES if inputs.claims_97112 else UNCLAIMED_RULES
    severity = gap_rules()["severity"]
    gaps = []
    for gap_id, rule in rules.items():
        finding = rule(inputs)
        if finding is None:
            continue
        message, why, suggestion = gap_feedback(gap_id, {**context, **finding.facts})
        gaps.append(Gap(gap_id, severity[gap_id], message, finding.evidence, suggestion, why))
    return tuple(gaps)


def score(gaps: tuple[Gap, ...]) -> int:
    """100 minus a fixed penalty per gap by severity (error 20, warning 8, info 0), floored at 0."""
    penalty = gap_rules()["score_penalty"]
    return max(0, 100 - sum(penalty[g.severity] for g in gaps))
