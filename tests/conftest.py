"""Shared fixtures: real note text from examples/ and tests/data/."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def review_schema() -> dict:
    from importlib import resources

    return json.loads(resources.files("notereview.schema").joinpath("review.schema.json").read_text("utf-8"))


def assert_valid_review_json(payload: dict) -> None:
    """Validate one review (or error line) against the shipped JSON Schema."""
    import jsonschema

    jsonschema.validate(payload, review_schema())


@pytest.fixture(scope="session")
def base_note() -> str:
    return (DATA / "base_nmr_note.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))
