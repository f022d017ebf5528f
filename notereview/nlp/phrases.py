"""Vocabulary phrases -> `doc.spans["mentions"]` (label = mention type, id = the phrase's id).

Finds what spaCy's SpanRuler found with the same patterns (`rules.mention_patterns`), and
writes the same spans in the same order: the distinct matches sorted as spaCy sorts Spans
(start, end, label, id). The SpanRuler made a Span for every raw match to deduplicate and sort
them; here that is done on plain tuples and a Span made once per distinct match.

Two kinds of match join them: a phrase whose word was typed with a slip (typos.json: "manual
perturbatoins") and a measured change in performance, a response (features.json `response_change`).
"""
from __future__ import annotations

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from .component import StatelessComponent
from .rules import find_matches, mention_patterns
from .text import doc_text
from .typos import typo_map

SPANS_KEY = "mentions"


@Language.factory("notereview_phrases", assigns=["doc.spans"])
def make_phrases(nlp: Language, name: str) -> "MentionPhrases":
    return MentionPhrases(nlp)


class MentionPhrases(StatelessComponent):
    """Marks every vocabulary phrase of the note (case-insensitive, on whole tokens)."""

    def __init__(self, nlp: Language):
        strings = nlp.vocab.strings
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.token_matcher = Matcher(nlp.vocab)
        self.label_and_id: dict[int, tuple[int, int]] = {}  # match key -> (label, id) as string-store hashes
        phrases: dict[str, list[str]] = {}
        for entry in mention_patterns():
            label, pattern_id = entry["label"], entry.get("id", "")
            key = repr((label, pattern_id))
            self.label_and_id[strings.add(key)] = (strings.add(label), strings.add(pattern_id))
            if isinstance(entry["pattern"], str):
                phrases.setdefault(key, []).append(entry["pattern"])
            else:
                self.token_matcher.add(key, [entry["pattern"]])
        for key, texts in phrases.items():
            self.phrase_matcher.add(key, list(nlp.tokenizer.pipe(texts)))
        self.response_key = strings.add(repr(("response", "performance")))
        self.label_and_id[self.response_key] = (strings.add("response"), strings.add("performance"))
        self.meant = {strings.add(slip): word for slip, word in typo_map().items()}  # slip's hash -> word
        self.slip_hashes = numpy.array(sorted(self.meant), dtype=numpy.uint64)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.phrase_matcher(doc)
        if len(self.token_matcher):
            matches = list(self.token_matcher(doc)) + list(matches)
        lowers = doc.to_array(LOWER)
        at = numpy.searchsorted(self.slip_hashes, lowers).clip(max=len(self.slip_hashes) - 1)
        slipped = numpy.flatnonzero(self.slip_hashes[at] == lowers).tolist() if len(self.slip_hashes) else []
        if slipped:
            matches = list(matches) + self._matches_as_meant(doc, lowers.tolist(), slipped)
        changes = find_matches("response_change", doc_text(doc))
        if changes:
            matches = list(matches) + self._measured_changes(doc, changes)
        label_and_id = self.label_and_id
        # for spans of at least one token, token order is character order, and kb_id is 0 for all
        found = sorted({(start, end, *label_and_id[key]) for key, start, end in matches if start != end})
        doc.spans[SPANS_KEY] = [Span(doc, start, end, label=label, span_id=span_id)
                                for start, end, label, span_id in found]
        return doc

    def _matches_as_meant(self, doc: Doc, lowers: list[int], slipped: list[int]) -> list[tuple[int, int, int]]:
        """Matches that need a typing slip read as its word ('manual perturbatoins'), on the note's tokens."""
        words = [token.text for token in doc]
        for i in slipped:
            words[i] = self.meant[lowers[i]]
        mended = Doc(doc.vocab, words=words, spaces=[bool(token.whitespace_) for token in doc])
        found = list(self.phrase_matcher(mended))
        if len(self.token_matcher):
            found += list(self.token_matcher(mended))
        slips = set(slipped)
        return [(key, start, end) for key, start, end in found if any(i in slips for i in range(start, end))]

    def _measured_changes(self, doc: Doc, changes: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """ "SLS 6 s -> 10 s", "(was 15 s yesterday)": a measured change in performance is a response (features.json
        `response_change`; regular expressions on the text cost a fraction of token patterns run on every note)."""
        found = []
        for start, end in changes:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                found.append((self.response_key, span.start, span.end))
        return found
