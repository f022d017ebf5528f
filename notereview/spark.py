"""Review a Spark DataFrame of notes where it lives (optional extra: `pip install notereview[spark]`).

`review_dataframe` maps each partition through `mapInPandas`: every Python worker loads the
spaCy pipeline and the classifier once (they are cached per process) and reviews its rows in
chunks, exactly as `notereview batch` does, so the two give the same reviews row for row.
A row that cannot be reviewed keeps its place, with the reason in the `error` column.
"""
from __future__ import annotations

import json
from typing import Iterator

TYPED_COLUMNS = [
    ("claims_97112", "boolean"),
    ("label", "string"),
    ("probability", "double"),
    ("needs_review", "boolean"),
    ("minutes_97112", "int"),
    ("units_billed_97112", "int"),
    ("units_cms_97112", "int"),
    ("timed_minutes_total", "int"),
    ("units_allowed_cms", "int"),
    ("units_allowed_ama", "int"),
    ("stated_timed_minutes", "int"),
    ("units_allowed_cms_stated", "int"),
    ("gap_ids", "array<string>"),
    ("score", "int"),
    ("review_json", "string"),
    ("error", "string"),
]


def output_schema(df, text_col: str) -> str:
    """The DDL schema of the result: the input's columns except the text, then the review columns."""
    kept = [f"`{f.name}` {f.dataType.simpleString()}" for f in df.schema.fields if f.name != text_col]
    clash = {name for name, _ in TYPED_COLUMNS} & {f.name for f in df.schema.fields if f.name != text_col}
    if clash:
        raise ValueError(f"input columns {sorted(clash)} clash with notereview's output columns; rename them")
    return ", ".join(kept + [f"{name} {kind}" for name, kind in TYPED_COLUMNS])


def review_rows(pdf, text_col: str, id_col: str, payer: str, max_chars: int):
    """Review one pandas chunk; returns a pandas DataFrame of the output schema (used inside executors)."""
    import pandas as pd

    from .batch import review_chunk, review_columns
    from .inputs import InputError, decode_note

    items = []
    for row_id, text in zip(pdf[id_col].tolist(), pdf[text_col].tolist()):
        note_id = None if row_id is None or (isinstance(row_id, float) and pd.isna(row_id)) else str(row_id)
        label = note_id if note_id is not None else "row without id"
        if not isinstance(text, str):
            items.append((label, None, f"{label}: no text", {}))
            continue
        try:
            items.append((label, decode_note(text.encode("utf-8", "surrogatepass"), label, max_chars).text, None, {}))
        except InputError as error:
            items.append((label, None, str(error), {}))
    payloads = review_chunk(items, payer) if items else []
    out = pdf.drop(columns=[text_col]).reset_index(drop=True)
    columns: dict[str, list] = {name: [] for name, _ in TYPED_COLUMNS}
    for payload in payloads:
        payload.pop("_signature", None)
        if "error" in payload:
            for name, _ in TYPED_COLUMNS:
                columns[name].append(None)
            columns["error"][-1] = payload["error"]
            continue
        values = {**review_columns(payload), "review_json": json.dumps(payload, ensure_ascii=False), "error": None}
        for name, _ in TYPED_COLUMNS:
            columns[name].append(values[name])
    for name, kind in TYPED_COLUMNS:
        series = pd.Series(columns[name], dtype="object")
        if kind == "int":
            series = pd.array(columns[name], dtype="Int32")
        out[name] = series
    return out


def review_dataframe(df, text_col: str = "text", id_col: str = "id", payer: str = "cms",
                     max_chars: int = 200_000):
    """A DataFrame with one row per input row: the kept columns plus the review as typed columns.

    `review_json` holds the full JSON of docs/contract.md; `error` says why a row could not be
    reviewed (its review columns are then null). Nothing is dropped.
    """
    if payer not in ("cms", "ama"):
        raise ValueError(f"unknown payer method {payer!r}: use 'cms' or 'ama'")
    for column in (text_col, id_col):
        if column not in df.columns:
            raise ValueError(f"no column {column!r} in the DataFrame (columns: {', '.join(df.columns)})")
    schema = output_schema(df, text_col)

    def reviewer(batches: Iterator) -> Iterator:
        for pdf in batches:
            yield review_rows(pdf, text_col, id_col, payer, max_chars)

    return df.mapInPandas(reviewer, schema)


def run_spark_batch(inputs: list[str], output: str, *, fmt: str = "parquet", text_col: str = "text",
                    id_col: str = "id", payer: str = "cms", master: str | None = None,
                    max_chars: int = 200_000) -> int:
    """`notereview batch --engine spark`: read JSONL, CSV or Parquet, write Parquet or JSONL; return the row count."""
    import os
    import sys

    from pyspark.sql import SparkSession

    # local runs: executors use this Python, where notereview is installed
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("notereview").config("spark.ui.enabled", "false")
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    try:
        frames = []
        for name in inputs:
            lower = name.lower()
            if lower.endswith((".jsonl", ".json", ".ndjson")):
                frames.append(spark.read.json(name))
            elif lower.endswith(".csv"):
                frames.append(spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(name))
            else:
                frames.append(spark.read.parquet(name))
        df = frames[0]
        for frame in frames[1:]:
            df = df.unionByName(frame, allowMissingColumns=True)
        result = review_dataframe(df, text_col=text_col, id_col=id_col, payer=payer, max_chars=max_chars)
        writer = result.write.mode("overwrite")
        if fmt == "jsonl":
            writer.json(output)
        else:
            writer.parquet(output)
        return spark.read.parquet(output).count() if fmt == "parquet" else spark.read.json(output).count()
    finally:
        spark.stop()
