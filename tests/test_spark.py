"""Spark local mode gives the same reviews as `notereview batch`, row for row."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "classifier" / "hand"
CLI = [sys.executable, "-m", "notereview.cli"]


@pytest.fixture(scope="module")
def notes_file(tmp_path_factory) -> Path:
    rows = []
    for file in sorted(CORPUS.glob("*.jsonl")):
        rows.extend(json.loads(line) for line in file.read_text(encoding="utf-8").splitlines())
    path = tmp_path_factory.mktemp("spark") / "notes.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for i, row in enumerate(rows[::2][:250]):
            stream.write(json.dumps({"id": row["id"], "text": row["text"], "therapist": f"t{i % 4}"}) + "\n")
        stream.write(json.dumps({"id": "blank", "text": "   ", "therapist": "t0"}) + "\n")
        stream.write(json.dumps({"id": "no-text", "therapist": "t1"}) + "\n")
    return path


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("notereview-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_review_dataframe_equals_batch_row_for_row(notes_file, spark, tmp_path):
    from notereview.spark import review_dataframe

    batch_out = tmp_path / "batch.jsonl"
    subprocess.run(CLI + ["batch", str(notes_file), "-o", str(batch_out), "-w", "2", "-q"], timeout=600)
    batch = {p["id"]: p for p in map(json.loads, batch_out.read_text(encoding="utf-8").splitlines())}
    rows = review_dataframe(spark.read.json(str(notes_file)).repartition(4)).collect()
    assert len(rows) == len(batch) == 252
    assert {r.id for r in rows} == set(batch)
    for row in rows:
        expected = batch[row.id]
        if "error" in expected:
            assert row.error and row.review_json is None and row.score is None
            continue
        expected.pop("fields", None)
        assert row.error is None
        assert json.loads(row.review_json) == expected
        assert row.therapist is not None  # kept columns ride along
        assert row.gap_ids == [g["id"] for g in expected["gaps"]]
        assert row.score == expected["score"] and row.label == expected["label"]


def test_spark_batch_engine_writes_parquet(notes_file, tmp_path):
    out = tmp_path / "reviews.parquet"
    result = subprocess.run(CLI + ["batch", "--engine", "spark", "--spark-master", "local[2]", str(notes_file),
                                   "-o", str(out)], capture_output=True, timeout=600,
                            env={**os.environ, "PYSPARK_PYTHON": sys.executable})
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    import pyarrow.parquet as pq

    table = pq.read_table(str(out)).to_pylist()
    assert len(table) == 252
    assert sum(1 for r in table if r["error"]) == 2
