"""The command line as a user runs it: a real process, real files, real exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, assert_valid_review_json

CLI = [sys.executable, "-m", "notereview.cli"]


def run(args, stdin: bytes | None = None):
    return subprocess.run(CLI + args, input=stdin, capture_output=True, timeout=120)


def test_cli_review_text_names_97112_minutes_units_and_a_gap():
    out = run(["review", str(EXAMPLES / "strengthening_billed_as_nmr.txt")])
    assert out.returncode == 0
    text = out.stdout.decode()
    assert "97112" in text and "30 min" in text and "billed 2 u" in text
    assert "content.strengthening" in text


def test_cli_review_reads_stdin_without_arguments():
    note = (EXAMPLES / "shorthand_messy.txt").read_bytes()
    out = run(["review", "--format", "json"], stdin=note)
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert_valid_review_json(payload)
    assert payload["claims_97112"] is True


@pytest.mark.parametrize("fmt,marker", [("markdown", "| Code |"), ("html", "<!doctype html>"), ("text", "Services")])
def test_cli_review_formats(fmt, marker, tmp_path):
    target = tmp_path / f"out.{fmt}"
    out = run(["review", str(EXAMPLES / "nmr_well_documented.txt"), "--format", fmt, "--output", str(target)])
    assert out.returncode == 0, out.stderr
    assert marker in target.read_text(encoding="utf-8")
    assert out.stdout == b""


def test_cli_fail_on_error_exits_one_only_when_an_error_gap_exists():
    bad = run(["review", str(EXAMPLES / "strengthening_billed_as_nmr.txt"), "--fail-on", "error"])
    good = run(["review", str(EXAMPLES / "nmr_well_documented.txt"), "--fail-on", "error"])
    assert bad.returncode == 1
    assert good.returncode == 0


@pytest.mark.parametrize("content,expected", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
])
def test_cli_bad_input_is_one_line_error(content, expected, tmp_path):
    note = tmp_path / "note.txt"
    note.write_bytes(content)
    out = run(["review", str(note)])
    assert out.returncode == 2
    err = out.stderr.decode().strip()
    assert len(err.splitlines()) == 1
    assert str(note) in err and expected in err
    assert "Traceback" not in err


def test_cli_missing_path_is_one_line_error(tmp_path):
    missing = tmp_path / "nope.txt"
    out = run(["review", str(missing)])
    assert out.returncode == 2
    err = out.stderr.decode().strip()
    assert err.count("\n") == 0 and str(missing) in err and "no such file" in err


def test_cli_empty_stdin_is_one_line_error():
    out = run(["review"], stdin=b"")
    assert out.returncode == 2
    assert "<stdin>" in out.stderr.decode() and "empty" in out.stderr.decode()


def test_cli_latin1_note_is_read_with_a_warning(tmp_path):
    note = tmp_path / "export.txt"
    note.write_bytes("NMR 97112 x 23 min: équilibre, tandem stance on foam with TC.".encode("latin-1"))
    out = run(["review", str(note), "--format", "json"])
    assert out.returncode == 0
    assert "Latin-1" in out.stderr.decode()
    assert json.loads(out.stdout)["services"][0]["minutes"] == 23


def test_cli_utf16_note_is_read(tmp_path):
    note = tmp_path / "utf16.txt"
    note.write_bytes("NMR 97112 x 23 min: tandem stance on foam with TC.".encode("utf-16"))
    out = run(["review", str(note), "--format", "json"])
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["services"][0]["minutes"] == 23


def test_cli_too_long_note_is_refused(tmp_path):
    note = tmp_path / "huge.txt"
    note.write_text("balance " * 30, encoding="utf-8")
    out = run(["review", str(note), "--max-chars", "100"])
    assert out.returncode == 2
    assert "over the limit" in out.stderr.decode()


@pytest.mark.parametrize("command", [["review", str(EXAMPLES / "shorthand_messy.txt")],
                                     ["batch", str(EXAMPLES), "-q", "-w", "1"]])
def test_cli_truncated_model_says_how_to_rebuild(tmp_path, command):
    from notereview.classifier import model_path

    broken = tmp_path / "model.json"
    broken.write_bytes(model_path().read_bytes()[:5000])
    out = subprocess.run(CLI + command, capture_output=True, timeout=120,
                         env={**__import__("os").environ, "NOTEREVIEW_MODEL": str(broken)})
    assert out.returncode == 2
    err = out.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "notereview train" in err and "Traceback" not in err


def test_cli_output_is_identical_across_processes_and_hash_seeds():
    outputs = set()
    for seed in ("1", "2", "3"):
        out = subprocess.run(CLI + ["review", str(EXAMPLES / "strengthening_billed_as_nmr.txt"), "--format", "json"],
                             capture_output=True, timeout=120, env={**__import__("os").environ, "PYTHONHASHSEED": seed})
        outputs.add(out.stdout)
    assert len(outputs) == 1
