"""Score the extraction against the hand-annotated notes of corpora/extraction/.

Mentions match when they have the same type and their character spans overlap (annotators
and patterns draw span edges differently: "tandem stance on foam" against "tandem stance"
and "foam"); a gold mention is found when any predicted mention of its type overlaps it,
and a predicted mention is correct when it overlaps any gold mention of its type. Ids are
scored on the matched pairs, flags on matched pairs too.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .engine import review_many

SCORED_TYPES = ("technique", "intervention", "deficit", "cue", "measure", "goal")
FLAGS = ("negated", "hypothetical", "historical")


@dataclass(frozen=True)
class GoldMention:
    type: str
    id: str | None
    start: int
    end: int
    flags: tuple[bool, bool, bool]
    measurable: bool | None = None


def _locate(text: str, surface: str, occurrence: int) -> int:
    position = -1
    for _ in range(max(occurrence, 1)):
        position = text.find(surface, position + 1)
        if position < 0:
            raise ValueError(f"gold text {surface!r} (occurrence {occurrence}) not in the note")
    return position


def gold_mentions(row: dict) -> list[GoldMention]:
    """Gold mentions of one annotated note, with offsets resolved from text and occurrence."""
    text = row["text"]
    found = []
    for mention in row.get("mentions", []):
        start = _locate(text, mention["text"], int(mention.get("occurrence", 1)))
        found.append(GoldMention(mention["type"], mention.get("id"), start, start + len(mention["text"]),
                                 tuple(bool(mention.get(f, False)) for f in FLAGS)))
    for goal in row.get("goals", []):
        start = _locate(text, goal["text"], 1)
        found.append(GoldMention("goal", None, start, start + len(goal["text"]), (False, True, False),
                                 bool(goal.get("measurable"))))
    return found


def load_split(corpus_dir: Path, split: str) -> list[dict]:
    rows = []
    for file in sorted((Path(corpus_dir) / split).glob("*.jsonl")):
        rows.extend(json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip())
    if not rows:
        raise FileNotFoundError(f"{Path(corpus_dir) / split}: no annotated notes")
    return rows


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def evaluate_extraction(corpus_dir: Path, split: str = "test") -> dict:
    """Precision, recall and F1 per type, id and flag accuracy, and exact rates for minutes and units."""
    rows = load_split(corpus_dir, split)
    reviews = list(review_many([r["text"] for r in rows], ids=[r["id"] for r in rows]))
    counts = defaultdict(lambda: {"tp_gold": 0, "gold": 0, "tp_pred": 0, "pred": 0, "id_right": 0, "id_pairs": 0})
    flag_right = {f: 0 for f in FLAGS}
    flag_pairs = 0
    flag_all_right = 0
    measurable_right = measurable_pairs = 0
    minutes_right = minutes_total = 0
    units_right = units_total = 0
    timed_right = timed_total = 0
    claims_right = 0
    by_style = defaultdict(lambda: {"gold": 0, "found": 0})
    misses: list[dict] = []
    for row, result in zip(rows, reviews):
        gold = gold_mentions(row)
        predicted = [m for m in result.entities if m.type in SCORED_TYPES]
        for type_ in SCORED_TYPES:
            g_list = [g for g in gold if g.type == type_]
            p_list = [p for p in predicted if p.type == type_]
            c = counts[type_]
            c["gold"] += len(g_list)
            c["pred"] += len(p_list)
            for g in g_list:
                partners = [p for p in p_list if _overlaps(g.start, g.end, p.start, p.end)]
                if partners:
                    c["tp_gold"] += 1
                    best = max(partners, key=lambda p: min(g.end, p.end) - max(g.start, p.start))
                    if g.id is not None and type_ != "goal":
                        c["id_pairs"] += 1
                        c["id_right"] += int(any(p.id == g.id for p in partners))
                    flags = (best.negated, best.hypothetical, best.historical)
                    if type_ != "goal":
                        flag_pairs += 1
                        for f, gv, pv in zip(FLAGS, g.flags, flags):
                            flag_right[f] += int(gv == pv)
                        flag_all_right += int(g.flags == flags)
                    else:
                        measurable_pairs += 1
                        measurable_right += int(bool(best.measurable) == g.measurable)
                elif type_ in ("technique", "deficit"):
                    misses.append({"id": row["id"], "type": type_, "text": row["text"][g.start:g.end]})
                if type_ == "technique":
                    by_style[row.get("style", "")]["gold"] += 1
                    by_style[row.get("style", "")]["found"] += int(bool(partners))
            for p in p_list:
                c["tp_pred"] += int(any(_overlaps(g.start, g.end, p.start, p.end) for g in g_list))
        predicted_services = {s.code: s for s in result.services}
        for service in row.get("services", []):
            if service.get("minutes") is None:
                continue
            minutes_total += 1
            got = predicted_services.get(service["code"])
            minutes_right += int(got is not None and got.minutes == service["minutes"])
        units_total += 1
        units_right += int(result.allocation.units_allowed_cms == row.get("units_allowed_cms"))
        timed_total += 1
        timed_right += int(result.allocation.timed_minutes_total == row.get("timed_minutes_total"))
        claims_right += int(result.claims_97112 == bool(row.get("claims_97112")))

    def prf(c):
        precision = c["tp_pred"] / c["pred"] if c["pred"] else 0.0
        recall = c["tp_gold"] / c["gold"] if c["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        id_accuracy = c["id_right"] / c["id_pairs"] if c["id_pairs"] else None
        return {"gold": c["gold"], "predicted": c["pred"], "precision": round(precision, 4), "recall": round(recall, 4),
                "f1": round(f1, 4), "id_accuracy": None if id_accuracy is None else round(id_accuracy, 4)}

    def rate(right, total):
        return round(right / total, 4) if total else None

    return {
        "split": split,
        "notes": len(rows),
        "types": {t: prf(counts[t]) for t in SCORED_TYPES},
        "flags": {f: rate(flag_right[f], flag_pairs) for f in FLAGS},
        "flags_all_three": rate(flag_all_right, flag_pairs),
        "flag_pairs": flag_pairs,
        "goal_measurable": rate(measurable_right, measurable_pairs),
        "minutes_exact": rate(minutes_right, minutes_total),
        "minutes_services": minutes_total,
        "timed_total_exact": rate(timed_right, timed_total),
        "cms_units_exact": rate(units_right, units_total),
        "claims_97112_exact": rate(claims_right, len(rows)),
        "technique_recall_by_style": {s: rate(v["found"], v["gold"]) for s, v in sorted(by_style.items())},
        "misses": misses,
    }


def format_extraction_report(report: dict, show_misses: bool = False) -> str:
    lines = [f"notereview extraction evaluation on the {report['split']} part: {report['notes']} notes", "",
             f"{'type':<14}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>8}{'F1':>8}{'id acc':>8}"]
    for type_, m in report["types"].items():
        id_accuracy = "" if m["id_accuracy"] is None else f"{m['id_accuracy']:.3f}"
        lines.append(f"{type_:<14}{m['gold']:>6}{m['predicted']:>6}{m['precision']:>11.3f}{m['recall']:>8.3f}"
                     f"{m['f1']:>8.3f}{id_accuracy:>8}")
    lines += ["", f"flag accuracy on {report['flag_pairs']} matched mentions: "
              + ", ".join(f"{f} {v:.3f}" for f, v in report["flags"].items())
              + f"; all three right {report['flags_all_three']:.3f}",
              f"goal measurable flag: {report['goal_measurable']}",
              f"minutes exact: {report['minutes_exact']} ({report['minutes_services']} services with gold minutes)",
              f"timed total exact: {report['timed_total_exact']}   CMS units exact: {report['cms_units_exact']}"
              f"   claims_97112 exact: {report['claims_97112_exact']}",
              "technique recall by style: " + ", ".join(f"{s} {v}" for s, v in report["technique_recall_by_style"].items())]
    if show_misses:
        lines += ["", "missed gold mentions:"] + [f"  {m['id']} {m['type']}: {m['text']!r}" for m in report["misses"]]
    return "\n".join(lines)
