"""notereview benchmarks: throughput, latency, cold start, batch memory, and the medSpaCy peer.

    python benchmarks/run.py                      # everything notereview-side
    python benchmarks/run.py --medspacy-python /path/to/venv/bin/python   # plus the peer, side by side

Writes benchmarks/results/<date>T<hhmm>.json with the machine's core count and the versions used, and
prints a summary. Notes come from corpora/classifier/hand (typical length: the notes of 100 to
300 words) and, for long notes, corpus notes joined to about 1,500 words. Every figure is the
median of several runs.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "classifier" / "hand"
RESULTS = Path(__file__).resolve().parent / "results"
NOTEREVIEW = [sys.executable, "-m", "notereview.cli"]


def corpus_texts() -> list[str]:
    texts = []
    for file in sorted(CORPUS.glob("*.jsonl")):
        texts.extend(json.loads(line)["text"] for line in file.read_text(encoding="utf-8").splitlines())
    return texts


def typical_notes(texts: list[str]) -> list[str]:
    return [t for t in texts if 100 <= len(t.split()) <= 300]


def long_notes(texts: list[str], count: int = 60, words: int = 1500) -> list[str]:
    rng = random.Random(0)
    notes = []
    for _ in range(count):
        parts, total = [], 0
        while total < words:
            part = rng.choice(texts)
            parts.append(part)
            total += len(part.split())
        notes.append("\n\n".join(parts))
    return notes


def full_review_rate(notes: list[str], runs: int) -> dict:
    """In-process notes/s and words/s of the whole review: extraction, classifier, billing, gaps, JSON."""
    from notereview import review_many

    list(review_many(notes[:20]))  # warm: pipeline, model, caches
    words = sum(len(n.split()) for n in notes)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        for result in review_many(notes):
            json.dumps(result.to_dict())
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return {"notes": len(notes), "mean_words": round(words / len(notes)), "runs": runs,
            "median_seconds": round(median, 3), "notes_per_second": round(len(notes) / median, 1),
            "words_per_second": round(words / median)}


def batch_rate(notes: list[str], workers: int, runs: int) -> dict:
    """notes/s of `notereview batch --workers N` as a whole process (start-up included)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "notes.jsonl"
        source.write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n" for i, t in enumerate(notes)))
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(NOTEREVIEW + ["batch", str(source), "-o", str(Path(folder) / "out.jsonl"),
                                         "-w", str(workers), "-q"], check=True)
            seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return {"notes": len(notes), "workers": workers, "runs": runs, "median_seconds": round(median, 3),
            "notes_per_second": round(len(notes) / median, 1)}


def latency(notes: list[str], target_words: int = 300, repeats: int = 5) -> dict:
    """Per-note in-process latency (p50/p95/p99) of `review()` on notes of about 300 words."""
    from notereview import review

    rng = random.Random(1)
    sized = []
    for note in notes:
        words = note.split()
        while len(words) < target_words:
            words += rng.choice(notes).split()
        sized.append(" ".join(words[:target_words]))
    for note in sized[:10]:
        review(note)
    samples = []
    for _ in range(repeats):
        for note in sized:
            start = time.perf_counter()
            json.dumps(review(note).to_dict())
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()

    def pct(p: float) -> float:
        return round(samples[min(len(samples) - 1, int(p * len(samples)))], 2)

    return {"notes": len(sized), "words": target_words, "samples": len(samples),
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}


def cold_start(runs: int = 7) -> dict:
    """`notereview review FILE --format json` as a whole process, median wall time."""
    example = ROOT / "examples" / "nmr_well_documented.txt"
    command = [str(Path(sys.executable).parent / "notereview"), "review", str(example), "--format", "json"]
    if not Path(command[0]).exists():
        command = NOTEREVIEW + ["review", str(example), "--format", "json"]
    seconds = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - start)
    seconds = seconds[1:]  # the first run warms the file cache
    return {"runs": runs, "median_seconds": round(statistics.median(seconds), 3),
            "min_seconds": round(min(seconds), 3), "max_seconds": round(max(seconds), 3)}


MEMORY_PROBE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def batch_memory(texts: list[str], count: int, workers: int) -> dict:
    """Peak resident memory (largest process) of a batch of `count` notes built from the corpus."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "notes.jsonl"
        with source.open("w", encoding="utf-8") as stream:
            for i in range(count):
                stream.write(json.dumps({"id": f"n{i}", "text": texts[i % len(texts)], "patient": f"p{i % 500}"}) + "\n")
        start = time.perf_counter()
        probe = subprocess.run([sys.executable, "-c", MEMORY_PROBE, *NOTEREVIEW, "batch", str(source), "-o",
                                str(Path(folder) / "out.jsonl"), "-o", str(Path(folder) / "out.csv"),
                                "-o", str(Path(folder) / "summary.html"), "-w", str(workers), "-q"],
                               capture_output=True, text=True)
        elapsed = time.perf_counter() - start
    if probe.returncode != 0:
        raise RuntimeError(probe.stderr)
    peak_kb = int(probe.stdout.strip().splitlines()[-1])
    return {"notes": count, "workers": workers, "peak_rss_mb": round(peak_kb / 1024, 1),
            "seconds": round(elapsed, 1)}


def medspacy_peer(python: str, notes: list[str], runs: int) -> dict:
    """medSpaCy's default pipeline (PyRuSH, target matcher with our technique terms, ConText)."""
    terms: dict[str, list[str]] = {}
    for line in (ROOT / "notereview" / "nlp" / "patterns" / "techniques.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        terms.setdefault(row["id"], []).append(row["pattern"])
    request = json.dumps({"notes": notes, "terms": terms, "repeat": runs})
    out = subprocess.run([python, str(Path(__file__).resolve().parent / "medspacy_peer.py")], input=request,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def versions() -> dict:
    import numpy
    import sklearn
    import spacy

    import notereview

    return {"python": platform.python_version(), "notereview": notereview.__version__, "spacy": spacy.__version__,
            "scikit-learn": sklearn.__version__, "numpy": numpy.__version__}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per throughput figure (median reported)")
    parser.add_argument("--medspacy-python", help="a Python with medspacy installed, for the side-by-side peer")
    parser.add_argument("--skip-memory", action="store_true", help="skip the 2,000 / 20,000-note batches")
    args = parser.parse_args()

    texts = corpus_texts()
    typical = typical_notes(texts)
    long = long_notes(texts)
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine()},
        "versions": versions(),
    }
    print(f"{len(typical)} typical notes, {len(long)} long notes; {os.cpu_count()} cores", file=sys.stderr)
    result["throughput_typical_1_process"] = full_review_rate(typical, args.runs)
    result["throughput_long_1_process"] = full_review_rate(long, max(3, args.runs // 2))
    result["batch_typical_workers_1"] = batch_rate(typical * 4, 1, 3)
    result["batch_typical_workers_2"] = batch_rate(typical * 4, 2, 3)
    result["latency_300_words"] = latency(typical[:100])
    result["cold_start"] = cold_start()
    if args.medspacy_python:
        peer = medspacy_peer(args.medspacy_python, typical, args.runs)
        result["medspacy_peer_typical_1_process"] = peer
        result["speedup_vs_medspacy"] = round(result["throughput_typical_1_process"]["notes_per_second"]
                                              / peer["notes_per_second"], 1)
    if not args.skip_memory:
        for count in (2000, 20000):
            result[f"batch_memory_{count}"] = batch_memory(texts, count, workers=2)
        result["memory_ratio_20000_vs_2000"] = round(result["batch_memory_20000"]["peak_rss_mb"]
                                                     / result["batch_memory_2000"]["peak_rss_mb"], 3)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{result['date'][:16].replace(':', '')}.json"  # one file per run, never overwritten
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
