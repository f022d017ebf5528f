"""Fuzz the service, minutes and units parser (and, for a share of inputs, the whole review).

    python tests/fuzz_services.py --minutes 10          # the run quoted in the issue notes
    python tests/fuzz_services.py --minutes 1 --seed 7  # a quick one

Inputs are built from clinical fragments (codes, durations, time ranges, units, table cells,
headings) and then mutated character by character (inserted digits, separators, Unicode,
deleted and duplicated spans), the way a coverage-less mutation fuzzer would. Every input must
parse without an exception, with offsets inside the text, minutes in 1..240 and units in
1..16; one input in twenty also goes through the full review and its JSON. Failing inputs are
written to tests/data/fuzz_findings/ and belong in tests/test_fuzz_regressions.py once fixed.
Not collected by pytest (the file name does not start with test_).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notereview import review  # noqa: E402
from notereview.nlp.services import find_services  # noqa: E402

FRAGMENTS = [
    "NMR", "NMRE", "neuro re-ed", "neuromuscular re-education", "97112", "97110", "97530", "97116", "97140", "97150",
    "G0283", "95992", "ther ex", "TE", "TA", "ther act", "gait trng", "manual", "group", "x", "x ", "min", "mins",
    "minutes", "m", "'", "’", "u", "units", "unit", "(2)", "x2u", "2 units", "/", "|", "\t", ":", "-", "–", "—", "to",
    "0905-0930", "8:05-8:30", "12:50-1:15", "2359-0001", "0000-0000", "99:99-00:61", "23", "7", "8", "22", "38", "240",
    "999", "0", "1", "15", "Total timed minutes:", "Total treatment time:", "CPT | Description | Minutes | Units",
    "Plan:", "Goals:", "A:", "O:", "Billing:", "\n", "\r\n", " ", "  ", "(", ")", "#", "@", ";", ",", ".",
]
NOISE = ["\u00e9", "\u2191", "\u2193", "\u00a0", "\u200b", "\ufeff", "\u0000", "\U0001f600", "9", "0", ":", "-", "x", "\n"]


def generate(rng: random.Random) -> str:
    text = "".join(rng.choice(FRAGMENTS) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(1, 40)))
    for _ in range(rng.randint(0, 8)):
        if not text:
            break
        position = rng.randrange(len(text))
        action = rng.random()
        if action < 0.4:
            text = text[:position] + rng.choice(NOISE) + text[position:]
        elif action < 0.7:
            end = min(len(text), position + rng.randint(1, 6))
            text = text[:position] + text[end:]
        else:
            end = min(len(text), position + rng.randint(1, 12))
            text = text[:position] + text[position:end] * rng.randint(2, 4) + text[end:]
    return text


def check_parser(text: str) -> None:
    anchors, _ = find_services(text)
    for anchor in anchors:
        assert 0 <= anchor.start < anchor.end <= len(text), "anchor outside the text"
        assert anchor.segment_end <= len(text), "segment past the end of the text"
        assert anchor.minutes is None or 0 < anchor.minutes <= 240, f"minutes {anchor.minutes}"
        assert anchor.units is None or 0 < anchor.units <= 16, f"units {anchor.units}"


def check_review(text: str) -> None:
    if not text.strip():
        return
    payload = review(text).to_dict()
    json.dumps(payload)
    for entity in payload["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"], "entity offsets do not slice back"
    assert 0 <= payload["score"] <= 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    findings_dir = Path(__file__).resolve().parent / "data" / "fuzz_findings"
    deadline = time.monotonic() + args.minutes * 60
    executions = reviews = 0
    findings: dict[str, str] = {}
    while time.monotonic() < deadline:
        text = generate(rng)
        executions += 1
        try:
            check_parser(text)
            if executions % 20 == 0:
                reviews += 1
                check_review(text)
        except Exception as error:  # noqa: BLE001 - every failure is a finding
            key = f"{type(error).__name__}: {error}".splitlines()[0][:120]
            if key not in findings:
                findings[key] = text
                findings_dir.mkdir(parents=True, exist_ok=True)
                (findings_dir / f"finding-{len(findings)}.json").write_text(
                    json.dumps({"error": key, "trace": traceback.format_exc(), "text": text}, ensure_ascii=False))
    summary = {"minutes": args.minutes, "seed": args.seed, "executions": executions, "full_reviews": reviews,
               "distinct_findings": len(findings), "findings": list(findings)}
    print(json.dumps(summary, indent=2))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
