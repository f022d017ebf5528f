"""SOAP and EMR section headings -> `doc.spans["sections"]` (label = category)."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .component import StatelessComponent
from .tables import DATE, TIMEFRAME, goal_tables
from .rules import categories_defaulting_to, literal_alternation, sections as section_rules, service_names
from .text import doc_text


def _qualifier(kind: str) -> str:
    """An alternation of sections.json `heading_qualifiers[kind]` ("by", "via"; "video", "webcam"; "today")."""
    return "(?:" + "|".join(map(re.escape, section_rules()["heading_qualifiers"][kind])) + ")"


@lru_cache(maxsize=None)
def heading_regex() -> re.Pattern:
    """One regex for every heading name; single letters (S/O/A/P) need a colon."""
    names: list[tuple[str, str]] = []
    for category, headings in section_rules()["headings"].items():
        names.extend((name, category) for name in headings)
    names.sort(key=lambda item: -len(item[0]))
    alternatives = []
    for name, _ in names:
        escaped = re.escape(name).replace(r"\ ", r"\s+")
        alternatives.append(escaped)
    body = "|".join(alternatives)
    return re.compile(
        rf"^[ \t]*+(?:[-*•#>]++[ \t]*+)?(?P<name>{body})(?P<tail>[ \t]*+/[ \t]*+[A-Za-z][A-Za-z ]{{0,30}}?)?"
        # "Exam by video:", "Observation via webcam (side view):", "Findings today:" (sections.json `heading_qualifiers`)
        rf"(?:[ \t]++(?:{_qualifier('seen_by')}[ \t]++{_qualifier('means')}|{_qualifier('when')})"
        rf"(?=[ \t]*+(?:\([^)\n]{{0,30}}\))?[ \t]*+:))?[ \t]*+"
        rf"(?:\([^)\n]{{0,30}}\))?(?:(?<=[ \t])(?:(?:by|for|on|due|target)[ \t]+)?{DATE}(?=[ \t]*:))?"  # "Goals by 11/28:"
        rf"(?:(?<=[ \t]){TIMEFRAME}(?=[ \t]*:))?"  # "STG 4 wk:"
        rf"[ \t]*+(?P<sep>:|-(?=\s)|–|=|\r?$)",
        re.IGNORECASE | re.MULTILINE,
    )


@lru_cache(maxsize=None)
def inline_heading_regex() -> re.Pattern:
    """A heading inside a paragraph: "... two pounds. Objective Findings: grip ..." (dictated notes run their
    sections together on one line; "... raining. a: impaired dynamic standing balance" in a lowercase one).
    It must follow a sentence end and end in a colon."""
    inline = section_rules()["inline"]  # only present-tense sections, so a history or a plan never grows inline
    names = sorted((name for category, headings in section_rules()["headings"].items() if category in inline["categories"]
                    for name in headings if name not in inline["not_names"]), key=lambda n: -len(n))
    body = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names)
    return re.compile(rf"(?P<name>{body})[ \t]*(?P<sep>:)(?!\d)", re.IGNORECASE)


# where an inline heading may start: a letter one or two spaces after a sentence's end
INLINE_HEADING_START = re.compile(r"[.!?] {1,2}(?=[A-Za-z])")


def _inline_where_allowed(headings: list[re.Match], inline: list[re.Match]) -> list[re.Match]:
    """Inline headings, but inside a history, evaluation, plan or goals section only those naming today's session."""
    lookup = _category_of()
    allowed = frozenset(section_rules()["inline"]["after_past_or_planned"])
    past_or_planned = categories_defaulting_to("historical") | categories_defaulting_to("hypothetical")
    kept: list[re.Match] = []
    at, inside = 0, None  # the section each stands in: the last heading before it, at a line's start or kept inline
    for match in inline:
        while at < len(headings) and headings[at].start("name") < match.start("name"):
            inside = headings[at]
            at += 1
        if kept and (inside is None or kept[-1].start("name") > inside.start("name")):
            inside = kept[-1]
        category = lookup.get(_heading_name(inside)) if inside else None
        if category not in past_or_planned or _heading_name(match) in allowed:
            kept.append(match)
    return kept


def _heading_name(match: re.Match) -> str:
    """A heading's name as sections.json lists it: lower case, single spaces."""
    return re.sub(r"\s+", " ", match.group("name").lower())


@lru_cache(maxsize=None)
def _category_of() -> dict[str, str]:
    lookup = {}
    for category, headings in section_rules()["headings"].items():
        for name in headings:
            lookup.setdefault(re.sub(r"\s+", " ", name.lower()), category)
    return lookup


TODAY_AFTER_NAME = re.compile(r"[ \t]+" + _qualifier("when") + r"\b", re.IGNORECASE)
HOW_SEEN_AFTER_NAME = re.compile(r"[ \t]+" + _qualifier("seen_by") + r"[ \t]", re.IGNORECASE)
# what may stand before a heading that titles the note: marks and a discipline ("PT Initial Evaluation - telehealth")
TITLE_LEAD = re.compile(r"[\s\-*#>]*(?:(?:pt|ot)[ \t]+)?", re.IGNORECASE)
RESULT_ON_LINE = re.compile(r"\d+\s*/\s*\d+|\d+\.\d+\s*(?:s\b|sec|m/s)|\d+\s*(?:s|sec|seconds)\b", re.IGNORECASE)


def end_of_line(text: str, at: int) -> int:
    """Where the line holding `at` ends."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end


@lru_cache(maxsize=8)  # the section tagger and the service finder both read a note's sections
def find_sections(text: str) -> tuple[tuple[int, int, str, int], ...]:
    """(start, end, category, heading_end) for every section, in text order."""
    found = []
    lookup = _category_of()
    one_line = section_rules()["one_line_headings"]
    alone_over_billing = section_rules()["headings_alone_over_a_billed_line"]
    matches = list(heading_regex().finditer(text))
    inline_heading = inline_heading_regex()
    inline = [match for start in INLINE_HEADING_START.finditer(text)
              if (match := inline_heading.match(text, start.end())) is not None
              and not text[text.rfind("\n", 0, start.start()) + 1:start.start()].strip().isdigit()]  # "1. Exercises:"
    if inline:
        matches = sorted(matches + _inline_where_allowed(matches, inline), key=lambda match: match.start("name"))
    for match in matches:
        name = _heading_name(match)
        sep = match.group("sep")
        over_billing = name in alone_over_billing and _treatment_follows(text, match.end())
        if len(name) <= 2 and sep != ":" and not over_billing:
            continue  # "A" or "P" alone on a line is not a heading; "A:" is, and "Tx" over a billed line.
        if match.groupdict().get("tail") and sep != ":" and not match.group(0).strip().isupper():
            continue  # "ASSESSMENT / SKILLED NEED" heads a section; "Progress/advance as tol" is a plan's line
        if not sep.strip() and len(name) <= 4 and not (match.group(0).lstrip().startswith("#")
                                                       or (len(name) > 2 and match.group("name").isupper())
                                                       or over_billing):
            continue  # "Plan" alone on a line may be a word; "## Plan" and "PLAN" are headings
        if lookup[name] in categories_defaulting_to("historical") and TODAY_AFTER_NAME.match(text, match.end("name")):
            continue  # "Baseline today: 9HPT R 31 s" is today's finding ("PMH (updated today):" stays past)
        if (lookup[name] == "evaluation" and (sep != ":" or HOW_SEEN_AFTER_NAME.match(text, match.end("name")))
                and TITLE_LEAD.fullmatch(text, 0, match.start("name"))
                and not RESULT_ON_LINE.search(text, match.end(), end_of_line(text, match.end()))):
            # "Initial Evaluation - telehealth", "Initial evaluation via telehealth:" opening the note names today's
            # visit, not a past one ("Initial eval - Berg 38/56, TUG 18.4 s" above "Today - ..." reports the past)
            continue
        found.append((match.start("name"), match.end(), lookup[name]))
        if name in one_line:
            # "At eval: KOOS JR 49, TUG 15.2 s" reports one line of the past (the next, if it stands alone on its
            # line); the lines after it are today's
            line_end = text.find("\n", match.end())
            if line_end > 0 and not text[match.end():line_end].strip():
                line_end = text.find("\n", line_end + 1)
            if line_end > 0 and not any(match.end() <= other.start("name") <= line_end for other in matches):
                # (not when a heading of its own follows on that line: "At eval: doming. Today: doming only when rushed")
                found.append((line_end + 1, line_end + 1, "objective"))
    found.sort(key=lambda section: section[0])  # a resumed line after an inline heading found later on the same line
    found = _billed_blocks_after_plans(text, found)
    found = _problems(text, found)
    if is_discharge_summary(text):
        found = _discharge_summary_sections(text, found)
    sections = []
    for index, (start, heading_end, category) in enumerate(found):
        end = found[index + 1][0] if index + 1 < len(found) else len(text)
        if category == "goals":
            # "GOALS\n# | Goal | Baseline | Current | Status\n...\n\nTUG 12.4 s": the goals end with their table
            table = next((t for t in goal_tables(text) if heading_end <= t.start < end), None)
            if table is not None and BLANK_LINE.match(text, table.end) and text[table.end:end].strip():
                end = table.end + 1
        if category in categories_defaulting_to("historical"):
            # "Background: ..." then a blank line and "Session Summary: ...": a heading of any name after a blank
            # line ends what is past, so today's treatment under a heading we do not know is not read as history
            # ("97112 NMR 28 min, 2 units" after a blank line is today's billed block after a summary of the period)
            other = ANY_HEADING.search(text, heading_end, end)
            end = other.start() + 2 if other else end
        sections.append((start, end, category, heading_end))
    return tuple(sections)


CODE_LINE_FOLLOWS = re.compile(r"[ \t]*\r?\n[ \t]*(?:[-*•][ \t]*)?(?:[A-Za-z][A-Za-z .'/-]{0,30}?[ \t(]+)?(?:97\d{3}|G0\d{3})\b")
TIME_OR_COUNT = re.compile(r"\d[ \t]*(?:min(?:ute)?s?\b|['’]|u\b|units?\b)|[x×][ \t]*\d", re.IGNORECASE)


def _treatment_follows(text: str, at: int) -> bool:
    """Whether the line after `at` opens with a service's code, and it or the next line gives time or units.

    "Tx\nNMR 97112 - 25 min: ..." and "Tx\n97164 re-eval completed today.\n97112 x 27 min ..." are today's
    treatment; "Tx\n97112 neuromuscular re-ed\n97110 ther ex" lists a plan of care's codes.
    """
    opened = CODE_LINE_FOLLOWS.match(text, at)
    if opened is None:
        return False
    second_line_end = text.find("\n", text.find("\n", opened.end()) + 1)
    return TIME_OR_COUNT.search(text, opened.end(), len(text) if second_line_end < 0 else second_line_end) is not None
# a discharge summary tells the whole episode ("Tx provided over episode: NMR ..."), then its last visit
DISCHARGE_SUMMARY = re.compile(r"\A[ \t#*]*[^\n]{0,40}\b(?:discharge|d/c[ \t]+summary|dc[ \t]+summary|episode[ \t]+summary)\b"
                               r"|\b(?:discharge|d/c|dc)[ \t]+(?:summary|note|report)\b", re.IGNORECASE)
LAST_VISIT_HEADING = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:(?:last|final)[ \t]+(?:visit|session|tx|treatment)"
                                rf"(?:[ \t]*\(?(?:today|{DATE})\)?)?[ \t]*:|today\b[^\n:]{{0,30}}:)",
                                re.IGNORECASE | re.MULTILINE)


def is_discharge_summary(text: str) -> bool:
    """Whether the note opens as a discharge or episode summary (a cheap word test before the regex)."""
    head = text[:300]
    lower = head.lower()
    return ("discharge" in lower or "d/c" in lower or "dc " in lower or "episode" in lower) and (
        DISCHARGE_SUMMARY.search(head) is not None)


def _discharge_summary_sections(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """In a discharge summary the treatment headings tell the episode (past); "Last visit:" is the visit billed."""
    last_visits = [(m.start(), m.end(), "treatment") for m in LAST_VISIT_HEADING.finditer(text)]
    # a named treatment heading tells the episode; "Tx today:" and a billed code's own line are the last visit
    episode = [(start, end, "history" if category == "treatment" and end > start and "today" not in text[start:end].lower()
                else category)
               for start, end, category in found
               if not any(a <= start < b for a, b, _ in last_visits)]  # "Final tx today:" is the last visit's
    return sorted(episode + last_visits)


# "97112 x 25 min: posterior perturbations ...", "Today 97116 x 15 min: gait ...": a billed code and its minutes
# opening a line, as the visit's treatment written under the plan of care or the goals
CODE_WITH_MINUTES_LINE = re.compile(r"^[ \t]*(?:(?:today|tx)\b[^\n:]{0,12}?[ \t]+"
                                    # "NMR 97112 25 min:", "Ther ex (97110) x 15 min:": a service's name before its code
                                    r"|(?:[-*•][ \t]*)?(?!(?:"
                                    + literal_alternation(section_rules()["plan_words_before_a_code"])
                                    + r")\b)[A-Za-z][A-Za-z .'/-]{0,24}?[ \t(]+)?"
                                    r"(?:97\d{3}|G0\d{3})\b[^\n:]{0,24}?"
                                    r"\b\d{1,3}[ \t]*(?:min(?:ute)?s?\b|['’])[^\n:]{0,16}:"
                                    # "1005-1030 NMR: turning practice ...": a time log's line of today's session
                                    r"|^[ \t]*\d{1,2}:?\d{2}[ \t]*[-–][ \t]*\d{1,2}:?\d{2}[ \t]+[A-Za-z][^\n:]{0,30}:",
                                    re.IGNORECASE | re.MULTILINE)


# a timed service's name and its minutes or units opening a line ("NMR x 38 min (3).", "Neuromuscular
# re-education: 2 units.", "Gait training<TAB>10"), or a services table's header ("Service | Min")
SERVICE_TIME_LINE = re.compile(
    r"^[ \t]*(?:[-*•>]+[ \t]*)?(?:(?:" + literal_alternation(service_names(timed_only=True))
    + r")[ \t]*(?:[:=\-–|\t][ \t]*|[x×][ \t]*)*\d{1,3}[ \t]*(?:min(?:ute)?s?\b|u\b|units?\b|['’]|(?:\(\d\))?[ \t]*\.?[ \t]*$)"
    r"|(?:services?|codes?|cpt)[ \t]*[|\t][ \t]*(?:min(?:ute)?s?|units?)\b)", re.IGNORECASE | re.MULTILINE)


# a timed service's name and its billed units opening a line that totals the visit ("NMR 2u, ther act 1u, total tx
# 45 min"): today's bill, not a plan's units per visit ("NMR 2 units/visit x 12 visits" has no total)
SERVICE_UNITS_LINE = re.compile(
    r"^[ \t]*+(?:[-*•>]+[ \t]*+)?(?:" + literal_alternation(service_names(timed_only=True))
    + r")[ \t]*+(?:[:=\-–][ \t]*+)?[x×]?[ \t]*+\d[ \t]*+(?:u|units?)\b(?![ \t]*+(?:/|per\b|each\b))"
    r"(?=[^\n]*\btotal\b)(?![^\n]*\b(?:visits?|wks?|weeks?|remaining|requested)\b)", re.IGNORECASE | re.MULTILINE)


def _billed_blocks_after_plans(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A plan or goals section ends where a line opens with a billed code and its minutes, or with a timed service's
    units and the visit's total; a goals section also where one opens with a timed service's name and its time:
    today's treatment."""
    found = _treatment_from(text, CODE_WITH_MINUTES_LINE, categories_defaulting_to("hypothetical"), found)
    found = _treatment_from(text, SERVICE_UNITS_LINE, categories_defaulting_to("hypothetical"), found)
    # "LTG: ...\nNMR x 38 min (3).": the goals end at a service's time opening its line
    return _treatment_from(text, SERVICE_TIME_LINE, frozenset({"goals"}), found)


def _treatment_from(text: str, line_pattern: re.Pattern, inside: frozenset[str],
                    found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """`found` with today's treatment opening at each line of `line_pattern` that stands in a section of `inside`."""
    if not any(category in inside for _, _, category in found):
        return found
    for line in line_pattern.finditer(text):
        category = next((category for start, _, category in reversed(found) if start <= line.start()), None)
        if category in inside:
            found = sorted(found + [(line.start(), line.start(), "treatment")])
    return found


# "#2 Impaired balance / fall risk", "Problem 3: gait", "2) B distal LE weakness": a problem of a problem-oriented
# note, heading its own treatment, response and plan
PROBLEM_HEADING = re.compile(r"^[ \t]*+(?:(?:#[ \t]?|problem[ \t]*+#?[ \t]*+)(?P<number>\d{1,2})(?![\d/.,]\d)(?:[ \t]*+[:.)\-–])?"
                             r"|(?P<listed>\d{1,2})\))[ \t]++(?!of\b)(?=[A-Za-z↓↑])", re.IGNORECASE | re.MULTILINE)


def _problems(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Each problem of a problem-oriented note opens today's treatment again, ending the plan of the one before.

    A problem opens a section only after another section with content of its own ("#1 ... P: cont VOR x1.
    #2 Fall risk"), so numbered goals ("Goals: #1 ... #2 ...") and a plan's numbered items stay what they are.
    """
    if "#" not in text and "roblem" not in text and ")" not in text:
        return found
    goals = [(start, end) for start, end, category in _spans(text, found) if category == "goals"]
    numbered = [(m.start(), int(m["number"] or m["listed"])) for m in PROBLEM_HEADING.finditer(text)
                if not any(a <= m.start() < b for a, b in goals)]
    if len(numbered) < 2:
        return found
    opened = []
    for (before, number_before), (problem, number) in zip(numbered, numbered[1:]):
        heading = next(((start, end) for start, end, _ in reversed(found) if before < start < problem), None)
        # the next problem in order: a list numbered again from 1 under "P:" or "PMH:" is that section's
        if heading is not None and text[heading[1]:problem].strip() and number == number_before + 1:
            opened.append((problem, problem, "treatment"))
    first = numbered[0][0]
    if opened and first not in {start for start, _, _ in found}:
        opened.append((first, first, "treatment"))
    return sorted(found + opened) if opened else found


def _spans(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """(start, end, category) of each heading's section, before any section is cut short."""
    return [(start, found[index + 1][0] if index + 1 < len(found) else len(text), category)
            for index, (start, _, category) in enumerate(found)]


BLANK_LINE = re.compile(r"\n[ \t]*\n")
# a heading of any name, or a billed code with its minutes ("97112 NMR 28 min"), after a blank line;
# after a blank line: sub-labels of a history ("PMH:", "Prior therapy:", "Balance:") keep it going
ANY_HEADING = re.compile(r"\n[ \t]*\n[ \t]*(?:[-*•#>]+[ \t]*)?(?:[A-Za-z][A-Za-z0-9 /()&'\-]{2,40}(?::|[ \t][-–])"
                         r"|(?:97\d{3}|G0\d{3})\b[^\n]{0,30}?\b\d{1,3}[ \t]*(?:min|['’]))", re.IGNORECASE)


@Language.factory("notereview_sections", assigns=["doc.spans"], requires=["token.is_sent_start"])
def make_sections(nlp: Language, name: str) -> "SectionTagger":
    return SectionTagger()


class SectionTagger(StatelessComponent):
    """Marks each section of the note with its category."""

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, category, _ in find_sections(doc_text(doc)):
            span = doc.char_span(start, end, label=category, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans["sections"] = spans
        return doc
