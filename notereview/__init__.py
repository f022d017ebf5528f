"""notereview: does a therapy note defend a claim for CPT 97112 (neuromuscular re-education)?

    >>> from notereview import review
    >>> result = review(open("examples/nmr_well_documented.txt").read())
    >>> result.label, [gap.id for gap in result.gaps]
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["review", "review_many", "Review", "__version__"]


def __getattr__(name: str):
    # Lazy: `import notereview` stays cheap; spaCy loads on the first review.
    if name in ("review", "review_many"):
        import importlib

        return getattr(importlib.import_module("notereview.engine"), name)
    if name == "Review":
        from .results import Review

        return Review
    raise AttributeError(f"module 'notereview' has no attribute {name!r}")
