"""Inputs the fuzzer (tests/fuzz_services.py) once broke; each must now parse within bounds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fuzz_services import check_parser, check_review

CASES = json.loads((Path(__file__).resolve().parent / "data" / "fuzz_regressions.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", CASES, ids=[f"finding-{i}" for i in range(1, len(CASES) + 1)])
def test_fuzz_regressions_parse_within_bounds(text):
    check_parser(text)
    check_review(text)
