"""Extension values written to the user data read back through `span._`, and the other way round."""
from __future__ import annotations

import pytest

from notereview.nlp import extensions
from notereview.nlp.pipeline import get_pipeline


def test_values_are_spans_own():
    assert extensions.DIRECT
    doc = get_pipeline().make_doc("NMR 25 min: tandem stance on foam")
    span = doc[0:3]
    extensions.set_values(span, {"minutes": 25, "not_today": True})
    assert (span._.minutes, span._.not_today) == (25, True)
    span._.units_billed = 2
    assert extensions.value(doc, span.start_char, span.end_char, "units_billed") == 2
    assert extensions.value(doc, span.start_char, span.end_char, "anchor_end") is None  # the default
    assert doc[0:2]._.minutes is None  # another span


def test_unknown_names_are_refused():
    doc = get_pipeline().make_doc("NMR 25 min")
    with pytest.raises(AttributeError):
        extensions.set_values(doc[0:1], {"no_such_extension": 1})
