"""Goal statements -> `doc.spans["goals"]`, each with `span._.measurable` and `span._.timeframe`."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions
from .component import StatelessComponent
from .tables import DATE, TIMEFRAME, goal_tables
from .literals import LeadingLiterals
from .sections import SERVICE_TIME_LINE, end_of_line
from .services import CLOSING_BILL_REST
from .rules import feature_patterns, feature_words, literal_alternation, service_names
from .text import doc_text

for _name in ("measurable", "timeframe"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

GOAL_LEAD = re.compile(
    r"(?:\b(?:stg|ltg|stgs|ltgs|goal|goals)\b\s*#?\d*\s*[:.)\-–]?|\b(?:"
    + literal_alternation(feature_words("goal_subjects"))
    # "pt to perform HEP 1x/day" instructs; "pt will perform HEP indep in 2 wks" is a goal
    + r")\s+(?:will|to(?!\s+(?:" + literal_alternation(feature_words("goal_instruction_verbs"))
    + r")\s+(?:the\s+|her\s+|his\s+)?(?:"
    + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in sorted(feature_words("home_program_names"))) + r")))"
    + r"\s+(?:be able to\s+|" + literal_alternation(feature_words("goal_verbs"))
    + r")|\bin order to return\b|\breturn to (?:plof|prior level)\b)",
    re.IGNORECASE,
)
LINE_ITEM = re.compile(r"[^\n]+")
GOAL_HEADING = re.compile(
    r"^[ \t]*(?:[-*•#]+[ \t]*)?(?:(?:updated|new|revised|iep|discharge|d/c)[ \t]+)?"
    r"(?:(?:short|long)[- ]term goals?|stg(?:'?s)?|ltg(?:'?s)?|goals?|functional goals?|pt goals?|patient goals?|(?<=iep )objectives?|"
    r"ifsp outcomes?|objectifs?|obj(?:ective)?(?=[ \t]*#?\d))"  # "Obj 2:" numbers an IEP objective; "Obj:" is a SOAP heading
    r"(?:[ \t]+(?:updated|revised|reviewed|established|set|added))?"  # "Goals updated:"
    rf"[ \t]*(?:\([^)\n]{{0,30}}\))?[ \t]*(?:(?:(?:by|for|due|target)[ \t]+)?{DATE}|{TIMEFRAME}|#?\d*)"
    r"[ \t]*(?:[:.)\-–][ \t]*|[ \t]*$)",  # "## Updated Goals (8 wks)" alone, "Goals by 11/28:", "STG 12/19:"
    re.IGNORECASE,
)
# "Goals: a; b; c" or "G: 1) a. 2) b" inside a line: the goals run to the line's end or the next heading
INLINE_GOAL_HEADING = re.compile(
    r"(?<![\w/])(?:(?:(?:short|long)[- ]term goals?|stgs?|ltgs?|goals?|objectifs?|obj(?:ective)?(?=\s*#?\d))"
    rf"(?:\s*\([^)\n]{{0,30}}\))?\s*(?:{TIMEFRAME}|#?\d*)\s*[:\-–]|(?-i:G):)\s*",
    re.IGNORECASE,
)
NEXT_HEADING = re.compile(r"(?:^|(?<=[\s.;|]))(?:(?:plan|assessment|assess|billing|billed|charges|codes|units billed)\s*:|(?-i:[SOAP]):)",
                          re.IGNORECASE)
GOAL_LEADS = LeadingLiterals(GOAL_LEAD)
ONE_GOAL_HEADING = re.compile(r"goal[ \t]*[:\-–]", re.IGNORECASE)
SENTENCE_STOP = re.compile(r"(?<!\b[a-z])(?<!\bvs)(?<!\bapprox)\.[ \t]+(?=[A-Z])")  # ". Plan to try ...", not "... 5 min. walk"
GOAL_WORD_LEAD = re.compile(r"\b(?:stgs?|ltgs?|goals?)\b", re.IGNORECASE)
# a clause of a run-on opening with a code or a bill's word (features.json `bill_words_ending_goals`): the goals
# before it are over
BILL_CLAUSE = re.compile(r"[,;][ \t]*(?:\b(?:" + literal_alternation(feature_words("bill_words_ending_goals"))
                         + r")\b|(?:97\d{3}|G0\d{3})\b)", re.IGNORECASE)
# the start of a bill run into a goal, without a comma: a code, or a service's name with its time ("... ltg amb to
# mailbox w rw mod i nmr 1005-1030 te 10 min", "... ltg rts soccer nmr 22 te 20", "... stocking shelves 97112 0930-1000")
_SERVICE_NAME = r"(?<![\w/])(?:" + literal_alternation(service_names()) + r")"
RUNON_BILL = re.compile(r"(?<![\w/])(?:97\d{3}|G0\d{3})\b|" + _SERVICE_NAME
                        + r"[ \t]*(?:\d{3,4}[ \t]*[-–][ \t]*\d{3,4}\b|\d{1,2}:\d{2}[ \t]*[-–]|\d{1,3}[ \t]*(?:min(?:ute)?s?\b|['’])"
                        r"|\d{1,3}[ \t]*(?:\d[ \t]*u\b[ \t]*)?(?:[,;/][ \t]*)?" + _SERVICE_NAME + r"[ \t]*\d{1,3}\b)",
                        re.IGNORECASE)


def _closing_bill_in(text: str, start: int, end: int) -> int | None:
    """Where a bill run into a run-on's goal starts: a code or a service with its time, with nothing but the bill's
    services, amounts and words after it to the end of the line ("ltg mailbox w rw mod i nmr 1005-1030 te 10 min");
    "ltg gait 300' w SPC mod I" is no bill."""
    line_end = end_of_line(text, start)
    for bill in RUNON_BILL.finditer(text, start, end):
        if CLOSING_BILL_REST.fullmatch(text, bill.start(), len(text[:line_end].rstrip())):
            return bill.start()
    return None


# "SBP goal < 140", "HOB >= 30, SBP 130-150 (goal < 160)": a vital sign's target set by the medical team, no therapy goal
VITAL_SIGN_BEFORE = re.compile(r"\b(?:" + literal_alternation(feature_words("vital_signs_with_a_goal"))
                               + r")\b[^\n.;]{0,16}$", re.IGNORECASE)
COMPARISON_AFTER = re.compile(r"\s*(?:is\s+|of\s+|:\s*)?(?:[<>≤≥]=?\s*\d|(?:s|d)?bp\b|map\b)", re.IGNORECASE)
# a line that ends a goals section: billing ("Billed 97112 x2u", "97110 x 15 min", "Time: 40 min", a billing
# table's "| CPT | Description | Minutes |"), the plan
GOALS_END_LINE = re.compile(
    r"[ \t]*(?:[-*•|]+[ \t]*)?(?:(?:billed|billing|charges|cpt|codes|fee[ \t]+ticket)\b|[^\n]{0,30}?\b(?:encounter[ \t]+form|superbill)\b|"
    r"encounter[ \t]*[-–:][ \t]*(?:medicare|medicaid|commercial|payer|97\d{3}|G0\d{3})\b|"
    r"(?:units|minutes|time|total(?:[ \t]+(?:timed|treatment|tx|time|units?|minutes|mins|billed|visit|session|charges?)){0,2}|"
    r"tx time|next|hep|home program|plan|p|recs?|recommendations?|"
    r"d/?c recs?|dispo(?:sition)?|icd(?:-?10)?|dx)\s*[:=]|"
    # an encounter form's rows, marked or not: "[X] 97112 ...", "☐ 97116 Gait", "X_ 97110", "__ 97140"
    r"(?:\[[ \t]*[xX✓✔]?[ \t]*\]|\([ \t]*[xX]?[ \t]*\)|[☐☒☑✓✔]|[xX_]{1,2})[ \t]+(?:97\d{3}|G0\d{3})\b|"
    # the signature and the record's stamps: "Signed by K. Mbeki, PT", "04/02/25 1212 LTN: Signed", "Last edited ..."
    r"[^\n]{0,40}?\b(?:e-?signed|electronically[ \t]+signed|signed(?:[ \t]+(?:by\b|on\b|\d|[a-z]\.)|[ \t]*[.:,])|co-?signed|last[ \t]+edited)|"
    r"flowsheet[^\n]{0,30}\(charted|(?:97\d{3}|G0\d{3})\b|[^\n]*\b(?:97\d{3}|G0\d{3})\s*(?:x\s*\d|\(\d|-\s*\d|\d+\s*(?:min|u\b)))",
    re.IGNORECASE)
# "IEP goal progressing.", "Prior STGs 2/3 met.": a goal's status said in a sentence, not a goal
GOAL_STATUS_SENTENCE = re.compile(r"(?![^\n]*\bwill\b)[^\n]*\b(?:goals?|stgs?|ltgs?)\b[^\n]{0,20}?\b(?:met|not met|progressing|"
                                  r"ongoing|achieved|partially met|in progress)\b", re.IGNORECASE)
INLINE_GOAL_HEADINGS = LeadingLiterals(INLINE_GOAL_HEADING)
# Items of a goal list: "; ", a sentence end, or an enumeration "2) ", "(2) "; not the period of
# "amb.", "min. A" or "e.g." (the next word would start in lower case or with a number of feet)
ITEM_BREAK = re.compile(r";\s+|(?<!\b[a-z])(?<!\be\.g)(?<!\bi\.e)(?<!\bamb)(?<!\bmin)(?<!\bmod)(?<!\bmax)(?<!\bapprox)"
                        # (or a dictated "period", read as its mark and padded to its length, before a lower-case word)
                        r"\.(?:\s+(?=[A-Z(]|\d{1,2}[).]\s)|[ \t]{3,}(?=[a-z]))|\s(?=\(?\d{1,2}[).]\s)")
ENUMERATION = re.compile(r"^\(?\d{1,2}[).]\s*|^[-*•]+\s*")


# a lead that is the word goal used as a heading ("goals:"), as opposed to "goal is ..." or "pt will"
GOAL_HEADING_WORD = re.compile(r"(?:stg|ltg|goal)s?\s*#?\d*\s*[:\-–]", re.IGNORECASE)
# the next goal's word in a run-on: an abbreviation, or a goal's heading word ("goal 2:", "goals -"), not "her goal of"
NEXT_GOAL_WORD = re.compile(r"\b(?:stgs?|ltgs?)\b|\b" + GOAL_HEADING_WORD.pattern, re.IGNORECASE)
HEADING_PLACE = re.compile(r"(?:^|[.;|\t:])[\s\-*•>#\d.)]*$", re.MULTILINE)


def _heading_place(text: str, at: int) -> bool:
    """Whether a goal heading at `at` starts its line or follows a sentence or cell break ('... exercises. Goals:').

    "Reviewed HEP and goals: pt verbalized understanding" names goals in a sentence; it does not list them.
    """
    line_start = text.rfind("\n", 0, at) + 1
    return HEADING_PLACE.search(text, max(line_start, at - 40), at) is not None


def _status_only(item: str) -> bool:
    """'Status: met', 'progressing': a goal's status (goal_status_words in features.json), not a goal."""
    words = re.sub(r"^\W*(?:status\s*:?\s*)?|\W*$", "", item.lower())
    return words in feature_words("goal_status_words")


def _is_goal_item(item: str) -> bool:
    """Two words ("improve posture"), or a word and a number ("ABC > 67%"): a stray word is not a goal."""
    words = len(re.findall(r"[A-Za-z]{2,}", item))
    return words >= 2 or (words >= 1 and re.search(r"\d", item) is not None)


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The goal items of text[start:end], split at '; ', sentence ends and enumerations."""
    items, cursor = [], start
    for match in [*ITEM_BREAK.finditer(text, start, end), None]:
        item_end = match.start() if match else end
        item = text[cursor:item_end]
        lead = ENUMERATION.match(item)
        item_start = cursor + (lead.end() if lead else 0)
        item_end = item_start + len(text[item_start:item_end].rstrip(" .;,\t"))
        item = text[item_start:item_end]
        if item_end > item_start and _is_goal_item(item) and not _status_only(item):
            items.append((item_start, item_end))
        cursor = match.end() if match else end
    return items


def goal_table_rows(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The goal cell of each goal-table row ("1 | Pt will amb 300 ft ... | 75 ft RW | 220 ft | Progressing"), and
    the stretches the tables cover (header included), which hold no other goal."""
    spans, covered = [], []
    for table in goal_tables(text):
        for row in table.rows:
            for cell in row:
                item = text[cell.start:cell.end]
                if cell.role == "goal" and _is_goal_item(item) and not _status_only(item):
                    spans.append((cell.start, cell.end))
        covered.append((table.start, table.end))
    return spans, covered


def goal_statements(text: str, goal_sections: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of goal statements: the items of Goals sections and inline goal lists, and goal sentences."""
    spans, covered = goal_table_rows(text)  # covered: goal lists already read, headings included
    for start, end in goal_sections:
        for line in LINE_ITEM.finditer(text, start, end):
            body = line.group(0)
            if any(s <= line.start() < e for s, e in covered):
                continue  # a row of a goal table, read above
            if GOALS_END_LINE.match(body) or SERVICE_TIME_LINE.match(body):
                break  # "Billed 97112 x2u", "Next: add dual task", "HEP: putty daily", "NMR x 38 min (3)." after the goals
            heading = GOAL_HEADING.match(body)
            left = line.start() + (heading.end() if heading else len(body) - len(body.lstrip(" \t-*•")))
            right = NEXT_HEADING.search(text, left, line.end())
            right = right.start() if right else line.end()
            spans.extend(_items(text, left, right))
            covered.append((line.start(), right))
    for match in INLINE_GOAL_HEADINGS.finditer(text):
        if any(s <= match.start() < e for s, e in covered) or not _heading_place(text, match.start()):
            continue
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        heading = NEXT_HEADING.search(text, match.end(), line_end)
        right = heading.start() if heading else line_end
        if ONE_GOAL_HEADING.match(match.group(0)) and text[text.rfind("\n", 0, match.start()) + 1:match.start()].strip():
            # "... 0.52 m/s today. Goal: walk 150 feet with a cane in 6 weeks. Plan to try ...": inside a paragraph,
            # "Goal:" heads one sentence
            if (stop := SENTENCE_STOP.search(text, match.end(), right)) is not None:
                right = stop.start() + 1
        spans.extend(_items(text, match.end(), right))
        covered.append((match.start(), right))
    for match in GOAL_LEADS.finditer(text):
        if any(s <= match.start() < e for s, e in covered):
            continue
        if GOAL_HEADING_WORD.match(match.group(0)) and not _heading_place(text, match.start()):
            continue  # "reviewed HEP and goals: ...", "progress toward goals"
        if match.group(0).lower().startswith("goal") and (
                VITAL_SIGN_BEFORE.search(text, max(0, match.start() - 40), match.start())
                or COMPARISON_AFTER.match(text, match.start() + 4)):
            continue  # "SBP goal < 140 per neuro": a vital sign's target
        start = max(text.rfind("\n", 0, match.start()) + 1, _sentence_start(text, match.start()))
        end_candidates = [i for i in (text.find("\n", match.end()), _sentence_end(text, match.end())) if i >= 0]
        end = min(end_candidates) if end_candidates else len(text)
        if GOAL_WORD_LEAD.match(match.group(0)):
            # "..., berg 44/56 today, stg berg 48/56 3 wks ltg amb 500 ft w spc mod i": in a run-on the goal starts
            # at its word and ends where the next goal's word starts
            start = match.start()
            if following := NEXT_GOAL_WORD.search(text, match.end(), end):
                end = following.start()
            if bill := _closing_bill_in(text, match.end(), end):
                end = len(text[:bill].rstrip(" \t,;"))
        if bill := BILL_CLAUSE.search(text, match.end(), end):
            end = bill.start()  # "goals sls 10 s b/l, improve legibility, 97166 mod complexity, nmr 15 min"
        if len(re.findall(r"[A-Za-z]{2,}", text[start:end])) >= 3 and not GOAL_STATUS_SENTENCE.match(text, start, end):
            spans.append((start, end))
    # a statement starts and ends at its words, not at the spaces a sentence break left ("... period   patient will ...")
    spans = sorted(span for span in (_words_of(text, start, end) for start, end in spans) if span[0] < span[1])
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    return merged


def _words_of(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] without the whitespace at its ends, as offsets."""
    stretch = text[start:end]
    return start + len(stretch) - len(stretch.lstrip()), start + len(stretch.rstrip())


def _sentence_start(text: str, at: int) -> int:
    found = max(text.rfind(". ", 0, at), text.rfind("; ", 0, at))
    return found + 2 if found >= 0 else 0


def _sentence_end(text: str, at: int) -> int:
    found = [i for i in (text.find(". ", at), text.find("; ", at)) if i >= 0]
    return min(found) + 1 if found else len(text)


def measurable_and_timeframe(goal_text: str) -> tuple[bool, str | None]:
    """A goal is measurable when it states a criterion: a number, a measure score, an assistance level.

    The timeframe ("in 4 weeks") is reported apart and does not by itself make a goal measurable:
    "improve balance in 4 weeks" names no criterion a reviewer could check.
    """
    patterns = feature_patterns()
    timeframe = None
    remainder = goal_text
    for pattern in patterns["timeframe"]:
        for found in list(pattern.finditer(remainder)):
            timeframe = timeframe or found.group(0).strip()
        remainder = pattern.sub(" ", remainder)
    remainder = re.sub(r"\b(?:stg|ltg|goal)s?\s*#?\d+", " ", remainder, flags=re.I)
    measurable = any(p.search(remainder) for p in patterns["measurable_goal"])
    return measurable, timeframe


@Language.factory("notereview_goals", assigns=["doc.spans"], requires=["doc.spans"])
def make_goals(nlp: Language, name: str) -> "GoalFinder":
    return GoalFinder()


class GoalFinder(StatelessComponent):
    """Finds goal statements and whether each is measurable."""

    def __call__(self, doc: Doc) -> Doc:
        goal_sections = [(s.start_char, s.end_char) for s in doc.spans.get("sections", []) if s.label_ == "goals"]
        spans = []
        text = doc_text(doc)
        for start, end in goal_statements(text, goal_sections):
            span = doc.char_span(start, end, label="goal", alignment_mode="expand")  # "with mod A." keeps "A."
            if span is None or not len(span):
                continue
            measurable, timeframe = measurable_and_timeframe(text[span.start_char:span.end_char])
            extensions.set_values(span, {"measurable": measurable, "timeframe": timeframe})
            spans.append(span)
        doc.spans["goals"] = spans
        return doc

