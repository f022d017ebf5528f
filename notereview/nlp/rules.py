"""Load the pattern data files shipped in `notereview/nlp/patterns/` (read once, cached)."""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

from .literals import LeadingLiterals, PatternGate, fold

PATTERN_PACKAGE = "notereview.nlp.patterns"

MENTION_FILES = (
    "techniques.jsonl",
    "interventions.jsonl",
    "deficits.jsonl",
    "cues.jsonl",
    "responses.jsonl",
    "conditions.jsonl",
    "functions.jsonl",
    "measures.jsonl",
)

CONTEXT_KEYS = {"literal", "category", "direction", "max_scope", "first_only", "services"}
CONTEXT_CATEGORIES = {"negated", "hypothetical", "historical", "pseudo", "terminate", "terminate_for_negation"}
CONTEXT_DIRECTIONS = {"forward", "backward", "bidirectional"}


def literal_alternation(words) -> str:
    """A regex alternation of clinician-edited words taken literally, longest first."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _read_text(name: str) -> str:
    return resources.files(PATTERN_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _read_jsonl(name: str) -> list[dict]:
    rows = []
    for number, line in enumerate(_read_text(name).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise ValueError(f"{name} line {number}: not valid JSON ({error.msg})") from None
    return rows


@lru_cache(maxsize=None)
def mention_patterns() -> tuple[dict, ...]:
    """Phrase patterns for every mention type, from the vocabulary files.

    A phrase written with spaces also matches with hyphens and the other way round
    ("eyes closed" / "eyes-closed", "sit-to-stand" / "sit to stand"): notes use both.
    """
    patterns: list[dict] = []
    seen: set[tuple] = set()
    for name in MENTION_FILES:
        for row in _read_jsonl(name):
            if not {"label", "pattern"} <= row.keys():
                raise ValueError(f"{name}: every pattern needs 'label' and 'pattern': {row}")
            variants = [row["pattern"]]
            if isinstance(row["pattern"], str):
                phrase = row["pattern"]
                variants += [phrase.replace(" ", "-"), phrase.replace("-", " ")]
                variants += spelled_otherwise(phrase)
                if re.search(r"(?:^|\s)[a-z]$", phrase):
                    variants.append(phrase + ".")  # "min A." is tokenized "min", "A." at a sentence end
            for variant in variants:
                key = (row["label"], row.get("id"), json.dumps(variant))
                if key not in seen:
                    seen.add(key)
                    patterns.append({**row, "pattern": variant})
    return tuple(patterns)


@lru_cache(maxsize=None)
def spelling_variants() -> dict[str, tuple[str, ...]]:
    """Other spellings of vocabulary words (spelling_variants.json), keyed by the vocabulary's spelling."""
    raw = json.loads(_read_text("spelling_variants.json"))
    return {word: tuple(others) for word, others in raw.items() if not word.startswith("_")}


def spelled_otherwise(phrase: str) -> list[str]:
    """The phrase with one of its words (or two-word runs) spelled another way: 'tandum stance', 'gaze stab'."""
    words = phrase.split(" ")
    others = spelling_variants()
    variants = []
    for size in (1, 2):
        for i in range(len(words) - size + 1):
            for other in others.get(" ".join(words[i:i + size]), ()):
                variants.append(" ".join(words[:i] + [other] + words[i + size:]))
    return variants


@lru_cache(maxsize=None)
def context_rules() -> tuple[dict, ...]:
    """ConText trigger rules (medSpaCy's keys), checked for unknown keys and values."""
    rules = []
    for row in _read_jsonl("context.jsonl"):
        unknown = row.keys() - CONTEXT_KEYS
        if unknown:
            raise ValueError(f"context.jsonl: unknown keys {sorted(unknown)} in {row}")
        if row.get("category") not in CONTEXT_CATEGORIES:
            raise ValueError(f"context.jsonl: unknown category in {row}")
        if row.get("direction", "forward") not in CONTEXT_DIRECTIONS:
            raise ValueError(f"context.jsonl: unknown direction in {row}")
        rules.append(row)
    return tuple(rules)


@lru_cache(maxsize=None)
def sections() -> dict:
    """Section heading names by category and each category's default context flag."""
    return json.loads(_read_text("sections.json"))


@lru_cache(maxsize=None)
def service_rules() -> dict:
    """services.json: billable codes, names that are ambiguous in prose, and value bounds."""
    return json.loads(_read_text("services.json"))


@lru_cache(maxsize=None)
def categories_defaulting_to(flag: str) -> frozenset[str]:
    """The section categories whose mentions carry `flag` by default (sections.json `defaults`)."""
    return frozenset(category for category, default in sections()["defaults"].items() if default == flag)


def service_codes() -> dict[str, dict]:
    """Billable codes with their names, abbreviations and whether they are timed."""
    return service_rules()["codes"]


def service_names(timed_only: bool = False) -> list[str]:
    """Every name and abbreviation services.json gives a service, or a timed service with `timed_only`."""
    return [name for entry in service_codes().values() if entry.get("timed") or not timed_only
            for name in (*entry.get("names", []), *entry.get("strict_names", []))]


@lru_cache(maxsize=None)
def gap_rules() -> dict:
    """gap_rules.json: severities, the daily unit limit, score penalties and id lists."""
    return json.loads(_read_text("gap_rules.json"))


@lru_cache(maxsize=None)
def feature_words(group: str) -> frozenset[str]:
    """A word list of features.json taken literally (lower case), not as regular expressions."""
    return frozenset(w.lower() for w in json.loads(_read_text("features.json"))[group])


@lru_cache(maxsize=None)
def _feature_sources() -> dict[str, tuple[str, ...]]:
    raw = json.loads(_read_text("features.json"))
    return {group: tuple(patterns) for group, patterns in raw.items() if not group.startswith("_")}


@lru_cache(maxsize=None)
def combined_feature_patterns() -> dict[str, re.Pattern]:
    """Each feature group as one regex (one pass over the text instead of one per pattern)."""
    return {group: _alternation(patterns) for group, patterns in _feature_sources().items()}


@lru_cache(maxsize=4096)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=4096)
def _alternation_scan(patterns: tuple[str, ...]) -> LeadingLiterals:
    return LeadingLiterals(_alternation(patterns))


@lru_cache(maxsize=None)
def feature_patterns() -> dict[str, tuple[re.Pattern, ...]]:
    """Compiled regular expressions for classifier signals and gap rules."""
    return {group: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
            for group, patterns in _feature_sources().items()}


@lru_cache(maxsize=None)
def feature_scans() -> dict[str, tuple[LeadingLiterals, ...]]:
    """Each feature pattern, tried only where a literal it starts with stands."""
    return {group: tuple(map(LeadingLiterals, patterns)) for group, patterns in feature_patterns().items()}


@lru_cache(maxsize=None)
def feature_gates() -> dict[str, PatternGate]:
    """For each feature group, which of its patterns can match a text at all."""
    return {group: PatternGate(patterns) for group, patterns in _feature_sources().items()}


def count_matches(group: str, text: str) -> int:
    """How many times the patterns of a feature group match in the text."""
    gate = feature_gates()[group]
    # a pattern whose literal text is absent matches nowhere: leaving it out of the
    # alternation changes no match, and most notes leave out most patterns
    possible = gate.possible(fold(text))
    if not possible:
        return 0
    return sum(1 for _ in _alternation_scan(tuple(gate.patterns[i] for i in possible)).finditer(text))


def find_matches(group: str, text: str) -> list[tuple[int, int]]:
    """Character spans where the patterns of a feature group match, in text order."""
    scans = feature_scans()[group]
    spans = [(m.start(), m.end()) for i in feature_gates()[group].possible(fold(text)) for m in scans[i].finditer(text)]
    return sorted(spans)


@lru_cache(maxsize=None)
def rules_hash() -> str:
    """A short hash of every pattern file, so a batch manifest can name the rule set."""
    digest = hashlib.sha256()
    for name in sorted(resources.files(PATTERN_PACKAGE).iterdir(), key=lambda p: p.name):
        if name.name.endswith((".json", ".jsonl")):
            digest.update(name.name.encode())
            digest.update(name.read_bytes())
    return digest.hexdigest()[:16]
