"""Deficit phrases built from parts ('impaired static standing balance', 'balance: fair-').

A PhraseMatcher finds the domain words; a short walk over the neighbouring tokens finds the
modifier, deficit noun or rating that makes them a deficit. This does in one pass what
hundreds of Matcher patterns with optional bridging tokens did, at a fraction of the cost.
The vocabulary is `patterns/deficit_phrases.json`.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .component import StatelessComponent
from .rules import spelled_otherwise


@lru_cache(maxsize=None)
def deficit_vocabulary() -> dict:
    """The parts of deficit phrases, from the editable data file."""
    raw = resources.files("notereview.nlp.patterns").joinpath("deficit_phrases.json").read_text("utf-8")
    vocabulary = json.loads(raw)
    vocabulary["domains"] = {deficit_id: list(dict.fromkeys(p for phrase in phrases for p in [phrase, *spelled_otherwise(phrase)]))
                             for deficit_id, phrases in vocabulary["domains"].items()}
    return vocabulary


@Language.factory("notereview_deficits", assigns=["doc.spans"], requires=["doc.spans"])
def make_deficits(nlp: Language, name: str) -> "DeficitPhrases":
    return DeficitPhrases(nlp)


class DeficitPhrases(StatelessComponent):
    """Adds deficit mentions made of a modifier and a domain (or a domain and a deficit noun or rating)."""

    def __init__(self, nlp: Language):
        vocab = deficit_vocabulary()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for deficit_id, phrases in vocab["domains"].items():
            self.matcher.add(deficit_id, [nlp.make_doc(p) for p in phrases])
        # Words are compared as string-store hashes on a token array: no Token objects are made.
        strings = nlp.vocab.strings
        hashes = lambda words: {strings.add(w) for w in words}  # noqa: E731
        self.modifiers = hashes(vocab["modifiers"])
        self.only_for = {strings.add(k): set(v) for k, v in vocab.get("modifiers_only_for", {}).items()}
        self.bridges = hashes(vocab["bridges"])
        self.max_bridges = int(vocab.get("max_bridges", 3))
        self.suffix_nouns = hashes(vocab["suffix_nouns"])
        self.post_modifiers = hashes(vocab.get("post_modifiers", []))
        self.states = hashes(vocab["states"])
        self.separators = hashes(vocab["rating_separators"])
        self.ratings = hashes(vocab["ratings"])
        inability = vocab.get("inability", {})
        self.inability_id = inability.get("deficit_id", "balance")
        self.inability_heads = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.inability_heads.add("head", [nlp.make_doc(h) for h in inability.get("heads", [])])
        self.inability_verbs = hashes(inability.get("verbs", []))
        self.inability_tails = hashes(inability.get("tails", []))

    def _modifier_ok(self, word: int, deficit_id: str) -> bool:
        return word in self.modifiers and (word not in self.only_for or deficit_id in self.only_for[word])

    def find(self, doc: Doc) -> list[Span]:
        found = []
        matches = self.matcher(doc)
        heads = self.inability_heads(doc)
        if not matches and not heads:
            return found
        # one column at a time: tolist() of a two-column array costs several times more
        lower = doc.to_array(LOWER).tolist()
        orth = doc.to_array(ORTH).tolist()
        in_domain = {k for _, start, end in matches for k in range(start, end)}
        for match_id, start, end in matches:
            deficit_id = doc.vocab.strings[match_id]
            left = None
            bridged = 0
            through_domain = False
            for k in range(start - 1, -1, -1):
                word = lower[k]
                if self._modifier_ok(word, deficit_id):
                    # "decreased motor control and coordination": the modifier covers both, each its own span
                    left = start if through_domain else k
                    break
                if k in in_domain:
                    through_domain = True
                    continue
                bridged += 1
                if word not in self.bridges or bridged > self.max_bridges:
                    break
            right = None
            if end < len(doc):
                word = lower[end]
                if word in self.suffix_nouns or word in self.post_modifiers:
                    right = end + 1  # "balance deficits", "Balance impaired", "proprioception diminished"
                elif end + 1 < len(doc) and word in self.states and self._modifier_ok(lower[end + 1], deficit_id):
                    right = end + 2
                elif end + 1 < len(doc) and orth[end] in self.separators and lower[end + 1] in self.ratings:
                    right = end + 2
            if left is None and right is None:
                continue
            found.append(Span(doc, left if left is not None else start, right or end, label="deficit",
                              span_id=deficit_id))
        for _, start, end in heads:  # "unable to stand unsupported", "could not sit w/o UE support"
            if end + 1 < len(doc) and lower[end] in self.inability_verbs and lower[end + 1] in self.inability_tails:
                found.append(Span(doc, start, end + 2, label="deficit", span_id=self.inability_id))
        return found

    def __call__(self, doc: Doc) -> Doc:
        spans = self.find(doc)
        if spans:
            doc.spans["mentions"] = list(doc.spans.get("mentions", [])) + spans
        return doc

