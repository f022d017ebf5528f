"""Read a note from a file or standard input, with clear errors that name the input."""
from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_CHARS = 200_000


class InputError(ValueError):
    """An input that cannot be reviewed; the message names the input and the problem."""


@dataclass(frozen=True)
class Note:
    """A note's text, where it came from, and any warning raised while decoding it."""

    name: str
    text: str
    warnings: tuple[str, ...] = ()


def decode_note(data: bytes, name: str, max_chars: int = DEFAULT_MAX_CHARS) -> Note:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else latin-1 with a warning.

    NUL bytes mean a binary file (or UTF-16 without a BOM): refused rather than garbled.
    """
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: starts with a UTF-16 byte-order mark but is not valid UTF-16") from None
    else:
        if b"\x00" in data:
            raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not a text note")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warnings.append(f"{name}: not valid UTF-8; read as Latin-1 (Windows export?), check accented characters")
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL characters; not a text note")
    if not text.strip():
        raise InputError(f"{name}: the note is empty")
    if len(text) > max_chars:
        raise InputError(
            f"{name}: the note has {len(text):,} characters, over the limit of {max_chars:,} "
            "(raise it with --max-chars if this is really one note)"
        )
    return Note(name, text, tuple(warnings))


def read_note(path: str | None, max_chars: int = DEFAULT_MAX_CHARS) -> Note:
    """Read one note from a path, or from standard input when path is None or '-'."""
    if path in (None, "-"):
        data = sys.stdin.buffer.read()
        return decode_note(data, "<stdin>", max_chars)
    file = Path(path)
    if not file.exists():
        raise InputError(f"{path}: no such file")
    if file.is_dir():
        raise InputError(f"{path}: is a folder; `notereview review` takes one note (use `notereview batch` for folders)")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    return decode_note(data, str(path), max_chars)
