"""Render a Review as text, Markdown, HTML or JSON (jinja2 templates in `templates/`)."""
from __future__ import annotations

import json
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from .results import Review

FORMATS = ("text", "markdown", "html", "json")
HIGHLIGHT_PRIORITY = ("minutes", "units", "technique", "deficit", "cue", "measure", "response", "intervention",
                      "condition", "function")
LEGEND = {
    "technique": "NMR technique",
    "deficit": "deficit",
    "cue": "cue / skill",
    "measure": "measure",
    "response": "patient response",
    "intervention": "other intervention",
    "condition": "condition",
    "function": "function",
    "goal": "goal",
    "minutes": "minutes",
    "units": "billed units",
    "service": "service heading",
}


FEATURE_LABELS = {
    "techniques_performed": "NMR techniques performed",
    "technique_not_performed": "techniques not done or only planned",
    "cues": "cues / facilitation documented",
    "responses": "patient responses described",
    "tolerance_phrases": "bare tolerance phrases",
    "neuromuscular_deficits": "neuromuscular deficits",
    "other_deficits": "strength / range / pain deficits",
    "sets_reps": "sets x reps",
    "load_markers": "loads and bands",
    "independent_wording": "independent / unsupervised wording",
    "progression_wording": "progression by the therapist",
    "red_flag_phrases": "red-flag phrases",
}


def feature_label(name: str) -> str:
    """A reader's name for a classifier feature: 'cue=tactile' -> 'cue: tactile'."""
    if name in FEATURE_LABELS:
        return FEATURE_LABELS[name]
    if "=" in name:
        kind, value = name.split("=", 1)
        return f"{kind}: {value.replace('_', ' ')}"
    return name


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The jinja2 environment: autoescape on for HTML, strict about missing variables in reports."""
    env = Environment(
        loader=PackageLoader("notereview", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the package; do not stat them on every render
    )
    env.filters["pct"] = lambda value: f"{value * 100:.0f}%"
    env.filters["feature_label"] = feature_label
    return env


def gap_feedback(gap_id: str, context: dict) -> tuple[str, str, str]:
    """(message, why, suggestion) for a gap, from `templates/gaps/<gap_id>.j2`."""
    module = environment().get_template(f"gaps/{gap_id}.j2").module
    return (
        str(module.message(context)).strip(),
        str(module.why(context)).strip(),
        str(module.suggestion(context)).strip(),
    )


def highlighted_pieces(review: Review) -> list[dict]:
    """The note cut into pieces, each with the mention type it belongs to (or None), for HTML."""
    text = review.text
    chosen = []
    rank = {t: i for i, t in enumerate(HIGHLIGHT_PRIORITY)}
    candidates = sorted(
        (m for m in review.entities if m.type in rank),
        key=lambda m: (rank[m.type], -(m.end - m.start), m.start),
    )
    taken: list[tuple[int, int]] = []
    for mention in candidates:
        if any(mention.start < e and s < mention.end for s, e in taken):
            continue
        taken.append((mention.start, mention.end))
        chosen.append(mention)
    service_marks = []
    for service in review.services:
        line_end = text.find("\n", service.start)
        line_end = len(text) if line_end < 0 else line_end
        service_marks.append((service.start, min(service.end, line_end, service.start + 80)))
    goals = [(m.start, m.end) for m in review.entities if m.type == "goal"]
    chosen.sort(key=lambda m: m.start)
    pieces, cursor = [], 0
    for mention in chosen:
        if mention.start > cursor:
            pieces.append({"text": text[cursor:mention.start], "type": None, "title": ""})
        flags = [f for f in ("negated", "hypothetical", "historical") if getattr(mention, f)]
        title = f"{mention.type}" + (f": {mention.id}" if mention.id else "") + (f" ({', '.join(flags)})" if flags else "")
        pieces.append({"text": text[mention.start:mention.end], "type": mention.type, "title": title,
                       "flagged": bool(flags)})
        cursor = mention.end
    if cursor < len(text):
        pieces.append({"text": text[cursor:], "type": None, "title": ""})
    # mark goal and service regions on the plain pieces (outer layer); split pieces at their edges
    return _mark_regions(pieces, goals, service_marks)


def _mark_regions(pieces: list[dict], goals, services) -> list[dict]:
    out, offset = [], 0
    edges = sorted({p for span in goals + services for p in span})
    for piece in pieces:
        start, end = offset, offset + len(piece["text"])
        cuts = [start] + [e for e in edges if start < e < end] + [end]
        for a, b in zip(cuts, cuts[1:]):
            part = dict(piece, text=piece["text"][a - start:b - start])
            part["goal"] = any(s <= a < e for s, e in goals)
            part["service"] = any(s <= a < e for s, e in services)
            out.append(part)
        offset = end
    return out


def render(review: Review, fmt: str = "text", source: str | None = None) -> str:
    """One review in one of FORMATS."""
    if fmt == "json":
        return json.dumps(review.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    template = {"text": "review.txt.j2", "markdown": "review.md.j2", "html": "review.html"}[fmt]
    context = {
        "review": review,
        "source": source or review.id or "note",
        "evidence_text": lambda gap: [review.text[e.start:e.end] for e in gap.evidence][:3],
        "legend": LEGEND,
    }
    if fmt == "html":
        context["pieces"] = highlighted_pieces(review)
    return environment().get_template(template).render(**context)
