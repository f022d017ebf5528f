"""notes/s of `notereview batch --workers 2` against Spark local[2] on the same 20,000 notes.

    python benchmarks/spark_vs_batch.py [--notes 20000] [--runs 3]

Both are timed as whole commands (start-up included), writing their outputs (JSON Lines for
batch, Parquet for Spark). Results go to benchmarks/results/spark-<date>.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "notereview.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = []
    for file in sorted((ROOT / "corpora" / "classifier" / "hand").glob("*.jsonl")):
        texts.extend(json.loads(line)["text"] for line in file.read_text(encoding="utf-8").splitlines())
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    result = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "cores": os.cpu_count(),
              "notes": args.notes, "runs": args.runs}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "notes.jsonl"
        with source.open("w", encoding="utf-8") as stream:
            for i in range(args.notes):
                stream.write(json.dumps({"id": f"n{i}", "text": texts[i % len(texts)]}) + "\n")
        commands = {
            "batch_workers_2": CLI + ["batch", str(source), "-o", str(Path(folder) / "out.jsonl"), "-w", "2", "-q"],
            "spark_local_2": CLI + ["batch", "--engine", "spark", "--spark-master", "local[2]", str(source),
                                    "-o", str(Path(folder) / "out.parquet"), "-q"],
        }
        for name, command in commands.items():
            seconds = []
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                seconds.append(time.perf_counter() - start)
            median = statistics.median(seconds)
            result[name] = {"median_seconds": round(median, 1), "notes_per_second": round(args.notes / median, 1),
                            "seconds": [round(s, 1) for s in seconds]}
    result["spark_overhead"] = round(result["spark_local_2"]["median_seconds"] / result["batch_workers_2"]["median_seconds"], 2)
    out = Path(__file__).resolve().parent / "results" / f"spark-{result['date'][:10]}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
