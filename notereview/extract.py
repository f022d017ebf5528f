"""Turn a processed spaCy Doc into plain mentions and services (no spaCy types beyond this point)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from spacy.tokens import Doc

from .nlp import extensions
from .nlp.activity_minutes import activity_minutes, breakdown_minutes
from .nlp.context import RECORDS_KEY
from .nlp.literals import fold
from .nlp.sections import end_of_line
from .nlp.text import REWRITTEN_KEY, doc_text
from .nlp.rules import service_codes, service_rules
from .nlp.services import (DOSE_COUNT_BEFORE, LIST_ITEM, TIME_RANGE_RE, UNIT_COUNT_WORDS, durations_in, number_value,
                            words_pattern)
from .nlp.time_grid import time_grid
from .results import Mention, Service
from .mention_check import shipped_check


@dataclass(frozen=True)
class Extraction:
    """Everything the NLP stage found in one note."""

    mentions: tuple[Mention, ...]
    services: tuple[Service, ...]  # units allocated are filled in later, by the billing stage
    segment_words: dict[str, int]  # words in each service's documenting text, by code
    claims_97112: bool
    stated_timed_minutes: int | None
    sections: tuple[tuple[int, int, str], ...]
    # each sitting's documenting text and its words, by code, for a service given in more than one sitting
    sitting_ranges: dict[str, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)


def extraction_from_doc(doc: Doc, check_mentions: bool = True) -> Extraction:
    """Read the mentions, goals, services and sections the pipeline wrote on the Doc.

    `check_mentions` gives each technique and intervention match the learned second look of
    mention_check (off only to collect the matches that check is trained on).
    """
    records = doc.user_data.get(RECORDS_KEY)
    if records is not None:
        mentions = [Mention(*record) for record in records]
    else:  # a Doc from a pipeline without the context component: read the spans
        mentions = [Mention(type=span.label_, id=span.id_ or None, text=span.text, start=span.start_char,
                            end=span.end_char, negated=bool(span._.negated), hypothetical=bool(span._.hypothetical),
                            historical=bool(span._.historical), section=span._.section)
                    for span in doc.spans.get("mentions", [])]
    text = doc_text(doc)
    for span in doc.spans.get("goals", []):
        start, end = span.start_char, span.end_char
        mentions.append(Mention(
            type="goal", id=None, text=text[start:end], start=start, end=end,
            hypothetical=True, measurable=bool(extensions.value(doc, start, end, "measurable")),
            timeframe=extensions.value(doc, start, end, "timeframe"), section="goals",
        ))
    services, segment_words, claims, sitting_ranges = _services(doc)
    mentions.extend(_widened(_amount_mentions(doc, text), doc.user_data.get(REWRITTEN_KEY, ()), text))
    mentions.sort(key=lambda m: (m.start, m.end, m.type))
    if check_mentions and (check := shipped_check()) is not None:
        mentions = check.keep(text, mentions, frozenset(s.code for s in services))
    totals = doc.user_data.get("notereview_totals", {})
    sections = tuple((s.start_char, s.end_char, s.label_) for s in doc.spans.get("sections", []))
    stated = totals.get("timed_minutes")
    timed = [s for s in services if s.timed]
    if (stated is None and len(timed) == 1 and timed[0].minutes is None and totals.get("visit_minutes")
            and all(s.timed for s in services)):
        # one timed service and the visit's length: that length is the timed total (not the code's minutes)
        stated = totals["visit_minutes"]
    return Extraction(tuple(mentions), services, segment_words, claims, stated, sections, sitting_ranges)


def _widened(mentions: list[Mention], rewritten: tuple[tuple[int, int], ...], text: str) -> list[Mention]:
    """Each minutes mention inside a clock reading rewritten as minutes ("0:24" read as " 24'") covering the whole
    reading, so that it quotes what the note wrote."""
    if not rewritten:
        return mentions
    out = []
    for mention in mentions:
        if mention.type == "minutes":
            inside = next(((s, e) for s, e in rewritten if mention.start < e and s < mention.end), None)
            if inside:
                start, end = min(inside[0], mention.start), max(inside[1], mention.end)
                mention = replace(mention, start=start, end=end, text=text[start:end])
        out.append(mention)
    return out


def _amount_mentions(doc: Doc, text: str) -> list[Mention]:
    """`minutes` and `units` mentions (docs/contract.md §1) for the services billed today; id = the code."""
    found = {}
    for span in doc.spans.get("services", []):
        start, end = span.start_char, span.end_char
        if extensions.value(doc, start, end, "not_today"):
            continue
        for type_, where in (("minutes", extensions.value(doc, start, end, "minutes_span")),
                             ("units", extensions.value(doc, start, end, "units_span"))):
            if where is not None:  # a tuple, or a list once the Doc went through serialization
                where = tuple(where)
                found[(type_, where)] = Mention(type=type_, id=span.label_, text=text[where[0]:where[1]],
                                                start=where[0], end=where[1])
    return list(found.values())


# "AM:", "PM session:", "Session 2 -": a label before a block's service name
# "Totals: 97112 22 min (2u), 97530 16 min": the line that sums the day's sittings
TOTALS_LINE = re.compile(r"[ \t]*(?:[-*•][ \t]*)?(?:totals?|total\s+timed|day\s+totals?)\b[^\n]{0,40}$", re.IGNORECASE)
CODE_TOTAL_AFTER = re.compile(r"[ \t]*(?:sub-?)?totals?[ \t]*[:=]?[ \t]*\d", re.IGNORECASE)  # not "total assist", "total knee"
# "Billed two units.", "Billed 3 units." as a sentence of its own, naming no service
UNITS_ALONE = re.compile(r"(?:^|(?<=[.;])[ \t]+)(?:billed|charged|billing:?)[ \t]+(?P<units>[1-8]|" + UNIT_COUNT_WORDS
                         + r")[ \t]+units?[ \t]*(?:\.|$)", re.IGNORECASE | re.MULTILINE)
# a later correction of the chart: its sentence's values replace what the note said before
CORRECTION = re.compile(r"\b(?:should\s+(?:read|be|have\s+been)|corrected\s+(?:to|charges?|billing|minutes|units)|"
                        r"amended\s+to|correct(?:ed)?\s+(?:charges?|billing|minutes|time|units)\s*(?:is|are|:)"
                        r"|(?:time|minutes|mins?)\s+(?:was|were)\s+(?:actually\s+|only\s+)?\d{1,3}\s*(?:min(?:ute)?s?\b|['’]))",
                        re.IGNORECASE)
# "97112 min corrected to 23", "97112 units should be 1": a code's figure corrected, without its unit after the number
CORRECTED_VALUE = re.compile(r"[ \t]*(?P<what>min(?:ute)?s?|units?|time)[ \t]+(?:(?:(?:was|were|is|are)[ \t]+)?(?:corrected|changed|amended"
                             r"|should[ \t]+(?:read|be|have[ \t]+been))[ \t]+(?:to[ \t]+)?"
                             # "CI correction: NMR time was 20 min", "97112 time was 18 minutes, not 28 minutes"
                             r"|(?:was|were)[ \t]+(?:actually[ \t]+|only[ \t]+)?(?=\d{1,3}[ \t]*(?:min(?:ute)?s?\b|['’])))"
                             r"(?P<value>\d{1,3})\b(?![ \t]*(?:/|:\d))",
                             re.IGNORECASE)
# where a later edit of the chart starts: "ADDENDUM 2/7:", "Correction 5/10 -", "Late entry", "Corrected charges:"
CHART_EDIT = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:addendum|correction|corrected\s+(?:charges?|billing)|billing\s+correction"
                        r"|late\s+entry|(?:(?:pt|ot|supervising)\s+)?co-?sign(?:ed|ature)?|ci\s+(?:note|comment|correction)s?"
                        r"|(?:clinical\s+instructor|supervisor|supervising\s+(?:pt|ot))(?:'s)?\s+(?:note|comment|correction)s?)\b",
                        re.IGNORECASE | re.MULTILINE)
# "97112 removed from claim" in such an edit: a code taken off this visit's bill (not "from the 12/1 claim")
REMOVED_AFTER = re.compile(r"[ \t]*(?:(?:was|is|has\s+been)[ \t]+)?(?:removed|deleted|voided|withdrawn)(?:[ \t]+from[ \t]+"
                           r"(?:the[ \t]+|this[ \t]+|today'?s[ \t]+)?(?:claim|bill(?:ing)?|charges?)\b|(?=[ \t]*(?:[.;,]|$)))",
                           re.IGNORECASE | re.MULTILINE)
# "Correction: 97110 should be 97530", "97110 changed to 97530" in such an edit: the code billed, recoded
RECODED = re.compile(r"(?<!\d)(?P<old>97\d{3}|G0\d{3}|95992)[ \t]+(?:should[ \t]+(?:be|read|have[ \t]+been)|"
                     r"(?:was[ \t]+|is[ \t]+|has[ \t]+been[ \t]+)?(?:changed|corrected|amended|recoded|re-coded)[ \t]+to"
                     r"|->|→)[ \t]*(?:cpt[ \t]*)?(?P<new>97\d{3}|G0\d{3}|95992)(?!\d)", re.IGNORECASE)
RECODE_IN_PART = re.compile(r"\b(?P<minutes>\d{1,3})[ \t]*(?:min(?:ute)?s?|['’])[ \t]+of[ \t]+(?:the[ \t]+)?$",
                            re.IGNORECASE)  # "10 min of 97112 changed to 97110"
RECODE_NOT_MADE = re.compile(r"\b(?:whether|if|asked|question\w*|no[ \t]+change|kept|not[ \t]+changed|remains?)\b|\?",
                             re.IGNORECASE)
# "3/2 note", "3/2/24 session": a visit of another date ({year}: how the date may end)
DATED_VISIT = r"\b\d{{1,2}}/\d{{1,2}}{year}\s+(?:claim|note|visit|session|tx|treatment)"
OTHER_DATED_VISIT = re.compile(DATED_VISIT.format(year=r"(?:/\d{2,4})?"), re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[.;,(]|\s[-–]\s")
SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")
OTHER_VISIT = re.compile(r"\b(?:next|prior|previous|last|future|upcoming)\b|" + DATED_VISIT.format(year=""), re.IGNORECASE)
# between a service's name and its code: "NMR block 2 (97112)", "Neuro re-ed #2 - 97112"
BLOCK_NUMBER = re.compile(r"[ \t]*(?:(?:block|part|session|bout|round)[ \t]*)?#?\d?[ \t]*[(\[:–-]?[ \t]*", re.IGNORECASE)
# between a service's name and its own minutes: "NMR 22 min", "97110 - 24'", "97112 (2 units) 25 min"
MINUTES_RIGHT_AFTER = re.compile(r"[ \t]*(?:[:=\-–(x×][ \t]*|\d[ \t]*u(?:nits?)?\)?[ \t]*|total[ \t]*)*")
# "97112 x2", "97112 (2", "NMR 26 min (2u", "97112 65 (4u": units written with the code, perhaps after its minutes
UNITS_RIGHT_AFTER = re.compile(r"[ \t]*[-:=(x×#]?[ \t]*(?:\d{1,3}[ \t]*(?:min\w*|['’])?[ \t]*[-,/(]?[ \t]*)?", re.IGNORECASE)
# "13:30-13:40 [97112] manual perturbations ...": a time log's line, each block of a code a sitting of its own
CLOCK_RANGE_LABEL = re.compile(r"[ \t]*(?:[-*•>][ \t]*)?\d{1,2}:?\d{2}[ \t]*[-–][ \t]*\d{1,2}:?\d{2}[ \t]*[\[(:]?[ \t]*")
# "AM:", "Session 2 -", or the sitting's name alone right before its code ("AM 97112 0900-0915: ..."), perhaps with
# its clock range ("AM session (0830-0850) NMR 97112 20 min: ...", "O: Session 1 (0900-0915) NMR: ...")
SITTING_LABEL = re.compile(r"\s*(?:[-*•>]\s*)?(?:[SOAP]:[ \t]*)?(?:(?:am|pm|morning|afternoon|session\s*\d|tx\s*\d)\b[^\n]{0,12}?[:\-–]\s*"
                           r"|(?:am|pm|morning|afternoon)(?:[ \t]+(?:session|sitting|tx|treatment))?[ \t]*"
                           r"(?:\(?[ \t]*\d{1,2}:?\d{2}[ \t]*[-–][ \t]*\d{1,2}:?\d{2}[ \t]*\)?[ \t]*:?[ \t]*)?(?<=[ \t:)])\Z)",
                           re.IGNORECASE)


class _ServiceSpan(NamedTuple):
    start: int
    end: int
    minutes: int | None
    units_billed: int | None
    segment_words: int
    anchor_end: int
    minutes_at: int | None
    units_at: int | None
    coded: bool
    table_row: bool
    on_totals_line: bool = False  # "Totals: 97112 22 min", "97112 AM 15 + PM 12 = 27 min": beats its sittings
    added_up: bool = False  # the minutes are the sum the note wrote of the code's parts (services' ADDED_MINUTES)
    corrected: bool = False  # said in a correction ("Addendum: should read 97112 x 23 min / 2 units")


@lru_cache(maxsize=None)
def _block_label() -> re.Pattern:
    """A short label typed before a code that is no service name of its own ("ADL: 97535 - 35 min")."""
    labels = service_rules()["block_labels"]
    return re.compile(r"[ \t]*(?:[-*•>][ \t]*)?(?:" + "|".join(map(re.escape, labels)) + r")[ \t]*:?[ \t]*",
                      re.IGNORECASE)


class _Block(NamedTuple):
    """A block of one code heading its own treatment text, as `_sittings` weighs it."""

    span: _ServiceSpan
    repeated: bool  # in a section that repeats the treatment (billing, assessment, plan, goals)
    labelled: bool  # opened by a sitting's label ("AM:", "Session 2 -") or a clock range
    clock_label: bool
    listed: bool  # a time log's line that only names the block


def _sittings(spans: list[_ServiceSpan], text: str, repeating: list[tuple[int, int]]) -> list[_ServiceSpan]:
    """The blocks of one code that each head their own treatment text with their own minutes.

    A block opens its line, carries its minutes on that line, documents what was done and stands
    outside the sections that repeat it (billing, assessment, plan, goals): a billing line or an assessment
    repeating the same minutes is not a block.
    """
    blocks = {}
    for span in spans:
        if span.minutes is None or span.minutes_at is None or span.table_row:
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        clock_label = CLOCK_RANGE_LABEL.fullmatch(text, line_start, span.start) is not None
        labelled = clock_label or SITTING_LABEL.match(text, line_start, span.start) is not None
        if span.segment_words < 5 and not labelled:
            continue
        line_end = text.find("\n", span.start)
        line_end = len(text) if line_end < 0 else line_end
        if (text[line_start:span.start].strip(" \t-*•>") and not labelled
                and not _block_label().fullmatch(text, line_start, span.start)
                and not any(BLOCK_NUMBER.fullmatch(text, other.end, span.start) for other in spans
                            if line_start <= other.start < other.end <= span.start
                            and not text[line_start:other.start].strip(" \t-*•>"))):
            continue  # "ADL: 97535 - 35 min", "NMR 97112 (30):", "NMR block 2 (97112) 10 min" open their lines too
        repeated = any(a <= span.start < b for a, b in repeating)
        # a paper form fills its blanks where the block ends ("97112  stepping ...\n  __1__ units  __13__ min")
        own_minutes = line_start <= span.minutes_at < line_end or (
            span.minutes_at < span.end and "_" in text[span.minutes_at - 3:span.minutes_at])
        if not own_minutes or (repeated and not labelled):
            continue  # a billing line labelled "AM:" or "PM:" is a sitting of its own
        if (DOSE_COUNT_BEFORE.search(text, max(0, span.minutes_at - 6), span.minutes_at)
                or DOSE_MINUTES.match(text, span.minutes_at)):
            continue  # "wt shift 2x1min", "2 min rest", "1 min bouts": an exercise's dose, not a sitting's time
        if span.anchor_end < span.minutes_at and NOT_GIVEN_RIGHT_AFTER.match(text, span.anchor_end, span.minutes_at):
            continue  # "NMR not billed as only 6 min": the block above, not billed, is no second sitting
        # a time log's line that only names the block ("13:30-13:55 [97112] NMR") is "listed"
        blocks[span.minutes_at] = _Block(span, repeated, labelled, clock_label, clock_label and span.segment_words < 5)
    if any(block.listed for block in blocks.values()) and not all(block.clock_label for block in blocks.values()):
        # "Time log: 13:30-13:55 [97112] NMR" above "NMR 97112 25 min: ...": the log times the block it lists
        blocks = {at: block for at, block in blocks.items() if not block.listed}
    if len(blocks) > 2:
        # "Neuro Re-Ed Minutes: AM 25 / PM 20" over "AM session: ... 25 min" and "PM session: ... 20 min": the sum
        total = sum(block.span.minutes for block in blocks.values())
        blocks = {at: block for at, block in blocks.items() if block.labelled or 2 * block.span.minutes != total}
    # "AM: 97112 12 min" in the billing repeats a sitting written above it, unless none was
    outside = [block.span for block in blocks.values() if not block.repeated]
    return outside or [block.span for block in blocks.values()]


DOSE_MINUTES = re.compile(r"\d{1,3}[ \t]*(?:min(?:ute)?s?\.?|['’])?[ \t]*(?:rest|breaks?|bouts?|holds?|intervals?)",
                          re.IGNORECASE)
CLAUSE_STOP = re.compile(r"[.;](?:\s|$)")
SITTING_WORD = re.compile(r"\b(?:am|pm|morning|afternoon|evening)\b", re.IGNORECASE)
# services.json `sitting_not_given` and `sitting_planned_or_not_given`
NOT_GIVEN_WORDS = words_pattern(service_rules()["sitting_planned_or_not_given"] + service_rules()["sitting_not_given"])
NOT_GIVEN_WORD = re.compile(r"\b(?:" + NOT_GIVEN_WORDS + r")\b", re.IGNORECASE)
# the same words right after a block's name ("NMR not billed as only 6 min"), not in what it describes ("min A if EC")
NOT_GIVEN_RIGHT_AFTER = re.compile(r"[ \t:\-–]*(?:" + NOT_GIVEN_WORDS + r")\b", re.IGNORECASE)


# an item done at home, daily, or not billed is no part of the visit's time: "Walking program (TE) 10 min daily"
# (services.json `items_not_of_the_visit`, and the shapes of a daily dose: "15 min/day", "1x/day")
ITEM_NOT_OF_THE_VISIT = re.compile(r"\b(?:" + words_pattern(service_rules()["items_not_of_the_visit"])
                                   + r"|/\s*day|\d\s*x\s*/?\s*(?:day|d)\b)\b", re.IGNORECASE)


def _in_brackets(text: str, span: "_ServiceSpan") -> bool:
    """Whether the span's name stands alone in brackets: "- Bike warm-up (TE) 6 min"."""
    return span.start > 0 and text[span.start - 1] == "(" and text[span.anchor_end:span.anchor_end + 1] == ")"


def _tagged_exercises(spans: list[_ServiceSpan], text: str, repeating: list[tuple[int, int]]) -> list[_ServiceSpan]:
    """The items of a treatment list that each tag one exercise with this code in brackets and its own minutes
    ("- Bike L3 warm-up (TE) 6 min", "- NuStep x 10 min (97110) - 2 rest breaks"), one line each, outside the
    sections that repeat the treatment (billing, assessment, plan, goals)."""
    tagged = {}
    for span in spans:
        if (span.minutes is None or span.minutes_at is None or span.table_row
                or any(a <= span.start < b for a, b in repeating)):
            continue
        if not _in_brackets(text, span):
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = end_of_line(text, span.start)
        if (not line_start <= span.minutes_at < line_end or not text[line_start:span.start - 1].strip(" \t-*•>")
                or not (LIST_ITEM.match(text, line_start) or TIME_RANGE_RE.match(text, span.minutes_at))):
            # an item of a list, or a part timed by the clock ("BWSTT 0830-0900 (97116):", "Overground 0900-0915
            # (97116):"), with its minutes on its line; not a billing line ("Group Ther Proc (97150) ..... 45 min")
            continue
        if DOSE_MINUTES.match(text, span.minutes_at) or ITEM_NOT_OF_THE_VISIT.search(text, span.anchor_end, line_end):
            continue  # "(NMR) 2 min rest": an exercise's dose; "(TE) 10 min daily": a home program's
        heading = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        while heading > 0 and LIST_ITEM.match(text, heading):
            heading = text.rfind("\n", 0, heading - 1) + 1
        if (not LIST_ITEM.match(text, heading)
                and ITEM_NOT_OF_THE_VISIT.search(text, heading, max(heading, text.find("\n", heading, line_start)))):
            continue  # the items under "HEP updated:" or "Prior visit:"
        tagged.setdefault(line_start, span)
    return list(tagged.values())


def _minutes_stated_apart(spans: list[_ServiceSpan], tagged: list[_ServiceSpan], text: str) -> bool:
    """Whether a line totals the code, or a heading or bill states its minutes right after its name ("Ther Ex (97110)
    25 min:", "97110 ther ex 23 min"): that time stands over items tagging only some of the exercises."""
    return any(s.on_totals_line or (s not in tagged and s.minutes_at is not None and text[s.start - 1:s.start] != "("
                                    and MINUTES_RIGHT_AFTER.fullmatch(
                                        text, s.anchor_end + (text[s.anchor_end:s.anchor_end + 1] == ")"), s.minutes_at))
               for s in spans if s.minutes is not None)


def _sittings_on_a_line(spans: list[_ServiceSpan], text: str) -> list[_ServiceSpan]:
    """One code's minutes listed on one billing line under two sittings ("AM 97112 15, 97116 15; PM 97112 25")."""
    timed = [s for s in spans if s.minutes is not None and s.minutes_at is not None]
    if len(timed) < 2:
        return []
    first, last = min(s.start for s in timed), max(s.start for s in timed)
    if "\n" in text[first:last]:
        return []
    line_start = text.rfind("\n", 0, first) + 1
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    starts = sorted(s.start for s in timed)
    for s in timed:
        # a sitting's clause ends at its full stop or where the next sitting starts (which reads on from there):
        # a long line without stops is read once, not once per sitting
        next_start = starts[bisect_right(starts, s.start)] if s.start < starts[-1] else line_end
        clause_end = CLAUSE_STOP.search(text, max(s.start, s.minutes_at), line_end)
        stop = min(clause_end.start() if clause_end else line_end, max(next_start, s.minutes_at + 1))
        if NOT_GIVEN_WORD.search(text, s.start, stop):
            return []  # "PM 97112 15 planned if pt tolerates", "PM 97112 20 min: offered at 1400 ... declined."
    words = list(SITTING_WORD.finditer(text, line_start, last))
    word_ends = [m.end() for m in words]
    labels = set()
    for s in timed:
        before = bisect_right(word_ends, s.start)
        if before == 0:
            return []
        labels.add(words[before - 1].group(0).lower())
    return timed if len(labels) == len(timed) else []


def _in_a_correction(text: str, start: int, edit: range) -> bool:
    """Whether the sentence around a service, in a later edit of the chart, corrects this visit's bill.

    "Addendum: 97110 minutes should read 23 min" does; "97112 should be 30 min next session" or "prior
    note 3/1 corrected to 97112 x 20 min" do not.
    """
    if start not in edit:
        return False
    return _sentence_corrects(text, *_sentence_around(text, start))


@lru_cache(maxsize=64)  # the codes of one long sentence ask about it once
def _sentence_corrects(text: str, sentence_start: int, end: int) -> bool:
    return CORRECTION.search(text, sentence_start, end) is not None and OTHER_VISIT.search(text, sentence_start, end) is None


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    """Where the sentence holding `at` starts and ends (a full stop or a line break ends it)."""
    end = SENTENCE_END.search(text, at)
    return max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1), end.start() if end else len(text)


def _chart_edit(doc: Doc, text: str, service_spans) -> range:
    """Where a later edit of the chart stands (empty when none): from its heading to the next section.

    It follows the treatment it edits: "Co-signed by:" or "Supervising PT note:" heading the note edits
    nothing, and "Supervising PT note: reviewed POC" over "S: ... NMR 97112 25 min" edits only its own lines.
    """
    folded = fold(text)
    if not ("addend" in folded or "correct" in folded or "late entry" in folded
            or "note" in folded or "comment" in folded or "sign" in folded):
        return range(len(text), len(text))
    first_service = min((span.start_char for span in service_spans), default=len(text))
    edit = CHART_EDIT.search(text, first_service)
    if edit is None:
        return range(len(text), len(text))
    # "Addendum 3/6:\nBilling: 97110 should be 97530": a billing or treatment label under the edit's heading is its own
    until = next((s.start_char for s in doc.spans.get("sections", [])
                  if s.start_char >= edit.end() and s.label_ not in ("billing", "treatment")
                  and not CHART_EDIT.match(text, text.rfind("\n", 0, s.start_char) + 1)), len(text))
    return range(edit.start(), until)


def _recode(text: str, by_code: dict[str, list[_ServiceSpan]], edit: range) -> dict[str, int]:
    """Apply the edit's recodes ("Correction: 97110 should be 97530") to the codes billed, in place.

    A recode asked about and kept, about another visit, or onto a code billed apart changes nothing, and a
    code named only in such a sentence is no service. "10 min of 97112 changed to 97110" moves those minutes:
    returned by old code, to take from its minutes once they are read (from one of its sittings, not each).
    """
    moved_from: dict[str, int] = {}
    not_recoded: list[tuple[int, int]] = []  # sentences whose recode does not apply to this visit's bill
    for recoded in RECODED.finditer(text, edit.start, edit.stop):
        old, new = recoded["old"], recoded["new"]
        if old not in by_code:
            continue
        sentence_start, sentence_end = _sentence_around(text, recoded.start())
        clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, sentence_start, recoded.start())),
                           default=sentence_start)
        clause_end = CLAUSE_BREAK.search(text, recoded.end(), sentence_end)
        billed_apart = [s for s in by_code.get(new, []) if s.start not in edit]
        in_part = RECODE_IN_PART.search(text, max(sentence_start, recoded.start() - 20), recoded.start())
        if in_part and all(s.minutes is None or s.minutes <= int(in_part["minutes"]) for s in by_code[old]):
            in_part = None  # "25 min of 97112 changed to 97110" with 25 billed: all of it
        if (billed_apart  # onto a code already billed: its own figures stay
                # "whether 97112 should be 97110 ... no change", "asked if ...": a question, not a correction
                or RECODE_NOT_MADE.search(text, clause_start, clause_end.start() if clause_end else sentence_end)
                # "97110 should be 97530 next visit"; "Pt's 3/2 session was miscoded. 97110 should be 97530."
                or OTHER_VISIT.search(text, sentence_start, sentence_end)
                or OTHER_DATED_VISIT.search(text, edit.start, sentence_end)):
            not_recoded.append((sentence_start, sentence_end))
        elif in_part:
            moved = moved_from[old] = int(in_part["minutes"])
            by_code[new] = [_ServiceSpan(recoded.start("new"), recoded.end("new"), moved, None, 0, recoded.end("new"),
                                         in_part.start("minutes"), None, True, False, corrected=True)]
        else:
            # the billed code's minutes and units stay; the names in the correction itself document nothing
            kept = [s for s in by_code.pop(old) + by_code.pop(new, []) if not recoded.start() <= s.start < recoded.end()]
            if kept:
                by_code[new] = kept
    for code in [code for code, spans in by_code.items()
                 if all(any(a <= s.start < b for a, b in not_recoded) and s.minutes is None and s.units_billed is None
                        for s in spans)]:
        del by_code[code]
    return moved_from


def _nearest(spans: list[_ServiceSpan], value: str, where: str):
    """A code named twice takes the value written with its code, else the one closest to one of its names.

    "Billing: 97112 x2 (25 min)" beats "NMR: 1 min bouts of SLS", and a "Totals:" line the sittings above
    it; "97112  Neuromuscular re-ed  28  (2)" in a billing table beats "5 min" at the end of a long
    treatment paragraph. A value found without a position (a table cell) counts as adjacent.
    """
    best, best_rank = None, None
    for span in spans:
        found = getattr(span, value)
        if found is None:
            continue
        position = getattr(span, where)
        rank = (not span.corrected, not span.coded, not span.on_totals_line,
                abs(position - span.anchor_end) if position is not None else 0)
        if best_rank is None or rank < best_rank:
            best, best_rank = found, rank
    return best


def _services(doc: Doc) -> tuple[tuple[Service, ...], dict[str, int], bool, dict[str, tuple[tuple[int, int, int], ...]]]:
    """One service per code, in note order: minutes and units from wherever the note gives them."""
    codes = service_codes()
    text = doc_text(doc)
    by_code: dict[str, list[_ServiceSpan]] = {}
    service_spans = doc.spans.get("services", [])
    edit = _chart_edit(doc, text, service_spans)
    for span in service_spans:
        start, end = span.start_char, span.end_char
        if extensions.value(doc, start, end, "not_today"):
            continue  # "Plan: continue NMR", "will add NMR", "NMR held": not a service billed today
        minutes_span = extensions.value(doc, start, end, "minutes_span")
        units_span = extensions.value(doc, start, end, "units_span")
        added_up = bool(extensions.value(doc, start, end, "added_up"))
        by_code.setdefault(span.label_, []).append(_ServiceSpan(
            start, end, extensions.value(doc, start, end, "minutes"), extensions.value(doc, start, end, "units_billed"),
            extensions.value(doc, start, end, "segment_words") or 0,
            extensions.value(doc, start, end, "anchor_end") or start,
            minutes_span[0] if minutes_span is not None else None, units_span[0] if units_span is not None else None,
            bool(extensions.value(doc, start, end, "coded")), bool(extensions.value(doc, start, end, "table_row")),
            (TOTALS_LINE.match(text, text.rfind("\n", 0, start) + 1, start) is not None
             and minutes_span is not None and minutes_span[0] > start  # "Totals: 97112 22 min", not "Totals: 38 min - 97112"
             or added_up
             # "97112 subtotal 16 min (1u)", "97112 total 19 min | 97530 total 11 min": the code's own total
             or (minutes_span is not None and (anchor_end := extensions.value(doc, start, end, "anchor_end")) is not None
                 and CODE_TOTAL_AFTER.match(text, anchor_end) is not None and minutes_span[0] > anchor_end)),
            added_up, _in_a_correction(text, start, edit)))
        latest = by_code[span.label_][-1]
        if latest.corrected and (new_value := CORRECTED_VALUE.match(text, latest.anchor_end)):
            # "CI note: 97112 min corrected to 23": the number after the correction is the code's minutes (or units)
            value, at = int(new_value["value"]), new_value.start("value")
            by_code[span.label_][-1] = (latest._replace(minutes=value, minutes_at=at)
                                        if new_value["what"].lower().startswith(("min", "time"))
                                        else latest._replace(units_billed=value, units_at=at))
    removed = {code for code, spans in by_code.items()
               if any(s.coded and s.start in edit and REMOVED_AFTER.match(text, s.anchor_end) for s in spans)}
    for code in removed:
        del by_code[code]  # "Corrected charges: ... 97112 removed from claim"
    moved_from = _recode(text, by_code, edit) if edit else {}
    # blocks repeated in the billing, assessment, plan or goals are not sittings of their own
    repeating = [(s.start_char, s.end_char) for s in doc.spans.get("sections", [])
                 if s.label_ in ("billing", "assessment", "plan", "goals")]
    billing_sections = [(s.start_char, s.end_char) for s in doc.spans.get("sections", []) if s.label_ == "billing"]
    services = []
    segment_words = {}
    sitting_ranges: dict[str, tuple[tuple[int, int, int], ...]] = {}
    for code, spans in by_code.items():
        entry = codes.get(code, {"name": "unlisted service", "timed": code.startswith("97")})
        # a row naming the service twice ("Paraffin | 97018 | 8", "NMR subtotal | 97112 | 25") is one row
        rows = list({text.rfind("\n", 0, s.start): s
                     for s in sorted(spans, key=lambda s: s.coded) if s.table_row}.values())
        if any(r.coded for r in rows):
            # a treatment table's "Paraffin | 10" and the billing grid's "Paraffin | 97018 | 1 | 10" are one service
            rows = [r for r in rows if r.coded]
        sittings = _sittings(spans, text, repeating) if len(rows) <= 1 else []
        on_a_line = _sittings_on_a_line(spans, text) if len(rows) <= 1 and len(sittings) <= 1 else []
        tagged = (_tagged_exercises(spans, text, repeating)
                  if len(rows) <= 1 and len(sittings) <= 1 and not on_a_line else [])
        if len(tagged) > 1 and not _minutes_stated_apart(spans, tagged, text):
            # "- SLS on airex w/ ball toss (NMR) 5 min", "- Leg press ... (NMR) 8 min": each exercise tagged with
            # the code it is billed under and its minutes, the code's time their sum
            minutes = sum(s.minutes for s in tagged)
            units = _nearest(spans, "units_billed", "units_at")
        elif on_a_line:
            minutes = sum(s.minutes for s in on_a_line)
            units = _nearest(spans, "units_billed", "units_at")
        elif len(rows) > 1:
            # two rows of a table billing the same code ("97112 | 12", "97112 | 14") are two parts of its time,
            # unless a line under them totals the code ("97112 subtotal 16 min (1u)")
            stated_total = [s for s in spans if s.on_totals_line and s.minutes is not None and s not in rows]
            minutes = stated_total[-1].minutes if stated_total else sum(s.minutes for s in rows)
            # "Units billed: 97112 x2" under the rows; not "plan allows 97112 up to 4 units/visit"
            units = (sum(s.units_billed for s in rows) if all(s.units_billed is not None for s in rows)
                     else _nearest([s for s in spans if s not in rows and s.units_at is not None
                                    and UNITS_RIGHT_AFTER.fullmatch(text, s.anchor_end, s.units_at)],
                                   "units_billed", "units_at"))
            if stated_total and stated_total[-1].units_billed is not None:
                units = stated_total[-1].units_billed
        elif len(sittings) > 1:
            units = _nearest(spans, "units_billed", "units_at")
            totals = [s for s in spans if s.on_totals_line and s.minutes is not None]
            if totals:
                # "AM (0900-0930): NMR 97112 ...", "PM (1400-1415): NMR 97112 ...", "NMR total 45 min, 3 units": the
                # line totalling the sittings gives the code's minutes, named or coded
                minutes = _nearest(totals, "minutes", "minutes_at")
            else:
                # "AM: NMR 97112 20 min - ...", "PM: NMR 97112 15 min - ...": one service given in two sittings
                minutes = sum(s.minutes for s in sittings)
                sitting_ranges[code] = tuple(sorted((s.start, s.end, s.segment_words) for s in sittings))
                if all(s.units_billed is not None for s in sittings) and not any(
                        s.units_billed is not None for s in spans if s not in sittings):
                    units = sum(s.units_billed for s in sittings)  # each sitting billed its own unit, none apart
        else:
            minutes = _nearest(spans, "minutes", "minutes_at")
            units = _nearest(spans, "units_billed", "units_at")
        if minutes is not None and minutes > moved_from.get(code, minutes):
            minutes -= moved_from[code]  # "10 min of 97112 changed to 97110"
        # the treatment documents a service, not a later edit naming its code ("CI note: 97112 min corrected to 23")
        # (and the treatment, not the billing section heading the note, when the note has both)
        outside_edit = [s for s in spans if s.start not in edit] or spans
        documenting = max([s for s in outside_edit if not any(a <= s.start < b for a, b in billing_sections)] or outside_edit,
                          key=lambda s: (s.segment_words, -s.start))
        services.append(Service(code=code, name=entry["name"], minutes=minutes, units_billed=units,
                                timed=bool(entry["timed"]), start=documenting.start, end=documenting.end))
        segment_words[code] = documenting.segment_words
    services.sort(key=lambda s: s.start)
    grid = time_grid(text)
    if grid is not None:
        # "0815-0830 NMR / 0830-0845 NMR/GT (8/7)": a grid of clock-time rows gives each code its sum, unless
        # the code's minutes are written right after its name outside the grid ("Billing 97110 24' 2u",
        # "NMR 22 min total"; not the dose of an exercise under its heading, "TE: UBE 5 min")
        stated_apart = {code for code, spans in by_code.items()
                        if any(s.minutes is not None and s.minutes_at is not None and not grid.holds(s.minutes_at)
                               and (s.added_up or MINUTES_RIGHT_AFTER.fullmatch(text, s.anchor_end, s.minutes_at))
                               for s in spans)}
        services = [replace(s, minutes=grid.minutes[s.code]) if s.code in grid.minutes and s.code not in stated_apart
                    else s for s in services]
    timed_without_units = [s for s in services if s.timed and s.units_billed is None]
    if len(timed_without_units) == 1 and sum(s.timed for s in services) == 1 and (billed := UNITS_ALONE.search(text)):
        # "... Billed two units.": a sentence of its own that bills the note's only timed service
        only = timed_without_units[0]
        services = [replace(s, units_billed=number_value(billed["units"])) if s is only else s for s in services]
    wanted = {s.code for s in services if s.timed and s.minutes is None and (grid is None or s.code not in grid.minutes)}
    if wanted:
        # "We spent about 25 minutes on balance ... Billed 97112 x2": minutes said of the activity
        used = {s.minutes_at for spans in by_code.values() for s in spans if s.minutes_at is not None}
        said = activity_minutes(text, list(durations_in(text)), used, wanted)
        services = [replace(s, minutes=said[s.code]) if s.code in said else s for s in services]
    if not any(s.coded for spans in by_code.values() for s in spans):
        # "Time: balance retraining 20 min, gait re-ed 20 min": a note naming no code gives its time by activity
        named = {s.code for s in services}
        parts: dict[str, list[tuple[int, int, int]]] = {}
        for code, minutes, start, end in breakdown_minutes(text):
            if code not in named:
                parts.setdefault(code, []).append((minutes, start, end))
        for code, said in parts.items():
            entry = codes[code]
            services.append(Service(code=code, name=entry["name"], minutes=sum(m for m, _, _ in said), units_billed=None,
                                    timed=bool(entry["timed"]), start=said[0][1], end=said[0][2]))
            segment_words[code] = 0
        services.sort(key=lambda s: s.start)
    claims = "97112" in by_code
    return tuple(services), segment_words, claims, sitting_ranges
