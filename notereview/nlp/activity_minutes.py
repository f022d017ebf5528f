"""Minutes said of an activity rather than of a service, matched to the billed code the activity belongs to.

Narrative notes put the time on what was done and the codes on a line of their own: "We spent about
25 minutes on balance at the kitchen counter. The last 10 minutes were strengthening ... Billed 97112 x2
and 97110 x1." Each such duration is read with the words of its activity ("balance", "strengthening"),
and those words (`activity_words` in services.json, with the services' own names) say which code it is.
Only a billed timed code with no minutes of its own receives them, and only when the activity names one
code: the note's own words for a service always come first.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .rules import service_codes, service_rules
from .sections import categories_defaulting_to, find_sections
from .services import TIME_RANGE_RE, find_anchors

# after the duration: "25 minutes on balance", "10 minutes were strengthening", "12 min balance:"
LEAD_AFTER = re.compile(r"[ \t]*\)?[ \t]*(?:of|on|doing|working on|were|was|went to|spent on|for|in)?[ \t]*(?=[A-Za-z])",
                        re.IGNORECASE)
# the activity said just before: "... standing on the R leg with my hand at her hip. About 10 minutes of that."
BACK_REFERENCE = re.compile(r"[ \t]*(?:of|on|doing)\s+(?:that|this|these|those|it)\b", re.IGNORECASE)
PREVIOUS_SENTENCE = re.compile(r"[^.;\n]*[.;\n][^.;\n]*$")
# before a duration closing its sentence: "..., about 15 minutes.", "balance work took about 20 min"
LEAD_BEFORE = re.compile(r"(?:,|\btook|\blasted|\bfor|\bwas|\bwere)\s*(?:about|approx\.?|approximately|~)?\s*$",
                         re.IGNORECASE)
CLAUSE_END = re.compile(r"[.;:,()\n]|\s[-–—]\s")
# the activity alone before its duration, opening the clause: "Gait 20 min, balance 15 min.", "Postural work 20 min:"
CLAUSE_OPENING = re.compile(r"(?:^|[.;:,\n])[ \t]*(?:[-*•][ \t]*)?([A-Za-z][A-Za-z /&-]{2,30}?)[ \t]*[-–:]?[ \t]*$")
# ... and the duration closing that clause: not "Static sitting balance: 3 min without UE support"
CLAUSE_CLOSE = re.compile(r"[ \t]*(?:$|[.,;:)\n])")
# the activity right after a clock range opening its line: "1015-1040 sitting balance at the edge of the bed"
ACTIVITY_AFTER_RANGE = re.compile(r"[ \t]*:?[ \t]*([A-Za-z][^.;:,()\n]{0,40})")
# "from 0915 to 0953 on dynamic balance", "1:15-1:40 we worked on balance": the activity the range was spent on
WORKED_ON_AFTER_RANGE = re.compile(r"[ \t]+(?:(?:we|i|pt|patient|he|she)[ \t]+)?(?:(?:worked|focused|working)[ \t]+)?on[ \t]+"
                                   r"([A-Za-z][^.;:,()\n]{0,40})", re.IGNORECASE)
# "VOR x1 H/V, 1 min ea x 2": a dose for each item, not the time given to the activity
EACH_AFTER = re.compile(r"[ \t]*(?:(?:ea|each)[ \t]*(?:[x×][ \t]*\d|direction|side|way|leg)|per[ \t]+(?:side|direction|leg|set)\b)",
                        re.IGNORECASE)  # not "balance and gait, about 15 min each"
# "About 30 minutes on this": "it" is too loose ("walk 20 min on it over the weekend")
THIS_OR_THAT = re.compile(r"[ \t]*(?:of|on|doing)\s+(?:that|this)\b", re.IGNORECASE)
SENTENCE_START = re.compile(r"(?:[.;\n]|^)[^.;\n]*$")
# a duration of the visit, not of an activity: "Visit 45 min", "total 38 minutes", "seen for 40 min"
VISIT_BEFORE = re.compile(r"(?<!rest of the )(?<!rest of )\b(?:visit|session|total|treatment time|tx time|seen|time in|time out)\b"
                          r"[^.;\n]{0,20}$", re.IGNORECASE)
# how long the patient could keep going, not the time given: "could only tolerate 10 minutes of ..."
# "Pt will sit EOB unsupported 5 min w/ midline posture", "will add 10 min of balance": a goal or a plan, earlier in
# the sentence
WILL_BEFORE = re.compile(r"\b(?:will|goals?|to be able to)\b[^.;\n]*$", re.IGNORECASE)
TOLERANCE_BEFORE = re.compile(r"\b(?:tolerat\w*|up to|max(?:imum)?|at most|only)\s*(?:about\s+)?$", re.IGNORECASE)
# the visit's length said after the number: "45 min of skilled PT", "40 minute session"
VISIT_AFTER = re.compile(r"[ \t-]*(?:minutes?|mins?|min)?\.?[ \t]*(?:of\s+)?(?:skilled\s+)?(?:session|visit|therapy|treatment|tx|pt|ot)\b",
                         re.IGNORECASE)


def _word_alternation(words: list[str]) -> str:
    """A regex alternation of clinician-edited words; a trailing * matches any ending ("recover*")."""
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
             for w in sorted(words, key=len, reverse=True)]
    return "(?:" + "|".join(parts) + ")"


@lru_cache(maxsize=None)
def _not_treatment_near() -> re.Pattern:
    """Time that is not treatment: rests, lateness, recovery, home routines, the next appointment."""
    words = service_rules()["activity_minutes_exclusions"]["not_treatment"]
    # "the rest of the visit (about 15 min) ..." is the remaining treatment, not a rest
    return re.compile(r"\b" + _word_alternation(words) + r"\b(?!\s+of\s+(?:the\s+)?(?:visit|session|time|treatment|tx)\b)",
                      re.IGNORECASE)


@lru_cache(maxsize=None)
def _dose_before() -> re.Pattern:
    """An exercise's own dose right before a duration: "bike x 10 min", "treadmill 6 min"."""
    words = service_rules()["activity_minutes_exclusions"]["dosed_equipment"]
    # the x of a count, not the last letter of "approx"
    return re.compile(r"(?:(?<![a-z])[x×]|@|\b" + _word_alternation(words) + r")\s*$", re.IGNORECASE)


@lru_cache(maxsize=None)
def _untimed_service_before() -> re.Pattern:
    """An untimed service (hot pack, IFC, paraffin, group ...) named in the clause before a duration: its minutes."""
    names = {n.lower() for entry in service_codes().values() if not entry.get("timed") for n in entry.get("names", [])}
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                      + r")(?![\w-])[^.;\n]{0,30}$", re.IGNORECASE)


@lru_cache(maxsize=None)
def _activity_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(code, regex of its activity words and service names), for the timed codes."""
    words: dict[str, set[str]] = {}
    for code, names in service_rules().get("activity_words", {}).items():
        if not code.startswith("_"):
            words.setdefault(code, set()).update(n.lower() for n in names)
    for code, entry in service_codes().items():
        if entry.get("timed"):
            words.setdefault(code, set()).update(n.lower() for n in entry.get("names", []) if len(n) > 3)
    return tuple((code, re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))
                                   + r")(?![\w-])", re.IGNORECASE))
                 for code, ws in words.items() if ws)


def _codes_named(activity: str) -> int:
    """How many timed codes the activity's words name ("balance and gait activities, then ther ex": three;
    "Ther ex/NMR": two, by the services' short names too)."""
    named = {code for code, pattern in _activity_patterns() if pattern.search(activity)}
    named.update(a.code for a in find_anchors(activity) if service_codes().get(a.code, {}).get("timed"))
    return len(named)


def _code_of(activity: str, wanted: set[str]) -> str | None:
    """The one wanted code whose words the activity text names first."""
    found = []
    for code, pattern in _activity_patterns():
        if code in wanted and (match := pattern.search(activity)):
            found.append((match.start(), code))
    if not found:
        return None
    found.sort()
    if len(found) > 1 and found[0][0] == found[1][0]:
        return None
    return found[0][1]


def activity_minutes(text: str, durations, used: set[int], wanted: set[str]) -> dict[str, int]:
    """Minutes per wanted code from durations said of an activity.

    `durations` are (minutes, start, end) of every duration in the note; `used` holds the starts of
    durations already read as some service's minutes; `wanted` the billed timed codes without minutes.
    """
    if not wanted:
        return {}
    # the readings added for narrative notes stay out of what the patient reports, histories, plans and goals
    elsewhere = categories_defaulting_to("historical") | categories_defaulting_to("hypothetical") | {"subjective"}
    away = [(start, end) for start, end, category, _ in find_sections(text) if category in elsewhere]
    found: dict[str, int] = {}
    for minutes, start, end in durations:
        said = text[start:end].lower()
        # a clock range given to an activity: "Balance 0930-0945:", "1015-1040 sitting balance at the edge of the bed"
        clock = TIME_RANGE_RE.fullmatch(said.strip()) is not None
        if not clock and ("min" not in said or "-" in said or ":" in said):
            continue  # feet and metres ("75'", "30 m") are not an activity's minutes
        if start in used or VISIT_BEFORE.search(text, max(0, start - 40), start) \
                or VISIT_AFTER.match(text, end) or _dose_before().search(text, max(0, start - 12), start) \
                or EACH_AFTER.match(text, end) \
                or TOLERANCE_BEFORE.search(text, max(0, start - 20), start) \
                or WILL_BEFORE.search(text, max(0, start - 80), start) \
                or _not_treatment_near().search(text, max(0, start - 40), min(len(text), end + 25)) \
                or _untimed_service_before().search(text, max(0, start - 40), start):
            continue
        code = None
        today = not any(a <= start < b for a, b in away)
        if clock:
            if today:
                # a range names its activity only right next to it, as a heading or a line's opening
                opening = CLAUSE_OPENING.search(text, max(0, start - 40), start)
                after = ACTIVITY_AFTER_RANGE.match(text, end, end + 50)
                worked_on = WORKED_ON_AFTER_RANGE.match(text, end, end + 60)
                code = (_code_of(opening.group(1), wanted) if opening and _codes_named(opening.group(1)) == 1
                        else None) or (
                    _code_of(after.group(1), wanted) if after and text[max(0, start - 1):start] in ("", "\n")
                    and _codes_named(after.group(1)) == 1 else None) or (
                    # "worked w/ pt from 0915 to 0953 on dynamic balance and coordination"
                    _code_of(worked_on.group(1), wanted) if worked_on and _codes_named(worked_on.group(1)) == 1
                    else None)
                if code is not None and code not in found:
                    found[code] = minutes
            continue
        back = BACK_REFERENCE.match(text, end) if not said.endswith(".") else None
        if back:
            previous = PREVIOUS_SENTENCE.search(text, max(0, start - 300), start)
            code = _code_of(text[previous.start():start] if previous else "", wanted)
        lead = LEAD_AFTER.match(text, end) if not said.endswith(".") and code is None and not back else None
        if lead:
            stop = CLAUSE_END.search(text, lead.end())
            code = _code_of(text[lead.end():stop.start() if stop else len(text)][:60], wanted)
        if code is None and LEAD_BEFORE.search(text, max(0, start - 30), start):
            sentence = SENTENCE_START.search(text, max(0, start - 300), start)
            code = _code_of(text[sentence.start():start] if sentence else "", wanted)
        if (code is None and today and (said.endswith(".") or CLAUSE_CLOSE.match(text, end))
                and (opening := CLAUSE_OPENING.search(text, max(0, start - 40), start))):
            # "Therapeutic exercise/NMR 30 min": two services' shared time is neither's own
            code = _code_of(opening.group(1), wanted) if _codes_named(opening.group(1)) == 1 else None
        if code is None and today and len(wanted) == 1 and THIS_OR_THAT.match(text, end):
            # "About 30 minutes on this. 97530 x2.": the one billed code without minutes is what "this" was
            code = next(iter(wanted))
        if code is not None and code not in found:
            found[code] = minutes  # the first said; a later one may be part of it ("the last 10 min of balance")
    return found


# a line (or a sentence of one) giving the session's time by part: "Time: balance retraining 20 min, gait re-ed 20 min",
# "Rx: strength ex 10 min, balance ex 10 min", "14:05-14:35: proprioceptive/balance retraining 20 min, strengthening 10 min"
BREAKDOWN_LABEL = re.compile(
    r"(?:^|(?<=[.;]\s))[ \t]*(?:[-*•][ \t]*)?(?:(?P<time>(?:contact[ \t]+)?time(?:[ \t]+spent)?|minutes|mins)|rx|tx|session)"
    r"(?:[ \t]*\(?[ \t]*\d{1,2}[:.]?\d{2}[ \t]*[-–][ \t]*\d{1,2}[:.]?\d{2}\)?)?[ \t]*:[ \t]*"
    r"|^[ \t]*\d{1,2}[:.]?\d{2}[ \t]*[-–][ \t]*\d{1,2}[:.]?\d{2}[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE)
# one part: the activity, then its minutes ending the part ("gait re-ed incl. cueing 20 min")
BREAKDOWN_PART = re.compile(r"[ \t]*(?P<activity>[A-Za-z][^,;:\d\n]{1,50}?)[ \t]+(?P<minutes>\d{1,3})[ \t]*(?:minutes|mins?|['’])"
                            r"(?=[ \t]*(?:\([^()\n]*\))?[ \t]*(?:[,;.]|$))", re.IGNORECASE | re.MULTILINE)
PLAN_FREQUENCY_ON_LINE = re.compile(r"\d\s*x\s*/\s*(?:wk|week)|\bx\s*\d+\s*(?:wks?|weeks)\b|\b(?:per|a)\s+week\b", re.IGNORECASE)
PART_SEPARATOR = re.compile(r"[ \t]*(?:\([^()\n]*\))?[ \t]*[,;][ \t]*")


def breakdown_minutes(text: str) -> list[tuple[str, int, int, int]]:
    """(code, minutes, start, end) of each part of a session's time said by activity, for a note that names no code.

    "Time: balance retraining 20 min, gait re-ed incl. cueing 20 min, advice to wife 5 min": the parts whose
    words name a timed code (`activity_words`, first named first) are that code's minutes; advice, education,
    assessment and tolerance no code's. Two parts of one code on a line add up; a later line giving the code's time
    again is not added. A line needs two such parts unless it is labelled "Time"; a line with a frequency
    ("2x/wk x 6 wks") prescribes rather than records.
    """
    labels = list(BREAKDOWN_LABEL.finditer(text))
    if not labels:
        return []
    elsewhere = categories_defaulting_to("historical") | categories_defaulting_to("hypothetical") | {"subjective"}
    away = [(start, end) for start, end, category, _ in find_sections(text) if category in elsewhere]
    found: list[tuple[str, int, int, int]] = []
    for label in labels:
        if any(a <= label.start() < b for a, b in away):
            continue
        parts, position = [], label.end()
        while (part := BREAKDOWN_PART.match(text, position)) is not None:
            parts.append(part)
            separator = PART_SEPARATOR.match(text, part.end())
            if separator is None:
                break
            position = separator.end()
        line_end = text.find("\n", label.end())
        if PLAN_FREQUENCY_ON_LINE.search(text, label.end(), len(text) if line_end < 0 else line_end):
            continue  # "Rx: vestibular rehab 20 min, gait training 20 min; 2x/wk x 6 wks": a referral's prescription
        coded = [(code, int(part["minutes"]), part.start("activity"), part.end())
                 for part in parts if not _not_treatment_part().search(part["activity"])
                 and (code := _first_code_of(part["activity"])) is not None]
        if coded and (len(parts) > 1 or label["time"]):
            # the first line that gives a code its time is the one read: "Tx: balance ex 15 min" and "Time: balance
            # ex 15 min" below it are the same minutes
            named = {code for code, *_ in found}
            found.extend(part for part in coded if part[0] not in named)
    return found


@lru_cache(maxsize=None)
def _not_treatment_part() -> re.Pattern:
    """A part of a time breakdown that assesses, tests, teaches or measures tolerance: no treatment code's time."""
    words = service_rules()["activity_minutes_exclusions"]["not_treatment_parts"]
    return re.compile(r"\b" + _word_alternation(words) + r"\b", re.IGNORECASE)


def _first_code_of(activity: str) -> str | None:
    """The timed code whose activity words come first in the text ("balance ex": 97112; "strength ex": 97110)."""
    return _code_of(activity, {code for code, _ in _activity_patterns()})
