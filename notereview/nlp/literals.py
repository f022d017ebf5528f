"""The literal text a case-insensitive pattern cannot match without.

Python's regex engine tries a pattern at every position of a note, which makes a group of
word-bounded alternatives cost about as much as the note is long. Most feature patterns name
words a given note does not contain at all ("group", "97150", "theraband"): checking that the
words they need are present (a plain substring test) skips them without changing any result.

A pattern's requirement is a list of clauses; each clause is a set of strings of which at least
one must occur in the folded text. Only what the pattern must consume or positively assert is
required; anything uncertain (classes, optional parts, negative lookarounds) requires nothing.
"""
from __future__ import annotations

import re

try:  # the parser of the standard `re` module (public as sre_parse before Python 3.11)
    from re import _constants as sre, _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

Requirement = tuple[frozenset[str], ...]

# The only non-ASCII characters that match an ASCII letter under re.IGNORECASE (İ ı ſ and the
# Kelvin sign); folded to that letter so that a note written with them still passes the test.
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLDED_TO_ASCII = "\u0130\u0131\u017f\u212a"


def fold(text: str) -> str:
    """The text as the requirement test reads it: ASCII letters in lower case."""
    if text.isascii() or not any(char in text for char in _FOLDED_TO_ASCII):
        return text.lower()
    return text.translate(_ASCII_FOLDS).lower()


class PatternGate:
    """Which patterns of a list can match a text, judged by the literal text each one needs."""

    def __init__(self, patterns: tuple[str, ...], flags: int = re.IGNORECASE):
        self.patterns = patterns
        self.requirements = tuple(required_literals(p, flags) for p in patterns)
        self._strings = tuple(sorted({s for requirement in self.requirements for clause in requirement for s in clause}))

    def possible(self, folded: str) -> tuple[int, ...]:
        """Indices of the patterns that may match the text `folded` was folded from."""
        present = {s for s in self._strings if s in folded}
        return tuple(i for i, requirement in enumerate(self.requirements)
                     if all(not present.isdisjoint(clause) for clause in requirement))


def required_literals(pattern: str, flags: int = re.IGNORECASE) -> Requirement:
    """The clauses a text must satisfy for `pattern` to match anywhere in it (empty: no test)."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except (re.error, TypeError, ValueError):  # pragma: no cover - compile() reports it
        return ()
    return tuple(dict.fromkeys(_clauses(parsed)))


def _folded_char(code: int) -> str | None:
    """The character as it must appear in folded text, or None when case makes it uncertain."""
    char = chr(code)
    if char.isascii():
        return char.lower()
    if char.lower() == char and char.upper() == char:
        return char  # no case: matches only itself
    return None


def _clauses(items) -> list[frozenset[str]]:
    clauses: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            clauses.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        char = None
        if op is sre.LITERAL:
            char = _folded_char(av)
        elif op is sre.IN and len(av) == 1 and av[0][0] is sre.LITERAL:
            char = _folded_char(av[0][1])
        if char is not None:
            run.append(char)
            continue
        if op is sre.AT:
            continue  # zero width: the characters either side are still adjacent
        close_run()
        if op is sre.SUBPATTERN:
            clauses.extend(_clauses(av[-1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, _high, item = av
            if low >= 1:
                clauses.extend(_clauses(item))
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            clauses.extend(_clauses(av))
        elif op is sre.ASSERT:
            clauses.extend(_clauses(av[1]))
        elif op is sre.BRANCH:
            branch = _either(av[1])
            if branch is not None:
                clauses.append(branch)
    close_run()
    return clauses


def _either(alternatives) -> frozenset[str] | None:
    """One clause for an alternation: the most telling clause of each branch, any of them."""
    chosen: set[str] = set()
    for alternative in alternatives:
        clauses = _clauses(alternative)
        if not clauses:
            return None  # this branch needs no literal: the alternation needs none either
        chosen |= max(clauses, key=lambda clause: (min(map(len, clause)), -len(clause)))
    return frozenset(chosen)
