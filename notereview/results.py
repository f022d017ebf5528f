"""The typed result of a review: every output format renders from these.

Field names and their JSON follow docs/contract.md section 4.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA = "notereview/1"

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Mention:
    """One extracted mention with character offsets into the note."""

    type: str
    id: str | None
    text: str
    start: int
    end: int
    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    section: str | None = None
    measurable: bool | None = None  # goals only
    timeframe: str | None = None  # goals only

    @property
    def performed(self) -> bool:
        """True when the mention is asserted as present or done today."""
        return not (self.negated or self.hypothetical or self.historical)

    def to_dict(self) -> dict:
        """The JSON object of CONTRACT.md section 4 (`entities`)."""
        out = {
            "type": self.type,
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "historical": self.historical,
        }
        if self.type == "goal":
            out["measurable"] = bool(self.measurable)
            out["timeframe"] = self.timeframe
        return out


@dataclass(frozen=True)
class Service:
    """A billed or documented service: its code, minutes, units and the text documenting it."""

    code: str
    name: str
    minutes: int | None
    units_billed: int | None
    timed: bool
    start: int
    end: int
    units_allocated_cms: int | None = None
    units_allocated_ama: int | None = None

    def to_dict(self) -> dict:
        """The JSON object of CONTRACT.md section 4 (`services`)."""
        return {
            "code": self.code,
            "name": self.name,
            "minutes": self.minutes,
            "units_billed": self.units_billed,
            "timed": self.timed,
            "units_allocated_cms": self.units_allocated_cms,
            "units_allocated_ama": self.units_allocated_ama,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Contribution:
    """A word or extracted feature and how far it pushed the decision toward `nmr`."""

    feature: str
    weight: float

    def to_dict(self) -> dict:
        return {"feature": self.feature, "weight": round(self.weight, 4)}


@dataclass(frozen=True)
class Decision:
    """The 97112 decision: label, calibrated P(nmr), and what drove it."""

    label: str
    probability: float
    needs_review: bool
    review_reasons: tuple[str, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    judged: tuple[tuple[int, int], ...] = ()  # the text judged as the 97112 content


@dataclass(frozen=True)
class Allocation:
    """Units the visit's timed minutes allow, under both counting methods."""

    timed_minutes_total: int | None
    units_allowed_cms: int | None
    units_allowed_ama: int | None
    ties: tuple[str, ...] = ()
    stated_timed_minutes: int | None = None  # the note's own "total timed 40 min"
    units_allowed_cms_stated: int | None = None  # what the CMS table gives for the stated total

    @property
    def only_stated(self) -> bool:
        """Whether the visit's timed total is known only from the note's stated figure (the codes' own minutes
        do not all stand): the outputs then show the stated total and its CMS units."""
        return self.timed_minutes_total is None and self.stated_timed_minutes is not None

    @property
    def timed_minutes_or_stated(self) -> int | None:
        """The codes' summed minutes, else the note's stated timed total."""
        return self.timed_minutes_total if self.timed_minutes_total is not None else self.stated_timed_minutes

    @property
    def units_allowed_cms_or_stated(self) -> int | None:
        """CMS units from the codes' minutes, else from the note's stated timed total."""
        return self.units_allowed_cms if self.units_allowed_cms is not None else self.units_allowed_cms_stated


@dataclass(frozen=True)
class Evidence:
    """A span of the note a gap points at."""

    start: int
    end: int

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Gap:
    """A documentation gap from the catalogue (docs/contract.md section 3)."""

    id: str
    severity: str
    message: str
    evidence: tuple[Evidence, ...] = ()
    suggestion: str = ""
    why: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "severity": self.severity,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "suggestion": self.suggestion,
            "why": self.why,
        }


@dataclass(frozen=True)
class Review:
    """Everything notereview concluded about one note."""

    id: str | None
    text: str
    claims_97112: bool
    decision: Decision
    services: tuple[Service, ...]
    allocation: Allocation
    entities: tuple[Mention, ...]
    gaps: tuple[Gap, ...]
    score: int
    payer: str = "cms"
    notices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return self.decision.label

    @property
    def probability(self) -> float:
        return self.decision.probability

    @property
    def needs_review(self) -> bool:
        return self.decision.needs_review

    def worst_severity(self) -> str | None:
        """The most severe gap's severity, or None when there is no gap."""
        if not self.gaps:
            return None
        return max((g.severity for g in self.gaps), key=SEVERITY_ORDER.__getitem__)

    def to_dict(self) -> dict:
        """The JSON of one review, exactly as CONTRACT.md section 4, plus added fields."""
        return {
            "schema": SCHEMA,
            "id": self.id,
            "claims_97112": self.claims_97112,
            "label": self.decision.label,
            "probability": round(self.decision.probability, 4),
            "needs_review": self.decision.needs_review,
            "services": [s.to_dict() for s in self.services],
            "timed_minutes_total": self.allocation.timed_minutes_total,
            "units_allowed_cms": self.allocation.units_allowed_cms,
            "units_allowed_ama": self.allocation.units_allowed_ama,
            "entities": [m.to_dict() for m in self.entities],
            "gaps": [g.to_dict() for g in self.gaps],
            "score": self.score,
            # Added fields (the contract grows only by adding):
            "payer": self.payer,
            "review_reasons": list(self.decision.review_reasons),
            "stated_timed_minutes": self.allocation.stated_timed_minutes,
            "units_allowed_cms_stated": self.allocation.units_allowed_cms_stated,
            "explanation": [c.to_dict() for c in self.decision.contributions],
            "segment": [{"start": start, "end": end} for start, end in self.decision.judged],
        }
