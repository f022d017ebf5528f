"""The HTML summary of a batch: totals, gap frequencies, scores, breakdown by a kept field, worst notes.

Built in one streaming pass over the batch's JSON Lines, so it costs the same memory for
2,000 notes or 2,000,000; charts are inline SVG, the page needs no network.
"""
from __future__ import annotations

import heapq
import json
from collections import Counter, defaultdict
from pathlib import Path

from .render import environment

WORST_SHOWN = 15
ERRORS_SHOWN = 20


def summarize(jsonl_path: Path, group_by: str | None = None) -> dict:
    """Aggregate figures of a batch output."""
    rows = reviewed = claims = needs_review = 0
    labels: Counter = Counter()
    gap_counts: Counter = Counter()
    severity_counts: Counter = Counter()
    score_bins = [0] * 10
    score_sum = 0
    groups: dict = defaultdict(lambda: {"notes": 0, "claims": 0, "score_sum": 0, "strengthening": 0,
                                        "with_error": 0, "gaps": Counter()})
    worst: list = []
    errors: list = []
    error_count = 0
    with jsonl_path.open("r", encoding="utf-8") as stream:
        for order, line in enumerate(stream):
            if not line.strip():
                continue
            payload = json.loads(line)
            rows += 1
            if "error" in payload:
                error_count += 1
                if len(errors) < ERRORS_SHOWN:
                    errors.append({"id": payload["id"], "error": payload["error"]})
                continue
            reviewed += 1
            score = payload["score"]
            score_sum += score
            score_bins[min(score // 10, 9)] += 1
            labels[payload["label"]] += 1
            claims += int(payload["claims_97112"])
            needs_review += int(payload["needs_review"])
            ids = [g["id"] for g in payload["gaps"]]
            gap_counts.update(ids)
            severity_counts.update(g["severity"] for g in payload["gaps"])
            if group_by:
                key = str((payload.get("fields") or {}).get(group_by, "(none)"))
                group = groups[key]
                group["notes"] += 1
                group["claims"] += int(payload["claims_97112"])
                group["score_sum"] += score
                group["strengthening"] += int(payload["label"] == "strengthening" and payload["claims_97112"])
                group["with_error"] += int(any(g["severity"] == "error" for g in payload["gaps"]))
                group["gaps"].update(ids)
            entry = (-score, -order, {"id": payload["id"], "score": score, "label": payload["label"],
                                      "probability": payload["probability"], "claims_97112": payload["claims_97112"],
                                      "gaps": [{"id": g["id"], "severity": g["severity"], "message": g["message"],
                                                "suggestion": g.get("suggestion", "")} for g in payload["gaps"]]})
            if len(worst) < WORST_SHOWN:
                heapq.heappush(worst, entry)
            else:
                heapq.heappushpop(worst, entry)
    group_rows = []
    for key, group in sorted(groups.items(), key=lambda item: (-item[1]["notes"], item[0])):
        top = group["gaps"].most_common(1)
        group_rows.append({"name": key, "notes": group["notes"], "claims": group["claims"],
                           "mean_score": round(group["score_sum"] / group["notes"], 1),
                           "strengthening": group["strengthening"], "with_error": group["with_error"],
                           "top_gap": f"{top[0][0]} ({top[0][1]})" if top else "—"})
    return {
        "rows": rows, "reviewed": reviewed, "errors": error_count, "error_examples": errors,
        "claims_97112": claims, "labels": dict(labels), "needs_review": needs_review,
        "mean_score": round(score_sum / reviewed, 1) if reviewed else None,
        "gap_counts": gap_counts.most_common(), "severity_counts": dict(severity_counts),
        "score_bins": score_bins, "groups": group_rows, "group_by": group_by,
        "worst": [entry[2] for entry in sorted(worst, key=lambda e: (e[2]["score"], -e[1]))],
    }


def write_summary(jsonl_path: Path, html_path: Path, *, manifest: dict, group_by: str | None = None) -> None:
    """Render the batch summary page."""
    summary = summarize(jsonl_path, group_by)
    html = environment().get_template("summary.html").render(s=summary, manifest=manifest)
    html_path.write_text(html, encoding="utf-8")
