"""Batch: every input row gives exactly one output line, in order, even with bad rows or a kill."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, assert_valid_review_json

CLI = [sys.executable, "-m", "notereview.cli"]
CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "classifier" / "hand"


def corpus_notes(n: int) -> list[dict]:
    rows = []
    for file in sorted(CORPUS.glob("*.jsonl")):
        rows.extend(json.loads(line) for line in file.read_text(encoding="utf-8").splitlines())
    return rows[:n]


def write_mixed_jsonl(path: Path) -> list[str]:
    """Good notes interleaved with every kind of bad row; returns the id each line must carry."""
    good = corpus_notes(6)
    lines: list[bytes] = []
    expected: list[str] = []

    def add(raw: bytes, expected_id: str) -> None:
        lines.append(raw)
        expected.append(expected_id)

    add(json.dumps({"id": good[0]["id"], "text": good[0]["text"], "therapist": "A"}).encode(), good[0]["id"])
    add(b'{"id": "broken", "text": "NMR x 23 min', f"{path} line 2")
    add(json.dumps({"id": good[1]["id"], "text": good[1]["text"]}).encode(), good[1]["id"])
    add(json.dumps({"id": "no-text", "patient": "p1"}).encode(), "no-text")
    add(json.dumps({"id": "empty", "text": "  \n "}).encode(), "empty")
    add(b'{"id": "latin", "text": "r\xe9\xe9ducation"}', f"{path} line 6")
    add(json.dumps({"id": "huge", "text": "tandem stance on foam " * 12000}).encode(), "huge")
    add(json.dumps({"id": "number-text", "text": 42}).encode(), "number-text")
    add(json.dumps(["not", "an", "object"]).encode(), f"{path} line 9")
    add(json.dumps({"id": "nul", "text": "NMR x 23 min\u0000foam"}).encode(), "nul")
    add(json.dumps({"id": good[2]["id"], "text": good[2]["text"]}).encode(), good[2]["id"])
    add(json.dumps({"id": "spanish", "text": "Paciente realizó ejercicios de equilibrio en espuma durante veinte minutos."}).encode(), "spanish")
    add(json.dumps({"text": good[3]["text"]}).encode(), f"{path} line 13")
    add(json.dumps({"id": good[4]["id"], "text": good[4]["text"]}).encode(), good[4]["id"])
    path.write_bytes(b"\n".join(lines) + b"\n")
    return expected


@pytest.mark.parametrize("workers", ["1", "2"])
def test_batch_mixed_rows_give_one_line_each_in_order(tmp_path, workers):
    source = tmp_path / "mixed.jsonl"
    expected = write_mixed_jsonl(source)
    out = tmp_path / "out.jsonl"
    result = subprocess.run(CLI + ["batch", str(source), "-o", str(out), "-w", workers, "-q"], capture_output=True,
                            timeout=300)
    assert result.returncode == 1  # some rows failed, and the exit code says so
    payloads = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in payloads] == expected
    for payload in payloads:
        assert_valid_review_json({k: v for k, v in payload.items() if k != "fields"})
    errors = {p["id"]: p["error"] for p in payloads if "error" in p}
    assert set(errors) == {f"{source} line 2", "no-text", "empty", f"{source} line 6", "huge", "number-text",
                           f"{source} line 9", "nul"}
    assert "invalid JSON" in errors[f"{source} line 2"] and "UTF-8" in errors[f"{source} line 6"]
    assert "over the limit" in errors["huge"] and "empty" in errors["empty"] and "NUL" in errors["nul"]
    spanish = next(p for p in payloads if p["id"] == "spanish")
    assert spanish["needs_review"] is True


def test_batch_stdout_csv_and_folder_inputs(tmp_path):
    folder = tmp_path / "notes"
    (folder / "clinic_a").mkdir(parents=True)
    for example in sorted(EXAMPLES.glob("*.txt")):
        (folder / "clinic_a" / example.name).write_bytes(example.read_bytes())
    (folder / "clinic_a" / "blank.txt").write_text("")
    table = tmp_path / "notes.csv"
    with table.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["note_id", "therapist", "body"])
        writer.writerow(["c1", "Lee", (EXAMPLES / "shorthand_messy.txt").read_text()])
        writer.writerow(["c2", "Ortiz", ""])
    result = subprocess.run(CLI + ["batch", str(folder), str(table), "--id-column", "note_id", "--text-column", "body",
                                   "-w", "1", "-q"], capture_output=True, timeout=300)
    ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    expected_folder = sorted(f"clinic_a/{p.name}" for p in EXAMPLES.glob("*.txt")) + ["clinic_a/blank.txt"]
    assert ids == sorted(expected_folder) + ["c1", "c2"]
    assert result.returncode == 1


def test_batch_csv_and_html_outputs_and_manifest(tmp_path):
    source = tmp_path / "notes.jsonl"
    rows = corpus_notes(12)
    source.write_text("".join(json.dumps({"id": r["id"], "text": r["text"], "therapist": ["A", "B"][i % 2]}) + "\n"
                              for i, r in enumerate(rows)), encoding="utf-8")
    outputs = [tmp_path / "out.jsonl", tmp_path / "out.csv", tmp_path / "summary.html"]
    args = ["batch", str(source), "--group-by", "therapist", "-w", "1", "-q"]
    for output in outputs:
        args += ["-o", str(output)]
    result = subprocess.run(CLI + args, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with outputs[1].open(encoding="utf-8") as stream:
        table = list(csv.DictReader(stream))
    assert [row["id"] for row in table] == [r["id"] for r in rows]
    assert {row["therapist"] for row in table} == {"A", "B"}
    html = outputs[2].read_text(encoding="utf-8")
    assert "<svg" in html and "By therapist" in html and "http" not in html.split("<body>")[1].split("Run manifest")[0]
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert manifest["counts"]["rows_written"] == 12 and len(manifest["inputs"][0]["sha256"]) == 64


def test_batch_killed_midway_then_resumed_writes_every_id_once(tmp_path):
    rows = corpus_notes(400)
    source = tmp_path / "big.jsonl"
    source.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(CLI + ["batch", str(source), "-o", str(out), "-w", "1", "-q"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= 40:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    written_before = out.read_bytes().count(b"\n")
    assert 0 < written_before < len(rows), "the batch must be interrupted midway for this test to mean anything"
    resumed = subprocess.run(CLI + ["batch", str(source), "-o", str(out), "--resume", "-w", "2", "-q"],
                             capture_output=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [r["id"] for r in rows]


def test_batch_resumed_from_another_folder_writes_every_row_once(tmp_path):
    # rows without an id are named by where they stand ("batch/in.jsonl line 2"); a resume run from
    # inside the folder names the same file "in.jsonl" and must still find them written
    good = corpus_notes(3)
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "in.jsonl").write_text(
        json.dumps({"id": good[0]["id"], "text": good[0]["text"]}) + "\n"
        + '{"id": "broken", "text": "NMR\n'
        + json.dumps({"text": good[1]["text"]}) + "\n", encoding="utf-8")
    first = subprocess.run(CLI + ["batch", "batch/in.jsonl", "-o", "batch/out.jsonl", "-q"], cwd=tmp_path,
                           capture_output=True, timeout=300)
    assert first.returncode == 1  # the broken row
    with (folder / "in.jsonl").open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"id": good[2]["id"], "text": good[2]["text"]}) + "\n")
    resumed = subprocess.run(CLI + ["batch", "in.jsonl", "-o", "out.jsonl", "--resume", "-q"], cwd=folder,
                             capture_output=True, timeout=300)
    ids = [json.loads(line)["id"] for line in (folder / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == [good[0]["id"], "batch/in.jsonl line 2", "batch/in.jsonl line 3", good[2]["id"]]
    assert resumed.returncode == 1  # the output it completes still holds an error row


def test_batch_copy_forward_note_gets_cloned_gap(tmp_path):
    note = (EXAMPLES / "nmr_well_documented.txt").read_text()
    copied = note.replace("Berg 41/56", "Berg 42/56")
    other = (EXAMPLES / "shorthand_messy.txt").read_text()
    source = tmp_path / "visits.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "v1", "patient": "p1", "text": note},
        {"id": "v2", "patient": "p2", "text": note},
        {"id": "v3", "patient": "p1", "text": other},
        {"id": "v4", "patient": "p1", "text": copied},
    ]), encoding="utf-8")
    result = subprocess.run(CLI + ["batch", str(source), "-w", "1", "-q"], capture_output=True, timeout=300)
    payloads = {p["id"]: p for p in map(json.loads, result.stdout.decode().splitlines())}
    cloned = [g for g in payloads["v4"]["gaps"] if g["id"] == "documentation.cloned"]
    assert cloned and cloned[0]["earlier_id"] == "v1" and cloned[0]["severity"] == "warning"
    for other_id in ("v1", "v2", "v3"):  # another patient's identical note is not copy-forward
        assert "documentation.cloned" not in {g["id"] for g in payloads[other_id]["gaps"]}
    assert payloads["v4"]["score"] == payloads["v1"]["score"] - 8
