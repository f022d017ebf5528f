"""Billed services: codes and service headings, their minutes and billed units, and their text.

Reads `doc.text` with regular expressions (codes, minutes and units are shapes, not words) and
writes `doc.spans["services"]`: one span per service (label = CPT code) covering the text that
documents it, with `span._.minutes`, `span._.units_billed`, their spans, and `span._.not_today` set.
Visit totals ("Total timed minutes: 38") go to `doc.user_data["notereview_totals"]`.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..billing import units_for_minutes
from . import extensions
from .clock import minute_of_day
from .component import StatelessComponent
from .literals import LeadingLiterals
from .rules import literal_alternation, service_codes, service_names, service_rules
from .sections import categories_defaulting_to, end_of_line, find_sections
from .tables import SPACED
from .text import doc_text

for _name in ("minutes", "units_billed", "anchor_end", "not_today", "segment_words", "minutes_span", "units_span",
              "coded", "table_row", "billing_tail", "added_up"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

# codes outside 97xxx that therapy notes bill beside it (services.json `codes`): canalith repositioning, remote
# monitoring and e-visits, unattended stimulation, home health visits, strapping and compression, dry needling, cardiac
# and pulmonary rehabilitation, speech therapy, chiropractic manipulation, pelvic-floor biofeedback
OTHER_CODES = "|".join(sorted(code for code in service_codes() if not re.fullmatch(r"97\d{3}", code)))
# a code as billing lines list it, for what may follow a code's number ("97112 18 29582")
LISTED_CODE = r"(?:97\d{3}|G0\d{3}|" + OTHER_CODES + r")"
CODE_RE = re.compile(r"(?:(?<![\w.])|(?<=[A-Za-z_]\.))(?:CPT[ #:]*)?(?P<code>97\d{3}|" + OTHER_CODES + r")(?:-?(?:GP|GO|GN|GT|59|KX|XS|XU|XE|XP|CQ|CO)|(?-i: (?:GP|GO|GN|GT|KX|XS|XU|XE|XP|CQ|CO)))*(?:-95)?(?:(?![\w])|(?=[x×]\d))", re.IGNORECASE)
# a code as speech recognition or a transcriptionist writes it: "ninety-seven one twelve", "ninety seven one one two",
# "97 112", "9-7-1-1-2" (`_spoken_code`)
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
SPOKEN_CODE_RE = re.compile(
    r"\bninety[\s-]+seven[\s,-]+(?P<hundreds>" + _DIGIT_WORD + r")[\s-]+(?:(?P<tens>ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?P<ones>"
    + _DIGIT_WORD + r"))?|(?P<digit_tens>" + _DIGIT_WORD + r")[\s-]+(?P<digit_ones>" + _DIGIT_WORD + r"))\b(?!-\w)"
    r"|(?<![\w./:-])97[ ](?P<spaced>[15]\d\d)(?![\w./:-])|(?<![\w-])9(?P<sep>[- ])7(?P=sep)(?P<dashed>[15](?P=sep)\d(?P=sep)\d)(?![\w-])",
    re.IGNORECASE)
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90}
# "twenty three minutes", "forty-five min", "two units": dictated notes spell numbers out
SPELLED = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|"
           r"eight|nine)\b)?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|"
           r"three|four|five|six|seven|eight|nine)")


def number_value(written: str) -> int:
    """'23' -> 23, 'twenty three' -> 23, 'forty-five' -> 45."""
    if written.isdigit():
        return int(written)
    words = re.split(r"[\s-]+", written.lower().strip())
    return sum(TENS_WORDS.get(w, NUMBER_WORDS.get(w, 0)) for w in words)


SPOKEN_CODE_HINT = re.compile(r"97 |9-7-|9 7 |ninety", re.IGNORECASE)  # tried before SPOKEN_CODE_RE on every note
TIME_OR_TIMES_AFTER = re.compile(r"[ \t]*(?:for[ \t]+)?(?:\d{1,3}|" + SPELLED + r")[ \t]*(?:minutes?|mins?)\b|[ \t]*(?:x|times)[ \t]*\d",
                                 re.IGNORECASE)
BILLING_WORD_BEFORE = re.compile(r"\b(?:cpt|code|codes|bill(?:ed|ing)?|charge[ds]?|and)\b[^\n\d]{0,12}$", re.IGNORECASE)


def _spoken_code(match: re.Match) -> str | None:
    """The code a SPOKEN_CODE_RE match says, if it is one the rules know: "ninety-seven one twelve" -> "97112"."""
    def digit(word: str) -> int:
        return 0 if word.lower() == "oh" else number_value(word)
    if match["spaced"]:
        code = "97" + match["spaced"]
    elif match["dashed"]:
        code = "97" + re.sub(r"[- ]", "", match["dashed"])
    elif match["tens"]:
        code = f"97{digit(match['hundreds'])}{number_value(match['tens']) + (digit(match['ones']) if match['ones'] else 0):02d}"
    else:
        code = f"97{digit(match['hundreds'])}{digit(match['digit_tens'])}{digit(match['digit_ones'])}"
    return code if code in service_codes() else None


MINUTES_RE = re.compile(
    r"(?:(?<![\w.])|(?<=[xX@]))(?P<value>\d{1,3})\s*(?:-\s*\d{1,3}\s*)?(?:minutes?\b|mins?\b\.?|mns?\b|m\b(?!\s*(?:walk|wt|mwt|with|w/))|['’](?!\w))(?!\s*[x×]\s*\d+(?!\s*u))"
    r"(?!\s*(?:walk|mwt|wt\b(?!\s*shift)|a\b|a\.|assist|assistance|per\s+(?:day|week|wk|session))\b)(?!\s*/\s*(?:day|d\b|wk|week))",
    re.IGNORECASE,
)
SPELLED_MINUTES_RE = re.compile(r"\b(?P<value>" + SPELLED + r")\s+(?:minutes?|mins?\b)(?!\s*[x×]\s*\d+(?!\s*u))", re.IGNORECASE)
SPELLED_MINUTES_AFTER = re.compile(r"[ \t]+" + SPELLED + r"\s+(?:minutes?|mins?)\b", re.IGNORECASE)  # "neuro re-ed ten minutes"
SPELLED_HINT = re.compile(r"(?:ty|ve|en|ne|wo|ree|ix|ght|ur)\s+min", re.IGNORECASE)
def words_pattern(words: list[str]) -> str:
    """An alternation of the words (a space in one matches any run of spaces or tabs), longest first."""
    return "|".join(re.escape(word).replace(r"\ ", r"[ \t]+") for word in sorted(words, key=len, reverse=True))


# time written in hours: "0.5 hr", ".25 hrs", "0.3 h", "1/2 hour", "1 hr 10 min", "half an hour", "a quarter hour",
# "three quarters of an hour" (a bare "h" only after a decimal: "2 h post-op" is no duration)
HOURS_RE = re.compile(
    # "1 1/2 hrs", "0.5 hr", ".25 hrs", "0.3 h", "1/2 hour"; a whole hour only with its minutes ("1 hr 10 min",
    # "1hr15min"): "Gait 1 hr post Sinemet", "2 hrs on/2 hrs off", "TE 2 hrs daily at home" time no service
    r"(?:(?<![\w./])(?P<mixed>[12])[ \t]+(?P<mixed_fraction>[1-3]/[2-4])[ \t]*(?:hours?|hrs?)\.?"
    r"|(?<![\w./])(?P<decimal>\d?\.\d{1,2}|[12]\.\d{1,2})[ \t]*(?:hours?|hrs?|h)\.?"
    r"|(?<![\w./])(?<!\d[ \t])(?P<fraction>[1-3]/[2-4])[ \t]*(?:hours?|hrs?)\.?"
    r"|(?<![\w./])(?P<whole>[12])[ \t]*(?:hours?|hrs?|h)\.?(?=[ \t]*\d{1,2}[ \t]*(?:minutes?|mins?)\b)"
    # or alone in a bill's brackets: "97545 x1 (2 hr)", "(first 2 hrs)", "97545 x1, 2 hr;"
    r"|(?:(?<=\()|(?<=,[ \t]))(?:first[ \t]+)?(?P<whole_alone>[12])[ \t]*(?:hours?|hrs?)\.?(?=[ \t]*[);,])"
    r"|\b(?P<words>(?:one[ \t]+and[ \t]+a[ \t]+)?half(?:[ \t]+an|[ \t]*-)?[ \t]*hour"
    r"|(?:an?[ \t]+|one[ \t]+)?quarter(?:[ \t]+of[ \t]+an|[ \t]*-)?[ \t]*hour"
    r"|three[ \t]*-?[ \t]*quarters?[ \t]+of[ \t]+an[ \t]+hour))(?![A-Za-z/])"
    r"(?:[ \t]*(?P<and_minutes>\d{1,2})[ \t]*(?:minutes?|mins?)\b)?",
    re.IGNORECASE)
# the same, unnamed, for what may follow a service's name ("MT .25 hr:", "Gait 0.25 h -", "Manual, a quarter hour:")
HOURS_WRITTEN = "(?:" + re.sub(r"\(\?P<\w+>", "(?:", HOURS_RE.pattern) + ")"
HOURS_HINT = re.compile(r"\d[ \t]*h(?:rs?|ours?)?(?![A-Za-z])|half|quarter", re.IGNORECASE)
# "q 2 hrs", "every 1/2 hour", "after 1/2 hour", "> 1.5 hrs": how often or how long ago, no service's time; and
# "0.5 hr post dose", "1.5 hrs daily": a time around the session
# (services.json `hours_not_a_service_before` / `_after`)
HOURS_NOT_A_SERVICE_BEFORE = re.compile(r"(?:\b(?:" + words_pattern(service_rules()["hours_not_a_service_before"])
                                        + r")|[<>≤≥])[ \t]*$", re.IGNORECASE)
HOURS_NOT_A_SERVICE_AFTER = re.compile(r"[ \t]*(?:(?:" + words_pattern(service_rules()["hours_not_a_service_after"])
                                       + r")\b|/[ \t]*(?:day|d\b|wk|week))", re.IGNORECASE)
# what may follow a service's name as its time, in DURATION_FOLLOWS and STRICT_FOLLOW: a number said alone in a
# dictated bill ("gait ten.", "NMR twenty-five, gait ten.") and hours ("Gait 0.25 h -", "MT .25 hr:")
NUMBER_SAID_AFTER_NAME = r"[ \t]+" + SPELLED + r"(?=[ \t]*(?:minutes?|mins?)?[ \t]*(?:[,.;]|and\b|\n|$))"
HOURS_AFTER_NAME = HOURS_WRITTEN + "(?!" + HOURS_NOT_A_SERVICE_AFTER.pattern + ")"


def _hours(match: re.Match) -> int:
    """The minutes of a time written in hours."""
    if match.group("mixed"):
        top, _, bottom = match.group("mixed_fraction").partition("/")
        minutes = int(match.group("mixed")) * 60 + round(int(top) * 60 / int(bottom))
    elif match.group("decimal"):
        minutes = round(float(match.group("decimal")) * 60)
    elif match.group("fraction"):
        top, _, bottom = match.group("fraction").partition("/")
        minutes = round(int(top) * 60 / int(bottom))
    elif match.group("whole") or match.group("whole_alone"):
        minutes = int(match.group("whole") or match.group("whole_alone")) * 60
    else:
        words = match.group("words").lower()
        minutes = 45 if words.startswith("three") else 15 if "quarter" in words else 90 if words.startswith("one") else 30
    return minutes + int(match.group("and_minutes") or 0)


def _hours_of_a_service(text: str, match: re.Match) -> bool:
    """Whether a time written in hours can be a service's time: not how often, how long ago, or around the session."""
    return not (HOURS_NOT_A_SERVICE_BEFORE.search(text, max(0, match.start() - 16), match.start())
                or HOURS_NOT_A_SERVICE_AFTER.match(text, match.end()))


# "0905-0930", "8:05-8:30", and as European notes write the clock, "09.10-09.35" (two digits each side, no unit after:
# not "2.25-2.50 kg")
TIME_RANGE_RE = re.compile(
    r"(?<!\d)(?<!\d[:.])(?P<a>\d{1,2}:\d{2}|\d{4}|\d{2}\.\d{2}(?=\s*(?:-|–|—|to)\s*\d{2}\.\d{2}))\s*(?:[ap]\.?(?:m\.?)?(?![a-z]))?"
    r"\s*(?:-|–|—|to|until|till|stop)\s*(?P<b>\d{1,2}:\d{2}|\d{4}|(?<=[-–— o])\d{2}\.\d{2}(?!\s*(?:kg|lbs?|mph|km|cm|mm|%|m\b|s\b|sec|hz|°|deg)))(?!\d|[:.]\d)",
    re.IGNORECASE,
)
# a count of units written as a word: "two units"
UNIT_COUNT_WORDS = "one|two|three|four|five|six|seven|eight"
UNITS_RE = re.compile(
    r"(?:(?<![\w.])(?P<a>\d{1,2})\s*(?:units?|u|unts?)\b|\b(?P<e>" + UNIT_COUNT_WORDS + r")\s+units?\b|\bunits?\s*(?:billed)?\s*[:=x]?\s*(?P<b>\d{1,2})\b|\bx\s*(?P<c>\d)\s*u(?:nits?)?\b|(?<=\s)\((?P<d>\d)\)\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
TOTAL_TIMED_RE = re.compile(
    r"\b(?:total\s+)?timed\s*(?:code\s*)?(?:treatment\s*)?(?:(?:minutes|mins?|time)\s*[:=\-]?\s*(?P<value>\d{1,3})|[:=\-]?\s*(?P<after>\d{1,3})\s*(?:minutes|mins?)\b)"
    r"|\bTTM\s*[:=\-]?\s*(?P<ttm>\d{1,3})\b"  # TTM: total timed minutes (TTT, total treatment time, is the visit)
    # "Timed: 38 | Units: 3", "Timed 18 (TE), billed 97110 x1": a bare number, read only where the words
    # open their line or cell (`_stated_timed_minutes`)
    r"|\b(?:total\s+)?timed\s*[:=]?\s*(?P<bare>\d{1,3})(?![\d.])(?=[ \t]*(?:$|[|;,(\n]))",  # not "Timed 25-Foot Walk"
    re.IGNORECASE,
)
# "(34 min timed)", "(38 timed minutes)"
MINUTES_TIMED_RE = re.compile(r"\(\s*(\d{1,3})\s*(?:(?:minutes|mins?)\s+timed|timed\s+(?:minutes|mins?))\s*\)",
                              re.IGNORECASE)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# "Treatment (30 min)", "seen for 1015-1045", "| Time | 1400-1430 |": how long the visit lasted
VISIT_TIME_RE = re.compile(r"\b(?:treatment|tx|session|visit|time|seen(?: [\w ]{0,20}?)?)\s*(?:time|length|duration)?\s*"
                           r"(?:[(:|=]|for|in/out|x)\s*(?=\d)", re.IGNORECASE)
# "Time: 23 min" or "Minutes: 23" on a later line of a service's block; never a visit's total
LABELLED_MINUTES_RE = re.compile(r"(?<!total )(?<!treatment )(?<!visit )(?<!session )(?<!tx )(?<!total timed )"
                                 r"(?:time|minutes|mins|duration)\s*[:=\-]\s*(?:(?P<bare>\d{1,3})\s*$)?",
                                 re.IGNORECASE | re.MULTILINE)
# "Ther ex: bike x 8 min, bridges 2 x 10; total 20 min": the service's own total on its own line
OWN_TOTAL_RE = re.compile(r"[;,.]\s*total\s*[:=]?\s*(\d{1,3})\s*(?:minutes?|mins?\b|min\b|['’])", re.IGNORECASE)
# "ther ex 12m stationary bike ... total 30 min": minutes written right after the name are its own, the total the visit's
MINUTES_RIGHT_AFTER_NAME = re.compile(r"\s*(?:x\s*)?\d{1,3}\s*(?:minutes?\b|mins?\b\.?|min\b|m\b|['’])", re.IGNORECASE)
# "Total timed 36 min -> 97112 x 2u": a total written before a code is the visit's
# "Total timed: 38 min", "Total .9 hr (54 min)": a visit's total
TOTAL_BEFORE = re.compile(r"\btotals?\b[\w\s]{0,20}[:=]?\s*(?:" + HOURS_WRITTEN + r"\.?\s*)?\(?\s*$", re.IGNORECASE)
# a duration written before a name is its own only when nothing but a linking word stands between
# ("0930-0955 NMR", "25 minutes on neuromuscular re-ed"; not "15 min including transfer training")
ATTACHED_BEFORE_NAME = re.compile(r"[\s\-–:,()\]\[]*(?:(?:we|i|pt|he|she|they)\s+(?:worked|focused|spent)\s+)?"
                                  r"(?:(?:on|of|for|in|doing|performing|went\s+to|(?:was|were)(?:\s+spent\s+on)?)\s+)?(?:the\s+)?",
                                  re.IGNORECASE)
LINKED_TO_NEXT_NAME = re.compile(r"\s+(?:for|on|of|in|doing|performing)\s+(?:the\s+)?", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[.;:|\t(]|\s-\s")
LIST_JOINERS = re.compile(r"\b(?:and|or|plus)\b|[&,/•]", re.IGNORECASE)
# "Billed neuro re-ed and self care mgmt": words that open a bill, not a sentence the names stand in
BILL_LEAD = re.compile(r"\b(?:" + words_pattern(service_rules()["bill_words_before_names"]) + r")\b", re.IGNORECASE)
# what follows a name that heads its own service: a colon, a dash, a bracket, a number or a code
HEADING_FOLLOW = re.compile(r"\s*(?:[:=\-–(\[|\t]|x\s*\d|\d|97\d{3})", re.IGNORECASE)
# "Ther Ex: 0 min", "Gait: N/A", "| 97110 | 0 |", "97116 Gait ........ 0 min": a service named and not given
NOT_GIVEN_AFTER = re.compile(r"(?:[ \t]+[A-Za-z][A-Za-z .&/-]{0,30}?[ \t]*(?=\.{3,}|…))?\s*(?:\)\s*)?(?:[:=\-–—|(]\s*|(?:\.{2,}|…+)\s*)?(?:x\s*)?(?:0+\s*(?!/\s*\d)(?:minutes?|mins?\b|min\b|['’]|[|/,;]|$)|n/?a\b|not (?:yet )?(?:performed|done|given|provided|today|indicated|attempted|appropriate|reali[sz]ed|carried out|(?:needed|required|necessary)(?=[ \t]*(?:[.;,)]|$)))\b|(?:—|--?|–)\s*(?:[|\t]|$)|[^\d\n_]{0,40}_{2,}(?![^\n]*\d)|(?:\[[ \t]{1,3}\]|☐|□))"
                             # "97530 Ther act ___ min ___ units": a template's blank, not filled in today
                             # "NMR (97112) deferred - not billed", "97112 (standing balance ...) HELD today",
                             # "Neuro re-ed (rhythmic stabilization) not appropriate yet"
                             r"|\s*(?:\)\s*)?(?:\([^()\n]{0,80}\)\s*)?(?:[;,]\s*)?(?:[-–:]\s*)?(?:not\s+billed\s*)?(?:\(\s*)?(?:held|deferred|declined|cancell?ed|voided"
                             r"|not\s+(?:yet\s+)?(?:performed|done|given|provided|indicated|attempted|appropriate|reali[sz]ed|carried\s+out))\b"
                             # "deferred to visit 2", "held until cleared", "deferred for now"
                             r"(?=\s*(?:[-–—.,;:)(]|$|today|this|yet\b|d/t|due|2/2|secondary|per\b|bc\b|because|as\b|by\b|pending"
                             r"|to\s+(?:next|visit|the\s+next|later|a\s+later|future)|until\b|till\b|for\s+now))",
                             re.IGNORECASE)
# "Neuromuscular Re-education Performed: No", "Gait Training Minutes: --": a form's field for the service, left empty
FORM_FIELD_NOT_GIVEN = re.compile(r"[ \t]*(?:(?:performed|completed|provided|given|done|minutes|mins|time)[ \t]*)?[:=][ \t]*"
                                  r"(?:(?:no|none|n/?a|0+)(?=[ \t]*(?:[.;,|\n(]|[-–—][ \t]|$))|(?:--?|—|–)(?=[ \t]*(?:[|;.,(\n]|$)))",
                                  re.IGNORECASE)


# "(PM held - pt at dialysis)": words of services.json `sitting_not_given`
SITTING_NOT_GIVEN = re.compile(r"[^\n]*?\b(?:" + words_pattern(service_rules()["sitting_not_given"]) + r")\b", re.IGNORECASE)
# "held NMR 97112 and gait today", "pt declined manual today": a service named as not given (services.json
# `not_given_before`)
NOT_GIVEN_BEFORE = re.compile(r"\b(?:" + words_pattern(service_rules()["not_given_before"]) + r")"
                              r"(?:\s+(?:the|all|both|any|today'?s?|pt'?s?))?[ \t]+$", re.IGNORECASE)
# "Neuro Re-Ed Minutes: AM 25 / PM 25": a form's minutes field given by sitting
KEYED_SECOND_SITTING = re.compile(r"[ \t]*(?:min(?:ute)?s?)?[ \t]*[/,;+&][ \t]*(?:and[ \t]+)?pm[ \t]*(\d{1,3})\b", re.IGNORECASE)
# "NMR AM 17 / PM 15", "97112 am 20 pm 15", "gait AM 8;": a code's minutes given by sitting right after its name
SITTING_MINUTES = r"[ \t]*[:\-]?[ \t]*(?P<{0}>\d{{1,3}})(?![\d:.])[ \t]*(?:min(?:ute)?s?\b|['’])?"
SITTINGS_AFTER = re.compile(r"[ \t]*[:\-–]?[ \t]*(?:am|morning)" + SITTING_MINUTES.format("am")
                            + r"(?:[ \t]*[/,;+&]?[ \t]*(?:and[ \t]+)?(?:pm|afternoon)" + SITTING_MINUTES.format("pm") + r")?"
                            + r"(?=[ \t]*(?:[/,;.)|\n]|$|(?:97\d{3}|[A-Za-z]{2,})\b))", re.IGNORECASE)
LINE_SUM_AFTER = re.compile(r"(?<=\d)\s=\s*\d{1,3}\s*(?:minutes|mins?\b|min\b|['’]|u\b|units?\b)", re.IGNORECASE)
# "Time: NMR 28 / TE 12 = 40 min, 3 units": a label opening a billing line after the plan
BILLING_LABEL = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:time|times|minutes|mins|units|billing|billed|charges|tx time)[ \t]*[:=\-]",
                           re.IGNORECASE)
NOT_BILLED_AFTER = re.compile(r"\s*[:\-–]?\s*(?:was\s+)?not\s+billed\b", re.IGNORECASE)
# "Manual therapy to the PFJ was planned but deferred", "standing balance and gait training; however, both
# were deferred today": the sentence goes on to say the service named was not given
# (services.json `not_given_later_words`)
_NOT_GIVEN_VERB = r"(?:" + words_pattern(service_rules()["not_given_later_words"]) + r")\b"
SAID_NOT_GIVEN_LATER = re.compile(r"[^.;\n]{0,60}?\b(?:was|were)\s+(?:planned|scheduled|intended)\s+(?:for\s+today\s+|today\s+)?but\s+"
                                  r"(?:was\s+|were\s+)?" + _NOT_GIVEN_VERB
                                  + r"|[^.;\n]{0,20}[;,]\s*however,?\s+(?:both|all|it|this|these|they)\s+(?:was|were)\s+"
                                  + _NOT_GIVEN_VERB, re.IGNORECASE)
UNCHECKED_BOX_RE = re.compile(r"(?:\[[ \t]{1,3}\]|\([ \t]{1,3}\)|☐|□)\s*$")
# "[ ] Gait 97116", "☐ Ther ex (97110)": a line opening on an empty box, then the service's name
UNCHECKED_LINE_RE = re.compile(r"[ \t\-*•]*(?:\[[ \t]{1,3}\]|\([ \t]{1,3}\)|☐|□)[^\d\n\[☐□☑☒✓✔]{0,30}$")

# a template's blank left unfilled: "***", "{minutes}" (a form's underlined blank is read as filled or not elsewhere)
_PLACEHOLDER = r"\*{3,}|\{[A-Za-z][A-Za-z _.\-]{0,30}\}"
PLACEHOLDER = re.compile(_PLACEHOLDER)
# ... standing for the value itself: the blank ends its line or cell ("NMR: *** min", not "NMR: ***, PTA, 25 min")
PLACEHOLDER_VALUE = re.compile(rf"[ \t]*\)?[ \t]*(?:[:=\-–|(][ \t]*)?(?:{_PLACEHOLDER})"
                               r"(?=[ \t]*(?:(?:min(?:ute)?s?\b|units?\b|['’])[ \t]*)?(?:\*{3,}|[|\t\n]|$))", re.IGNORECASE)
NOTHING_WRITTEN = re.compile(r"(?:[\s:;,.\-–|()]|\bmin(?:ute)?s?\b|\bunits?\b)*", re.IGNORECASE)
# "NEURO RE-ED MINUTES: 28", "Ther ex time = 12": a keyed value right after the service name
# "[x] 97112 NMR ___25___ min": a template's blank filled in
FILLED_BLANK_MINUTES = re.compile(r"[^\d\n_]{0,30}?_+\s*(\d{1,3})\s*_+\s*(?:minutes?|mins?)\b", re.IGNORECASE)
# "97112  __2__ units  __30__ min", "97110 __15__ min __1__ unit": a paper form's blanks filled in
FILLED_BLANK_UNITS_AND_MINUTES = re.compile(
    r"[ \t]*+(?<!_)_++[ \t]*+(?:(?:(?P<units>\d{1,2})[ \t]*+_++)?[ \t]*+units?\b[ \t]*+_++[ \t]*+(?P<minutes>\d{1,3})[ \t]*+_++"
    r"[ \t]*+(?:minutes?|mins?)\b"
    r"|(?P<minutes_first>\d{1,3})[ \t]*+_++[ \t]*+(?:minutes?|mins?)\b[ \t]*+_++[ \t]*+(?P<units_after>\d{1,2})[ \t]*+_++[ \t]*+units?\b)",
    re.IGNORECASE)
KEYED_MINUTES_RE = re.compile(r"\s*(?:minutes|mins?|time|duration)\s*[:=\-]\s*(?:[ap]m[ \t]*)?(\d{1,3})\b(?!\s*(?:units?|u\b|x|[:\-–]\s*\d))",
                              re.IGNORECASE)
# "cpt_code=97112 | units=2 | minutes=24", '<Service code="97112" min="25" units="2"/>', "{units: 2, minutes: 28}",
# "CPT 97112  Qty 2  Min 24": an export's or a claim line's fields, each value after its key (without ':' or '='
# only when the line holds two such fields, so "97112 25 min 3x30s" is no field)
KEYED_FIELD = re.compile(r"""(?<!\w)["']?(?P<key>minutes|mins?|time|duration|units?|qty|quantity)["']?[ \t]*"""
                         r"""(?P<sep>[:=][ \t]*|(?=\d))["']?(?P<value>\d{1,3})(?![\d:./]|[ \t]*(?:x\b|[x×]\d|min(?:ute)?s?\b(?![ \t]*[:=]?[ \t]*["']?\d)|units?\b(?![ \t]*[:=]?[ \t]*["']?\d)"""
                         r"""|u\b|sec|s\b|reps?\b|sets?\b|%|lbs?\b|#))""", re.IGNORECASE)
MINUTES_KEYS = ("minutes", "min", "mins", "time", "duration")
# what may stand between a code and its first field, or between two fields: separators, quotes, tags and at
# most four label words ("CPT 97112 GP  Qty 2", "(97112) Minutes: 24", '" min="24"'), never a number
FIELD_GAP = re.compile(r"""[\s"'<>{}\[\](),;|=:./\-]*+(?:[A-Za-z][\w-]{0,20}+[\s"'<>{}\[\](),;|=:./\-]*+){0,4}""")
NUMBER_BEFORE_KEY = re.compile(r"""(\d)["']?[ \t]*['’]?[ \t]*["']?$""")
# "97112 15 min x1", "NMR 23' x2": a service's minutes then its count of units (after a bout's length,
# "walk 2 min x 3", MINUTES_RE reads no minutes, so this is read only right after a service's name)
MINUTES_THEN_COUNT = re.compile(r"\s*[-:–.]*\s*(?P<minutes>\d{1,3})\s*(?:minutes?|mins?\.?|min|(?P<foot_or_metre>m|['’]))\s*[x×]\s*"
                                r"(?P<units>\d)\b(?!\s*(?:sets?|reps?|rounds?|trials?|bouts?|laps?|[x×]|\d))",
                                re.IGNORECASE)
# "Billing 97112 34 (2) | 97110 10 (1)", "97112 40 (3u)": a code's minutes, then its units in brackets
CODE_MINUTES_THEN_BRACKETED_UNITS = re.compile(r"[ \t]*[:=\-–]?[ \t]*(?P<minutes>\d{1,3})[ \t]*(?:min(?:ute)?s?|['’])?[ \t]*"
                                               r"\([ \t]*(?P<units>\d{1,2})[ \t]*(?:u|units?)?[ \t]*\)", re.IGNORECASE)
# "NMR 97112 ......... 35         2" under a "MINUTES    UNITS" header: a printed flowsheet's columns
DOT_LEADER_NUMBERS = re.compile(r"[ \t]*\)?[ \t]*(?:\([^()\n]{0,20}\))?[ \t]*(?:[A-Za-z][^.\n\d]{0,40}?)?[ \t]*\.{3,}[ \t]*(?P<first>\d{1,3})"
                                r"(?:[ \t]+(?P<second>\d{1,3}))?[ \t]*$", re.MULTILINE)
MINUTES_WORD = re.compile(r"\b(?:min(?:ute)?s?|time)\b", re.IGNORECASE)
COLUMN_HEADER_ABOVE = re.compile(rf"^[^\n]*{MINUTES_WORD.pattern}[^\n]*\bunits?\b[^\n]*$"
                                 rf"|^[^\n]*\bunits?\b[^\n]*{MINUTES_WORD.pattern}[^\n]*$", re.IGNORECASE | re.MULTILINE)
# "NMR: AM 22 + PM 0 = 22": a service's minutes added up on its line
ADDED_MINUTES = re.compile(r"[^\n=]{0,30}?\d\s*(?:min|')?\s*(?:[ap]m\s*)?\+\s*[^\n=]{0,20}?\d\s*(?:min|')?\s*(?:[ap]m\s*)?=\s*(\d{1,3})\s*"
                           r"(?=min|'|’|$|[,;)])", re.IGNORECASE | re.MULTILINE)
# rest counted inside a service's minutes, right after them: "25 minutes total, including 10 minutes of seated
# rest", "30 min, less 10 min rest = 20 min treatment" (not "with 1 min rest between sets": a dose)
_MINUTE_MARK = r"(?:min(?:ute)?s?\b|['’])"
_MINUTE_MARK_STOP = r"(?:min(?:ute)?s?\b\.?|['’])"  # "25 min." too
_REST = r"(?:rest|rest[ \t]+breaks?|breaks?)\b"
REST_INSIDE_AFTER = re.compile(rf"[ \t]*{_MINUTE_MARK_STOP}?[ \t]*(?:total[ \t]*)?[,(]?[ \t]*"
                               r"(?:(?:including|incl\.?|includes|inclusive[ \t]+of|of[ \t]+which)[ \t]+(?:~|about[ \t]+|approx\.?[ \t]*)?"
                               rf"|(?:less|minus)[ \t]+)(?P<rest>\d{{1,2}})[ \t]*{_MINUTE_MARK}[ \t]+(?:of[ \t]+)?"
                               rf"(?:(?:seated|standing|supine|sitting|pt|patient)[ \t]+)?{_REST}"
                               r"(?![ \t]+(?:after|between|per|each|btw)\b)"  # "2 min rest after each set": a dose
                               rf"(?:[ \t]*=[ \t]*(?P<left>\d{{1,3}})[ \t]*{_MINUTE_MARK})?"
                               # "30 min (10 min of this was seated rest)"
                               rf"|[ \t]*{_MINUTE_MARK_STOP}?[ \t]*[,(][ \t]*(?P<rest_of>\d{{1,2}})[ \t]*{_MINUTE_MARK}[ \t]+of[ \t]+"
                               r"(?:this|which|that|it|these)[ \t]+(?:was|were)[ \t]+(?:spent[ \t]+(?:in|on)[ \t]+)?"
                               rf"(?:(?:seated|standing|supine|sitting)[ \t]+)?{_REST}", re.IGNORECASE)
# a second part of a service's minutes: "50 min + PM 40 min", "15' + 10'"; its unit must be said
MINUTES_PART_AFTER = re.compile(r"[ \t]*(?:min(?:ute)?s?\b|['’])?[ \t]*(?:\((?:am|pm)\)|am|pm)?[ \t]*"
                                r"(?:\+[ \t]*(?:am|pm)?|(?P<comma>[,;])[ \t]*(?:am|pm))[ \t]*"
                                r"(?P<minutes>\d{1,3})[ \t]*(?:min(?:ute)?s?\b|['’])"
                                r"(?=[ \t]*(?:\(?(?:am|pm)\)?)?[ \t]*(?:$|[,;:.)/|=\n]|[–—-][ \t]))",  # not "+ 10 min MHP"
                                re.IGNORECASE | re.MULTILINE)
DASH_AFTER = re.compile(r"[ \t]*(?:\(?(?:am|pm)\)?)?[ \t]*[–—-][ \t]", re.IGNORECASE)
AM_OR_PM_BEFORE = re.compile(r"\b(?:am|pm)[ \t]*$", re.IGNORECASE)
# a plan of care's frequency and duration ("2x/wk x 6 wks", "1x/week", "twice weekly"), and a word of billing
PLAN_FREQUENCY = re.compile(r"\b\d\s*x\s*/\s*w(?:k|eek)\b|\b(?:once|twice|\d\s*x|\d\s*times)\s*(?:a|per|/)\s*w(?:k|eek)\b"
                            r"|\b(?:once|twice)\s+weekly\b|\bx\s*\d{1,2}\s*w(?:ee)?ks\b", re.IGNORECASE)
# "Will coordinate with PT (scapular NMR 2x/wk)": a service's name and how often it is to be given, not today's
# (a list of codes then a frequency, "Tx this period: 97112, 97116, 97110, 5x/wk", reports what was given)
FREQUENCY_RIGHT_AFTER = re.compile(r"[ \t]*(?:[-:(][ \t]*)?(?:" + PLAN_FREQUENCY.pattern + ")", re.IGNORECASE)
# "POC 2x/wk x 6 wks: ther ex, NMR (BAPS, SLS progressions)": the plan of care's services, none given today
# "PT/OT eval and treat. PT 5x/wk x 4 wks: ther ex, gait training, ...": an order's frequency and services
PLAN_OF_CARE_LINE = re.compile(r"[ \t]*(?:[-*•][ \t]*)?(?:poc|plan of care|plan|frequency|freq|orders?|referral|rx"
                               r"|(?:pt|ot)(?:[ \t]*/[ \t]*(?:pt|ot))?)\b[^\n]{0,40}?(?:"
                               + PLAN_FREQUENCY.pattern + ")", re.IGNORECASE)
# "Charges (prior visit, copied): 97110 x2": a line labelled as an earlier visit's billing
EARLIER_VISIT_LABEL = re.compile(r"[ \t]*(?:[-*•][ \t]*)?(?:charges?|billing|billed|codes?|cpt)\b[^:\n]{0,20}\b"
                                 r"(?:(?:prior|previous|earlier)\s+(?:visit|session|tx|treatment|note|date)|copied)\b[^:\n]{0,20}:",
                                 re.IGNORECASE)
# services.json `requested_before`: "Requested codes per visit: 97112 x 2 units", "CPT requested: 97110 x 2u"
REQUESTED_BEFORE = re.compile(r"\b(?:" + words_pattern(service_rules()["requested_before"]) + r")\b"
                              r"(?![ \t]+(?:to|that|(?:for[ \t]+)?(?:re-?consideration|re-?determination|re-?opening|review|appeal))\b)",
                              re.IGNORECASE)
# services.json `requested_by`: "per physician request", "pt requested NMR first", "patient's request"
REQUESTED_BY_SOMEONE = re.compile(r"(?:'s|\b(?:" + words_pattern(service_rules()["requested_by"]) + r"))[ \t]+(?:[\w.]+[ \t]+)?$",
                                  re.IGNORECASE)
BILLED_WORD = re.compile(r"\b(?:bill\w*|charg\w*|units?|today|time\s*:|minutes\s*:)|\d\s*u\b", re.IGNORECASE)
# "Billed 97112 x 2. Ther ex not billed": the end of a clause, but not a run of dot leaders ("97112 ..... 28 min")
CLAUSE_END = re.compile(r"; |(?<!\.)\. (?!\.)")
# "97530: ...", "97110 (TE): ...", "97112 NMR - ...": a code with its name at most, then the colon or dash of a heading
CODE_HEADING_ITS_BLOCK = re.compile(r"[ \t]*+(?:\([A-Za-z][^()\n]{0,30}\)|[A-Za-z][A-Za-z .&/-]{0,30}?)?[ \t]*+(?::|[-–—](?=[ \t]))"
                                    r"[ \t]*+(?=[A-Za-z])")
CODE_OPENS_LINE = re.compile(r"(?:^|\n)[ \t]*+(?:[-*•>][ \t]*+)?$")
BARE_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?![\d.])")
# a word naming what was done between a code and a duration ("97110: SciFit x8 min"), not "x", "approx" or "for"
ACTIVITY_WORD = re.compile(r"\b(?!(?:x|approx|about|for|min|of)\b)[A-Za-z]{2,}")
# "97110 Ther ex ........ 2 units ...... min: 10": a row's minutes keyed after its units
KEYED_MINUTES_AFTER_UNITS = re.compile(r"\d[ \t]*units?\b(?:(?!total|session|visit|tx\b|treatment)[^\n\d]){0,30}?"
                                       r"\bmin(?:ute)?s?[ \t]*[:=][ \t]*(\d{1,3})\b", re.IGNORECASE)
# "97530 x1 (15), 97112 x1 (12)": a count of units, then the minutes in brackets, perhaps with their
# kind as a skilled nursing facility records them ("97110 x1 (conc 15)")
MINUTE_KINDS = "|".join(map(re.escape, service_rules()["minute_kinds"]))
COUNT_THEN_BRACKETED_MINUTES = re.compile(rf"\s*[x×]\s*(?P<units>\d)\s*\((?:(?:{MINUTE_KINDS})\.?\s*)?"
                                          r"(?P<minutes>\d{1,3})\s*(?:min(?:ute)?s?|['’])?\s*\)", re.IGNORECASE)
# "97112 x 25 min x2", "NMR 23 min x 2": right after the service, its minutes then a count that the minutes can bill
# (not "Gait: 100' x2", a distance walked twice; elsewhere "bike 5 min x2" is two bouts, so MINUTES_RE leaves minutes before "x2" alone)
MINUTES_THEN_TIMES = re.compile(r"[ \t]*+[:\-–]?[ \t]*+(?:[x×][ \t]*+)?(?P<minutes>\d{1,2})[ \t]*+(?:min(?:ute)?s?\b\.?)[ \t]*+"
                                r"(?P<times>[x×])[ \t]*+(?P<units>\d)\b(?![ \t]*(?:sets?|reps?|bouts?|rounds?|trials?|laps?|times|[x×/]|\d))",
                                re.IGNORECASE)
# "97110 (Conc 15): NuStep ...": a code's minutes in brackets with their kind and no count of units
CODE_KIND_MINUTES = re.compile(rf"\s*\((?:{MINUTE_KINDS})\.?\s*(?P<minutes>\d{{1,3}})\s*(?:min(?:ute)?s?|['’])?\s*\)",
                               re.IGNORECASE)
# "97112 (2), 97110 (1)": a count in brackets right after a code, before the next item
CODE_COUNT_IN_BRACKETS = re.compile(r"\s*\((\d{1,2})\)(?=[ \t]*\.?[ \t]*\n|\s*(?:[,;|/+]|\.(?:\s|$)|$|(?:CPT\s*)?" + LISTED_CODE + r"\b|total\b"
                                    r"|[-–—]\s*\d{1,3}\s*(?:minutes|mins?|['’])))", re.IGNORECASE)
CODE_MINUTES_IN_BRACKETS = re.compile(r"\s*\((\d{1,3})\)\s*(?=\d{1,2}\s*u(?:nits?)?\b|[x×]\s*\d\s*u\b)", re.IGNORECASE)
# "97110 x 15: putty ...", "97530 (30): ladder ...": a code's count heading its content, minutes when too large for units
CODE_HEADING_MINUTES = re.compile(r"[ \t]*(?:[x×][ \t]*|\()(?P<minutes>\d{1,3})\)?[ \t]*(?=[:\-–](?:[ \t]|$))", re.MULTILINE)
# "NMR 97112 (30) - bridges 3x10": a number in brackets too large to be units, before the service's content
CODE_BRACKETED_MINUTES_BEFORE_CONTENT = re.compile(r"\s*\((\d{1,3})\)\s*(?=[-–:](?:\s|$))")
CODE_BARE_MINUTES = re.compile(r"[ \t]*(?:\([A-Za-z][^()\n]{0,30}\)[ \t]*)?(?:[:=]|[-–—](?=[ \t]*\d))?[ \t]*(\d{1,3})[ \t]*(?=[/|,;)]|\+[ \t]*$|=[ \t]*\d|\((?!\d)|\(\d{1,3}[ \t]*min|\(\d{1,2}[ \t]*(?:u|units?)\)[ \t]*$|[—–][ \t]|-[ \t]+(?:97\d{3}|G0\d{3})\b|\.(?:\s|$)|$|" + LISTED_CODE + r"\b)",
                               re.MULTILINE)
# "... 97530 15 (co-treat share)", "... te 10 1u (hip ext/abd 2x10)": a remark in brackets closing a billing line,
# unless it says the line is not billed (services.json `remark_words_not_billed`)
CLOSING_REMARK = (r"(?:\((?![^()\n]*\b(?:" + words_pattern(service_rules()["remark_words_not_billed"]) + r")\b)"
                  r"[A-Za-z][^()\n]{0,40}\)[ \t]*+)?")
# "97116 30 97112 30 97530 45", "Codes: 97110 20 / 97112 10 / 97116 20": a line of codes each with a bare number
# "PT today: 97110 10, 97116 20, 97112 15. PT total 45.", "Minutes: AM 97116 15, 97112 15; PM 97112 25",
# "CPT: 97112 25 | 97116 20 | 97530 15 (co-treat share)" (possessive: runs of spaces between the cells of a wide line cannot be split two ways)
CODES_AND_NUMBERS_LINE = re.compile(r"[ \t]*+(?:[A-Za-z][A-Za-z /]{0,20}:)?[ \t]*+"
                                    r"(?:(?:(?:AM|PM)[ \t]++)?" + LISTED_CODE + r"(?:-\w{2})?"
                                    # "97010 x1" counts an untimed code's unit among the timed codes' minutes
                                    r"[ \t]*+(?:[x×][ \t]*+\d(?!\d)|[:=\-–—]?[ \t]*+\d{1,3}+)[ \t]*+[/,;|]?[ \t]*+){2,}+"
                                    # "..., total 40", "... TTM 38" (total timed minutes)
                                    r"(?:\.?[ \t]*+(?:(?:[A-Za-z]{1,10}[ \t]++)?total(?:[ \t]++timed)?|TTM|TTT)[ \t]*+[:=]?[ \t]*+\d{1,3}+[ \t]*+(?:min\w*)?)?"
                                    + CLOSING_REMARK +
                                    r"[ \t]*+\.?[ \t]*$",
                                    re.IGNORECASE)
# "NMR 15 / TA 23": a line of nothing but short names each with a bare number (read only where two services stand)
SHORT_NAME = r"[A-Za-z][A-Za-z.&]{0,10}(?: [A-Za-z.&]{1,10}){0,2}"
# "NMR 15 / TE 15 (2u)", "... = 3 units": the units the line's minutes add up to, closing it
LINE_UNITS_TOTAL = r"(?:[(=][ \t]*\d{1,2}[ \t]*(?:u|units?)[ \t]*\)?[ \t]*)?"
NAMES_AND_NUMBERS_LINE = re.compile(r"[ \t]*(?:(?i:billing|billed|charges?|codes?|time|minutes|mins|units|tx)[ \t]*(?::|--?|–|—)[ \t]*)?"
                                    + SHORT_NAME + r"[ \t]*(?:[:=\-–—][ \t]*)?\d{1,3}(?:[ \t]*[/,;|][ \t]*" + SHORT_NAME
                                    + r"[ \t]*(?:[:=\-–—][ \t]*)?\d{1,3})+[ \t]*" + LINE_UNITS_TOTAL + r"(?:\.[ \t]*)?$")
# "nmr 23 baps lvl 3", "97112 25: sitting on peanut ball": a bare number then the activity, in notes typed
# in haste; not a count of something ("gait 20 ft", "TE 15 reps", "NMR 10 sec holds")
BARE_MINUTES_BEFORE_ACTIVITY = re.compile(
    r"[ \t]*[:\-]?[ \t]*(\d{1,2})(?:[ \t]+(?P<units>\d)[ \t]*u(?:nits?)?\b)?(?:[ \t]*[:,\-][ \t]*|[ \t]+)(?=[a-z])"
    r"(?!(?:ft|feet|foot|m|meters?|metres?|yards?|yds?|reps?|"
    r"x|sets?|lbs?|kg|steps?|laps?|sec|secs|seconds?|s|deg|degrees|times|units?|u|min|mins?|minutes?|hours?|hrs?|trials?|"
    r"repetitions?|ms|msec|milliseconds?|hz|bpm|mph|from|vs|"
    r"rounds?|bouts?|cm|in(?![ \t]+[a-z])|inch|inches|percent|pct|of|out|to|and|or|per|x\d|yo|y/o|wks?|weeks?|days?|mos?|"
    r"months?|years?|yrs?)\b)",
    re.IGNORECASE)
MAX_MINUTES_BARE = 90
STATED_TOTAL_LATER = re.compile(r"\d{1,3}\s*(?:min|mins|minutes|')\.?\s*(?:total|in all)\b|\btotal\s*[:=]?\s*\d{1,3}\s*(?:min|')",
                                re.IGNORECASE)
LOWERCASE_STRICT_FOLLOW = re.compile(r"\s*[:\-]?\s*(?:x\s*)?(?:\d{1,3}\s*(?:min|mins|minutes|'|’|m\b|u\b|units?)|\d{1,2}\s+[a-z]|"
                                     r"\d{1,2}\s+\d\s*u\b|97\d{3}|(?:\d{1,2}:\d{2}|\d{4})\s*[-–]|\d{1,3}[ \t]*(?=\n|$)"
                                     r"|\d{1,3}[ \t]*:(?!\d))", re.IGNORECASE)  # "te 10: calf stretch ..."


# "NMR 23 min", "NMR 18 min (1u)": a billing line ends with the minutes and units; a plan line goes on to
# say what will be done ("NMR 15 min - SLS on foam, tandem")
UNITS_TO_LINE_END = re.compile(r"\s*[/,]?\s*(?:\(?\s*\d\s*u(?:nits?)?\s*\)?|x\s*\d)?\s*\.?\s*$", re.IGNORECASE | re.MULTILINE)
MINUTES_WORD_ON_LINE = re.compile(r"\bmin(?:ute)?s?\b(?!\s*(?:A\b|assist|\(A\)|x\s*\d))|\btime\b", re.IGNORECASE)
# "97112 x4" on a billing line: units, unless minutes, reps, sets or seconds follow
BILLED_TIMES_RE = re.compile(r"^(?:\s*[x×]|\s*-|\s*=|\s*times\b)\s*(\d{1,2})\b(?!\s*(?:min|mins|minutes|m\b|'|’|reps?|sets?|sec|s\b|x|/\s*\d{1,2}\b|-\d|:|\.\d|lbs?\b|#|kg\b|way\b|person\b|pounds?\b))",
                             re.IGNORECASE)
# a service's short name and its count on a billing line: "NMR x25", "TE x13"
LISTED_COUNT = re.compile(r"\b[A-Za-z]{2,6}[ \t]*[x×][ \t]*\d{1,3}\b(?![ \t]*(?:ft|feet|reps?|sets?|sec|s\b|'))", re.IGNORECASE)
# "(1u)", "(2 units)" between a heading's minutes and its colon: "NMR x 30 (2u): ..."
UNITS_IN_BRACKETS = r"(?:\(\s*\d\s*u(?:nits?)?\s*\)\s*)"
UNITS_AFTER_COUNT = re.compile(r"[ \t)]*" + UNITS_IN_BRACKETS)  # "x 30 (2u)": what follows the count
# "NMR x23: ...", "NMR (2): ...": a count right after a service name that heads its own line or clause; on a
# billing line ("NMR x25 TE x13 = 3u") only minutes, for "Epley x2," counts manoeuvres
HEADING_TIMES_RE = re.compile(r"^\s*(?:[x×]\s*(\d{1,3})|\((\d{1,3})\))\s*(?:(?=" + UNITS_IN_BRACKETS + r"?(?::|[-–]\s))"
                              r"|(?P<listed>(?=[,;/|=]|$)))", re.IGNORECASE)
# the whole-note searches, tried only where the words they start with stand
CODES = LeadingLiterals(CODE_RE)
VISIT_TIME = LeadingLiterals(VISIT_TIME_RE)
TOTAL_TIMED = LeadingLiterals(TOTAL_TIMED_RE)
SENTENCE_BREAKS = (". ", "; ")
CLAUSE_BREAKS = (",", "|", "\t", " + ", " / ", "  ")
# Sections whose services are not billed today: planned (plan, goals), or past (history, prior level,
# evaluation), as sections.json's defaults say
PLANNED_SECTIONS = categories_defaulting_to("hypothetical")
PAST_SECTIONS = categories_defaulting_to("historical")
MAX_MINUTES = service_rules()["bounds"]["max_minutes"]
MAX_UNITS = service_rules()["bounds"]["max_units"]
MAX_TIMES_AS_UNITS = service_rules()["bounds"]["max_times_as_units"]


@dataclass
class Anchor:
    """A place where the note names a service: a code, a service name, or both together."""

    start: int
    end: int
    code: str
    minutes: int | None = None
    units: int | None = None
    segment_end: int = 0
    in_plan: bool = False
    sources: list[str] = field(default_factory=list)
    minutes_span: tuple[int, int] | None = None
    units_span: tuple[int, int] | None = None
    prose: bool = False  # a name inside a sentence, with no minutes or units: not a service
    table_row: bool = False  # minutes read from a table's minutes column
    billing_tail: bool = False  # one of the codes and bare numbers closing a run-on line ("..., 97112 30 97116 10")
    shares_time: bool = False  # "Pt did ther ex and NMR 38 min total": the time after it is two services'
    added_up: bool = False  # "97112 AM 15 + PM 12 = 27 min": its minutes are the sum the note wrote of its parts


SEPARATOR = r"[\s.\-]*"


def _keyed_fields(anchor: "Anchor", after: str, after_start: int) -> tuple[int | None, int | None]:
    """A code's minutes and units written as an export's fields after it ('units=2 | minutes=24')."""
    fields, value_end, previous_end = [], -1, 0
    for field in KEYED_FIELD.finditer(after):
        if not FIELD_GAP.fullmatch(after, previous_end, field.start()):
            break  # "97112 NMR 25 min 2 units, TUG time: 14": fields follow the code, nothing else does
        previous_end = field.end()
        if not field["sep"] and field["key"].lower().startswith(("time", "dur")):
            continue
        number_before = NUMBER_BEFORE_KEY.search(after, max(0, field.start() - 8), field.start())
        if (field["key"].lower() in MINUTES_KEYS and number_before
                and number_before.end(1) != value_end):  # "15 min: 150 ft" is a heading's minutes, no key
            continue
        fields.append(field)
        value_end = field.end("value")
    if len(fields) < 2 and not any(f["sep"] for f in fields):
        return None, None
    minutes = units = None
    for field in fields:
        value, end = int(field["value"]), after_start + field.end("value")
        if field["key"].lower() in MINUTES_KEYS:
            if minutes is None and 0 < value <= MAX_MINUTES:
                minutes, anchor.minutes_span = value, (after_start + field.start("value"), end)
        elif units is None and value <= MAX_UNITS:
            units, anchor.units_span = value, (after_start + field.start("key"), end)
    return minutes, units


def _normalize_name(name: str) -> str:
    return " ".join(w for w in re.split(r"[\s.\-]+", name.lower()) if w)


def _trie_regex(names: list[str]) -> str:
    """One regex for many names, as a word trie: far faster than a flat alternation of ~200 names."""
    trie: dict = {}
    for name in names:
        node = trie
        for word in _normalize_name(name).split():
            node = node.setdefault(word, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = sorted((w for w in node if w), key=len, reverse=True)
        parts = []
        for w in branches:
            child = node[w]
            tail = build(child) if any(k for k in child) else ""
            if tail:  # a name that may end here or go on ("manual" / "manual therapy")
                tail = f"(?:{SEPARATOR}{tail})" + ("?" if "" in child else "")
            parts.append(re.escape(w) + tail)
        return "(?:" + "|".join(parts) + ")"

    return build(trie)


@lru_cache(maxsize=None)
def _name_regexes() -> tuple[re.Pattern, re.Pattern, dict[str, str], dict[str, str]]:
    """(loose regex, strict regex, loose name -> code, strict name -> code)."""
    loose: dict[str, str] = {}
    strict: dict[str, str] = {}
    for code, entry in service_codes().items():
        for name in entry.get("names", []):
            loose.setdefault(_normalize_name(name), code)
        for name in entry.get("strict_names", []):
            strict.setdefault(name, code)
    loose_regex = re.compile(r"(?<![\w])" + _trie_regex(list(loose)) + r"(?![\w])", re.IGNORECASE)
    strict_regex = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in sorted(strict, key=len, reverse=True))
                              + r")(?![\w])")
    return loose_regex, strict_regex, loose, strict


@lru_cache(maxsize=None)
def _strict_names() -> LeadingLiterals:
    """The strict names (TE, TA, NMR ...) searched where their capitals stand."""
    return LeadingLiterals(_name_regexes()[1])


@lru_cache(maxsize=None)
def _strict_names_any_case() -> LeadingLiterals:
    """The strict names in any case, for a note typed without capitals ("te 15 theraband")."""
    return LeadingLiterals(re.compile(_name_regexes()[1].pattern, re.IGNORECASE))


def _strict_code_of(name: str) -> str | None:
    """The code of a strict name as written, or typed in another case ("te" in a note without capitals)."""
    return _name_regexes()[3].get(name) or _strict_codes_any_case().get(name.lower())


@lru_cache(maxsize=None)
def _strict_codes_any_case() -> dict[str, str]:
    return {name.lower(): code for name, code in _name_regexes()[3].items()}


CAPITAL = re.compile(r"[A-Z]")
LETTER = re.compile(r"[A-Za-z]")


def _typed_in_lowercase(text: str) -> bool:
    """A note typed without capitals: its abbreviations lose the capitals that set them apart."""
    if len(CAPITAL.findall(text, 0, 300)) > 3:
        return False  # most notes: decided on their first lines
    capitals = len(CAPITAL.findall(text))
    if capitals > len(text) // 100:
        return False
    letters = len(LETTER.findall(text))
    return letters >= 40 and capitals <= letters // 100


def _mostly_lowercase(text: str) -> bool:
    """Typed with hardly a capital beyond a side's R or L: a note written in haste."""
    if len(CAPITAL.findall(text, 0, 400)) > 16:
        return False  # most notes: capitals on their first lines already
    capitals = len(CAPITAL.findall(text))
    if capitals * 100 > len(text) * 4:
        return False  # more capitals than that even if every character were a letter
    letters = len(LETTER.findall(text))
    return letters >= 40 and capitals * 100 <= letters * 4


CLOCK = r"(?:\d{1,2}:\d{2}|\d{4})"  # "8:30", "0830"
CLOCK_RANGE = CLOCK + r"\s*(?:-|–|to)\s*" + CLOCK
# "Start 10:02 / End 10:27", "Time in 1005, time out 1050", "In: 9:00  Out: 9:45": the visit's clock times
# (searched from its rarer second half: "in" stands everywhere in a note, "out 1050" seldom)
VISIT_CLOCK_END = re.compile(r"\b(?:end(?:ed)?|stop(?:ped)?|finish(?:ed)?|out)\s*[:=\-]?\s*(?P<end>" + CLOCK + r")\b",
                             re.IGNORECASE)
VISIT_CLOCK_START_BEFORE = re.compile(r"\b(?:start(?:ed)?|time\s+in|in)\s*[:=\-]?\s*(?P<start>" + CLOCK + r")\b"
                                      r"[\s/,;|.]{0,6}(?:time\s+)?$", re.IGNORECASE)
# "8:30-8:42 gait:": a time range right before the name, which heads its line
DURATION_BEFORE = re.compile(CLOCK_RANGE + r"\s*$")
# "about 23 minutes of neuromuscular work": a duration said to be of the service
DURATION_OF_BEFORE = re.compile(r"\b(?:did|spent|performed|completed|about|approx\.?|approximately|~)\s+(?:about\s+)?"
                                r"\d{1,3}\s*(?:minutes|mins?)\s+(?:of|on)\s+$", re.IGNORECASE)
# "(25) NMR: Frenkel ex ...", "(13) Gait: amb 150'": minutes in brackets heading the line before the name
MINUTES_IN_BRACKETS_HEADING = re.compile(r"(?:^|\n)[ \t]*(?:[-*•][ \t]*)?\((\d{1,3})\)[ \t]*$")
# "(0930-0942, self-care)": a name right after its own time range in brackets
TIME_RANGE_IN_BRACKETS_BEFORE = re.compile(r"(?:\(|^|\n)\s*" + CLOCK_RANGE + r"\s*[,:]?\s*$")
# "Gait 15 min:", "gait 0910-0915:", "Gait (12 min)": a duration right after the name, never feet
DURATION_FOLLOWS = re.compile(
    r"\s*[(:\-–]?\s*(?:x\s*|(?:about|approx\.?|approximately|~)\s*)?(?:\d{1,3}\s*(?:minutes?|mins?\.?|min\b|m\b)|\d\s*u(?:nits?)?\b|" + CLOCK + r"\s*(?:-|–|to))"
    r"|\s*[x×]\s*\d{1,3}\s*['’]?\s*" + UNITS_IN_BRACKETS + r"?:"  # "Gait x 10':", "Gait x 15 (1u):"
    r"|" + NUMBER_SAID_AFTER_NAME + r"|\s*[(:\-–,]?\s*(?:approx\.?\s*|~\s*)?" + HOURS_AFTER_NAME,
    re.IGNORECASE)
# "Tinetti sixteen out of twenty-eight, balance eight and gait seven": scores said in words, no dictated bill
SCORES_SAID_BEFORE = re.compile(r"\b(?:" + words_pattern(service_rules()["scores_said_before"]) + r")\b",
                                re.IGNORECASE)  # services.json `scores_said_before`


# "Gait 97116: 150 ft x 2 with RW ... 15 min": the name heading a block with its code
CODE_RIGHT_AFTER_NAME = re.compile(r"[ \t]*[(\-–]?[ \t]*97\d{3}\b[ \t]*\)?[ \t]*[:\-–]")


def _duration_follows(text: str, name_end: int) -> bool:
    """Whether a duration follows a service's name ("Gait 15 min:", "gait ten." in a dictated bill), or its code
    heading its block ("Gait 97116: ... 15 min")."""
    if CODE_RIGHT_AFTER_NAME.match(text, name_end):
        return True
    follows = DURATION_FOLLOWS.match(text, name_end, name_end + 24)
    if follows and re.match(r"[ \t]+[A-Za-z]", follows.group()):  # a number said in words
        return not SCORES_SAID_BEFORE.search(text, text.rfind("\n", 0, name_end) + 1, name_end)
    return follows is not None


# what a total after a list of codes is of: "total tx 45 min", "Total treatment time: 48 min"
TOTAL_KINDS = r"(?:tx|treatment|visit|session|timed|therapy)"
# "total time 15 min" after a code whose line gives other codes their own minutes is the code's own time
OWN_TOTAL_WORDS = re.compile(r"total\s+(?:" + TOTAL_KINDS + r"|time)\b|(?:tx|treatment|therapy)\s+time\b|min(?:ute)?s?\s+total\b",
                             re.IGNORECASE)
# "97116 x1; total timed 35 min": minutes after a visit-total phrase are the visit's, not the service's
VISIT_TOTAL_AFTER = re.compile(r"(?:[;,.|]|\s[—–-])\s*(?:visit\s+|session\s+)?(?:total|tot\.?)\s+(?:timed|treatment|tx|time|visit|session|"
                               r"billable|billed|minutes|mins|units|direct)\b", re.IGNORECASE)
# after the last of several codes on one line, these sum the visit: "97112 x2, 97535 x1 (34 min timed)",
# "(35 + 10 = 45 min)", "97112 (2), 97110 (1) - 45 min", "97112(2) 97110(1) total 38 min"
LIST_TOTAL_AFTER = re.compile(r"[(|]\s*\d{1,3}\s*(?:minutes|mins?)\s+(?:timed|total)\b"
                              r"|\(\s*\d{1,3}\s*(?:min|mins|minutes|')?\s*\+\s*\d{1,3}"
                              r"|(?<=\))\s*[-–—]\s*\d{1,3}\s*(?:minutes|mins?)\b"
                              # "97112 97116 97110 total tx 45 min", "CPT: 97112, 97116   Total treatment time: 48 min"
                              r"|[\s,;]\s*total(?:\s+" + TOTAL_KINDS + r")?(?:\s+time)?"
                              r"\s*[:=]?\s*\d{1,3}\s*(?:minutes|mins?)?\b"
                              # "Charges: 97110, 97112, 97140 — tx time 44 min", "Billed 97112 x2 and 97530 x1, 40 minutes total"
                              r"|[\s,;—–-]\s*(?:tx|treatment|therapy)\s+time\s*[:=]?\s*\d{1,3}\s*(?:minutes|mins?)\b"
                              r"|[,;][ \t]*\d{1,3}[ \t]*(?:minutes|mins?)[ \t]+total\b(?![ \t]*[:=]?[ \t]*\d)"
                              # "97535 - 30 / 97112 - 25 / 97530 - 20 (75 min, 5 units)": after the last code's own number
                              # (minutes of two digits or after a dash, not a count as in "97110 x1 (10 min, 1 unit)")
                              r"|(?:(?<=\d\d)|(?<=[-–—] \d)|(?<=[-–—]\d))"
                              r"\s*\(\s*\d{1,3}\s*(?:minutes|mins?)\s*[,;/]\s*\d{1,2}\s*(?:units?|u)\b\s*\)", re.IGNORECASE)
# "97110 x1 97530 x1 97112 x1 - 38 min", "97110 x1 / 97112 x1 / 30 min", "... (37 min)": after a list of
# counts only, minutes at the line's end are the list's total
LIST_TOTAL_AT_END = re.compile(r"(?<=\d)\s*(?:[-–—/=]\s*|\()\d{1,3}\s*(?:minutes|mins?|min\b|['’])\s*\)?\s*$",
                               re.IGNORECASE | re.MULTILINE)
VISIT_CLOCK_ENDS = LeadingLiterals(VISIT_CLOCK_END)
# "NMR/TE", "ther ex & NMR": two services named together, sharing the time after them
JOINED_NAMES = re.compile(r"[ \t]*[)\]]?[ \t]*(?:/|&|\+|and\b)[ \t]*", re.IGNORECASE)  # "NMR (97112)/TE (97110) 40 min"


# A strict abbreviation (TE, TA, NR, MT) counts only when a colon, a dash, a number, a code or a
# time follows: "TE: 15 min" and "TE-bike 8 min" are services, "TA activation" is not, nor "US-billed"
# (services.json `words_after_hyphenated_abbreviation`).
TAGGED_MINUTES_AFTER = re.compile(r"\)[ \t]*\d{1,3}[ \t]*(?:min|mins|minutes|'|’)", re.IGNORECASE)
# a line opening as an item of a list: "- ", "• ", "2. ", "+-- " (a box-drawn tree's branch)
LIST_ITEM = re.compile(r"[ \t]*(?:[-*•>◦▪]|\+-*|\d{1,2}[.)])[ \t]")
# "billing nmr 0900-0925, adl 0925-0940": a clock range after a name, and a range ending the item before it
DASHED_CLOCK_RANGE = CLOCK + r"[ \t]*[-–][ \t]*" + CLOCK
RANGE_FOLLOWS = re.compile(r"[ \t]*[:\-]?[ \t]*" + DASHED_CLOCK_RANGE + r"\b")
RANGE_ITEM_BEFORE = re.compile(DASHED_CLOCK_RANGE + r"[ \t]*[,;/|][ \t]*$")
# a pipe table's row up to a cell after its first: the cell a word stands in is no service's heading
LATER_CELL_OF_ROW = re.compile(r"^[ \t]*\|?[^|\n]*[A-Za-z0-9][^|\n]*\|[^\n]*\|[ \t]*$", re.MULTILINE)
STRICT_FOLLOW = re.compile(
    r"\s*(?:[:=|–\t]|-(?!(?:" + words_pattern(service_rules()["words_after_hyphenated_abbreviation"]) + r")\b)"
    r"|\(\s*(?:\d{1,3}\s*(?:min|mins|minutes|'|’|m\b|u\b|units?)|97\d{3}|[xX]\s*\d|" + CLOCK + r"\s*[-–]\s*" + CLOCK + r"\s*\)\s*:)|x\s*\d\b"
    r"|x\s*\d{1,3}\s*(?:min|mins|minutes|'|’|m\b|u\b|units?)|x\s*\d{1,3}(?=[ \t]*(?:[,;/|=\n]|$|[A-Za-z]{2,6}[ \t]*[x×][ \t]*\d))"
    r"|\d{1,3}\s*(?:min|mins|minutes|'|’|m\b|u\b|units?)|\d{1,3}[ \t]+\d[ \t]*u\b|\d{1,2}:\d{2}|\d{4}\s*[-–]|97\d{3}"
    r"|(?:minutes|mins?|time)[ \t]*[:=][ \t]*(?:[ap]m[ \t]*)?\d"  # a form's field: "Self Care Minutes: 38"
    r"|" + NUMBER_SAID_AFTER_NAME + r"|[(,]?[ \t]*(?:~[ \t]*|approx\.?[ \t]*)?" + HOURS_AFTER_NAME +  # "TE (quarter hour):"
    r"|(?P<line_end>\d{1,3})[ \t]*(?=" + LINE_UNITS_TOTAL + r"(?:\n|$)))", re.IGNORECASE)  # "NMR 15 / TA 23" ending its line


# "Propriception/NMR x 18'" names NMR; in "w/TA" or "s/p" the slash belongs to a shorthand
ITEM_BEFORE_ON_LINE = re.compile(r"\d{1,3}[ \t]*[/,;|][ \t]*$")
ITEM_BEFORE_ON_LOWERCASE_LINE = re.compile(r"(?<![a-z])[a-z]{2,12}[ \t]+\d{1,3}[ \t]*(?:[/,;|][ \t]*)?$")  # "... nmr 15 te 15"
SHORTHAND_BEFORE_SLASH = re.compile(r"(?:^|[^A-Za-z])[A-Za-z]{1,2}/$")
WORD_START = re.compile(r"(?<![\w])[A-Za-z]+")
WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=None)
def _first_words() -> frozenset[str]:
    """The letters each service name starts with: the only places a name can begin."""
    _, _, loose_codes, _ = _name_regexes()
    return frozenset(re.match(r"[a-z]*", name).group(0) for name in loose_codes)


def _letter_trie(words: list[str]) -> str:
    """One regex for many words, branching letter by letter."""
    trie: dict = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}

    def build(node: dict) -> str:
        parts = [re.escape(letter) + build(child) for letter, child in sorted(node.items()) if letter]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 and "" not in node else "(?:" + "|".join(parts) + ")"
        return body + ("?" if "" in node else "")

    return build(trie)


@lru_cache(maxsize=None)
def _first_word_regex() -> re.Pattern:
    """A whole word that a service name starts with, in lower-cased text."""
    return re.compile(r"(?<![\w])" + _letter_trie(sorted(w for w in _first_words() if w)) + r"(?![a-z])")


# str.lower() keeps every other character in place, an ASCII letter an ASCII letter and a word
# character a word character (a test checks it over all of Unicode); these two it does not.
LOWER_SHIFTS = ("\u0130", "\u212a")


def _loose_matches(regex: re.Pattern, text: str):
    """The same matches as `regex.finditer(text)`, tried only where a word a name starts with begins.

    The word-trie regex, tried at every character, was most of the service stage's time.
    """
    if any(char in text for char in LOWER_SHIFTS):
        first_words = _first_words()
        starts = (word.start() for word in WORD_START.finditer(text) if word.group(0).lower() in first_words)
    else:
        starts = (word.start() for word in _first_word_regex().finditer(text.lower()))
    return _matches_at(regex, text, starts)


def _matches_at(regex: re.Pattern, text: str, starts: Iterator[int]) -> Iterator[re.Match]:
    """`regex` tried at each candidate start in order, matches not overlapping: what finditer gives."""
    next_free = 0
    for start in starts:
        if start < next_free:
            continue
        match = regex.match(text, start)
        if match:
            next_free = match.end()
            yield match


@lru_cache(maxsize=None)
def _prose_ambiguous() -> frozenset[str]:
    return frozenset(service_rules().get("prose_ambiguous_names", []))


@lru_cache(maxsize=None)
def _line_opening() -> frozenset[str]:
    return frozenset(_normalize_name(n) for n in service_rules().get("line_opening_names", []))


LINE_OPENING = re.compile(r"[ \t]*(?:[-*•>][ \t]*|\d{1,2}[.)][ \t]*)?(?:[A-Za-z]{1,12}(?:[ \t]+session)?[ \t]*[:\-–][ \t]*)?"
                          r"(?:\d{1,2}:?\d{2}(?:[ \t]*[-–][ \t]*\d{1,2}:?\d{2})?[ \t]+)?", re.IGNORECASE)


@lru_cache(maxsize=None)
def _duration_only() -> frozenset[str]:
    return frozenset(service_rules().get("duration_only_names", []))


DIGIT_RUN = re.compile(r"\d\d*")  # (not \d+: a pattern opening on a character class is scanned for faster)


def _from_digit_runs(regex: re.Pattern, text: str) -> Iterator[re.Match]:
    """The matches of `regex.finditer(text)` for a regex whose matches start where a run of digits starts.

    MINUTES_RE and TIME_RANGE_RE open on a digit that no digit precedes and end where no digit
    follows; tried only there, they skip the lookbehinds the engine would try at every character.
    """
    return _matches_at(regex, text, (run.start() for run in DIGIT_RUN.finditer(text)))


RANGES_JOINED = re.compile(r"\s*(?:and|&|\+|,)\s*")
# "amb 75' with RW", "gait 40 m", "amb 2 x 30'": after a walking word, ' and m are feet and metres
DISTANCE_BEFORE = re.compile(r"(?:amb\w*|walk\w*|gait|ft|feet|distance)\s*(?:\d{1,2}\s*[x×]\s*)?$", re.IGNORECASE)
# "(NMR 25', Gait 15')", "97116 gait 15'", "gait 10' w rw 150 ft": where gait is an item of a list of
# services and their times, follows its own code, or has its distance written after, N' is its minutes
GAIT_PRIME = re.compile(r"gait\s*\(?\s*(?P<value>\d{1,2})\s*['’]\s*\)?", re.IGNORECASE)  # "Gait 15':", "Gait (8'):"
GAIT_LISTED_BEFORE = re.compile(r"(?:(?<![\w-])(?!amb|walk|gait|ft\b|feet\b)[a-z][\w-]*\.?\s*\d{1,2}\s*['’]\s*[,;/|]"
                                r"|97116\s*[-–:]?)\s*$", re.IGNORECASE)
LIST_ITEM_END = re.compile(r"\s*(?:[,;/):|]|$)", re.MULTILINE)
METRES_UNIT = re.compile(r"\d{1,3}[ \t]*m", re.IGNORECASE)
# a service other than gait with its minutes written "Nm": "Ther ex 20m", "NMR 20m", "97110 15m"
OTHER_SERVICE_IN_M = re.compile(r"\b(?:97(?!116)\d{3}|nmr|nmre|neuro re-?ed|ther\.? ?ex|te|ther\.? ?act|ta|mt|manual)"
                                r"[ \t:=\-–]*\d{1,3}[ \t]*m\b(?![ \t]*(?:walk|wt|mwt))", re.IGNORECASE)


@lru_cache(maxsize=16)
def _minutes_written_as_m(text: str) -> bool:
    """Whether the note writes another service's minutes as "Nm" (so a "Gait 15m" is minutes too)."""
    return OTHER_SERVICE_IN_M.search(text) is not None
DISTANCE_AFTER = re.compile(r"[^\n]{0,24}?\b\d{2,4}\s*(?:ft\b|feet\b|m\b|metres|meters)", re.IGNORECASE)


HEADING_COLON_AFTER = re.compile(r"[ \t]*(?:\(\s*\d\s*(?:u(?:nits?)?)?\s*\)[ \t]*)?:", re.IGNORECASE)  # "Gait 22' (1 unit):", "(1):"


def _gait_prime_is_minutes(text: str, gait_start: int) -> bool:
    """Whether the N' right after "gait" at gait_start is the gait service's minutes, not feet walked."""
    found = GAIT_PRIME.match(text, gait_start)
    if found is None:
        return False
    return bool((GAIT_LISTED_BEFORE.search(text, max(0, gait_start - 40), gait_start)
                 and LIST_ITEM_END.match(text, found.end()))
                or DISTANCE_AFTER.match(text, found.end())
                or HEADING_COLON_AFTER.match(text, found.end()))  # "Gait 15': 200' c 4WW"


def _nothing_but_units_after(text: str, anchor: "Anchor") -> bool:
    """Whether the anchor's line ends with its minutes, or its minutes and units: a billing line."""
    return anchor.minutes_span is not None and UNITS_TO_LINE_END.match(text, anchor.minutes_span[1]) is not None


def _minutes_heading_the_line(text: str, name_start: int) -> re.Match | None:
    """ "(25) NMR:": minutes in brackets, more than a count of units, standing alone before the name."""
    found = MINUTES_IN_BRACKETS_HEADING.search(text, max(0, name_start - 12), name_start)
    return found if found and MAX_TIMES_AS_UNITS < int(found.group(1)) <= MAX_MINUTES else None


def _closes_its_line_with_minutes(text: str, name_end: int) -> bool:
    """ "..., nmr 30 2u gait 10 1u": a bare number of minutes, perhaps units, and nothing more on the line."""
    line_end = text.find("\n", name_end)
    line_end = len(text) if line_end < 0 else line_end
    # "Tinetti ... balance 10, gait 8" or "gait 150" (feet) is no bill: a bill says minutes, units or a code, or
    # names another service with its number just before ("... stg tinetti 20/28 4 wks te 20 gait 10")
    line_start = text.rfind("\n", 0, name_end) + 1
    return (_closing_item(text, name_end, line_end) is not None
            and (BILL_ON_LINE.search(text, line_start, line_end) is not None
                 or SERVICE_NUMBER_BEFORE.search(text, max(line_start, name_end - 40), name_end) is not None))


# a timed service's name and a bare number, then the name that follows them: "te 20 gait"
SERVICE_NUMBER_BEFORE = re.compile(r"(?<![\w/])(?:" + literal_alternation(service_names(timed_only=True)) + r")[ \t]*[:\-]?[ \t]*"
                                   r"\d{1,2}[ \t]*(?:min|m|['’])?[ \t]*[,;/]?[ \t]*[A-Za-z][\w .-]{0,20}$", re.IGNORECASE)


def _closing_item(text: str, start: int, stop: int) -> re.Match | None:
    """A bare number of minutes (perhaps units, "total", "not billed") and nothing more up to `stop`."""
    item = BILLING_TAIL_ITEM.match(text, start, stop)
    if (item is not None and MAX_TIMES_AS_UNITS < int(item["minutes"]) <= MAX_MINUTES_BARE
            and BILLING_TAIL_END.fullmatch(text, item.end(), stop) is not None):
        return item
    return None


def _bare_minutes_before_activity(text: str, name_end: int) -> bool:
    """Whether a bare number of minutes, then the activity, follows a name ("nmr 23 baps lvl 3")."""
    found = BARE_MINUTES_BEFORE_ACTIVITY.match(text, name_end)
    return found is not None and MAX_TIMES_AS_UNITS < int(found.group(1)) <= MAX_MINUTES_BARE


def _bare_minutes_on_a_minutes_line(text: str, name_end: int) -> bool:
    """Whether a bare number of minutes follows a name on a line about minutes ("Minutes: NMR 25, gait 10") or on a
    line of names and numbers only."""
    bare = CODE_BARE_MINUTES.match(text, name_end)
    if bare is None or not MAX_TIMES_AS_UNITS < int(bare.group(1)) <= MAX_MINUTES:
        return False
    line_start = text.rfind("\n", 0, name_end) + 1
    line_end = text.find("\n", name_end)
    line_end = len(text) if line_end < 0 else line_end
    return (MINUTES_WORD_ON_LINE.search(text, line_start, line_end) is not None
            or _a_line_of_services_and_numbers(text[line_start:line_end])
            or _stacked_service_lines(text, line_start, line_end))


# services.json `plan_words_before_codes`
PLANNED_BEFORE_CODES = re.compile(r"\b(?:" + words_pattern(service_rules()["plan_words_before_codes"]) + r")\b", re.IGNORECASE)


def _codes_and_numbers_closing(line: str, at: int) -> bool:
    """Whether the sentence holding position `at` closes its line with nothing but codes and their numbers
    ("... sit<>stand 6 reps, min A x1. 97112 20 / 97530 15.")."""
    opening = max(line.rfind(". ", 0, at), line.rfind("; ", 0, at))
    return (opening >= 0 and CODES_AND_NUMBERS_LINE.fullmatch(line, opening + 2) is not None
            and not PLANNED_BEFORE_CODES.search(line, 0, opening))


@lru_cache(maxsize=64)  # asked once per name or anchor on the line: a long line is read once
def _numbers_line(line: str) -> tuple[bool, bool]:
    """(a line about minutes or of codes and their numbers, a line of nothing but names and their numbers)."""
    return (MINUTES_WORD_ON_LINE.search(line) is not None or CODES_AND_NUMBERS_LINE.fullmatch(line) is not None,
            NAMES_AND_NUMBERS_LINE.fullmatch(line) is not None)


# "97112 25\n97110 15", "NMR: 25\nTE: 15", "Ther act 20\nSelf-care 97535 15": a service and a bare number alone on
# its line, stacked on another such line (read so only when both lines hold a service)
STACKED_LINE = re.compile(r"[ \t]*+(?:[-*•][ \t]*+)?(?:[A-Za-z][A-Za-z .&/-]{0,24}?|97\d{3}|G0\d{3})"
                          r"(?:[ \t]+(?:\(?(?:97\d{3}|G0\d{3})\)?|[A-Za-z][A-Za-z .&/-]{0,24}?))?[ \t]*+(?:[:=\-–—][ \t]*+)?"
                          r"\d{1,3}+(?:[ \t]*+(?:\(\d\)|\d[ \t]*+u(?:nits?)?))?(?:[ \t]*+\.)?[ \t]*+")
# a heading over a stack of service lines that makes their numbers no minutes of today (services.json
# `stack_headings_not_today`, and any "auth..." word): counts of an authorisation, a week's or another visit's minutes, a plan
STACK_HEADING_NOT_TODAY = re.compile(r"\b(?:auth\w*|" + words_pattern(service_rules()["stack_headings_not_today"])
                                     + r")\b|^[ \t]*p[ \t]*:", re.IGNORECASE | re.MULTILINE)


def _stacked_service_lines(text: str, line_start: int, line_end: int) -> bool:
    """Whether the line, and the line above or below it, are each a service and a bare number alone."""
    if not STACKED_LINE.fullmatch(text, line_start, line_end):
        return False
    above_end = line_start - 1
    above_start = text.rfind("\n", 0, max(0, above_end)) + 1
    below_start = line_end + 1
    below_end = end_of_line(text, below_start) if below_start < len(text) else below_start
    stacked = False
    for start, end in ((above_start, above_end), (below_start, below_end)):
        if 0 <= start < end and STACKED_LINE.fullmatch(text, start, end):
            neighbour = text[start:end]
            if re.search(r"\b" + LISTED_CODE + r"\b", neighbour) or _names_a_service_beside_gait(neighbour):
                stacked = True
                break
    if not stacked:
        return False
    # the line heading the stack: "Auth remaining (units):", "Minutes this week:", "P:", "Last visit:" say no minutes of today
    head_end = line_start - 1
    while head_end > 0:
        head_start = text.rfind("\n", 0, head_end) + 1
        if not STACKED_LINE.fullmatch(text, head_start, head_end):
            return STACK_HEADING_NOT_TODAY.search(text, head_start, head_end) is None
        head_end = head_start - 1
    return True


@lru_cache(maxsize=64)  # asked once per name on the line: a long line is read once
def _a_line_of_services_and_numbers(line: str) -> bool:
    """ "ther act 18, gait 15, TE 7": nothing but names and their numbers, one of them a service other than gait
    (not "Gait 50, stairs 8" or "Berg 44, TUG 14, Gait 60")."""
    return _numbers_line(line)[1] and _names_a_service_beside_gait(line)


def _names_a_service_beside_gait(line: str) -> bool:
    """Whether the line names a service by an abbreviation, or by a name other than one said only with a duration
    ("gait")."""
    loose, strict, _, _ = _name_regexes()
    return strict.search(line) is not None or any(
        _normalize_name(m.group(0).lower()) not in _duration_only() for m in loose.finditer(line))


# services.json `minutes_not_a_service_after`; seconds after minutes under 8 (a task timed)
NOT_A_SERVICE_AFTER = re.compile(r"[ \t]*(?:\d[ \t]*)?(?:" + words_pattern(service_rules()["minutes_not_a_service_after"])
                                 + r")(?![\w/])", re.IGNORECASE)
SECONDS_AFTER = re.compile(r"[ \t]*(?:and[ \t]+)?\d{1,2}[ \t]*(?:s|secs?|seconds?)\b", re.IGNORECASE)
THRESHOLD_BEFORE = re.compile(r"(?:\b(?:under|less than|fewer than|below)|[<≤])[ \t]*$", re.IGNORECASE)
UNIT_COUNT_X_BEFORE = re.compile(r"(?<![A-Za-z])[xX×]\s*$")


def _durations(text: str) -> Iterator[tuple[int, int, int]]:
    """Every plausible duration in minutes in the text, (minutes, start, end): counted minutes first, then ranges."""
    spelled = SPELLED_MINUTES_RE.finditer(text) if SPELLED_HINT.search(text) else ()
    for match in (*_from_digit_runs(MINUTES_RE, text), *spelled):
        value = number_value(match.group("value"))
        if ("-" in match.group(0) and (x_before := UNIT_COUNT_X_BEFORE.search(text, max(0, match.start() - 3), match.start()))
                and (value <= MAX_TIMES_AS_UNITS or text[max(0, x_before.start() - 1):x_before.start()].isdigit())):
            # "97112 x2 - 23 min", "heel slides 2x15 - 15 min": a count of units or reps, then the minutes; not a
            # range from 2 to 23 (but "approx 20-25 min" and "NMR x 20-25 min" are, read from their lower end)
            second = re.search(r"-\s*(\d{1,3})", match.group(0))
            value, match_start = int(second.group(1)), match.start() + second.start(1)
            if 0 < value <= MAX_MINUTES:
                yield value, match_start, match.end()
            continue
        if value == 8 and THRESHOLD_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue  # "not billed (under 8 min)": the 8-minute rule's threshold, not a time spent
        if not match.group(0).endswith(".") and (NOT_A_SERVICE_AFTER.match(text, match.end())
                                                 or (value < 8 and SECONDS_AFTER.match(text, match.end()))):
            continue  # "hopscotch 5 min daily", "shirt 2 min 40 s": a home dose or a task timed
        unit = match.group(0).rstrip()[-1:].lower()
        if unit in ("'", "’", "m") and (value > 90 or (
                (walking := DISTANCE_BEFORE.search(text, max(0, match.start() - 12), match.start()))
                and not (unit != "m" and _gait_prime_is_minutes(text, walking.start())))):
            continue  # 150' or "amb 75'" is feet walked, "amb 40 m" metres, not minutes
        if 0 < value <= MAX_MINUTES:
            yield value, match.start(), match.end()
    if HOURS_HINT.search(text):
        for match in HOURS_RE.finditer(text):
            if 0 < (value := _hours(match)) <= MAX_MINUTES and _hours_of_a_service(text, match):
                yield value, match.start(), match.end()
    found = [(value, match.start(), match.end(), match.group("a"), match.group("b"))
             for match in _from_digit_runs(TIME_RANGE_RE, text)
             if (value := _range_minutes(match.group("a"), match.group("b"))) is not None]
    if len(found) > 1:
        for (value, start, end, _, stop), (next_value, next_start, next_end, resume, _) in zip(found, found[1:]):
            if (RANGES_JOINED.fullmatch(text, end, next_start) and value + next_value <= MAX_MINUTES
                    and stop.replace(":", "") != resume.replace(":", "")):
                # "0830-0910 and 1330-1402": one service in two sittings; "0900-0920, 0920-0945" are two
                yield value + next_value, start, next_end
    for value, start, end, _, _ in found:
        yield value, start, end


def durations_in(text: str) -> Iterator[tuple[int, int, int]]:
    """Every plausible duration in minutes in the text: (minutes, start, end)."""
    return _durations(text)


def _minutes_in(text: str) -> tuple[int, int, int] | None:
    """The first duration in the text that is no exercise's dose: (minutes, start, end).

    "BWSTT 2 x 6 min" doses a bout; "NMR x 23 min" and "97112 x2 - 23 min" are the service's time.
    """
    return min((found for found in _durations(text) if not DOSE_COUNT_BEFORE.search(text, max(0, found[1] - 6), found[1])
                and not SYMPTOM_TIME_BEFORE.search(text, max(0, found[1] - 24), found[1])),
               key=lambda found: found[1], default=None)


DOSE_COUNT_BEFORE = re.compile(r"(?<![\w./:])\d{1,2}[ \t]*[x×][ \t]*$")
# "dizziness resolved in 5 min", "sx lasting < 1 min", "HR recovered within 2 min", "back to baseline in 1 minute":
# how long a symptom took
SYMPTOM_TIME_BEFORE = re.compile(r"\b(?:resolv\w*|subsid\w*|settl\w*|recover\w*|last\w*|lasting|(?:back|return\w*)[ \t]+to[ \t]+baseline)[ \t]+(?:in[ \t]+|within[ \t]+|"
                                 r"after[ \t]+|for[ \t]+)?(?:[<>~≈]|about|approx\.?|under|over)?[ \t]*$", re.IGNORECASE)


def _last_minutes_in(text: str) -> tuple[int, int, int] | None:
    """The duration nearest the end of the text (for a duration written before its service)."""
    return max(_durations(text), key=lambda found: found[2], default=None)


def _range_minutes(a: str, b: str) -> int | None:
    start, end = minute_of_day(a), minute_of_day(b)
    if start is None or end is None:
        return None
    span = end - start
    if span <= 0:
        span += 12 * 60  # 12:50-1:15 on a 12-hour clock
    return span if 0 < span <= MAX_MINUTES else None


def _units_span_in(text: str, last: bool = False) -> tuple[int, int, int] | None:
    """Billed units in the text (the first, or the last when `last`): (units, start, end)."""
    found = None
    for match in UNITS_RE.finditer(text):
        value = next(number_value(v) for v in match.groups() if v is not None)
        if 0 < value <= MAX_UNITS:
            found = (value, match.start(), match.end())
            if not last:
                break
    return found


SITTING_COLUMN = re.compile(r"\b(?:am|pm|morning|afternoon|session\s*\d|tx\s*\d)\b")
DASH_CELL = re.compile(r"—|–|-{1,2}")
TABLE_CELL_GAP = re.compile(r"[ \t]*[|\t][ \t]*")


def find_anchors(text: str) -> list[Anchor]:
    """Every place the note names a service, merged where a name and a code stand together."""
    loose, strict, loose_codes, strict_codes = _name_regexes()
    lowercase_note = _typed_in_lowercase(text)
    raw: list[Anchor] = []
    glued_after_slash: list[Anchor] = []  # names glued after "x/"
    joined_abbreviations: list[tuple[re.Match, int]] = []  # strict abbreviations joined to what follows ("TE/", "TE & ")
    for match in CODES.finditer(text):
        raw.append(Anchor(match.start(), match.end(), match.group("code").upper(), sources=["code"]))
    if SPOKEN_CODE_HINT.search(text):
        for match in SPOKEN_CODE_RE.finditer(text):
            if ((match["spaced"] or match["dashed"])
                    and not BILLING_WORD_BEFORE.search(text, max(0, match.start() - 25), match.start())
                    and not TIME_OR_TIMES_AFTER.match(text, match.end())):
                continue  # "BP 97 112", "pain ratings 9 7 5 3 0": numbers, not a code said digit by digit
            if (code := _spoken_code(match)) is not None:
                raw.append(Anchor(match.start(), match.end(), code, sources=["code"]))
    strict_names = _strict_names_any_case() if lowercase_note else _strict_names()
    for regex, is_strict in ((loose, False), (strict, True)):
        matches = strict_names.finditer(text) if is_strict else _loose_matches(regex, text)
        for match in matches:
            # "w/NMR", "s/p TE": the name is glued to a shorthand, not a heading; kept only if the letters
            # before the slash end another service's name ("TE/NMR", "Ther ex/NMR 40 min")
            glued = SHORTHAND_BEFORE_SLASH.search(text, max(0, match.start() - 4), match.start()) is not None
            name = match.group(0).lower()
            after = text[match.end(): match.end() + 12]
            line_start = text.rfind("\n", 0, match.start()) + 1
            if (not is_strict and _normalize_name(name) in _duration_only()
                    and not _duration_follows(text, match.end())
                    and not _closes_its_line_with_minutes(text, match.end())
                    and not _bare_minutes_on_a_minutes_line(text, match.end())
                    and not KEYED_MINUTES_RE.match(text, match.end(), match.end() + 24)  # "ADL Minutes: 20"
                    and not SITTINGS_AFTER.match(text, match.end(), match.end() + 40)  # "gait AM 8; PM 10"
                    and not _gait_prime_is_minutes(text, match.start())
                    and not ((DURATION_BEFORE.search(text, max(0, match.start() - 24), match.start())
                              or _minutes_heading_the_line(text, match.start()) is not None)
                             # "0905-0930 Gait:" or "0900-0930 Gait" ending its line: a heading
                             and (text[match.end():match.end() + 2].lstrip().startswith(":")
                                  or not after.split("\n", 1)[0].strip()))):
                continue
            if (not is_strict and _normalize_name(name) in _line_opening()
                    and not LINE_OPENING.fullmatch(text, line_start, match.start())
                    and not _bare_minutes_on_a_minutes_line(text, match.end())  # "Mins: NMR 30 / ADL 15"
                    # "billing nmr 0900-0925, adl 0925-0940": the next item of a line of timed services
                    and not (RANGE_FOLLOWS.match(text, match.end())
                             and RANGE_ITEM_BEFORE.search(text, max(line_start, match.start() - 30), match.start())
                             and BILLED_WORD.search(text, line_start, match.start()))):
                continue  # "stand at sink for ADLs x 12 min": the activity, not the self-care service
            guarded = is_strict or re.sub(r"[\s.\-]+", " ", name) in _prose_ambiguous()
            if (guarded and not is_strict and text.count("|", line_start, match.start()) >= 2
                    and LATER_CELL_OF_ROW.search(text, line_start, match.start())):
                continue  # "| Rhythmic stab | 4 x 30 s | manual | TC |": a row's resistance or cue cell, no service
            follow = STRICT_FOLLOW.match(text, match.end(), match.end() + 20) if guarded else None
            # "- Bike L3 warm-up (TE) 6 min": an item of a list tagging its exercise with the service (not "(TA) 15 min"
            # after "dorsiflexors" in a sentence)
            tagged_item = (guarded and not follow and match.start() > 0 and text[match.start() - 1] == "("
                           and TAGGED_MINUTES_AFTER.match(text, match.end()) is not None
                           and LIST_ITEM.match(text, text.rfind("\n", 0, match.start()) + 1) is not None)
            if follow and follow["line_end"] and not (
                    MAX_TIMES_AS_UNITS < int(follow["line_end"]) <= MAX_MINUTES_BARE
                    and (ITEM_BEFORE_ON_LINE if not lowercase_note else ITEM_BEFORE_ON_LOWERCASE_LINE).search(
                        text, max(text.rfind("\n", 0, match.start()) + 1, match.start() - 40), match.start())):
                follow = None  # "MMT: ... TA 2" is a muscle grade; "NMR 15 / TA 23" the line's second bill
            if (guarded and not follow and not tagged_item
                    and not _bare_minutes_on_a_minutes_line(text, match.end())
                    and not (is_strict and _bare_minutes_before_activity(text, match.end()))
                    and not (TIME_RANGE_IN_BRACKETS_BEFORE.search(text, max(0, match.start() - 24), match.start())
                             and re.match(r"\s*[:(),]", after))
                    and not DURATION_OF_BEFORE.search(text, max(0, match.start() - 30), match.start())):
                # also accepted as a heading alone at the start of a line ("Manual\n")
                if text[line_start:match.start()].strip(" \t-*•") or after.split("\n", 1)[0].strip():
                    if is_strict and (join := JOINED_NAMES.match(text, match.end())) and join.end() > match.end():
                        joined_abbreviations.append((match, join.end()))  # "TE/NMR 40 min": kept if a service's name follows
                    continue
            if (is_strict and match.group(0) not in strict_codes
                    and not LOWERCASE_STRICT_FOLLOW.match(text, match.end(), match.end() + 24)):
                continue  # "ta: 4/5", "ttp r gt - mod": in a lowercase note a bare abbreviation needs its time
            code = (_strict_code_of(match.group(0)) if is_strict
                    else loose_codes.get(_normalize_name(match.group(0))))
            if code is None:
                continue  # a trie prefix that is not itself a name
            (glued_after_slash if glued else raw).append(Anchor(match.start(), match.end(), code, sources=["name"]))
    if glued_after_slash or joined_abbreviations:
        # "TE/NMR", "Ther ex/NMR x 40 min", "TE & NMR 38 min": two services named together, each its own anchor
        ends = {anchor.end for anchor in raw} | {match.end() for match, _ in joined_abbreviations}
        joined = [anchor for anchor in glued_after_slash if anchor.start - 1 in ends]
        starts = {anchor.start for anchor in raw} | {anchor.start for anchor in joined}
        raw += joined + [Anchor(match.start(), match.end(), _strict_code_of(match.group(0)), sources=["name"])
                         for match, join_end in joined_abbreviations if join_end in starts]
    raw.sort(key=lambda a: (a.start, -(a.end - a.start)))
    # drop anchors inside another anchor ("gait training" inside "neuromuscular re-ed ... ")
    kept: list[Anchor] = []
    for anchor in raw:
        if kept and anchor.start < kept[-1].end:
            continue
        kept.append(anchor)
    merged: list[Anchor] = []
    for anchor in kept:
        if merged:
            previous = merged[-1]
            between = text[previous.end:anchor.start]
            joinable = (len(between) <= 6 and re.fullmatch(r"[\s(\[\-–:,/|#]*(?:cpt)?[\s(\[\-–:,/|#]*", between, re.I)
                        # "Ther activities        | 97530 | -- |": a name and its code in cells of one row
                        or TABLE_CELL_GAP.fullmatch(between) is not None)
            # "97150 group ther ex (30 min)": words after a code describe that code's service
            describes_code = (previous.sources == ["code"] and "code" not in anchor.sources and len(between) <= 25
                              and re.fullmatch(r"[A-Za-z \t\-/&:(]*", between) is not None
                              # "eval 97162 then nmr 15 min", "97162 and NMR": a second service, named after the first
                              and not (anchor.code != previous.code and NEXT_SERVICE_JOINER.search(between)))
            # "Unattended e-stim B quads (G0283)": a name, a few words, then its code in brackets
            coded_name = (previous.sources == ["name"] and anchor.sources == ["code"] and len(between) <= 25
                          and re.fullmatch(r"[A-Za-z \t\-/&]*\(\s*", between) is not None)
            # "97110, nmr 20 min", "97168 reeval, nmr 20 min": a list of services, each its own
            listed_apart = ("code" in previous.sources and anchor.sources == ["name"] and anchor.code != previous.code
                            and re.search(r"[,;]", between) is not None
                            and service_codes().get(anchor.code, {}).get("timed")
                            and (_duration_follows(text, anchor.end) or SPELLED_MINUTES_AFTER.match(text, anchor.end)))
            if describes_code or coded_name or (joinable and not listed_apart
                                                and ("code" in previous.sources) != ("code" in anchor.sources)):
                code = previous.code if "code" in previous.sources else anchor.code
                merged[-1] = Anchor(previous.start, anchor.end, code, sources=previous.sources + anchor.sources)
                continue
        merged.append(anchor)
    return merged


# services.json `next_service_joiners`: "eval 97162 then nmr 15 min"
NEXT_SERVICE_JOINER = re.compile(r"\b(?:" + words_pattern(service_rules()["next_service_joiners"]) + r")\b|[&+]", re.IGNORECASE)
SPACED_CELLS = re.compile(r"\S {2,}\S")
SPACED_HEADER_WORD = re.compile(r"^(?:cpt|code|codes|service|services|description|activity|exercise|intervention|tx)$")


# an exported log's delimited line: "CPT,Units,Minutes", "97112;2;27", '"Step down, lateral",3,10,,,6';
# prose puts a space after its commas, an export does not (outside its quoted fields)
DELIMITED = {d: re.compile(rf'^(?:"[^"\n]*"|[^"{d}\n])*(?:{d}(?:"[^"\n]*"|[^"{d}\n])*)+$') for d in (",", ";")}
QUOTED = re.compile(r'"[^"\n]*"')


def _delimiter(line: str, header: str | None = None) -> str | None:
    """The delimiter of an export's line; a row under a header takes the header's ("97112,2,27,tandem;SLS")."""
    line = line.rstrip(" \t")  # "...,8, " with a Windows line end read as a trailing space: an empty last cell
    unquoted = QUOTED.sub("", line)
    for delimiter in (header,) if header else (";", ","):
        if (unquoted.count(delimiter) >= (1 if delimiter == ";" or header else 2) and f"{delimiter} " not in unquoted
                and DELIMITED[delimiter].match(line)):
            return delimiter
    return None


# the header of a table of two columns, a service and its minutes or units, with one pipe or tab between them
TWO_CELL_HEADER = re.compile(r"[ \t]*(?:services?|codes?|cpt|description|billing|charges?)[ \t]*(?P<separator>[|\t])[ \t]*(?:min(?:ute)?s?|units?)[ \t]*",
                             re.IGNORECASE)


def _separator(line: str) -> str | None:
    if line.count("|") >= 2:
        return "|"
    if line.count("\t") >= 2:
        return "\t"
    if (two_cells := TWO_CELL_HEADER.fullmatch(line)) is not None:
        return two_cells["separator"]  # "Service<TAB>Min" over "Neuromuscular re-ed<TAB>24"
    if "  " in line and len(SPACED_CELLS.findall(line)) >= 2:
        return SPACED  # "97112    NMR tandem,SLS,foam EC    27    2": a column's text may hold commas
    if "," in line or ";" in line:
        return _delimiter(line)
    return None


def _cells(line: str, separator: str) -> list[str]:
    if separator == SPACED:
        return [c.strip() for c in re.split(r" {2,}|\t", line.strip())]
    if separator in DELIMITED:
        try:
            return [c.strip() for c in next(csv.reader([line.replace("\r", " ")], delimiter=separator))]
        except csv.Error:
            return [c.strip() for c in line.split(separator)]
    return [c.strip() for c in line.split(separator)]


CODE_ROW_NUMBERS = re.compile(r"[ \t|]*(?:97\d{3}|G0\d{3})[ \t]*\|[ \t]*(?:[A-Za-z][A-Za-z .&/\-]{0,30}\|[ \t]*)?"
                              r"(?P<minutes>[1-9]\d?)[ \t]*(?:\|[ \t]*(?P<units>\d)[ \t]*)?[ \t|]*")
ASSISTANCE_CELL = re.compile(r"min(?:imal)?\.?\s*(?:a\b|assist)")
# "CPT | Start | Stop | Units", "Code,Time in,Time out": the service's minutes are the clock time between
CLOCK_COLUMN = re.compile(r"(?P<start>start(?:\s*time)?|time\s*in|in)|(?:stop|end|finish)(?:\s*time)?|time\s*out|out")


def _table_columns(text: str) -> list[tuple[int, dict[str, int], str]]:
    """Header rows of pipe, tab, space-aligned or delimited tables: (offset, {'minutes': i, 'units': j, ...}, separator)."""
    headers = []
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        separator = _separator(line)
        if separator:
            cells = [c.lower() for c in _cells(line, separator)]
            if (separator == SPACED and not any(SPACED_HEADER_WORD.match(c) for c in cells)
                    or separator in DELIMITED and any(len(c.split()) > 3 for c in cells)):
                offset += len(line) + 1
                continue  # double spaces or commas in prose; a spaced header names its code or service column
            columns = {}
            for i, cell in enumerate(cells):
                if re.search(r"\d", cell) or len(cell) > 24:
                    continue  # a header names its columns; "6 min, 1.0 mph" or "mod A -> min A" is a row
                minutes_header = re.search(r"^(?:[a-z./]+\s+)?\(?min|\bmin(?:ute)?s?\)?$|^(?:tx |treatment )?(?:time|duration)$",
                                           cell) if not ASSISTANCE_CELL.match(cell) else None  # "min A" is help given
                if (minutes_header and "minutes" in columns and SITTING_COLUMN.search(cell)
                        and SITTING_COLUMN.search(cells[columns["minutes"]])):
                    # "CPT | Desc | AM min | PM min | Units": one service's minutes in two sittings
                    columns.setdefault("more_minutes", []).append(i)
                elif minutes_header and ("minutes" not in columns or (
                        columns.get("time_column") and re.search(r"\bmin", cell))):
                    # "Date,Time,CPT,Minutes,Units": a minutes column wins over a time that may be the clock's
                    columns["minutes"] = i
                    columns["time_column"] = int(not re.search(r"\bmin", cell))
                    if re.search(r"\bunit|\bu\b", cell):
                        columns["units"] = i  # "Minutes/Units": cells read "26 / 2"
                        columns["units_first"] = int(cell.find("unit") < cell.find("min"))  # "Units/Min": "2 / 26"
                elif re.search(r"\bunit|^#\s*units|^qty", cell) and "units" not in columns:
                    columns["units"] = i
                elif clock := CLOCK_COLUMN.fullmatch(cell):
                    columns["start" if clock["start"] else "stop"] = i
            if ("start" in columns) != ("stop" in columns):
                columns.pop("start", None), columns.pop("stop", None)
            if columns and not re.search(r"\d{3}", line):
                columns["width"] = len(cells)
                if separator in DELIMITED:
                    # an export's rows run on while its lines are delimited the same way: where they stop
                    rows_end = offset + len(line) + 1
                    for row in lines[index + 1:]:
                        if _delimiter(row, separator) != separator:
                            break
                        rows_end += len(row) + 1
                    columns["rows_end"] = rows_end
                headers.append((offset, columns, separator))
        offset += len(line) + 1
    return headers


def _from_table(text: str, anchor: Anchor, headers) -> tuple[int | None, int | None]:
    line_start = text.rfind("\n", 0, anchor.start) + 1
    line_end = text.find("\n", anchor.end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    usable = [h for h in headers if h[0] < line_start]
    if not usable:
        return None, None
    _, columns, separator = usable[-1]
    if (separator == SPACED and _separator(line) != SPACED) or (separator != SPACED and line.count(separator) < 1):
        return None, None
    if separator in DELIMITED and line_start >= columns["rows_end"]:
        return None, None  # a row belongs to an export's header only inside its run of delimited lines
    cells = _cells(line, separator)
    filled = len(cells) - next((i for i, c in enumerate(reversed(cells)) if c.strip()), len(cells))
    if (columns.get("minutes") == columns["width"] - 1 and filled > columns["width"] and "units" not in columns
            and re.fullmatch(r"\(?\d{1,3}\)?", cells[filled - 1].strip())):
        # a row with more cells than its header ("Billing | 97112 | GP | 2 | 25" under "Ex | Dose | Notes | Min",
        # a response cell split in two): the minutes are still its last cell
        columns = {**columns, "minutes": filled - 1}
    minutes = units = None
    if "minutes" in columns and columns["minutes"] == columns.get("units") and columns["minutes"] < len(cells):
        found = re.search(r"(?<![\d/])(\d{1,3})\s*/\s*(\d{1,3})\s*$", cells[columns["minutes"]])
        if found:
            minutes, units = int(found.group(1)), int(found.group(2))
            if columns.get("units_first"):
                minutes, units = units, minutes
    elif "minutes" in columns and columns["minutes"] < len(cells):
        found = re.match(r"^\(?(\d{1,3})\b(?![:.]\d)(?!\s*[ap]\.?m\b)", cells[columns["minutes"]], re.IGNORECASE)
        if found:
            minutes = int(found.group(1))
        elif DASH_CELL.fullmatch(cells[columns["minutes"]].strip()) and not columns.get("more_minutes"):
            minutes = 0  # "97116 | Gait | — | —": a row of the grid left empty today
        else:
            found = _minutes_in(cells[columns["minutes"]])
            minutes = found[0] if found else None
        more = [re.match(r"^\(?(\d{1,3})\b(?![:.]\d)", cells[i]) for i in columns.get("more_minutes", ()) if i < len(cells)]
        if any(more):
            minutes = (minutes or 0) + sum(int(m.group(1)) for m in more if m)
    if minutes is None and "start" in columns and max(columns["start"], columns["stop"]) < len(cells):
        clock = [re.fullmatch(r"(\d{1,2}:?\d{2})\s*(?:[ap]\.?m?\.?)?", cells[columns[end]].strip(), re.IGNORECASE)
                 for end in ("start", "stop")]
        if all(clock):
            minutes = _range_minutes(clock[0].group(1), clock[1].group(1))
    if "units" in columns and columns["units"] != columns.get("minutes") and columns["units"] < len(cells):
        found = re.match(r"^\(?(\d{1,2})\b", cells[columns["units"]])
        units = int(found.group(1)) if found else None
    if (minutes is None and units is None and (billed := CODE_ROW_NUMBERS.fullmatch(line))
            and int(billed["minutes"]) > MAX_TIMES_AS_UNITS):
        # "97112 | NMR | 12 | 1" under an exercise table's header: a billing row of its own, minutes then units
        minutes = int(billed["minutes"])
        units = int(billed["units"]) if billed["units"] else None
    # a cell outside what one visit can hold is a misaligned row, not a value; 0 minutes is kept: not given
    return (minutes if minutes is not None and 0 <= minutes <= MAX_MINUTES else None,
            units if units is not None and 0 < units <= MAX_UNITS else None)


# between the services of a run-on line's closing billing ("97112 30 97116 10", "nmr 25 / ther act 15 3u total")
BILLING_TAIL_ITEM = re.compile(r"[ \t]*(?:[:=\-][ \t]*)?(?:x[ \t]*)?(?P<minutes>\d{1,3})[ \t]*(?:(?:min(?:ute)?s?\b|m\b|['’])[ \t]*)?"
                               r"(?:\(?(?P<units>\d)[ \t]*u(?:nits?)?\b\)?[ \t]*)?(?:[/,;|+&][ \t]*)?")
BILLING_TAIL_END = re.compile(r"(?:\d{1,3}[ \t]*(?:min(?:ute)?s?\b[ \t]*)?)?(?:\(?\d[ \t]*u(?:nits?)?\b\)?[ \t]*)?"
                              r"(?:total\b[ \t]*(?:timed\b[ \t]*)?(?:[:=][ \t]*)?(?:\d{1,3}[ \t]*(?:min(?:ute)?s?\b[ \t]*)?)?"
                              r"|(?:[a-z]+[ \t]+){0,3}not[ \t]+billed\b[ \t]*)?" + CLOSING_REMARK + r"(?:\.[ \t]*)?",
                              re.IGNORECASE)
BILL_ON_LINE = re.compile(r"\b97\d{3}\b|\d[ \t]*(?:u|units?|min(?:ute)?s?)\b", re.IGNORECASE)
@lru_cache(maxsize=1)
def _evaluation_codes() -> frozenset[str]:
    """The evaluation and re-evaluation codes (services.json names them so)."""
    return frozenset(code for code, rule in service_codes().items() if "evaluation" in rule.get("name", ""))


# services.json `evaluation_in_passing_before` / `_after`: an evaluation named by its name only, as an event of
# another day ("(13 at re-eval 4 wks ago)", "TUG 16.1 s (last re-eval 19.0 s)", "re-eval due next wk")
EVALUATION_IN_PASSING_BEFORE = re.compile(r"\b(?:" + words_pattern(service_rules()["evaluation_in_passing_before"])
                                          + r")[ \t]+$", re.IGNORECASE)
EVALUATION_IN_PASSING_AFTER = re.compile(r"[ \t]*(?:[:,-][ \t]*)?(?:" + words_pattern(service_rules()["evaluation_in_passing_after"])
                                         + r")\b|[ \t]+\d+[ \t]*(?:d|days?|wks?|weeks?|mo|months?)[ \t]+ago\b", re.IGNORECASE)
# a line saying what will be done: "97164 re-eval due in 4 wks", "next visit: 97112"
# (services.json `plan_words_on_code_line`, and "in 4 wks", "at visit 10")
PLAN_WORDS_ON_LINE = re.compile(r"\b(?:" + words_pattern(service_rules()["plan_words_on_code_line"])
                                + r"|(?:in|at)\s+(?:visit\s+)?\d+\s*(?:d|days?|wks?|weeks?|mo|months?|visits?)?)\b", re.IGNORECASE)
# a line that is no bill of today: another day's date or a place elsewhere ("97162 PT eval on 1/5/24",
# "97110, 97140 at outside clinic", services.json `elsewhere_places`)
NOT_TODAY_ON_LINE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:" + words_pattern(service_rules()["elsewhere_places"]) + r")\b",
                               re.IGNORECASE)
# a line heading a summary of past visits: "Summary of treatment this period (10 visits):"
# (services.json `period_summary_words`, and "since eval", "(10 visits)")
PERIOD_SUMMARY = re.compile(r"\b(?:" + words_pattern(service_rules()["period_summary_words"])
                            + r"|since\s+(?:eval\w*|soc|start)|\d+\s+visits)\b", re.IGNORECASE)
# a line introducing the list below it: "Treatment will include:", "Interventions planned:"
INTRODUCES_A_LIST = re.compile(r"^(?![^\n]*\b(?:bill\w*|charge\w*|cpt|codes?|time|units?|minutes)\b)[^\n]*:\s*$", re.IGNORECASE)


# what a bill line may hold beside its services: "Billed 97112 and 97530. Total treatment time 45 min."
BILL_LINE_WORDS = re.compile(r"\b(?:and|plus|billed|bill|charged|charges|cpt|codes?|total|timed|treatment|tx|time"
                             r"|min|mins|minutes?|units?|today)\b|\d+|[^\w]", re.IGNORECASE)


BILL_WORD_ON_LINE = re.compile(r"\b(?:billed|charged|charges|total\s+(?:tx|treatment|timed|time|visit|session|minutes|mins)|total\s*[:=]?\s*\d)\b",
                               re.IGNORECASE)


def _only_services_on_line(text: str, line_start: int, line_end: int, on_line: list[Anchor]) -> bool:
    """Whether the line holds nothing but its services (`on_line`, the anchors starting on it) and the words of a
    bill around them."""
    line = list(text[line_start:line_end])
    for other in on_line:
        line[other.start - line_start:other.end - line_start] = " " * (min(other.end, line_end) - other.start)
    return not BILL_LINE_WORDS.sub("", "".join(line)).strip()


PLAN_WORD_BEFORE = re.compile(r"\b(?:" + "|".join(map(re.escape, service_rules()["plan_verbs_before_bill"])) + r")[ \t]*$",
                              re.IGNORECASE)
# services.json `justified_before`: earlier in the sentence, the care argued for ("Skilled PT warranted for ... gait training")
JUSTIFIED_BEFORE = re.compile(r"\b(?:" + words_pattern(service_rules()["justified_before"]) + r")\b[^.;:\n]*$", re.IGNORECASE)
CLAUSE_OPEN_BEFORE = re.compile(r"(?:^|[,;.]|\s[-–—])[ \t]*$", re.MULTILINE)  # ^: the run opens its line


DASH_CELL = re.compile(r"[\s|)]*(?:—|--?|–)[\s|]*")  # "97112 | -- | 2": a dash for minutes, no empty box
# what a run-on's closing bill holds between and after its services: amounts, clock ranges and a bill's words
# ("... ltg mailbox w rw mod i nmr 1005-1030 te 10 min", "... 97112 x 2 units 97116 x1 unit total timed 41")
CLOSING_BILL_REST = re.compile(r"(?>\s+|" + CLOCK_RANGE + r"|\d+|units?|min(?:ute)?s?|total|timed|time|tx|group|"
                               + literal_alternation(service_names()) +
                               r"|not[ \t]+billed|[x×um]|[-–/,;:=+()'’.])*+", re.IGNORECASE)


# words before a run-on's last services that say they were not given today (services.json `not_today_before_bill`)
NOT_TODAY_BEFORE_BILL = re.compile(r"\b(?:" + words_pattern(service_rules()["not_today_before_bill"]) + r")\b[ \t]*:?[ \t]*$",
                                   re.IGNORECASE)
PLAN_LINE = re.compile(r"[ \t]*(?:p|plan)[ \t]*:", re.IGNORECASE)


def _planned_before(text: str, line_start: int, stop: int) -> bool:
    """Whether a plan's frequency or verb stands right before a bill closing its line at `stop`:
    "p: 1x/wk x 6 wks 97112 30 97116 15", "next visit add 97530 20 1u"."""
    return bool(PLAN_FREQUENCY.search(text, max(line_start, stop - 40), stop)
                or PLAN_WORD_BEFORE.search(text, max(line_start, stop - 20), stop))


def _closing_bill(text: str, anchors: list[Anchor]) -> set[int]:
    """The anchors of the bill closing a run-on note, whatever its form: from the first of them to the end, nothing
    but services, their amounts and a bill's words, and at least one amount or a code."""
    closing: set[int] = set()
    stop = len(text.rstrip())
    for index in range(len(anchors) - 1, -1, -1):
        anchor = anchors[index]
        if "\n" in text[anchor.start:stop]:
            break
        if not CLOSING_BILL_REST.fullmatch(text, anchor.end, stop):
            break
        closing.add(index)
        stop = anchor.start
    if not closing or not any(ch.isdigit() for ch in text[stop:]):
        return set()
    line_start = text.rfind("\n", 0, stop) + 1
    if (_planned_before(text, line_start, stop)
            or NOT_TODAY_BEFORE_BILL.search(text, max(line_start, stop - 25), stop)  # "pt refused gait 10 min"
            or PLAN_LINE.match(text, line_start)):  # "p: nmr 20 min", a plan's own line
        return set()
    return closing


def _billing_tails(text: str, anchors: list[Anchor]) -> dict[int, tuple[int, int | None, tuple[int, int], tuple[int, int] | None]]:
    """The services of a billing run closing a run-on line, each with the bare number after it.

    "..., plan add dual task nxt visit, 97112 30 97116 10": typed in haste, the codes and their
    minutes end the line with nothing else after them. Returns {anchor index: (minutes, units,
    minutes span, units span)}; a run of one needs a code ("..., 97112 23"), a run of names two.
    """
    found = {}
    index = len(anchors) - 1
    while index >= 0:
        line_end = text.find("\n", anchors[index].end)
        line_end = len(text) if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, anchors[index].start) + 1
        chain: list[tuple[int, re.Match]] = []
        stop = line_end
        position = index
        while position >= 0 and anchors[position].start >= line_start:
            anchor = anchors[position]
            if chain:  # between two services of the run: a number and its separator, nothing more
                item = BILLING_TAIL_ITEM.match(text, anchor.end, stop)
                if (item is None or item.end() != stop
                        or not MAX_TIMES_AS_UNITS < int(item["minutes"]) <= MAX_MINUTES_BARE):
                    break
            elif (item := _closing_item(text, anchor.end, stop)) is None:
                break
            chain.append((position, item))
            stop = anchor.start
            position -= 1
        # closing the note, a run of two codes or three names needs no punctuation before it:
        # "..., stg sls R 30s 3 wks 97112 15 97110 10", "... w/o incr sx nmr 23 te 10 mt 8"
        # as does one code, one service with its units ("... pt tol well nmr 22 1u") or two services
        closes_note = bool(chain) and not text[line_end:].strip() and (
            len(chain) > 1 or "code" in anchors[chain[0][0]].sources or chain[0][1]["units"]) and (
            not _planned_before(text, line_start, stop))
        if chain and (closes_note or (CLAUSE_OPEN_BEFORE.search(text, line_start, stop) and (
                len(chain) > 1 or "code" in anchors[chain[0][0]].sources))):
            for position, item in chain:
                # "nmr 25 / ther act 15 3u total": units before "total" are the visit's, not the last service's
                rest = text[item.end():line_end].lower() if position == chain[0][0] else ""
                units = item["units"] if item["units"] and "total" not in rest else None
                if "not billed" in rest:
                    units = "0"  # "te 7 min nustep not billed": done, listed with no unit billed
                found[position] = (int(item["minutes"]), int(units) if units else None,
                                   item.span("minutes"), item.span("units") if item["units"] and units else None)
        # go on with the anchors of earlier lines
        while index >= 0 and anchors[index].start >= line_start:
            index -= 1
    return found


def _named_as_billed_codes(services: list[Anchor]) -> list[Anchor]:
    """The services without those named only by a name that is a code billed by number (services.json
    `name_same_as_codes`): "E-stim unattended x 15 min" beside "G0283" is that code, and lends it its minutes."""
    by_number = {a.code: a for a in services if "code" in a.sources}
    same_as = service_rules()["name_same_as_codes"]
    kept = []
    for anchor in services:
        billed = ([by_number[code] for code in same_as.get(anchor.code, ()) if code in by_number]
                  if anchor.sources == ["name"] and anchor.code not in by_number else [])
        if not billed:
            kept.append(anchor)
        elif len(billed) == 1 and billed[0].minutes is None and anchor.minutes is not None:
            billed[0].minutes, billed[0].minutes_span = anchor.minutes, anchor.minutes_span
    return kept


def find_services(text: str) -> tuple[list[Anchor], dict]:
    """Anchors with their minutes, units and documenting segment; and the visit totals."""
    anchors = find_anchors(text)
    sections = find_sections(text)
    headers = _table_columns(text)
    lowercase = bool(anchors) and _mostly_lowercase(text)
    _read_anchors(text, anchors, sections, headers, lowercase)
    services = [a for a in anchors if not a.prose]
    if len(services) < len(anchors):
        # "Ther ex 15 min including transfer training": a name in a sentence is not a service of its own,
        # and the services around it document up to the next real one
        for anchor in services:
            anchor.minutes_span = anchor.units_span = None
        _read_anchors(text, services, sections, headers, lowercase)
    services = _named_as_billed_codes(services)
    totals = {"timed_minutes": None, "visit_minutes": None}
    match = VISIT_TIME.search(text)
    if match:
        found = _minutes_in(text[match.end():match.end() + 30])
        totals["visit_minutes"] = found[0] if found else None
    if totals["visit_minutes"] is None:
        for end in VISIT_CLOCK_ENDS.finditer(text):
            start = VISIT_CLOCK_START_BEFORE.search(text, max(0, end.start() - 40), end.start())
            if start:
                totals["visit_minutes"] = _range_minutes(start["start"], end["end"])
                break
    match = _stated_timed_minutes(text)
    if match:
        totals["timed_minutes"] = int(match.group("value") or match.group("after") or match.group("ttm") or match.group("bare"))
    elif "timed" in text.lower():
        match = MINUTES_TIMED_RE.search(text)
        totals["timed_minutes"] = int(match.group(1)) if match else None
    return services, totals


def _stated_timed_minutes(text: str) -> re.Match | None:
    """The note's stated total of timed minutes ("Total timed minutes: 38", "TTM 38", "Timed: 38 | Units: 3")."""
    for match in TOTAL_TIMED.finditer(text):
        before = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
        if match.group("bare") is None or not before.strip(" \t-*•") or before.rstrip()[-1:] in ("|", ";", "("):
            return match
    return None


def _inside_a_sentence(text: str, clause_floor: int, anchor: Anchor) -> bool:
    """A name with words of its sentence before it and no heading mark after it ('including transfer training and')."""
    # the words before the name in its clause, back to the previous service ("Services: ther act and NMR")
    clause = CLAUSE_BREAK.split(text[clause_floor:anchor.start])[-1]
    return (WORD.search(LIST_JOINERS.sub(" ", BILL_LEAD.sub(" ", clause))) is not None
            and not HEADING_FOLLOW.match(text, anchor.end))


def _sentence_start(text: str, line_start: int, at: int) -> int:
    """Where the sentence holding text[at] starts, within its line."""
    return max(line_start, text.rfind(". ", line_start, at) + 2)


def _clock_range_opening_the_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a clock range ("1300-1315", "9:00-9:25") that a line opens with."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip(" \t-*•") and TIME_RANGE_RE.fullmatch(text, start, end) is not None


def _sums_the_line_before(text: str, start: int, minutes: int) -> bool:
    """Whether a duration adds up the bare numbers before it on its line: "NMR 32 / TE 14 (46 min)" is a total."""
    numbers = [int(n) for n in BARE_NUMBER.findall(text, max(text.rfind("\n", 0, start) + 1, start - 80), start)]
    return len(numbers) > 1 and sum(numbers) == minutes


COUNT_AFTER_CODE = re.compile(r"[ \t]*[x×][ \t]*(\d{1,3})\b")


# "NMR twenty-five, gait ten.", "ther act 97530 sixteen.": a dictated bill's minutes said as a number alone
BARE_SPELLED_AFTER = re.compile(r"[ \t]*[:,\-–]?[ \t]*(?P<value>" + SPELLED + r")(?=[ \t]*(?:[,.;]|and\b|\n|$))",
                                re.IGNORECASE)


# a block's heading colon, then the words of an item right before a duration; another dosed item after it
FIRST_ITEM_DOSE_BEFORE = re.compile(r"[ \t]*[:\-–][ \t]*[A-Za-z][^\n:]*?[ \t]+(?:x[ \t]*)?")
NEXT_ITEM_WITH_MINUTES = re.compile(r"[ \t]*[,;][ \t]*[A-Za-z][^\n]*?(?<!\d)\d{1,3}[ \t]*(?:min(?:ute)?s?\b|['’])", re.IGNORECASE)
ITEM_WITH_OWN_DOSE = re.compile(r"\b(?:" + words_pattern(service_rules()["items_with_own_dose"]) + r")\b", re.IGNORECASE)
NEXT_ITEM_AFTER = re.compile(r"[ \t]*[,;][ \t]*[A-Za-z][^,;\n]*?(?<!\d)\d{1,3}[ \t]*(?:[x×]|reps?\b|sets?\b|s\b|secs?\b|min|'|lbs?\b|#)",
                             re.IGNORECASE)


def _nearest_duration(text: str, anchor: Anchor, after: str, after_start: int, before: str, before_start: int,
                      next_name_follows: bool = False, claimed: tuple[int, int] | None = None) -> int | None:
    """The duration nearest the service name: "0930-0955 NMR: ... 1 min bouts" is 25 minutes.

    A duration before a name counts when nothing but a linking word stands between them and it is
    not a total; before a code it counts unless it is a total. Sets the anchor's minutes span.
    """
    candidates = []
    found = _minutes_in(after)
    if found is None and (said := BARE_SPELLED_AFTER.match(after)):
        found = number_value(said["value"]), said.start("value"), said.end("value")
    if (found and "code" not in anchor.sources and METRES_UNIT.fullmatch(after, found[1], found[2])
            and DISTANCE_BEFORE.search(text, anchor.start, anchor.end) and not HEADING_COLON_AFTER.match(after, found[2])
            and not _minutes_written_as_m(text)):
        # "- Gait 60m no aid, CGA": metres walked, not the gait service's minutes ("Gait 15m:" heads a block, and
        # "NMR 20m, gait 15m, TE 10m" or "Ther ex 20m" on another line write each service's minutes so)
        found = None
    if (found and FIRST_ITEM_DOSE_BEFORE.fullmatch(after, 0, found[1])
            and (NEXT_ITEM_WITH_MINUTES.match(after, found[2])
                 or (NEXT_ITEM_AFTER.match(after, found[2]) and ITEM_WITH_OWN_DOSE.search(after, 0, found[1])))):
        # "TE: bike 8 min, side plank 3 x 20 s", "..., prone lying 5 min, recumbent bike 10 min": an item's dose, not
        # the block's time ("NMR: standing balance on foam x 15 min, tandem stance 3 x 30 s" keeps its 15)
        found = None
    if found and not (next_name_follows and LINKED_TO_NEXT_NAME.fullmatch(after[found[2]:])):
        # "0930-1008 for NMR and 1008-1020 for ther act": the second range is the next service's
        candidates.append((found[1], found[0], after_start + found[1], after_start + found[2]))
    found = _last_minutes_in(before)
    if found and claimed == (before_start + found[1], before_start + found[2]):
        found = None  # "97112 x2 (27 min) 97110 x1 (10 min)": the 27 is the previous code's
    if (found and not TOTAL_BEFORE.search(before, 0, found[1]) and not _sums_the_line_before(
                text, before_start + found[1], found[0])
            and ("code" in anchor.sources or ATTACHED_BEFORE_NAME.fullmatch(before[found[2]:]))):
        candidates.append((len(before) - found[2], found[0], before_start + found[1], before_start + found[2]))
        if (_clock_range_opening_the_line(text, before_start + found[1], before_start + found[2])
                and "\n" not in before[found[2]:] and len(candidates) > 1
                and ACTIVITY_WORD.search(after[:candidates[0][0]])):
            # "1300-1315 concurrent (w/ res rm 108) 97110: SciFit x8 min, ...": the line's time is the service's,
            # an exercise's dose after the code is not ("1320-1350 gait 97116 15min" keeps its own minutes)
            candidates = candidates[-1:]
        elif (":" in before[found[2]:] and "\n" not in before[found[2]:]
              and CODE_RE.search(text, anchor.end, end_of_line(text, anchor.end))
              and ((len(candidates) > 1 and candidates[0][0] <= 4)
                   or ((count := COUNT_AFTER_CODE.match(after)) and int(count[1]) > MAX_TIMES_AS_UNITS))):
            # "Live video 30 min: 97110 x 15, 97530 x 15": the heading times the visit, each code on its line has
            # its own ("Ther ex 20 min: 97110 - 5 min warm-up, ..." keeps the heading's)
            candidates = candidates[:-1]
    if not candidates:
        return None
    _, minutes, span_start, span_end = min(candidates)
    anchor.minutes_span = (span_start, span_end)
    return minutes


def _heading_count(text: str, anchor: Anchor, after: str, after_start: int) -> tuple[str, int, tuple[int, int]] | None:
    """A count right after a service name heading its clause: ("minutes" | "units", value, span) or None.

    "NMR x23:", "TE x8:" are minutes; "NMR x2:", "Self-care (1):" are units, as on a billing line. "Gait x 2:"
    counts laps (only minutes belong to a duration-only name) and "Transfer training x5:" counts transfers.
    """
    found = HEADING_TIMES_RE.match(after)
    if found is None:
        return None
    group = 1 if found.group(1) is not None else 2
    value = int(found.group(group))
    if found.group("listed") is not None and (value <= MAX_TIMES_AS_UNITS or len(LISTED_COUNT.findall(
            text, text.rfind("\n", 0, anchor.start) + 1, end_of_line(text, anchor.end))) < 2
            or not service_codes().get(anchor.code, {}).get("timed", True)):
        # "transfer training x10, sit<>stand" counts reps; "NMR x25 TE x13 = 3u" lists two services;
        # "Epley x2, BBQ roll x10" counts an untimed service's manoeuvres
        return None
    if value == 0:
        return None
    head = after[:found.end()]
    span = (after_start + len(head) - len(head.lstrip()), after_start + found.end(group))
    if value > MAX_TIMES_AS_UNITS:
        return "minutes", value, span
    if _normalize_name(text[anchor.start:anchor.end].lower()) in _duration_only():
        return None
    in_brackets = group == 2
    return ("units", value, span) if in_brackets or anchor.end - anchor.start <= 7 else None


# a week's minutes table ("Minutes  Mon  Tue  Wed  Thu  Fri | wk", "97112  22  25  --  23  24"), and what a
# weekly summary reports above the note of today ("Tue 2/10: 97112 24' 2u", then "Today 2/13: ...")
WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?|(?:mo|tu|we|th|fr|sa|su)\b)"
WEEK_HEADER = re.compile(rf"\b{WEEKDAY}(?:[ \t|]+{WEEKDAY}){{2,}}\b|(?<!\w)M[ \t|]+T[ \t|]+W[ \t|]+(?:Th?|R)[ \t|]+F\b",
                         re.IGNORECASE)
# "No PT charges today." or "Billing: no charge" as a line or sentence of its own; not one item's "(no charge)",
# "RTB provided at no charge" or "Ice 10 min (97010, no charge)"
NO_CHARGES = re.compile(r"(?:^|(?<=[.;]) )[ \t]*(?:[-*•][ \t]*)?(?:(?:billing|charges?|bill(?:ed)?)[ \t]*[:\-–][ \t]*)?"
                        r"(?:no|nothing)[ \t]+(?:(?:pt|ot|st|therapy|skilled)[ \t]+)?(?:charges?|billing|billed|was[ \t]+billed)\b"
                        r"[^\n.;]{0,25}(?:[.;]|$)|\bnot\s+a\s+billable\s+(?:visit|session)\b", re.IGNORECASE | re.MULTILINE)
# "NMR this wk: reach outside BOS ...": a weekly summary of past visits
WEEK_SUMMARY_AFTER = re.compile(r"[ \t]*(?:\(\s*)?(?:this|last|past|prior|for the)[ \t]+(?:wk|week)\b", re.IGNORECASE)
# every week table has a Wednesday then a Thursday: a cheap test before the costly one
WEDNESDAY_THEN_THURSDAY = re.compile(r"[Ww](?:ed(?:nesday)?\.?|e)?[ \t|]+(?:[Tt]h(?:u(?:rs?)?(?:day)?\.?)?|[Rr])\b")
# its title: "PT WEEKLY SUMMARY", "OT wkly progress", "5-DAY SUMMARY"; not "Daily Note - IRF wk 2" or "wk 4 post-op"
WEEKLY_SUMMARY = re.compile(r"\bweekly\b|\bwkly\b|\b5[- ]day\b|\bweek(?:ly)?\s+(?:summary|progress)", re.IGNORECASE)
# a row of that table: a label, then three day cells or more ("97112   22   25   --   23   24 | 94")
WEEK_ROW = re.compile(r"\n[ \t]*[A-Za-z0-9Σ/.#]{1,12}(?:[ \t]+[A-Za-z/]{1,10}){0,3}:?(?:[ \t|]+(?:\d{1,3}|--|—|-|x|✓)){3,}[ \t|]*\d{0,4}[ \t]*(?=\n|$)")
TODAY_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?today(?:'s\s+(?:session|visit|tx|treatment))?\b[^:\n]{0,16}:",
                        re.IGNORECASE | re.MULTILINE)


def _says_no_charges(text: str) -> bool:
    """Whether the note says nothing was billed ("No PT charges today.").

    The regex runs only where "no" stands just before "charge" or "billing": most notes bill something.
    """
    lower = text.lower()
    for word in ("charge", "billing"):
        at = lower.find(word)
        while at >= 0:
            if "no " in lower[max(0, at - 16):at]:
                return NO_CHARGES.search(text) is not None
            at = lower.find(word, at + 1)
    return ("nothing billed" in lower or "nothing was billed" in lower or "billable" in lower) and (
        NO_CHARGES.search(text) is not None)


def _past_days(text: str) -> list[tuple[int, int]]:
    """Stretches of a weekly summary that report past days: its week table, and all it says above today's line."""
    past = []
    headers = WEEK_HEADER.finditer(text) if WEDNESDAY_THEN_THURSDAY.search(text) else ()
    for header in headers:
        line_start = text.rfind("\n", 0, header.start()) + 1
        end = text.find("\n", header.end())
        end = len(text) if end < 0 else end
        first_row_at = end
        while (row := WEEK_ROW.match(text, end)) is not None:
            end = row.end()  # the rows of the table follow one another
        if end > first_row_at:  # "Pt seen Mon Wed Thu this wk." heads no table
            past.append((line_start, end))
    title = text.lstrip()[:120].split("\n", 1)[0].lower()  # "PT WEEKLY SUMMARY ...", not "Freq: 3x weekly" below it
    weekly = past or (("wk" in title or "week" in title or "day" in title) and "daily" not in title
                      and WEEKLY_SUMMARY.search(title))
    today = TODAY_LINE.search(text) if weekly and "oday" in text else None
    if today:
        # the week's tables and lines above today's ("3/16  23m 2u  10m 1u", "codes: 97535 / 97530 indiv")
        past.append((0, today.start()))
    return past


# a pasted copy is this long (characters without spaces) before it counts as one: "NMR 97112 x 15 min" typed again
# for a second sitting is no paste, a repeated treatment line or billing table is
PASTE_LENGTH = 40
SPACES = re.compile(r"\s+")


# a line labelling what follows as a sitting, a round or a part of the visit ("PM session 1400-1430:", "Round 2",
# "Today:"): the same treatment written again under it is given again, not pasted
SITTING_OR_ROUND_LABEL = re.compile(r"[ \t]*[-*•#>\[(]*[ \t]*(?:(?:" + words_pattern(service_rules()["repeat_labels"])
                                    + r")\b|" + CLOCK_RANGE + r")[^\n]{0,40}"
                                    r"|[^\n]{1,40}:[ \t]*", re.IGNORECASE)
TODAY_MARK = re.compile(r"[ \t]*[-*•#>\[(=~]*[ \t]*today\b|[^\n]*\btoday(?:'s)?(?:[ \t]+(?:visit|session|tx|treatment))?[ \t]*:",
                        re.IGNORECASE)


def _pasted_again(text: str) -> list[tuple[int, int]]:
    """Lines that repeat lines above them, pasted a second time: a run of one or more lines equal, in order, to
    lines earlier in the note (or a long line cut short from one), at least PASTE_LENGTH characters in all.

    Not a paste: the run written again under its own label ("PM session 1400-1430:", "Round 2:") or after a line
    starting today's treatment ("Today:"), when the earlier copy was another sitting's or another day's.
    """
    lines = []  # (start, end, the line without its spaces), blank lines left out
    todays = [0]  # how many lines starting today's treatment stand up to each line
    start = 0
    for line in text.split("\n"):
        squeezed = SPACES.sub("", line)
        if squeezed:
            lines.append((start, start + len(line), squeezed))
            todays.append(todays[-1] + (TODAY_MARK.match(line) is not None))
        start += len(line) + 1
    first_at: dict[str, int] = {}
    by_opening: dict[str, list[str]] = {}  # earlier long lines by their first PASTE_LENGTH characters
    for index, (_, _, squeezed) in enumerate(lines):
        first_at.setdefault(squeezed, index)
    pasted = []
    index = 0
    while index < len(lines):
        squeezed = lines[index][2]
        earlier = first_at[squeezed]
        if earlier < index:
            # the run of lines that go on repeating the lines after the earlier copy
            run = 1
            while (index + run < len(lines) and earlier + run < index
                   and lines[index + run][2] == lines[earlier + run][2]):
                run += 1
            relabelled = index > 0 and (
                todays[index] > todays[earlier + run]  # "Today:" between the earlier copy and this one
                or (lines[index - 1][2] != (lines[earlier - 1][2] if earlier else None)
                    and SITTING_OR_ROUND_LABEL.fullmatch(text, lines[index - 1][0], lines[index - 1][1]) is not None))
            if not relabelled and sum(len(lines[index + k][2]) for k in range(run)) >= PASTE_LENGTH:
                pasted.append((lines[index][0], lines[index + run - 1][1]))
            index += run
            continue
        if len(squeezed) >= PASTE_LENGTH:
            cut = squeezed.rstrip(".;,")
            if any(len(other) > len(squeezed) and other.startswith(cut)
                   for other in by_opening.get(squeezed[:PASTE_LENGTH], ())):
                pasted.append((lines[index][0], lines[index][1]))  # "... at L foot for clearance." cut from above
            same_opening = by_opening.setdefault(squeezed[:PASTE_LENGTH], [])
            if len(same_opening) < 20:  # a log of many lines opening alike is compared with its first ones only
                same_opening.append(squeezed)
        index += 1
    return pasted


# services.json `pasted_block_from` and `pasted_block_not_today`: "[PRIOR TX 11/03 -- carried fwd, not today]"
PASTED_BLOCK_FROM = re.compile(r"\b(?:" + words_pattern(service_rules()["pasted_block_from"]) + r")\b", re.IGNORECASE)
PASTED_BLOCK_NOT_TODAY = re.compile(r"\b(?:" + words_pattern(service_rules()["pasted_block_not_today"]) + r")\b",
                                    re.IGNORECASE)
# "[END PRIOR]", "--- end copied text ---" (and TODAY_MARK: "TODAY 11/05:", "Today's session:")
PASTED_BLOCK_CLOSER = re.compile(r"[ \t]*(?:[\[(*=#~-]+[ \t]*)?end\b", re.IGNORECASE)
# "Interventions 11/05:", "--- 11/05 ---": a heading dated with another day
DATED_HEADING = re.compile(r"[ \t]*[\[(*=#~-]*[ \t]*(?:[A-Za-z][A-Za-z' ]{0,30}[ \t]+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?[ \t]*[\])*=#~:-]*[ \t]*$")
# a line framed as a marker: bracketed, or between rules or stars ("[PRIOR TX ...]", "=== pasted from 11/6 ===")
FRAMED_LINE = re.compile(r"[ \t]*(?:[\[(*=#~]|-{2,})[^\n]*|[^\n]*(?:[\])*=#~]|-{2,})[ \t]*")
LINE = re.compile(r"^[^\n]*", re.MULTILINE)


def _pasted_blocks(text: str, sections) -> list[tuple[int, int]]:
    """Blocks of another visit's text that a marking line says are not today's, from that line to the block's end:
    a line closing it ("[END PRIOR]", "TODAY 11/05:"), a heading dated with another day, a blank line, or the
    assessment, plan, goals or billing."""
    if not PASTED_BLOCK_NOT_TODAY.search(text):
        return []
    ending_sections = {s[0] for s in sections if s[2] in ("assessment", "plan", "goals", "billing")}
    blocks = []
    opened = None
    for line in LINE.finditer(text):
        written = line.group()
        if opened is not None and (not written.strip() or PASTED_BLOCK_CLOSER.match(written) or TODAY_MARK.match(written)
                                   or DATED_HEADING.fullmatch(written) or line.start() in ending_sections):
            blocks.append((opened, line.start() - 1))
            opened = None
        # the marking words in a framed line without codes, or in the label before a line's colon ("Copied note text
        # from 10/12 below (disregard):", "Prior visit charges (auto-populated, do not bill): 97161 eval, 97110 x2");
        # not in a sentence ("S: Pt ... since last visit, told to ignore mild DOMS.")
        if FRAMED_LINE.fullmatch(written) and not CODE_RE.search(written):
            marked = written
        else:
            marked = written.split(":", 1)[0] if ":" in written else ""
        if (marked and len(written) <= 100
                and PASTED_BLOCK_NOT_TODAY.search(marked) and PASTED_BLOCK_FROM.search(marked)):
            if opened is not None:
                blocks.append((opened, line.start() - 1))
            opened = line.start()
    if opened is not None:
        blocks.append((opened, len(text)))
    return blocks


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans sorted, overlapping ones joined."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


# "Billing (min / units)" over "97140 Manual 10 / 1", "NMR 97112 (units/min): 2/25": a pair in the order declared
PAIR_ORDER = re.compile(r"(?<![\w-])(?P<first>min(?:ute)?s?|units?)[ \t]*/[ \t]*(?P<second>min(?:ute)?s?|units?)\b", re.IGNORECASE)
PAIR_AFTER = re.compile(r"(?P<name>[^\n\d/]{0,30}?)(?<![\d/.])(?P<a>\d{1,3})[ \t]*/[ \t]*(?P<b>\d{1,2})(?![\d/])[ \t]*(?:$|[,;|.])",
                        re.MULTILINE)


def _minutes_units_pair(text: str, anchor: Anchor, line_start: int, line_end: int) -> tuple[int | None, int | None]:
    """Minutes and units written as a pair after the code, in the order a heading above or the line declares."""
    pair = PAIR_AFTER.match(text, anchor.end, line_end)
    if pair is None:
        return None, None
    block_start = max(text.rfind("\n\n", 0, line_start) + 1, line_start - 400)
    order = next(reversed(list(PAIR_ORDER.finditer(text, block_start, anchor.start))), None)
    if order is None or order["first"][0].lower() == order["second"][0].lower():
        return None, None
    words = pair["name"].strip(" \t:-–()")
    if words and not _names_a_service(words):
        return None, None  # "97112 Neuro re-ed: Berg 45/56", "97112 NMR re-eval due 11/14": no billing pair
    minutes, units = (int(pair["a"]), int(pair["b"])) if order["first"][0].lower() == "m" else (int(pair["b"]), int(pair["a"]))
    if not (0 < minutes <= MAX_MINUTES and 0 <= units <= MAX_UNITS):
        return None, None
    return minutes, units


def _names_a_service(words: str) -> bool:
    """Whether the words are a service's name ("Manual", "Ther ex", "NMR"), nothing more."""
    loose, strict, _, _ = _name_regexes()
    return bool(loose.fullmatch(words) or strict.fullmatch(words))


def _read_anchors(text: str, anchors: list[Anchor], sections, headers, lowercase: bool = False) -> None:
    """Each anchor's documenting segment, minutes, units, and whether it was given today."""
    # the bill closing a run-on line is read in notes typed in haste, without capitals
    tails = _billing_tails(text, anchors) if lowercase else {}
    closing_bill = _closing_bill(text, anchors) if lowercase else set()
    past_days = _past_days(text)
    # lines pasted a second time, blocks of another visit's text: sorted, none inside another
    pasted = _outermost(_pasted_again(text) + _pasted_blocks(text, sections))
    pasted_starts = [start for start, _ in pasted]
    boundaries = sorted({s[0] for s in sections})
    blank_lines = [m.start() for m in BLANK_LINE.finditer(text)]
    anchor_starts = sorted(a.start for a in anchors)
    # by line start: a long single-line note is read once, not once per anchor
    lines: dict[int, tuple[str, bool]] = {}  # (the line, a table row)
    requests: dict[int, tuple[list[int], list[int]]] = {}  # by line start: requests of the payer, clause ends
    # codes in a plan, goals or history section taken as not given: (anchor, opens its line, after the goals)
    planned_code_lines: list[tuple[Anchor, bool, bool]] = []
    for index, anchor in enumerate(anchors):
        next_anchor = anchors[index + 1].start if index + 1 < len(anchors) else len(text)
        next_section = next((b for b in boundaries if b > anchor.start), len(text))
        next_blank = next((b for b in blank_lines if b > anchor.end), len(text))
        line_start = text.rfind("\n", 0, anchor.start) + 1
        line_end = text.find("\n", anchor.end)
        line_end = len(text) if line_end < 0 else line_end
        anchor.segment_end = min(next_anchor, next_section, next_blank)
        if past_days and any(start <= anchor.start < end for start, end in past_days):
            anchor.in_plan = True  # "97112  22  25  --  23  24" in the week's table: days past, not today's visit
            continue
        if pasted and (inside := bisect_right(pasted_starts, anchor.start)) and anchor.start < pasted[inside - 1][1]:
            # the treatment line or billing table pasted a second time (given once), another visit's text pasted
            anchor.in_plan = True
            continue
        on_line = bisect_left(anchor_starts, line_end) - bisect_left(anchor_starts, line_start)
        if line_start not in lines:
            line = text[line_start:line_end]
            lines[line_start] = line, line.count("|") >= 2 or line.count("\t") >= 2
        line, table_row = lines[line_start]
        if on_line > 1 or table_row:
            # a billing line ("97112 x2 25 min, 97110 x1 10 min") or a table row documents only itself
            anchor.segment_end = min(anchor.segment_end, line_end)
        section = next((s for s in reversed(sections) if s[0] <= anchor.start), None)
        category = section[2] if section else None
        window_end = min(line_end, next_anchor)
        minutes, units = _from_table(text, anchor, headers)
        if minutes == 0:
            if not units:
                anchor.in_plan = True  # "| 97110 | Ther ex | | 0 | GO |": a row of the template, not given today
                continue
            minutes = None
        anchor.table_row = minutes is not None
        in_a_table = minutes is not None or units is not None  # "Neuromuscular re-education,2," under "Service,Units,Minutes"
        if minutes is None and units is None and "/" in text[anchor.end:line_end]:
            minutes, units = _minutes_units_pair(text, anchor, line_start, line_end)
        if index in tails and minutes is None:
            minutes, units, anchor.minutes_span, anchor.units_span = tails[index]
            anchor.billing_tail = True
        after_start = anchor.end
        after = text[after_start:window_end]
        visit_total = VISIT_TOTAL_AFTER.search(after)
        if index and anchors[index - 1].start >= line_start:
            list_total = LIST_TOTAL_AFTER.search(after)
            earlier = [a for a in anchors[:index] if a.start >= line_start]
            if list_total is None and all(a.minutes is None for a in earlier) and any(
                    service_codes().get(a.code, {}).get("timed") for a in earlier):
                list_total = LIST_TOTAL_AT_END.search(after)
            if (list_total and (list_total.group(0).lstrip()[:1] in "-–—" or OWN_TOTAL_WORDS.search(list_total.group(0)))
                    and any(a.minutes is not None for a in earlier)):
                # "97112 (2) - 26 min; 97110 (1) - 12 min", "97110 TE total time 15 min; 97112 NMR total time 25 min":
                # each code has its own minutes
                list_total = None
            if list_total and (visit_total is None or list_total.start() < visit_total.start()):
                visit_total = list_total
        if visit_total is None and index and anchors[index - 1].start >= line_start:
            # "Time: NMR 28 / TE 12 = 40 min, 3 units": after the sum, the visit's minutes and units
            visit_total = LINE_SUM_AFTER.search(after)
            if visit_total and "+" in after[:visit_total.start()]:
                visit_total = None  # "..., 97116 AM 35 + PM 15 = 50 min": the sum of this service's own parts
        if anchor.shares_time or (
                index and anchors[index - 1].start >= line_start and anchors[index - 1].code != anchor.code
                and anchors[index - 1].minutes is None and JOINED_NAMES.fullmatch(text, anchors[index - 1].end, anchor.start)
                and all(service_codes().get(a.code, {}).get("timed") for a in (anchors[index - 1], anchor))
                and DURATION_FOLLOWS.match(after.lstrip(")] \t"))):
            # "NMR/TE 40 min": one block of time for two codes, neither code's own minutes (still so when the
            # first name, said in a sentence, is no service of its own: "Pt did ther ex and NMR 38 min total")
            anchor.shares_time = True
            after = ""
        if visit_total:
            # "97112/97116 - total 38 min": the dash led to the total; it is no empty field ("Gait: --")
            after = after[:visit_total.start()].rstrip(" \t-–—")
        if minutes is None and (placeholder := PLACEHOLDER_VALUE.match(after)):
            segment = text[anchor.end:anchor.segment_end]
            if "\n" in segment and anchor.segment_end < len(text) and not text.startswith("\n", anchor.segment_end - 1):
                segment = segment[:segment.rfind("\n")]  # up to the next service's line ("Gait 97116: 8 min")
            if (on_line == 1 and "{" not in placeholder.group(0)
                    and NOTHING_WRITTEN.fullmatch(PLACEHOLDER.sub("", segment))):
                anchor.in_plan = True  # "97110: ***", "97530   ***   ***": the template's row left unfilled
                continue
            # "NMR (97112): *** min" over what was done, "97112 NMR - {minutes}", "97530 ***  97116 15": the
            # service was given, its minutes not written
            after = ""
        if anchor.sources == ["code"] and not table_row and not (
                CODE_HEADING_ITS_BLOCK.match(after) and CODE_OPENS_LINE.search(text, line_start, anchor.start)):
            # "Billed 97112 x 2; the 8 minutes of exercise were not billed": a code's values end with its clause
            # (a table row's cells are the code's, whatever its description cell says: "| 97112 | TrA; bird dog | 20 |";
            # a code heading its block, "97530: jar opening, carrying bag; 8 min", is read as a name heading one)
            clause_end = CLAUSE_END.search(after)
            after = after[:clause_end.start()] if clause_end else after
        previous_end = anchors[index - 1].end if index else 0
        before_start = max(line_start, previous_end)
        before = text[before_start:anchor.start]
        breaks = SENTENCE_BREAKS + (CLAUSE_BREAKS if previous_end > line_start else ())
        clause_break = max(before.rfind(sep) for sep in breaks)
        bracket = before.rfind("(")
        if bracket > before.rfind(")") and "code" in anchor.sources and any(c.isdigit() for c in before[bracket:]):
            clause_break = bracket  # "(35 min, 97112)": the bracket holds the code and its minutes
        if clause_break >= 0:  # "97112 x2 (25 min), 97110 x1": what stands before a comma is another's
            before_start += clause_break + 1
            before = text[before_start:anchor.start]
        if minutes is None and units is None and "code" in anchor.sources:
            minutes, units = _keyed_fields(anchor, after, after_start)
        own_total = OWN_TOTAL_RE.search(after)
        if (minutes is None and own_total and 0 < int(own_total.group(1)) <= MAX_MINUTES and on_line == 1
                and not MINUTES_RIGHT_AFTER_NAME.match(after)):
            # "Ther ex: bike x 8 min, bridges ...; total 20 min": the service's own total
            minutes = int(own_total.group(1))
            anchor.minutes_span = (after_start + own_total.start(1), after_start + own_total.end(1))
        added = ADDED_MINUTES.match(after) if minutes is None and "=" in after else None
        if added and 0 < int(added.group(1)) <= MAX_MINUTES:
            # "97535 Self-care: AM 8 + PM 20 = 28": the sum the note wrote
            minutes = int(added.group(1))
            anchor.minutes_span = (after_start + added.start(1), after_start + added.end(1))
            anchor.added_up = True
        count_then = COUNT_THEN_BRACKETED_MINUTES.match(after) if "code" in anchor.sources else None
        if (minutes is None and units is None and count_then
                and MAX_TIMES_AS_UNITS < int(count_then["minutes"]) <= MAX_MINUTES):
            minutes, units = int(count_then["minutes"]), int(count_then["units"])
            anchor.minutes_span = (after_start + count_then.start("minutes"), after_start + count_then.end("minutes"))
            anchor.units_span = (after_start + count_then.start("units"), after_start + count_then.end("units"))
        then_times = MINUTES_THEN_TIMES.match(after) if minutes is None and units is None else None
        if then_times and 0 < int(then_times["units"]) <= units_for_minutes(int(then_times["minutes"])):
            minutes, units = int(then_times["minutes"]), int(then_times["units"])
            anchor.minutes_span = (after_start + then_times.start("minutes"), after_start + then_times.end("minutes"))
            anchor.units_span = (after_start + then_times.start("times"), after_start + then_times.end("units"))
        blanks, blanks_at = None, after_start
        if minutes is None and units is None and "_" in after:
            # "97530  bed mob ... min A->CGA   __1__ units __20__ min": the blanks close the code's line
            blanks = (FILLED_BLANK_UNITS_AND_MINUTES.search if "code" in anchor.sources
                      else FILLED_BLANK_UNITS_AND_MINUTES.match)(after)
        if blanks is None and minutes is None and units is None and "code" in anchor.sources and line_end < anchor.segment_end:
            # "97112  standing bal in corner ...\n       __1__ units  __12__ min": or close its block
            blanks, blanks_at = FILLED_BLANK_UNITS_AND_MINUTES.search(text, line_end, anchor.segment_end), 0
        if blanks:
            minutes_group = "minutes" if blanks["minutes"] else "minutes_first"
            units_group = "units" if blanks["units"] else "units_after"
            minutes = int(blanks[minutes_group])
            if minutes == 0 and not int(blanks[units_group] or 0):
                anchor.in_plan = True  # "97112 __0__ units __0__ min": the form's row filled in as not given
                continue
            anchor.minutes_span = (blanks_at + blanks.start(minutes_group), blanks_at + blanks.end(minutes_group))
            if blanks[units_group]:  # "97110 _____ units __7__ min": minutes written, no unit billed
                units = int(blanks[units_group])
                anchor.units_span = (blanks_at + blanks.start(units_group), blanks_at + blanks.end(units_group))
        leader = DOT_LEADER_NUMBERS.match(after) if minutes is None and units is None and "..." in after else None
        if leader:
            # the last header line above the row names its columns
            header = next(reversed(list(COLUMN_HEADER_ABOVE.finditer(text, max(0, line_start - 400), line_start))), None)
            order = ("first", "second")
            if header and header.group(0).lower().find("unit") < MINUTES_WORD.search(header.group(0)).start():
                order = ("second", "first")  # "UNITS   MINUTES"
            elif not header and leader["second"] and int(leader["first"]) <= MAX_TIMES_AS_UNITS < int(leader["second"]):
                order = ("second", "first")  # "...... 2   35": a count of units, then the minutes
            minutes_group, units_group = order if leader["second"] or not header else ("first", None)
            if not leader["second"] and not header and int(leader["first"]) <= MAX_TIMES_AS_UNITS:
                minutes_group, units_group = "second", "first"  # "NMR 97112 ...... 2" under "Charges (units):"
            if leader[minutes_group] and 0 < int(leader[minutes_group]) <= MAX_MINUTES:
                minutes = int(leader[minutes_group])
                anchor.table_row = True  # a row of the flowsheet: two rows of one code are two parts of its time
                anchor.minutes_span = (after_start + leader.start(minutes_group), after_start + leader.end(minutes_group))
            if units_group and leader[units_group] and int(leader[units_group]) <= MAX_TIMES_AS_UNITS:
                units = int(leader[units_group])
                anchor.units_span = (after_start + leader.start(units_group), after_start + leader.end(units_group))
        minutes_units = CODE_MINUTES_THEN_BRACKETED_UNITS.match(after) if "code" in anchor.sources else None
        if (minutes is None and units is None and minutes_units
                and MAX_TIMES_AS_UNITS < int(minutes_units["minutes"]) <= MAX_MINUTES
                and 0 < int(minutes_units["units"]) <= int(minutes_units["minutes"]) // 8 + 1):
            minutes, units = int(minutes_units["minutes"]), int(minutes_units["units"])
            anchor.minutes_span = (after_start + minutes_units.start("minutes"), after_start + minutes_units.end("minutes"))
            anchor.units_span = (after_start + minutes_units.start("units"), after_start + minutes_units.end("units"))
        kind_minutes = CODE_KIND_MINUTES.match(after) if "code" in anchor.sources else None
        if minutes is None and units is None and kind_minutes and 0 < int(kind_minutes["minutes"]) <= MAX_MINUTES:
            minutes = int(kind_minutes["minutes"])
            anchor.minutes_span = (after_start + kind_minutes.start("minutes"), after_start + kind_minutes.end("minutes"))
        then_count = MINUTES_THEN_COUNT.match(after)
        if (minutes is None and units is None and then_count and 8 <= int(then_count["minutes"]) <= MAX_MINUTES
                and 0 < int(then_count["units"]) <= MAX_TIMES_AS_UNITS
                and (not then_count["foot_or_metre"]
                     or int(then_count["minutes"]) <= 15 * int(then_count["units"]) + 22)):
            # "NMR 38' x2" is minutes and units (fewer units than minutes allow happen); "Gait: 100' x2" is a
            # distance walked twice
            minutes, units = int(then_count["minutes"]), int(then_count["units"])
            anchor.minutes_span = (after_start + then_count.start("minutes"), after_start + then_count.end("minutes"))
            anchor.units_span = (after_start + then_count.start("units"), after_start + then_count.end("units"))
        keyed = KEYED_MINUTES_RE.match(after) or (FILLED_BLANK_MINUTES.match(after) if "_" in after else None)
        if keyed is None and minutes is None:
            keyed = KEYED_MINUTES_AFTER_UNITS.search(after)  # "97110 Ther ex ..... 2 units ..... min: 10"
        if minutes is None and keyed and 0 < int(keyed.group(1)) <= MAX_MINUTES:
            minutes = int(keyed.group(1))
            anchor.minutes_span = (after_start + keyed.start(1), after_start + keyed.end(1))
            second = KEYED_SECOND_SITTING.match(after, keyed.end()) if keyed.re is KEYED_MINUTES_RE else None
            if (second and after[keyed.start():keyed.start(1)].lower().rstrip().endswith("am")
                    and not SITTING_NOT_GIVEN.match(after, second.end())):  # "(PM held - pt at dialysis)"
                minutes += int(second.group(1))
                anchor.minutes_span = (after_start + keyed.start(1), after_start + second.end(1))
        if minutes is None and (sittings := SITTINGS_AFTER.match(after)):
            # "Minutes: NMR AM 17 / PM 15; gait AM 8", "97112 am 20 pm 15 97530 12": the code's time by sitting
            minutes = int(sittings["am"])
            if sittings["pm"] and not SITTING_NOT_GIVEN.match(after, sittings.end()):
                minutes += int(sittings["pm"])
            end = sittings.end("pm") if sittings["pm"] else sittings.end("am")
            anchor.minutes_span = (after_start + sittings.start("am"), after_start + end)
        bare = CODE_BARE_MINUTES.match(after)
        if (bare and minutes is None and MAX_TIMES_AS_UNITS < int(bare.group(1)) <= MAX_MINUTES
                and (_numbers_line(line)[0] or _codes_and_numbers_closing(line, anchor.start - line_start)
                     or (on_line > 1 and int(bare.group(1)) <= MAX_MINUTES_BARE and _numbers_line(line)[1])
                     or (int(bare.group(1)) <= MAX_MINUTES_BARE and _stacked_service_lines(text, line_start, line_end))
                     or (category == "billing" and "code" not in anchor.sources and int(bare.group(1)) <= MAX_MINUTES_BARE
                         and not text[after_start + bare.end():line_end].strip()))):
            # "Tx 40 min (97112 25 / 97530 15)", "Minutes: NMR 25, gait 10, TE 10": a bare number per service;
            # "Billing\nNMR: 25\nther act: 15": a name and its number alone on a line of the billing
            minutes = int(bare.group(1))
            anchor.minutes_span = (after_start + bare.start(1), after_start + bare.end(1))
        heading_minutes = _minutes_heading_the_line(text, anchor.start) if minutes is None else None
        if heading_minutes:
            minutes = int(heading_minutes.group(1))
            anchor.minutes_span = heading_minutes.span(1)
        before_activity = BARE_MINUTES_BEFORE_ACTIVITY.match(after)
        if before_activity and STATED_TOTAL_LATER.search(after, before_activity.end()):
            before_activity = None  # "Ther ex: 20 bridges, 10 SLR, 15 min total": the minutes are written
        if (minutes is None and before_activity
                and MAX_TIMES_AS_UNITS < int(before_activity.group(1)) <= MAX_MINUTES_BARE):
            # "nmr 23 baps lvl 3", "te 15 theraband 4 way": telegraphic minutes right after the service
            minutes = int(before_activity.group(1))
            anchor.minutes_span = (after_start + before_activity.start(1), after_start + before_activity.end(1))
            if before_activity["units"] and units is None:  # "nmr 23 2u drop landings"
                units = int(before_activity["units"])
                anchor.units_span = (after_start + before_activity.start("units"), after_start + before_activity.end("units"))
        heading_count = CODE_HEADING_MINUTES.match(after) if minutes is None and "code" in anchor.sources else None
        if heading_count and MAX_TIMES_AS_UNITS < int(heading_count["minutes"]) <= MAX_MINUTES:
            # "Ther ex 97110 x 15: putty 5 min, ...", "Ther act 97530 (30): ... x 3 min bouts": the block's own time
            minutes = int(heading_count["minutes"])
            anchor.minutes_span = (after_start + heading_count.start("minutes"), after_start + heading_count.end("minutes"))
        count = None if "code" in anchor.sources else _heading_count(text, anchor, after, after_start)
        if (minutes is None and count is not None and count[0] == "minutes"
                and (text.startswith("(", count[2][0]) or UNITS_AFTER_COUNT.match(text, count[2][1]))):
            # "Ther ex (22): ..., bike 6 min warm-up", "NMR x 30 (2u):": the heading's own time, not a dose in its
            # block ("Gait training x 8 - 50 ft bouts, 16 min" counts bouts)
            minutes, anchor.minutes_span = count[1], count[2]
        if minutes is None:
            minutes = _nearest_duration(text, anchor, after, after_start, before, before_start,
                                        next_name_follows=window_end == next_anchor < len(text),
                                        claimed=anchors[index - 1].minutes_span
                                        if index and anchors[index - 1].code != anchor.code else None)
        if count is not None:
            kind, value, span = count
            if kind == "minutes" and minutes is None:
                minutes, anchor.minutes_span = value, span
            elif kind == "units" and units is None:
                units, anchor.units_span = value, span
        if units is None and "code" in anchor.sources:
            in_brackets = CODE_MINUTES_IN_BRACKETS.match(after)
            if in_brackets is None:
                in_brackets = CODE_BRACKETED_MINUTES_BEFORE_CONTENT.match(after)
                if in_brackets and int(in_brackets.group(1)) <= MAX_TIMES_AS_UNITS:
                    in_brackets = None
            if in_brackets and minutes is None and 0 < int(in_brackets.group(1)) <= MAX_MINUTES:
                # "CPT 97018 (10) 1u": with the units written after it, the number in brackets is minutes
                minutes = int(in_brackets.group(1))
                anchor.minutes_span = (after_start + in_brackets.start(1), after_start + in_brackets.end(1))
            found = BILLED_TIMES_RE.match(after) or CODE_COUNT_IN_BRACKETS.match(after)
            if found and int(found.group(1)) == 0:
                pass  # "97110-0": nothing billed, and zero is not a count of units
            elif found and int(found.group(1)) > MAX_TIMES_AS_UNITS:
                # "97112 x 20; 97530 x 10": twenty units of one code is five hours; these are minutes
                if minutes is None:
                    minutes = int(found.group(1))
                    anchor.minutes_span = (after_start + found.start(1), after_start + found.end(1))
            elif found:
                units = int(found.group(1))
                # "x4" keeps its x; "(2)" is the digit
                lead = 1 if found.re is BILLED_TIMES_RE else 0
                anchor.units_span = (after_start + found.start(1) - lead, after_start + found.end(1))
        for window, offset, last in ((after, after_start, False), (before, before_start, True)):
            if units is not None or (anchor.billing_tail and "total" in after.lower()):
                break
            found = _units_span_in(window, last)
            if found:
                units, (span_start, span_end) = found[0], (offset + found[1], offset + found[2])
                anchor.units_span = (span_start, span_end)
        if minutes is None and anchor.segment_end > window_end:
            # a heading whose minutes stand on a later line of its block ("Time: 23 min")
            block_start = window_end
            block = text[block_start:anchor.segment_end]
            labelled = LABELLED_MINUTES_RE.search(block)
            if labelled:
                found = _minutes_in(block[labelled.end():labelled.end() + 30])
                if found is None and labelled.group("bare"):
                    found = (int(labelled.group("bare")), labelled.start("bare") - labelled.end(),
                             labelled.end("bare") - labelled.end())
                if found:
                    minutes = found[0]
                    offset = block_start + labelled.end()
                    anchor.minutes_span = (offset + found[1], offset + found[2])
        if (minutes is not None and anchor.minutes_span and (more := MINUTES_PART_AFTER.match(text, anchor.minutes_span[1]))
                and (AM_OR_PM_BEFORE.search(text, max(0, anchor.minutes_span[0] - 8), anchor.minutes_span[0])
                     if more["comma"] else not DASH_AFTER.match(text, more.end()))):  # "+ 5 min - rest, not billed"
            # "97530 AM 50 min + PM 40 min", "97112 x2 (15' + 10')", "AM 25 min, PM 20 min": one service in parts
            minutes += int(more["minutes"])
            anchor.minutes_span = (anchor.minutes_span[0], more.end("minutes"))
        if minutes is not None and anchor.minutes_span and (rest := REST_INSIDE_AFTER.match(text, anchor.minutes_span[1])):
            # "97112 x 25 minutes total, including 10 minutes of seated rest": rest is no treatment time [BPM 220.3]
            rested = int(rest["rest"] or rest["rest_of"])
            if rest["left"] and 0 < int(rest["left"]) < minutes:
                minutes = int(rest["left"])  # "30 min, less 10 min rest = 20 min treatment"
            elif 0 < rested < minutes:
                minutes -= rested
        if minutes is not None and not 0 < minutes <= MAX_MINUTES:
            minutes, anchor.minutes_span = None, None  # a time of day, a distance or a typo, not one service's minutes
        anchor.minutes = minutes
        anchor.units = units
        anchor.prose = (anchor.sources == ["name"] and minutes is None and units is None
                        and _inside_a_sentence(text, max(line_start, previous_end), anchor))
        if (minutes is None and units is None and anchor.sources == ["name"] and table_row
                and text[line_start:anchor.start].strip(" \t|") and not text[anchor.end:line_end].strip(" \t|")):
            anchor.in_plan = True  # "PNF trunk ..., sitting | 3x5 | mat | — | manual |": a cue cell, no service
            continue
        if (units is None and anchor.sources == ["name"] and anchor.code in _evaluation_codes()
                and (EVALUATION_IN_PASSING_BEFORE.search(text, max(line_start, anchor.start - 20), anchor.start)
                     or EVALUATION_IN_PASSING_AFTER.match(text, anchor.end))):
            anchor.in_plan = True  # "AHA at last re-eval 52", "re-eval due in 4 wks": an evaluation named in passing
            continue
        if minutes is None and units is None and WEEK_SUMMARY_AFTER.match(after):
            anchor.in_plan = True  # "NMR this wk: reach outside BOS ...": a weekly summary of past visits
            continue
        if (match := EARLIER_VISIT_LABEL.match(line)) and line_start + match.end() <= anchor.start:
            anchor.in_plan = True  # "Charges (prior visit, copied): 97110 x2 / 97112 x1": not today's bill
            continue
        if line_start not in requests:
            # once per line: where the payer's requests start, and where clauses end
            asked = [m.start() for m in REQUESTED_BEFORE.finditer(line)
                     if not REQUESTED_BY_SOMEONE.search(line, max(0, m.start() - 40), m.start())]
            requests[line_start] = asked, [m.end() for m in CLAUSE_END.finditer(line)] if asked else []
        asked, clause_ends = requests[line_start]
        at = anchor.start - line_start
        clause_start = clause_ends[ended - 1] if (ended := bisect_right(clause_ends, at)) else 0
        if asked and any(clause_start <= start < at for start in asked[:bisect_left(asked, at)]):
            anchor.in_plan = True  # "Requested codes per visit: 97112 x 2 units": asked of the payer, not given today
            continue
        if (minutes is None and units is None and anchor.sources == ["name"] and not table_row
                and JUSTIFIED_BEFORE.search(text, max(line_start, anchor.start - 160), anchor.start)):
            anchor.in_plan = True  # "Skilled PT warranted for transfer training, gait training ...": argued for
            continue
        if minutes is None and units is None and (NOT_BILLED_AFTER.match(after) or PLAN_OF_CARE_LINE.match(line)
                                                  # "... TUG under 14 seconds. Plan 3 times a week for 4 weeks: gait training"
                                                  or PLAN_OF_CARE_LINE.match(text, _sentence_start(text, line_start, anchor.start))
                                                  or SAID_NOT_GIVEN_LATER.match(after)
                                                  or (anchor.sources == ["name"] and FREQUENCY_RIGHT_AFTER.match(after))):
            anchor.in_plan = True  # "97112 not billed today" with no time, "POC 2x/wk x 6 wks: ther ex, NMR ..."
            continue
        if "~~" in line and line.count("~~", 0, anchor.start - line_start) % 2 == 1 and "~~" in text[anchor.end:line_end]:
            anchor.in_plan = True  # "~~97140 Manual therapy 8 min~~": struck out of today's charges
            continue
        not_given = (NOT_GIVEN_AFTER.match(after) or FORM_FIELD_NOT_GIVEN.match(after)) if not anchor.table_row else None
        if not_given and minutes is not None and "_" in not_given.group(0):
            not_given = None  # "97112 NMR ______\n  ... Minutes: 25": the line underlined for writing, filled below
        if (minutes is None and units is None and not not_given
                and NOT_GIVEN_BEFORE.search(text, max(line_start, previous_end), anchor.start)):
            not_given = True
        if not_given and (minutes is not None or units) and not re.search(r"[A-Za-z\d]", not_given.group(0)) and (
                minutes is not None or DASH_CELL.fullmatch(not_given.group(0))):
            # "Neuromuscular re-ed (97112) —" heading a block with its own "Time: 25 min"; "97112 | -- | 2": no
            # minutes written, two units billed
            not_given = None
        if (not_given or UNCHECKED_BOX_RE.search(text, max(line_start, anchor.start - 6), anchor.start)
                or (minutes is None and units is None and UNCHECKED_LINE_RE.match(text[line_start:anchor.start]))):
            anchor.in_plan = True  # an empty checkbox, "Ther ex: 0 min", "Gait: N/A": the service was not given
            continue
        if (anchor.billing_tail or index in closing_bill) and category not in PAST_SECTIONS:
            anchor.billing_tail = True
            continue  # the bill closing the note, whatever plan or goal words ran on before it on its line
        if category in PLANNED_SECTIONS:
            # "P: next visit NMR" plans a service; a coded billing line after the goals bills one
            # and so does a line opening on a service and its minutes after a goal ("LTG: ...\nNMR 20', TE 8'")
            opens_line = not BILLING_LABEL.sub("", text[line_start:anchor.start]).strip(" \t-*•>") or (
                index and anchors[index - 1].start >= line_start and not anchors[index - 1].in_plan)
            heading_line = text.rfind("\n", 0, section[0]) + 1 == line_start
            clause_start = max(line_start, max(text.rfind(stop, line_start, anchor.start) for stop in (". ", "; ")) + 1)
            if (units is None and PLAN_FREQUENCY.search(text, clause_start, anchor.start)
                    and not BILLED_WORD.search(text, clause_start, line_end)):
                anchor.in_plan = True  # "Plan: 1x/wk aquatic 97113 + 97112, 45 min, 12 wks": the plan of care
                continue
            # a line labelled as time or billing ("Time: re-eval 97164; NMR 25 min (2)") bills what it lists
            labelled = not heading_line and BILLING_LABEL.match(line) is not None
            anchor.in_plan = not (("code" in anchor.sources and (minutes is not None or units is not None))
                                  or (labelled and ("code" in anchor.sources or minutes is not None or units is not None))
                                  or (opens_line and not heading_line and minutes is not None
                                      and (on_line > 1 or (anchor.table_row and category == "goals")
                                           or _nothing_but_units_after(text, anchor)))
                                  # "Goals: ...\nService,Units,Minutes\nNeuromuscular re-ed,2,": an export's bill
                                  # after the goals (a table under a plan stays planned)
                                  or (opens_line and not heading_line and in_a_table and category == "goals"))
            if anchor.in_plan and "code" in anchor.sources and not heading_line:
                planned_code_lines.append((anchor, bool(opens_line), category == "goals"))
        elif category in PAST_SECTIONS:
            # "PMH: NMR at another clinic" is past; a billed line after a one-line history is today's
            heading_line = text.rfind("\n", 0, section[0]) + 1 == line_start
            anchor.in_plan = heading_line or (minutes is None and units is None)
            if anchor.in_plan and not heading_line and "code" in anchor.sources:
                opens_line = not BILLING_LABEL.sub("", text[line_start:anchor.start]).strip(" \t-*•>")
                planned_code_lines.append((anchor, opens_line, False))  # "PLOF: ...\n97161 (low cx); 97530 x 10 min"
    _bill_planned_code_lines(text, anchors, planned_code_lines)
    if _says_no_charges(text):
        # "No PT charges today.": the services it names without a time or a count were planned or summarised
        for anchor in anchors:
            if anchor.minutes is None and anchor.units is None:
                anchor.in_plan = True


def _bill_planned_code_lines(text: str, anchors: list[Anchor], planned_code_lines: list[tuple[Anchor, bool, bool]]) -> None:
    """Bill the codes of a plan, goals or history section that stand in the note's bill after all.

    "LTG: ...\n97162 PT eval mod complexity\n97112 x1 (15 min)": an untimed code (an evaluation has no minutes)
    opening its line, with no plan words, beside code lines the note bills, is billed with them; so is a line of
    nothing but codes and their names after the goals, or saying it bills them, when the line before it does not
    plan ("Goals: ...\n97112, 97116\nTotal tx time 45 min", not "Treatment will include:\n97110, 97112"); a plan
    of care's list of codes stays the plan.
    """
    by_start = sorted(anchors, key=lambda a: a.start)
    starts = [a.start for a in by_start]
    read_lines: dict[int, tuple[bool, bool, bool]] = {}  # by line start: not today's, services only, a bill word
    for anchor, opens_line, after_goals in planned_code_lines:
        line_start = text.rfind("\n", 0, anchor.start) + 1
        line_end = end_of_line(text, anchor.start)
        previous_line_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        if line_start not in read_lines:
            line = text[line_start:line_end]
            previous_line = text[previous_line_start:max(previous_line_start, line_start - 1)]
            not_today = bool(PLAN_WORDS_ON_LINE.search(line) or PLAN_FREQUENCY.search(line) or NOT_TODAY_ON_LINE.search(line))
            bill_word = bool(BILL_WORD_ON_LINE.search(line))
            # the line before introduces a plan's list ("Frequency: 2x/wk x 6 wks\n97110, 97112"), unless the line
            # says it bills ("Plan: continue 2x/wk.\n97112, 97110. Total treatment time 50 min.")
            bill_only = (not not_today and not PERIOD_SUMMARY.search(previous_line)
                         and (bill_word or not (PLAN_FREQUENCY.search(previous_line) or INTRODUCES_A_LIST.search(previous_line)))
                         and _only_services_on_line(text, line_start, line_end,
                                                    by_start[bisect_left(starts, line_start):bisect_left(starts, line_end)]))
            read_lines[line_start] = (not_today, bill_only, bill_word)
        not_today, bill_only, bill_word = read_lines[line_start]
        if not_today:
            continue
        if bill_only and (after_goals or bill_word):
            anchor.in_plan = False
            continue
        if not opens_line or (service_codes().get(anchor.code, {}).get("timed", True) and not bill_only):
            continue  # a timed code beside billed lines is billed only on a line of nothing but services ("G0151")
        next_line_end = end_of_line(text, min(len(text), line_end + 1))
        if any(other is not anchor and not other.in_plan and "code" in other.sources
               and (line_start <= other.start < line_end
                    or not text[text.rfind("\n", 0, other.start) + 1:other.start].strip(" \t-*•>"))
               for other in by_start[bisect_left(starts, previous_line_start):bisect_left(starts, next_line_end)]):
            anchor.in_plan = False


@Language.factory("notereview_services", assigns=["doc.spans", "span._.minutes", "span._.units_billed"])
def make_services(nlp: Language, name: str) -> "ServiceFinder":
    return ServiceFinder()


class ServiceFinder(StatelessComponent):
    """Writes one span per service anchor into `doc.spans["services"]`."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        anchors, totals = find_services(text)
        spans = []
        for anchor in anchors:
            span = doc.char_span(anchor.start, max(anchor.segment_end, anchor.end), label=anchor.code,
                                 alignment_mode="expand")
            if span is None or not len(span):
                continue
            extensions.set_values(span, {
                "minutes": anchor.minutes,
                "units_billed": anchor.units,
                "anchor_end": anchor.end,
                "not_today": anchor.in_plan,  # the context component also sets it for "will add NMR"
                "minutes_span": anchor.minutes_span,
                "units_span": anchor.units_span,
                "coded": "code" in anchor.sources,
                "table_row": anchor.table_row,
                "billing_tail": anchor.billing_tail,
                "added_up": anchor.added_up,
                "segment_words": len(WORD.findall(text, anchor.end, anchor.segment_end)),
            })
            spans.append(span)
        doc.spans["services"] = spans
        doc.user_data["notereview_totals"] = totals
        return doc

