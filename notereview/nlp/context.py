"""ConText-style negated / hypothetical / historical flags, with triggers written for therapy notes.

The algorithm is ConText's (Harkema et al. 2009, as in medSpaCy): a trigger phrase opens a
scope forward, backward or both, within its sentence, up to `max_scope` tokens, cut by
terminators; pseudo-triggers ("no change", "without UE support") cancel the triggers they
overlap (one with `"services": false`, such as "not billed", cancels them for mentions only:
"NMR (7 min, not billed): tandem stance" did the exercise and still bills nothing). Two
additions for rehab language: `first_only` triggers ("no", "without") reach only the first
mention in their scope ("no LOB with tandem stance" negates the loss of balance, not the
tandem stance), and sections carry defaults (Plan and Goals are hypothetical; history, prior
level of function and evaluation findings are historical).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from . import extensions
from .component import StatelessComponent
from .markup import STRUCK_END
from .sections import is_discharge_summary
from .tables import cell_role, goal_tables, visit_columns, visit_state
from .rules import context_rules, sections as section_rules
from .text import doc_text

FLAGS = ("negated", "hypothetical", "historical")
# The flagged mentions as plain tuples (type, id, text, start, end, negated, hypothetical, historical,
# section): what the rest of notereview reads, without making a Span per mention again.
RECORDS_KEY = "notereview_mentions"
for _flag in FLAGS:
    if not Span.has_extension(_flag):
        Span.set_extension(_flag, default=False)
# a goal table's cells: the goal is planned, the baseline past, the current value and the status today's
TABLE_CELL_FLAGS = {"goal": {"hypothetical": True, "historical": False},
                    "baseline": {"hypothetical": False, "historical": True},
                    "current": {"hypothetical": False, "historical": False}}

# an exercise flowsheet's row by today's column: done before but not today, or not done at all
VISIT_FLAGS = {"past": {"historical": True, "hypothetical": False},
               "not_done": {"negated": True}}

if not Span.has_extension("section"):
    Span.set_extension("section", default=None)


class Trigger(NamedTuple):
    """A matched trigger phrase and its rule."""

    start: int
    end: int
    category: str
    direction: str
    max_scope: int
    first_only: bool
    services: bool = True
    mentions: bool = True


@Language.factory("notereview_context", assigns=["span._.negated", "span._.hypothetical", "span._.historical"],
                  requires=["doc.spans", "token.is_sent_start"])
def make_context(nlp: Language, name: str) -> "ContextFlagger":
    return ContextFlagger(nlp)


NEAR_ENOUGH_TO_SCAN = 16  # triggers in a sentence below which all are simply tried


class ContextFlagger(StatelessComponent):
    """Sets the three context flags and the section on every mention of `doc.spans["mentions"]`."""

    def __init__(self, nlp: Language):
        self.rules = list(context_rules())
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for index, rule in enumerate(self.rules):
            self.matcher.add(str(index), [nlp.make_doc(rule["literal"])])
        # what a match of each rule makes: its category and scope, by the match id
        self.rule_of = {nlp.vocab.strings[str(index)]: (
            rule["category"], rule.get("direction", "forward"), int(rule.get("max_scope", 8)),
            bool(rule.get("first_only", False)), bool(rule.get("services", True)),
        ) for index, rule in enumerate(self.rules)}
        self.defaults = section_rules()["defaults"]
        # how far from a mention a trigger can start and still reach it: its own length plus its scope
        self.widest_reach = 1 + max(len(nlp.make_doc(rule["literal"])) for rule in self.rules) + max(
            int(rule.get("max_scope", 8)) for rule in self.rules)

    def triggers(self, doc: Doc) -> list[Trigger]:
        """Trigger matches that no pseudo-trigger cancels."""
        found = []
        pseudo = []
        rule_of = self.rule_of
        for match_id, start, end in self.matcher(doc):
            trigger = Trigger(start, end, *rule_of[match_id])
            (pseudo if trigger.category == "pseudo" else found).append(trigger)
        if not pseudo:
            return found
        kept = []
        for trigger in found:
            cancelling = [p.services for p in pseudo if p.start < trigger.end and trigger.start < p.end]
            if not cancelling:
                kept.append(trigger)
            elif not any(cancelling) and trigger.services:
                # "Romberg on foam (7 min, not billed)": the technique was done; the service still goes unbilled
                kept.append(trigger._replace(mentions=False))
        return kept

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc.spans.get("mentions", []))
        doc.user_data[RECORDS_KEY] = records = []
        if not mentions and not doc.spans.get("services"):
            return doc
        text = doc_text(doc)
        starts = doc.to_array(SENT_START).astype("int64")
        starts[0] = 1
        sentence_of = numpy.cumsum(starts == 1).tolist()
        triggers = self.triggers(doc)
        terminators = {t.start for t in triggers if t.category == "terminate"}
        negation_terminators = terminators | {t.start for t in triggers if t.category == "terminate_for_negation"}
        scoped = [t for t in triggers if t.category in FLAGS]
        starts = sorted({m.start for m in mentions})
        sections = [(span.start, span.end, span.label_) for span in doc.spans.get("sections", [])]
        # a trigger reaches only mentions of its own sentence: look only at those triggers
        by_sentence: dict[int, list[Trigger]] = {}
        for trigger in scoped:
            by_sentence.setdefault(sentence_of[min(trigger.start, len(doc) - 1)], []).append(trigger)
        # ... and of those, only the ones near enough to reach it: a note written as one long
        # sentence would otherwise compare every trigger with every mention
        for group in by_sentence.values():
            group.sort(key=lambda t: t.start)
        trigger_starts = {key: [t.start for t in group] for key, group in by_sentence.items()}
        reach = self.widest_reach
        tables = goal_tables(text)
        visits = visit_columns(text)
        discharge = is_discharge_summary(text)
        for mention in mentions:
            mention_start, mention_end = mention.start, mention.end
            flags = {flag: False for flag in FLAGS}
            section = _section_of(sections, mention_start)
            default = self.defaults.get(section or "")
            if default:
                flags[default] = True
            sentence = sentence_of[mention_start]
            group = by_sentence.get(sentence, ())
            if len(group) > NEAR_ENOUGH_TO_SCAN:
                group_starts = trigger_starts[sentence]
                group = group[bisect_left(group_starts, mention_start - reach):
                              bisect_right(group_starts, mention_end + reach)]
            for trigger in group:
                if flags[trigger.category] or not trigger.mentions:
                    continue
                if discharge and trigger.category == "historical" and section == "treatment" and LAST_VISIT.fullmatch(
                        doc[trigger.start:trigger.end].text):
                    continue  # "Last visit: 97112 x 25 min - tandem walking ...": the visit this summary bills
                if trigger.start < mention_end and mention_start < trigger.end:
                    if (trigger.category == "historical" and trigger.start == mention_start
                            and trigger.end < mention_end and trigger.direction != "backward"):
                        flags["historical"] = True  # "hx of falls", "history of falling": the mention says it is past
                    continue  # a trigger inside the mention ("not able to maintain ...") is part of it
                stops = negation_terminators if trigger.category == "negated" else terminators
                if _in_scope(trigger, mention_start, mention_end, stops, starts):
                    flags[trigger.category] = True
            start_char, end_char = mention.start_char, mention.end_char
            if tables and (role := cell_role(tables, start_char, end_char)) in TABLE_CELL_FLAGS:
                # "1 | Pt will amb 300 ft | 75 ft RW min A | 220 ft SPC CGA": the column says goal, then or now
                flags.update(TABLE_CELL_FLAGS[role])
            if visits and (state := visit_state(visits, start_char, end_char)) in VISIT_FLAGS:
                # "BAPS lvl 2 seated | 2' | -- | --": done at earlier visits, not today
                flags.update(VISIT_FLAGS[state])
            extensions.set_values(mention, {"section": section, **flags})
            records.append((mention.label_, mention.id_ or None, text[start_char:end_char], start_char, end_char,
                            flags["negated"], flags["hypothetical"], flags["historical"], section))
        # the end of struck words ("Manual: ~~STM~~ pt declined manual today") ends no trigger's reach to a service
        struck_ends = {t.start for t in triggers if t.category == "terminate" and doc[t.start].text == STRUCK_END}
        self._flag_services(doc, scoped, terminators - struck_ends, negation_terminators - struck_ends, sentence_of,
                            discharge)
        return doc

    def _flag_services(self, doc, scoped, terminators, negation_terminators, sentence_of, discharge: bool) -> None:
        """A service named as planned, not done or past ("will add NMR", "NMR held") is not billed today."""
        service_spans = list(doc.spans.get("services", []))
        anchor_starts = sorted(s.start for s in service_spans)
        text = doc_text(doc)
        for service in service_spans:
            start_char, end_char = service.start_char, service.end_char
            if extensions.value(doc, start_char, end_char, "not_today") or extensions.value(
                    doc, start_char, end_char, "billing_tail"):
                continue  # "..., plan add dual task nxt visit, 97112 30 97116 10": the bill closing the line
            # a table row with its minutes: a first-only trigger ("no", "w/o") speaks of a dose in its cells
            # ("Upright bike | L3 no res | 97110 | 8"); "declined", "held", "not performed" still reach the row
            row_with_minutes = bool(extensions.value(doc, start_char, end_char, "table_row")
                                    and extensions.value(doc, start_char, end_char, "minutes"))
            anchor = doc.char_span(start_char, extensions.value(doc, start_char, end_char, "anchor_end") or end_char,
                                   alignment_mode="expand")
            if anchor is None or not len(anchor):
                continue
            anchor_start, anchor_end = anchor.start, anchor.end
            sentence = sentence_of[anchor_start]
            # "te 8 bike, next time add perturbations": a trigger after the service's own minutes speaks of
            # what follows it, not of the service timed before it
            minutes_span = extensions.value(doc, start_char, end_char, "minutes_span")
            timed_until = minutes_span[1] if minutes_span is not None else None
            # "Gait training: not attempted today": the heading's own colon does not end the negation
            heading_colon = {anchor_end} if anchor_end < len(doc) and doc[anchor_end].text in (":", "-", "–") else set()
            for trigger in scoped:
                if not trigger.services or sentence_of[min(trigger.start, len(doc) - 1)] != sentence:
                    continue
                if row_with_minutes and trigger.first_only:
                    continue
                if trigger.start < anchor_end and anchor_start < trigger.end:
                    continue
                if timed_until is not None and doc[min(trigger.start, len(doc) - 1)].idx >= timed_until:
                    continue
                if _trigger_of_another_service(doc, text, trigger, anchor, anchor_starts):
                    continue
                if (timed_until is not None and trigger.direction == "bidirectional" and trigger.end <= anchor_start
                        and CLAUSE_BREAK.search(text, doc[trigger.end - 1].idx, doc[anchor_start].idx)
                        and (trigger.category == "negated" or _result_in_clause(text, doc[trigger.start].idx))):
                    # "bess 18 errors was 27 at eval, nmr 25 vor x2", "press ups held d/t tingling, 97014 ifc 15 min":
                    # the trigger spoke of what came before the comma ("after last visit, NMR 30 min" still reaches)
                    continue
                if (discharge and timed_until is not None and trigger.category == "historical"
                        and LAST_VISIT.fullmatch(doc[trigger.start:trigger.end].text)):
                    continue  # a discharge summary bills its last visit: "Last visit: 97112 x 20 min - tandem ..."
                stops = negation_terminators - heading_colon if trigger.category == "negated" else terminators
                if _in_scope(trigger, anchor_start, anchor_end, stops, []):
                    extensions.set_values(service, {"not_today": True})
                    break


SERVICE_SEPARATOR = re.compile(r"[/;|\n]")
CLAUSE_BREAK = re.compile(r"[,;]")
LAST_VISIT = re.compile(r"(?:last|final)\s+(?:visit|session|tx|treatment)", re.IGNORECASE)


def _result_in_clause(text: str, trigger_start: int) -> bool:
    """Whether a number stands in a trigger's clause ("was 27 at eval", "since last visit and pain 2/10")."""
    clause_start = max(text.rfind(mark, 0, trigger_start) for mark in (",", ";", ".", "\n")) + 1
    clause_end = CLAUSE_BREAK.search(text, trigger_start)
    return any(char.isdigit() for char in text[clause_start:clause_end.start() if clause_end else len(text)])


def _trigger_of_another_service(doc: Doc, text: str, trigger: Trigger, anchor: Span,
                                anchor_starts: list[int]) -> bool:
    """Whether a trigger speaks of a neighbouring service rather than this one.

    "97110 - 12 min / 97140 - not performed": a service with its own values stands between this one and
    the trigger. "Manual held today / ther ex 2 units": the trigger follows an earlier service and a
    separator divides it from this one. In "97112 and 97116 held" or "Not done: ther ex, manual" the
    trigger reaches every service named.
    """
    if trigger.start >= anchor.end:
        following = bisect_right(anchor_starts, anchor.start)
        return following < bisect_left(anchor_starts, trigger.start) and any(
            c.isdigit() for c in text[anchor.end_char:doc[anchor_starts[following]].idx])
    return (trigger.end <= anchor.start and anchor_starts[0] < trigger.start
            and bool(SERVICE_SEPARATOR.search(text, doc[trigger.end - 1].idx, anchor.start_char)))


def _section_of(sections: list[tuple[int, int, str]], token_index: int) -> str | None:
    # sections follow one another without overlapping: only the last one starting before the token can hold it
    at = bisect_right(sections, (token_index, float("inf"), "")) - 1
    if at >= 0 and sections[at][0] <= token_index < sections[at][1]:
        return sections[at][2]
    return None


def _in_scope(trigger: Trigger, start: int, end: int, stops: set[int], mention_starts: list[int]) -> bool:
    """Whether tokens `start` to `end` lie in a trigger's scope: right direction, near enough, nothing in between."""
    if trigger.direction in ("forward", "bidirectional") and trigger.end <= start:
        gap_start, gap_end = trigger.end, start
    elif trigger.direction in ("backward", "bidirectional") and end <= trigger.start:
        gap_start, gap_end = end, trigger.start
    else:
        return False
    gap = range(gap_start, gap_end)
    if len(gap) > trigger.max_scope or any(i in stops for i in gap):
        return False
    # a first-only trigger ("no", "without") reaches only the nearest mention
    if not trigger.first_only:
        return True
    nearest = bisect_left(mention_starts, gap_start)
    return not (nearest < len(mention_starts) and mention_starts[nearest] < gap_end)
