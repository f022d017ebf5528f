"""Build the spaCy pipeline once: a blank English tokenizer and notereview's components."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
from spacy.language import Language

# imported to register their factories
from . import context, deficits, goals, mentions, phrases, sections, sentences, services  # noqa: F401

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
    # "↓LOB", "↑SLS time", "LOB↓": notes glue change arrows to the word they qualify. One new
    # tokenizer, not two attribute sets: each set re-tokenizes every special case (35 ms apiece).
    arrows = ["↑", "↓", "→"]
    # "--sEMG on TA", "-SLS foam", "•tandem": list markers glued to the first word of a bullet
    bullets = ["--", r"-(?=[A-Za-z])", "•", "◦", "▪", "·"]
    english = nlp.tokenizer
    nlp.tokenizer = Tokenizer(nlp.vocab, rules=english.rules,
                              prefix_search=compile_prefix_regex(list(nlp.Defaults.prefixes) + arrows + bullets).search,
                              suffix_search=compile_suffix_regex(list(nlp.Defaults.suffixes) + arrows).search,
                              # "firm→Airex", "EO->EC": an arrow between two words is a step of a progression;
                              # "VC+TC", "HHA+CGA": a plus between two words joins two of them
                              # "mat,2,8,,,VC nose over toes,4": an exported log's delimiters part its cells
                              # (but "1,200 ft" stays one number)
                              infix_finditer=compile_infix_regex(list(nlp.Defaults.infixes) + [
                                  r"[→←↔⇒➔]", r"(?<=[A-Za-z])->(?=[A-Za-z])", r"(?<=[A-Za-z])\+(?=[A-Za-z])",
                                  r"(?<=[^\s\d])[,;](?=\S)", r"(?<=\d)[,;](?=[^\d\s])",
                                  r"(?<=\d)[,;](?=\d)(?!\d{3}(?!\d))", r'(?<=[,;])"', r'"(?=[,;])',
                                  # "Berg:45/56", "goal:6 minute walk": a label's colon before a number parts them
                                  r"(?<=[A-Za-z]{2}):(?=\d)"]).finditer,
                              token_match=english.token_match,
                              url_match=english.url_match)
    nlp.add_pipe("notereview_sentences")
    nlp.add_pipe("notereview_sections")
    # the vocabulary phrases, under the name of spaCy's SpanRuler that found them before
    nlp.add_pipe("notereview_phrases", name="span_ruler")
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
