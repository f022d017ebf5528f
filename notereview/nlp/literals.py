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
from functools import lru_cache

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


@lru_cache(maxsize=16)  # a note and its judged segment are folded by several tests in turn
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
        # Tested lazily, the rarest-looking clause first: most patterns fail on their first clause,
        # so most of the strings never need looking for.
        self._tests = tuple(
            tuple(sorted((tuple(sorted(clause, key=lambda s: (len(s), s))) for clause in requirement),
                         key=lambda strings: (-len(strings[0]), len(strings), strings)))
            for requirement in self.requirements)

    def possible(self, folded: str) -> tuple[int, ...]:
        """Indices of the patterns that may match the text `folded` was folded from."""
        present: dict[str, bool] = {}
        found = []
        for index, clauses in enumerate(self._tests):
            for strings in clauses:
                for string in strings:
                    hit = present.get(string)
                    if hit is None:
                        hit = present[string] = string in folded
                    if hit:
                        break
                else:
                    break  # no string of this clause: the pattern cannot match
            else:
                found.append(index)
        return tuple(found)


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


_REPEATS = tuple(op for op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)) if op)
_LEAD_LENGTH = 8  # longer leads find no fewer places worth trying


def leading_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` starts with (None: no such set is known).

    The strings are as they appear in the folded text when the pattern ignores case anywhere,
    else exactly as in the text.
    """
    try:
        parsed = sre_parse.parse(pattern, flags)
    except (re.error, TypeError, ValueError):  # pragma: no cover - compile() reports it
        return None
    folded = _ignores_case(parsed, flags)
    leads = _starts(list(parsed), _LEAD_LENGTH, folded)
    if not leads or "" in leads:
        return None
    # a lead that starts with another lead finds no place the other does not
    return frozenset(lead for lead in leads if not any(other != lead and lead.startswith(other) for other in leads))


def _ignores_case(parsed, flags: int) -> bool:
    if flags & re.IGNORECASE or parsed.state.flags & re.IGNORECASE:
        return True
    return _any_scoped_ignorecase(list(parsed))


def _any_scoped_ignorecase(items) -> bool:
    for op, av in items:
        if op is sre.SUBPATTERN:
            if av[1] & re.IGNORECASE or _any_scoped_ignorecase(list(av[-1])):
                return True
        elif op is sre.BRANCH:
            if any(_any_scoped_ignorecase(list(branch)) for branch in av[1]):
                return True
        elif op in _REPEATS:
            if _any_scoped_ignorecase(list(av[2])):
                return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if _any_scoped_ignorecase(list(av[1])):
                return True
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            if _any_scoped_ignorecase(list(av)):
                return True
    return False


def _starts(items: list, room: int, folded: bool) -> set[str]:
    """The literal starts of a sequence, at most `room` characters long ("" where none is known)."""
    if not items or room == 0:
        return {""}
    op, av = items[0]
    rest = items[1:]
    code = None
    if op is sre.LITERAL:
        code = av
    elif op is sre.IN and len(av) == 1 and av[0][0] is sre.LITERAL:
        code = av[0][1]
    if code is not None:
        char = _folded_char(code) if folded else chr(code)
        if char is None:
            return {""}
        return {char + tail for tail in _starts(rest, room - 1, folded)}
    if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
        return _starts(rest, room, folded)  # zero width
    if op is sre.SUBPATTERN:
        return _starts(list(av[-1]) + rest, room, folded)
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _starts(list(av) + rest, room, folded)
    if op is sre.BRANCH:
        return set().union(*(_starts(list(branch) + rest, room, folded) for branch in av[1]))
    if op in _REPEATS:
        low, _high, item = av
        starts = _starts(list(item), room, folded)
        return starts | _starts(rest, room, folded) if low == 0 else starts
    return {""}


class LeadingLiterals:
    """A regex tried only where a literal it must start with occurs: the same matches as `finditer`.

    Python's regex engine tries a pattern at every position; a pattern that begins with a few
    words ("total timed", "goal", "97112") need only be tried where one of them stands.
    """

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.leads = leading_literals(regex.pattern, regex.flags)
        self.folded = self.leads is not None and _ignores_case(sre_parse.parse(regex.pattern, regex.flags), regex.flags)

    def finditer(self, text: str, start: int = 0, end: int | None = None, folded: str | None = None):
        """The matches of `regex.finditer(text, start, end)`, in order.

        `folded` may give `fold(text)`, or the same slice of a longer text's fold.
        """
        end = len(text) if end is None else end
        haystack = (fold(text) if folded is None else folded) if self.folded else text
        if self.leads is None or len(haystack) != len(text):
            yield from self.regex.finditer(text, start, end)
            return
        places = set()
        for lead in self.leads:
            at = haystack.find(lead, start, end)
            while at >= 0:
                places.add(at)
                at = haystack.find(lead, at + 1, end)
        next_free = start
        for at in sorted(places):
            if at < next_free:
                continue
            match = self.regex.match(text, at, end)
            if match:
                next_free = match.end()  # a match consumes its lead, so it is never empty
                yield match

    def search(self, text: str, start: int = 0, end: int | None = None, folded: str | None = None) -> re.Match | None:
        """The first match, as `regex.search(text, start, end)`."""
        return next(self.finditer(text, start, end, folded), None)
