"""Build the spaCy pipeline once: a blank English tokenizer and notereview's components."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from . import context, deficits, goals, mentions, sections, sentences, services  # noqa: F401  (register factories)
from .rules import mention_patterns

COMPONENTS = (
    "notereview_sentences",
    "notereview_sections",
    "span_ruler",
    "notereview_deficits",
    "notereview_mentions",
    "notereview_services",
    "notereview_goals",
    "notereview_context",
)


def build_pipeline() -> Language:
    """A new Language with every notereview component, patterns loaded from the data files."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(
        "span_ruler",
        config={"spans_key": "mentions", "phrase_matcher_attr": "LOWER", "validate": False, "overwrite": True},
    )
    # Patterns go in while the ruler is first: SpanRuler runs the components before it over
    # every phrase pattern it tokenizes, which for thousands of phrases is most of start-up.
    ruler.add_patterns(list(mention_patterns()))
    nlp.add_pipe("notereview_sentences", before="span_ruler")
    nlp.add_pipe("notereview_sections", before="span_ruler")
    nlp.add_pipe("notereview_deficits")
    nlp.add_pipe("notereview_mentions")
    nlp.add_pipe("notereview_services")
    nlp.add_pipe("notereview_goals")
    nlp.add_pipe("notereview_context")
    return nlp


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """The shared pipeline of this process (built on first use)."""
    return build_pipeline()
