"""Batch reviews for QA: readers (folder, JSONL, CSV, stdin), ordered parallel reviewing, writers.

Every input row gives exactly one output line, in input order: the review, or an error line
naming the row. JSON Lines is the primary output, written and flushed row by row, so an
interrupted batch can be resumed; CSV and the HTML summary are derived from it in a streaming
pass, so memory stays flat whatever the number of notes.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePath
from typing import Callable, Iterable, Iterator

from .inputs import DEFAULT_MAX_CHARS, InputError, decode_note
from .results import SCHEMA

CHUNK_SIZE = 16


@dataclass
class BatchItem:
    """One input row: its id, its text (or the error that stops it being reviewed), kept fields."""

    id: str
    text: str | None = None
    error: str | None = None
    fields: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------ readers

def _decode_row(data: bytes, name: str, max_chars: int) -> tuple[str | None, str | None]:
    try:
        note = decode_note(data, name, max_chars)
    except InputError as error:
        return None, str(error)
    return note.text, None


def read_folder(folder: Path, max_chars: int) -> Iterator[BatchItem]:
    """Every .txt file below a folder, sorted; the id is the path relative to the folder."""
    for path in sorted(p for p in folder.rglob("*.txt") if p.is_file()):
        item_id = path.relative_to(folder).as_posix()
        try:
            data = path.read_bytes()
        except OSError as error:
            yield BatchItem(item_id, error=f"{item_id}: cannot be read ({error.strerror})")
            continue
        text, error = _decode_row(data, item_id, max_chars)
        yield BatchItem(item_id, text=text, error=error)


def read_jsonl(stream: Iterable[bytes], source: str, max_chars: int) -> Iterator[BatchItem]:
    """One JSON object a line with `id` and `text`; other fields are kept."""
    for number, raw in enumerate(stream, start=1):
        where = f"{source} line {number}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield BatchItem(where, error=f"{where}: not valid UTF-8")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield BatchItem(where, error=f"{where}: invalid JSON ({error.msg})")
            continue
        if not isinstance(row, dict):
            yield BatchItem(where, error=f"{where}: expected a JSON object with 'id' and 'text'")
            continue
        item_id = str(row["id"]) if row.get("id") not in (None, "") else where
        fields = {k: v for k, v in row.items() if k not in ("id", "text")}
        text = row.get("text")
        if not isinstance(text, str):
            problem = "has no 'text'" if text is None else "'text' is not a string"
            yield BatchItem(item_id, error=f"{where} ({item_id}): {problem}", fields=fields)
            continue
        note_text, error = _decode_row(text.encode("utf-8", "surrogatepass"), f"{where} ({item_id})", max_chars)
        yield BatchItem(item_id, text=note_text, error=error, fields=fields)


def read_csv(path: Path, id_column: str, text_column: str, max_chars: int,
             warn: Callable[[str], None]) -> Iterator[BatchItem]:
    """Rows of a CSV file; the id and text columns are chosen by name, other columns are kept."""
    data = path.read_bytes()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("latin-1")
        warn(f"{path}: not valid UTF-8; read as Latin-1")
    reader = csv.DictReader(io.StringIO(content, newline=""))
    if reader.fieldnames is None or text_column not in reader.fieldnames:
        # the first row is named by its size only: without a header it would be a patient's note
        raise InputError(f"{path}: no column named {text_column!r} in the first row ({len(reader.fieldnames or [])} "
                         "cells); the first row must name the columns; choose them with --text-column and --id-column")
    for number, row in enumerate(reader, start=2):
        where = f"{path} row {number}"
        item_id = (row.get(id_column) or "").strip() or where
        fields = {k: v for k, v in row.items() if k not in (id_column, text_column) and k is not None}
        if None in row:
            yield BatchItem(item_id, error=f"{where}: more cells than the header has columns", fields=fields)
            continue
        text = row.get(text_column)
        if text is None:
            yield BatchItem(item_id, error=f"{where}: fewer cells than the header; no text", fields=fields)
            continue
        note_text, error = _decode_row(text.encode("utf-8", "surrogatepass"), where, max_chars)
        yield BatchItem(item_id, text=note_text, error=error, fields=fields)


def read_inputs(inputs: list[str], *, id_column: str = "id", text_column: str = "text",
                max_chars: int = DEFAULT_MAX_CHARS, warn: Callable[[str], None] = lambda m: None) -> Iterator[BatchItem]:
    """Items from every input in order: folders, .jsonl, .csv, or '-' for JSON Lines on stdin."""
    for name in inputs:
        if name == "-":
            yield from read_jsonl(sys.stdin.buffer, "<stdin>", max_chars)
            continue
        path = Path(name)
        if path.is_dir():
            yield from read_folder(path, max_chars)
        elif not path.exists():
            raise InputError(f"{name}: no such file or folder")
        elif path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            with path.open("rb") as stream:
                yield from read_jsonl(stream, name, max_chars)
        elif path.suffix.lower() == ".csv":
            yield from read_csv(path, id_column, text_column, max_chars, warn)
        elif path.suffix.lower() == ".txt":
            text, error = _decode_row(path.read_bytes(), name, max_chars)
            yield BatchItem(name, text=text, error=error)
        else:
            raise InputError(f"{name}: not a folder, .jsonl, .csv or .txt file")


def count_inputs(inputs: list[str]) -> int | None:
    """How many rows the inputs hold, when that is cheap to know (for the progress bar)."""
    total = 0
    for name in inputs:
        path = Path(name)
        if name == "-":
            return None
        if path.is_dir():
            total += sum(1 for p in path.rglob("*.txt") if p.is_file())
        elif path.suffix.lower() in (".jsonl", ".ndjson", ".json") and path.exists():
            with path.open("rb") as stream:
                total += sum(1 for line in stream if line.strip())
        elif path.suffix.lower() == ".csv" and path.exists():
            return None  # quoted newlines make a line count wrong
        else:
            total += 1
    return total


# ------------------------------------------------------------------------------------ reviewing

_worker_payer = "cms"


def _init_worker(payer: str) -> None:
    global _worker_payer
    _worker_payer = payer
    from .classifier import shipped_model
    from .nlp.pipeline import get_pipeline

    get_pipeline()
    shipped_model()


def review_chunk(items: list[tuple[str, str | None, str | None, dict]], payer: str | None = None) -> list[dict]:
    """Review a chunk of (id, text, error, fields); one output dict per item, in order."""
    from .engine import review_many

    payer = payer or _worker_payer
    good = [(i, item) for i, item in enumerate(items) if item[1] is not None]
    out: list[dict | None] = [None] * len(items)
    try:
        reviews = list(review_many([item[1] for _, item in good], ids=[item[0] for _, item in good], payer=payer))
    except Exception:  # a failure in one note must not take down its chunk: review one by one
        reviews = []
        for _, item in good:
            try:
                reviews.append(next(review_many([item[1]], ids=[item[0]], payer=payer)))
            except Exception as error:  # noqa: BLE001 - reported as that row's error line
                reviews.append(error)
    for (index, item), result in zip(good, reviews):
        if isinstance(result, Exception):
            out[index] = error_line(item[0], f"{item[0]}: could not be reviewed ({result.__class__.__name__})", item[3])
        else:
            payload = result.to_dict()
            if item[3]:
                payload["fields"] = item[3]
            if item[3].get("patient") not in (None, ""):  # only notes with a patient can be copy-forward
                payload["_signature"] = note_signature(item[1])
            out[index] = payload
    for index, item in enumerate(items):
        if out[index] is None:
            out[index] = error_line(item[0], item[2] or f"{item[0]}: no text", item[3])
    return out  # type: ignore[return-value]


def error_line(item_id: str, message: str, fields: dict | None = None) -> dict:
    """The contract's line for an input that could not be reviewed."""
    payload = {"schema": SCHEMA, "id": item_id, "error": message}
    if fields:
        payload["fields"] = fields
    return payload


def _chunks(items: Iterator[BatchItem], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for item in items:
        chunk.append((item.id, item.text, item.error, item.fields))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def review_stream(items: Iterator[BatchItem], *, payer: str = "cms", workers: int = 1) -> Iterator[dict]:
    """Output dicts in input order. With workers > 1, a bounded window of chunks runs in a process pool."""
    if workers <= 1:
        _init_worker(payer)
        for chunk in _chunks(items, CHUNK_SIZE):
            yield from review_chunk(chunk, payer)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(payer,)) as pool:
        pending: deque = deque()
        for chunk in _chunks(items, CHUNK_SIZE):
            pending.append(pool.apply_async(review_chunk, (chunk,)))
            if len(pending) >= workers * 3:  # bounded: memory stays flat however long the input
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


# ------------------------------------------------------------------------------------ copy-forward

SHINGLE = 4
SIGNATURE_SIZE = 64
CLONE_THRESHOLD = 0.85


def note_signature(text: str) -> list[int]:
    """A MinHash of the note's word 4-grams (digits folded), to find copy-forward notes cheaply."""
    import re

    words = re.sub(r"\d", "0", text.lower()).split()
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles]
    signature = []
    for seed in range(SIGNATURE_SIZE):
        mask = int.from_bytes(hashlib.blake2b(seed.to_bytes(2, "big"), digest_size=8).digest(), "big")
        signature.append(min(h ^ mask for h in hashes))
    return signature


def similarity(a: list[int], b: list[int]) -> float:
    return sum(1 for x, y in zip(a, b) if x == y) / len(a)


class CloneDetector:
    """Flags a note of a patient whose text is near-identical to an earlier visit of the same patient."""

    def __init__(self, threshold: float = CLONE_THRESHOLD, patient_field: str = "patient"):
        self.threshold = threshold
        self.patient_field = patient_field
        self.seen: dict[str, list[tuple[str, list[int]]]] = {}

    def remember(self, item: BatchItem) -> None:
        """Keep the signature of a note reviewed in an earlier, interrupted run."""
        patient = item.fields.get(self.patient_field)
        if item.text is not None and patient not in (None, ""):
            self.seen.setdefault(str(patient), []).append((item.id, note_signature(item.text)))

    def check(self, payload: dict) -> dict:
        signature = payload.pop("_signature", None)
        patient = (payload.get("fields") or {}).get(self.patient_field)
        if signature is None or patient in (None, "") or "error" in payload:
            return payload
        if not payload.get("claims_97112"):  # gaps are raised only for notes that claim 97112 (contract §3)
            self.seen.setdefault(str(patient), []).append((payload["id"], signature))
            return payload
        earlier = self.seen.setdefault(str(patient), [])
        best = max(((similarity(signature, s), note_id) for note_id, s in earlier), default=(0.0, None))
        earlier.append((payload["id"], signature))
        if best[0] >= self.threshold:
            return add_clone_gap(payload, best[1], best[0])
        return payload


def add_clone_gap(payload: dict, earlier_id: str, score: float) -> dict:
    """Add `documentation.cloned` (warning) to a review dict and lower its score."""
    from .gaps import gap_rules
    from .render import gap_feedback

    message, why, suggestion = gap_feedback("documentation.cloned", {"earlier_id": earlier_id, "similarity": score})
    payload["gaps"].append({"id": "documentation.cloned", "severity": "warning", "message": message,
                            "evidence": payload.get("segment") or [], "suggestion": suggestion, "why": why,
                            "earlier_id": earlier_id})
    payload["score"] = max(0, payload["score"] - gap_rules()["score_penalty"]["warning"])
    return payload


# ------------------------------------------------------------------------------------ the run

@dataclass
class BatchCounts:
    """What a batch did, for the summary line and the manifest."""

    rows: int = 0
    errors: int = 0
    skipped: int = 0
    errors_before: int = 0  # error rows a resumed batch found already written
    claims_97112: int = 0
    strengthening: int = 0
    needs_review: int = 0


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


GENERATED_ID = re.compile(r"(?P<path>.+) (?P<place>(?:line|row) \d+)")


def resume_key(item_id: str) -> str:
    """The id a resumed batch matches rows by: an id made from where the row stands ('batch/in.jsonl
    line 3') keeps only the file's name, so a resume run from another folder ('in.jsonl line 3') finds it."""
    generated = GENERATED_ID.fullmatch(item_id)
    return f"{PurePath(generated['path']).name} {generated['place']}" if generated else item_id


def completed_ids(jsonl_path: Path) -> tuple[Counter, int]:
    """Ids already written to a JSON Lines output (as `resume_key`s) and how many of those rows are
    errors; a torn last line (killed mid-write) is cut off."""
    done: Counter = Counter()
    errors = 0
    if not jsonl_path.exists():
        return done, errors
    with jsonl_path.open("rb+") as stream:
        data = stream.read()
        cut = data.rfind(b"\n") + 1
        if cut < len(data):
            stream.truncate(cut)
        for line in data[:cut].splitlines():
            if line.strip():
                row = json.loads(line)
                done[resume_key(row["id"])] += 1
                errors += "error" in row
    return done, errors


def _skip_done(items: Iterator[BatchItem], done: Counter, counts: BatchCounts,
               clones: "CloneDetector") -> Iterator[BatchItem]:
    """Skip rows a resumed batch already wrote, remembering their text for copy-forward checks."""
    for item in items:
        key = resume_key(item.id)
        if done[key] > 0:
            done[key] -= 1
            counts.skipped += 1
            clones.remember(item)
            continue
        yield item


class Progress:
    """A one-line progress bar on stderr: count, rate and time left."""

    def __init__(self, total: int | None, enabled: bool):
        self.total, self.enabled = total, enabled
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.last < 0.2):
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        if self.total:
            left = (self.total - done) / rate if rate > 0 else 0
            width = 30
            filled = int(width * done / max(self.total, 1))
            line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} notes  {rate:.0f}/s  {left:.0f}s left "
        else:
            line = f"\r{done} notes  {rate:.0f}/s "
        sys.stderr.write(line)
        sys.stderr.flush()

    def close(self, done: int) -> None:
        if self.enabled:
            self.update(done, force=True)
            sys.stderr.write("\n")


def run_batch(inputs: list[str], outputs: list[Path], *, payer: str = "cms", workers: int | None = None,
              id_column: str = "id", text_column: str = "text", group_by: str | None = None,
              resume: bool = False, quiet: bool = False, max_chars: int = DEFAULT_MAX_CHARS,
              stdout=None, warn: Callable[[str], None] = lambda m: None) -> tuple[BatchCounts, dict]:
    """Review every input row and write the outputs; return the counts and the run manifest."""
    from . import __version__
    from .classifier import shipped_model
    from .nlp.rules import rules_hash

    workers = workers or os.cpu_count() or 1
    started = datetime.now(timezone.utc)
    by_format = {"jsonl": [], "csv": [], "html": []}
    for path in outputs:
        suffix = path.suffix.lower().lstrip(".")
        suffix = "jsonl" if suffix in ("jsonl", "ndjson") else suffix
        if suffix not in by_format:
            raise InputError(f"{path}: output format unknown; use .jsonl, .csv or .html")
        by_format[suffix].append(path)
    if resume and not by_format["jsonl"]:
        raise InputError("--resume needs a .jsonl --output to resume from")
    primary = by_format["jsonl"][0] if by_format["jsonl"] else None
    scratch = None
    if primary is None and (by_format["csv"] or by_format["html"]):
        import tempfile

        handle, name = tempfile.mkstemp(suffix=".jsonl", prefix="notereview-")
        os.close(handle)
        scratch = primary = Path(name)

    counts = BatchCounts()
    done, counts.errors_before = completed_ids(primary) if (resume and primary) else (Counter(), 0)
    items = read_inputs(inputs, id_column=id_column, text_column=text_column, max_chars=max_chars, warn=warn)
    clones = CloneDetector()
    items = _skip_done(items, done, counts, clones)
    total = count_inputs(inputs)
    progress = Progress(total, enabled=not quiet and sys.stderr.isatty())

    sinks = []
    if primary is not None:
        sinks.append(primary.open("a" if resume else "w", encoding="utf-8"))
    if not outputs:
        sinks.append(stdout or sys.stdout)
    try:
        for payload in review_stream(items, payer=payer, workers=workers):
            payload = clones.check(payload)
            counts.rows += 1
            if "error" in payload:
                counts.errors += 1
            else:
                counts.claims_97112 += int(payload["claims_97112"])
                counts.strengthening += int(payload["label"] == "strengthening")
                counts.needs_review += int(payload["needs_review"])
            line = json.dumps(payload, ensure_ascii=False) + "\n"
            for sink in sinks:
                sink.write(line)
                sink.flush()
            progress.update(counts.rows + counts.skipped)
    finally:
        progress.close(counts.rows + counts.skipped)
        for sink in sinks:
            if sink is not sys.stdout and sink is not stdout:
                sink.close()

    finished = datetime.now(timezone.utc)
    model = shipped_model()
    manifest = {
        "notereview_version": __version__,
        "rules_sha256_16": rules_hash(),
        "model_checksum": model.checksum[:16],
        "model_created": model.card.get("created"),
        "payer": payer,
        "workers": workers,
        "inputs": [_input_record(name) for name in inputs],
        "outputs": [str(p) for p in outputs],
        "counts": {"rows_written": counts.rows, "errors": counts.errors, "skipped_on_resume": counts.skipped,
                   "errors_before_resume": counts.errors_before,
                   "claims_97112": counts.claims_97112, "strengthening": counts.strengthening,
                   "needs_review": counts.needs_review},
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "seconds": round((finished - started).total_seconds(), 2),
    }
    if primary is not None:
        for path in by_format["csv"]:
            write_csv(primary, path)
        for path in by_format["html"]:
            from .summary import write_summary

            write_summary(primary, path, manifest=manifest, group_by=group_by)
        if outputs:
            manifest_path = outputs[0].with_name(outputs[0].name + ".manifest.json")
            manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if scratch is not None:
        scratch.unlink(missing_ok=True)
    return counts, manifest


def _input_record(name: str) -> dict:
    path = Path(name)
    if name == "-":
        return {"input": "<stdin>"}
    if path.is_file():
        return {"input": name, "sha256": _file_hash(path), "bytes": path.stat().st_size}
    if path.is_dir():
        digest = hashlib.sha256()
        files = sorted(p for p in path.rglob("*.txt") if p.is_file())
        for file in files:
            digest.update(file.relative_to(path).as_posix().encode())
            digest.update(_file_hash(file).encode())
        return {"input": name, "files": len(files), "sha256": digest.hexdigest()}
    return {"input": name}


# ------------------------------------------------------------------------------------ CSV

CSV_COLUMNS = ["id", "error", "claims_97112", "label", "probability", "needs_review", "score",
               "timed_minutes_total", "units_allowed_cms", "units_allowed_ama",
               "stated_timed_minutes", "units_allowed_cms_stated", "minutes_97112", "units_billed_97112", "units_cms_97112", "units_ama_97112",
               "services", "gap_ids", "gap_count_error", "gap_count_warning"]


def iter_jsonl(path: Path) -> Iterator[dict]:
    with path.open("r", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def review_columns(payload: dict) -> dict:
    """The flat, typed columns of one review (CSV and Spark both show these); gap_ids is a list."""
    nmr = next((s for s in payload["services"] if s["code"] == "97112"), {})
    return {
        "claims_97112": payload["claims_97112"], "label": payload["label"], "probability": payload["probability"],
        "needs_review": payload["needs_review"], "score": payload["score"],
        "timed_minutes_total": payload["timed_minutes_total"], "units_allowed_cms": payload["units_allowed_cms"],
        "units_allowed_ama": payload["units_allowed_ama"],
        "stated_timed_minutes": payload["stated_timed_minutes"],
        "units_allowed_cms_stated": payload["units_allowed_cms_stated"],
        "minutes_97112": nmr.get("minutes"), "units_billed_97112": nmr.get("units_billed"),
        "units_cms_97112": nmr.get("units_allocated_cms"), "units_ama_97112": nmr.get("units_allocated_ama"),
        "gap_ids": [g["id"] for g in payload["gaps"]],
    }


def csv_row(payload: dict) -> dict:
    """A flat CSV row of one review or error line."""
    row = {"id": payload.get("id"), "error": payload.get("error", "")}
    if "error" in payload:
        return row
    row.update(review_columns(payload))
    row.update({
        "services": ";".join(
            f"{s['code']}:{'' if s['minutes'] is None else s['minutes']}min/{'' if s['units_billed'] is None else s['units_billed']}u"
            for s in payload["services"]),
        "gap_ids": ";".join(row["gap_ids"]),
        "gap_count_error": sum(1 for g in payload["gaps"] if g["severity"] == "error"),
        "gap_count_warning": sum(1 for g in payload["gaps"] if g["severity"] == "warning"),
    })
    return row


def _kept_column(name: str) -> str:
    """A kept field's CSV column; one that clashes with notereview's own gets a 'field_' prefix."""
    return f"field_{name}" if name in CSV_COLUMNS else name


def _cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(jsonl_path: Path, csv_path: Path) -> None:
    """Flatten the JSON Lines output to CSV in two streaming passes (kept fields become columns)."""
    kept: dict[str, None] = {}
    for payload in iter_jsonl(jsonl_path):
        for key in (payload.get("fields") or {}):
            kept.setdefault(_kept_column(key), None)
    columns = CSV_COLUMNS + list(kept)
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for payload in iter_jsonl(jsonl_path):
            row = csv_row(payload)
            row.update({_kept_column(k): v for k, v in (payload.get("fields") or {}).items()})
            writer.writerow({k: _cell(v) for k, v in row.items()})
