"""Span extension values read and written in the Doc's user data, where `span._` keeps them.

spaCy stores `span._.name` in `doc.user_data[("._.", name, start_char, end_char)]`, and each
`span._` access builds an Underscore object first. The components set about a hundred values
a note, so they go to the user data directly; `span._.name` reads and writes the same entries.
"""
from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span
from spacy.tokens.underscore import Underscore
from spacy.vocab import Vocab

KEY = "._."


def _keys_are_spacys() -> bool:
    """Whether this spaCy keys span extension values as this module does (checked once)."""
    try:
        span = Doc(Vocab(), words=["a", "b"])[1:2]
        underscore = span._
        return underscore._get_key("x") == (KEY, "x", span.start_char, span.end_char) and isinstance(
            underscore, Underscore)
    except (AttributeError, TypeError):  # pragma: no cover - another spaCy
        return False


DIRECT = _keys_are_spacys()


def set_values(span: Span, values: dict[str, Any]) -> None:
    """`span._.name = value` for each item, in order (every name must be a registered extension)."""
    if not DIRECT:  # pragma: no cover - another spaCy
        for name, value in values.items():
            setattr(span._, name, value)
        return
    user_data, start, end = span.doc.user_data, span.start_char, span.end_char
    for name, value in values.items():
        if not Span.has_extension(name):
            raise AttributeError(f"no span extension {name!r}")
        user_data[(KEY, name, start, end)] = value


def value(doc: Doc, start_char: int, end_char: int, name: str) -> Any:
    """`span._.name` of the span of `doc` from `start_char` to `end_char` (an extension with a plain default)."""
    default = Span.get_extension(name)[0]
    if not DIRECT or isinstance(default, Underscore.mutable_types):  # pragma: no cover - not ours
        return getattr(doc.char_span(start_char, end_char, alignment_mode="expand")._, name)
    return doc.user_data.get((KEY, name, start_char, end_char), default)
