"""Tidy the vocabulary matches (nlp/phrases.py) into the mentions a reader would underline."""
from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import NamedTuple

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from .literals import fold
from .rules import combined_feature_patterns, feature_gates, feature_patterns, feature_scans, feature_words
from .sections import find_sections
from .text import doc_text

# A technique word inside (or the same words as) a deficit or measure phrase is part of it: "impaired static
# balance" names a problem and "9-hole peg test" a measure, not an exercise; likewise "manipulation" inside
# "in-hand manipulation" is the technique, not manual therapy.
ABSORBED = {"deficit": {"technique", "intervention", "response"}, "measure": {"technique", "intervention"},
            "technique": {"intervention"}}
SCORE_AFTER = re.compile(r"[ \t]*[:=-]?[ \t]*\d")
DECIMAL_AFTER = re.compile(r"[ \t]*[:=-]?[ \t]*\d+\.\d")
SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")


class _Match(NamedTuple):
    """A mention being tidied: its tokens, type and id, its characters, and its Span when unchanged."""

    start: int
    end: int
    label: str
    id: str
    start_char: int
    end_char: int
    span: Span | None = None


def _stance_result_as_measure(doc: Doc, text: str, match: _Match) -> _Match | None:
    """'SLS R 5 s' reports a test result: the stance is a measure there, not an exercise."""
    surface = text[match.start_char:match.end_char].lower()
    if match.id != "balance_training" or surface not in feature_words("stance_tests"):
        return None
    # the goal lead patterns end with at most 40 characters before the stance: a short window is enough
    line_start = max(text.rfind("\n", 0, match.start_char) + 1, match.start_char - 80)
    test_names = feature_words("single_leg_stance_test_names")  # a test's name, never a goal's practised stance
    if surface not in test_names and any(
            p.search(text[line_start:match.start_char]) for p in feature_patterns()["goal_lead_before_stance"]):
        return None  # "pt will hold tandem stance 20 s": a practised stance as a goal's criterion
    following = text[match.end_char: match.end_char + 40]
    for pattern in feature_patterns()["timed_result_after_stance"]:
        result = pattern.match(following)
        if result:
            single_leg = surface in test_names or surface in feature_words("single_leg_stance_said_as_done")
            measure = match._replace(label="measure", id="sls" if single_leg else "other", span=None)
            # the test's conditions ("SLS L EC on foam: 12 s") belong to the measure, not to a technique
            conditions = re.match(r"[^\d<>~≥≤=:|]*", following[:result.end()]).group(0).rstrip(" \t(:,-=|")
            conditions = feature_patterns()["stance_result_lead"][0].sub("", conditions)  # "SLS L of 5 s"
            whole = doc.char_span(match.start_char, match.end_char + len(conditions), alignment_mode="expand")
            if whole is not None and conditions and "\n" not in conditions:
                measure = measure._replace(end=whole.end, end_char=whole.end_char)
            return measure
    return None


TEST_RESULT_AFTER = re.compile(r"[^.;\n]{0,30}?(?:\btrials?\b|\bbest\b|\bavg\b|\bdysmetri\w*|\bovershoot\w*"
                               r"|:\s*(?:wnl|normal|abnormal|impaired|pos\b|neg\b|[+]))", re.IGNORECASE)


def _tests_not_practised(text: str, measures: list[_Match], techniques: list[_Match]) -> list[_Match]:
    """A test that is also an exercise ("heel-to-shin R 3x10", "SL squat 3 x 8 w/ mirror") was practised.

    Where a technique phrase holds the measure's words and sets or reps follow it, the measure
    gives way; without a dose ("Romberg: EO 30 s") the words stay the test's.
    """
    kept = []
    for measure in measures:
        # the technique phrase holding the test's words ("Romberg on foam ... 3 x 30 s")
        holder = next((t for t in techniques if t.start <= measure.start and measure.end <= t.end), None)
        if (holder is None or not _practised_after(text, holder.end_char)
                or TEST_RESULT_AFTER.match(text, holder.end_char, holder.end_char + 60)):
            kept.append(measure)  # "Heel-to-shin R x3: dysmetric", "Romberg on foam EC x 3 trials, best 18 s"
    return kept


def _result_as_needed(text: str, match: _Match, needing_result: frozenset[str], needing_millimetres: frozenset[str]) -> bool:
    """Whether a measure name that needs a result to be a measure has one after it (features.json)."""
    surface = text[match.start_char:match.end_char].lower()
    following = text[match.end_char:match.end_char + 60]
    if surface in needing_result:
        return any(p.match(following) for p in feature_patterns()["result_after_measure_name"])
    if surface in needing_millimetres:
        return any(p.match(following) for p in feature_patterns()["millimetres_after_measure_name"])
    return True


def _practice_without_result(text: str, measures: list[_Match], techniques: list[_Match]) -> list[_Match]:
    """A test that names its exercise too ("JPE", "SPNT") is the exercise where no result follows it.

    "Plan: progress JPE to standing foam" practises; "JPE R 3.6 cm", "SPNT neg" and "(incr JPE L)" report the test.
    """
    practised = feature_words("practised_unless_result")
    results = feature_patterns()["result_after_practised_test"]
    findings = feature_patterns()["result_before_practised_test"]
    same_span = {(t.start, t.end) for t in techniques}
    return [m for m in measures
            if not ((m.start, m.end) in same_span and text[m.start_char:m.end_char].lower() in practised
                    and not any(p.match(text[m.end_char:m.end_char + 80]) for p in results)
                    and not any(p.search(text[max(0, m.start_char - 30):m.start_char]) for p in findings))]


def _union_same_id(matches: list[_Match]) -> list[_Match]:
    """Overlapping matches of one id become one mention: "tandem stance" + "stance on foam"."""
    if len(matches) < 2:
        return matches
    merged: list[_Match] = []
    for match in sorted(matches, key=lambda m: (m.id, m.start, -m.end)):
        last = merged[-1] if merged else None
        if last is not None and last.id == match.id and match.start < last.end:
            if match.end > last.end:
                merged[-1] = last._replace(end=match.end, end_char=match.end_char, span=None)
            continue
        merged.append(match)
    return merged


def _joined_setups(text: str, techniques: list[_Match]) -> list[_Match]:
    """One exercise written with its setup is one mention: "SLS" "on" "foam" "EC" -> "SLS on foam EC".

    A setup (features.json exercise_setup_words: a surface, the eyes, the base of support) joins the technique
    of its id before it across a space or a link word (exercise_setup_links), never across a comma, a slash,
    "and", a tab, a run of spaces or a line; two exercises stay two ("tandem stance to SLS", "VOR x1 to x2").
    """
    if len(techniques) < 2:
        return techniques
    links = feature_words("exercise_setup_links")
    setups = feature_words("exercise_setup_words")
    joined: list[_Match] = []
    for match in techniques:
        last = joined[-1] if joined else None
        if (last is not None and last.id == match.id and last.end <= match.start
                and text[match.start_char:match.end_char].lower() in setups
                and _setup_link(text[last.end_char:match.start_char], links)):
            joined[-1] = last._replace(end=match.end, end_char=match.end_char, span=None)
            continue
        joined.append(match)
    return joined


def _setup_link(between: str, links: frozenset[str]) -> bool:
    words = between.split()
    if "\n" in between or "\t" in between or "  " in between or len(words) > 1:
        return False
    return not words or words[0].lower() in links


def _longest_first(matches: list[_Match]) -> list[_Match]:
    """spaCy's `filter_spans`: where matches overlap, the (first) longest wins; in token order."""
    if len(matches) < 2:
        return matches
    kept = []
    seen: set[int] = set()
    for match in sorted(matches, key=lambda m: (m.end - m.start, -m.start), reverse=True):
        if match.start not in seen and match.end - 1 not in seen:
            kept.append(match)
            seen.update(range(match.start, match.end))
    return sorted(kept, key=lambda m: m.start)


class _Note:
    """What the tidying reads about one note: its text, its tokens' lower-case forms and punctuation."""

    def __init__(self, doc: Doc):
        self.text = doc_text(doc)
        self._doc = doc
        self._lower: list[int] | None = None
        self._gates: dict[str, tuple[int, ...]] = {}

    def lower(self) -> list[int]:
        """The lower-case form of every token, as string-store hashes (a token array: no Token objects)."""
        if self._lower is None:
            self._lower = self._doc.to_array(LOWER).tolist()
        return self._lower

    def is_punct(self, token: int) -> bool:
        """Whether a token is punctuation or a line break."""
        token = self._doc[token]
        return token.is_punct or token.is_space  # a line break ends the phrase too

    @cached_property
    def speaks_of_pushing(self) -> bool:
        """Whether the note speaks of contraversive pushing after a stroke (features.json `pusher_context`)."""
        return combined_feature_patterns()["pusher_context"].search(self.text) is not None

    @cached_property
    def in_capitals(self) -> bool:
        """Whether the note is typed in capitals (most of its letters upper case), so capitals mark no name."""
        letters = [c for c in self.text if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)

    def folded(self) -> str:
        """The note's text folded for literal tests (`literals.fold`)."""
        return fold(self.text)

    def possible(self, group: str) -> tuple[int, ...]:
        """The patterns of a feature group that can match anywhere in the note (so in any part of it)."""
        if group not in self._gates:
            self._gates[group] = feature_gates()[group].possible(self.folded())
        return self._gates[group]


@lru_cache(maxsize=None)
def _word_hashes(group: str) -> frozenset[int]:
    return frozenset(get_string_id(word) for word in feature_words(group))


def _not_a_technique(note: _Note, start_char: int, end_char: int) -> bool:
    """A technique word that names a symptom's trigger or something else ('foam blocks')."""
    text = note.text
    provoked_by = feature_scans()["symptom_provoked_by"]
    before_start = max(0, start_char - 60)
    before = text[before_start: start_char]
    if any(provoked_by[i].search(before, folded=note.folded()[before_start:start_char])
           for i in note.possible("symptom_provoked_by")):
        after = text[end_char: end_char + 60]
        # "dizziness 4/10 with VOR x1, 3 x 60 s" was an exercise; "dizziness with head turns" a trigger
        return not any(p.match(after) for p in feature_patterns()["dosage_after_technique"])
    if text[start_char:end_char].lower() in feature_words("exercise_parameter_words"):
        # "VOR x1 horiz 3 x 45 s @ 1 Hz (metronome)": the pace of the gaze exercise, not an exercise of its own
        clause_start = max(text.rfind(stop, 0, start_char) for stop in ("\n", ". ", "; ", ", then", " then "))
        clause = text[max(clause_start + 1, start_char - 80, 0):start_char]
        if any(p.search(clause) for p in feature_patterns()["exercise_parameter_before"]):
            return True
    return _inside_a_phrase(note, "not_a_technique", start_char, end_char, after=20)


def _inside_a_phrase(note: _Note, group: str, start_char: int, end_char: int, after: int) -> bool:
    """Whether a phrase of a features.json group, found near the words, holds them whole ("foam blocks")."""
    window_start = max(0, start_char - 20)
    window = note.text[window_start:end_char + after]
    patterns = feature_patterns()[group]
    return any(found.start() + window_start <= start_char and end_char <= found.end() + window_start
               for index in note.possible(group) for found in patterns[index].finditer(window))


MAX_CONDITION_GAP = 6  # tokens between an impairment and the condition it shows under
CONDITION_PUNCT = frozenset(get_string_id(p) for p in ("/", "(", "-", "+"))


def _techniques_outside_deficits(note: _Note, techniques: list[_Match], deficits: list[_Match]) -> list[_Match]:
    """Drop technique words that describe a problem rather than an exercise.

    "impaired dual-task gait" and "decreased weight shift" name deficits; in "decreased balance
    on compliant surfaces" or "impaired balance w/ head turns" the technique words name where the
    deficit shows. Neither says the exercise was done.
    """
    before = _word_hashes("deficit_words_before_technique")
    links = _word_hashes("deficit_condition_links")
    impairment_words = before | _word_hashes("deficit_words_naming_impairment")
    breaks = _word_hashes("deficit_condition_breaks")
    lower = note.lower()
    # only a stated impairment ("decreased balance") has a condition; "LOB with tandem stance" was practised
    deficit_ends = {d.end for d in deficits if lower[d.start] in before}
    # "impaired static bal esp EC", "balance deficits on foam tandem": an impairment said anywhere in the
    # deficit, then a few words of no punctuation leading to the condition
    impairment_ends = sorted(d.end for d in deficits if any(lower[i] in impairment_words for i in range(d.start, d.end)))
    kept = []
    for match in techniques:
        lead_start = max(0, match.start - 2)
        modifier_at = max((i for i in range(lead_start, match.start) if lower[i] in before), default=None)
        if modifier_at is not None and not any(note.is_punct(i) for i in range(modifier_at + 1, match.start)):
            continue
        gap_start = match.start
        while gap_start > 0 and match.start - gap_start < 3 and lower[gap_start - 1] in links:
            gap_start -= 1
        if gap_start < match.start and gap_start in deficit_ends:
            deficit_ends.add(match.end)  # "decreased balance on foam and with head turns"
            continue
        at = bisect.bisect_right(impairment_ends, match.start)
        if at and match.start - impairment_ends[at - 1] <= MAX_CONDITION_GAP and not _practised_after(
                note.text, match.end_char) and not any(
                lower[i] in breaks or (note.is_punct(i) and lower[i] not in CONDITION_PUNCT)
                for i in range(impairment_ends[at - 1], match.start)):
            bisect.insort(impairment_ends, match.end)  # "impaired balance on foam EC": both conditions
            continue
        kept.append(match)
    return kept


def _practised_after(text: str, end_char: int) -> bool:
    """Sets, reps or a count right after a word: "Romberg on firm, EO then EC, 3 x 30 s" was practised."""
    following = text[end_char:end_char + 60]
    return any(p.match(following) for p in feature_patterns()["practice_dosage_after"])


MAX_TEST_ITEMS_GAP = 200
BARE_RESULT_ON_TEST_LINE = re.compile(r"\s*[:=]?\s*\d{1,3}(?:\.\d+)?\s*(?:\(|\||,|;|$)", re.MULTILINE)
CONDITIONS_BEFORE_RESULT = re.compile(r"^(?:\s*(?:with\s+)?(?:eyes\s+(?:open|closed|shut)|eo|ec|firm|foam)\b)+",
                                      re.IGNORECASE)
# a test named as a heading with its items listed under it, one a line
TEST_ITEM_LIST = re.compile(r"[ \t]*(?:today|items?|results?|scores?)?[ \t]*:[ \t]*\n(?:[ \t]*[-*•◦▪][^\n]*\n){0,6}[ \t]*[-*•◦▪][ \t]*$",
                            re.IGNORECASE)


def _techniques_outside_tests(note: _Note, techniques: list[_Match], measures: list[_Match]) -> list[_Match]:
    """Drop technique words that are the items or conditions of a test just reported.

    In "Romberg (feet together, eyes closed): 12 s", "mCTSIB: firm EC 30 s, foam EC 4 s" or "VOMS:
    horizontal VOR +3" the words say how the test was given, not what was practised.
    """
    if not measures:
        return techniques
    text = note.text
    conditions = feature_words("test_condition_words")
    results = feature_patterns()["result_after_test_item"]
    # a treatment said between a test and a word: the word is practised, not a test item
    treatment_between = feature_patterns()["treatment_between_test_and_item"]
    measure_ends = sorted(m.end_char for m in measures)
    kept = []
    for match in techniques:
        at = bisect.bisect_right(measure_ends, match.start_char)
        if at and match.start_char - measure_ends[at - 1] <= MAX_TEST_ITEMS_GAP:
            gap = text[measure_ends[at - 1]:match.start_char]
            if any(p.search(gap) for p in treatment_between):
                kept.append(match)  # "DHI 46/100 ..., performed VOR x1 60 s", "5xSTS 15 s, NMR: weight shifting 20"
                continue
            listed = TEST_ITEM_LIST.match(gap) is not None
            if not listed and SENTENCE_END.search(gap):
                kept.append(match)
                continue
            # "foam eyes closed 9 seconds": the item's other conditions, then its result
            after = CONDITIONS_BEFORE_RESULT.sub("", text[match.end_char:match.end_char + 60], count=1)
            result = next((found for p in results if (found := p.match(after))), None)
            if result is None and "\n" not in gap and text[match.start_char:match.end_char].lower() in conditions:
                # "mCTSIB (s): firm EO 30 | foam EC 8 (LOB)": on the test's own line a bare number is its result
                result = BARE_RESULT_ON_TEST_LINE.match(after)
            if listed and result:
                # "VOMS today:\n - smooth pursuit 0\n - saccades H +2": the test's items, one a line
                if not _practised_after(text, match.end_char):
                    continue
            elif not SENTENCE_END.search(gap) and (len(gap) <= 80 or result):
                # a long run of items with results ("mCTSIB: firm eyes open 30 seconds, ..., foam eyes
                # closed 9 seconds") stays the test's as long as each item has its result
                surface = text[match.start_char:match.end_char].lower()
                if ";" in gap:
                    # "DHI 40/100; gaze stabilization ..." starts anew; only a symptom score keeps a test's
                    # items going past a semicolon ("VOMS: pursuit +1; saccades +2")
                    in_test = bool(result and "+" in result.group(0))
                else:
                    in_test = bool(gap.rfind("(") > gap.rfind(")") or (surface in conditions and len(gap) <= 30)
                                   or result)
                if in_test and not _practised_after(text, match.end_char):
                    continue
        kept.append(match)
    return kept


# "| 4 Foam EC | 11 | max sway", "Firm EC\t22 s", "SLS R/L    2 s/4 s    6 s/8 s": a row whose first cell is only a test's conditions and
# whose next cell is a time or a count, not a dose ("3 x 30 s")
CONDITION_ROW = re.compile(r"[ \t]*\|?[ \t]*(?:\d[ \t]+)?(?P<cell>[A-Za-z][A-Za-z /()]*?)[ \t]*(?:"
                           r"(?:\||\t|:)[ \t]*[<>~]?[ \t]*\d+(?:\.\d+)?[ \t]*(?P<unit>s|sec|secs|seconds)?"
                           # columns set apart by spaces: a time in seconds, not a count of sets ("Tandem stance   3   30s")
                           r"|(?P<spaced>[ \t]{2,})[<>~]?\d+(?:\.\d+)?(?:[ \t]*/[ \t]*\d+(?:\.\d+)?)?[ \t]*(?:s|sec|secs|seconds)\b)"
                           r"[ \t]*(?:\||\t|[-–,(/]|[ \t]{2,}|$)",
                           re.MULTILINE)
# a bare number is a test's time only under a header naming time ("| Cond | Time (s) | Sway |"), not sets
TIME_COLUMN = re.compile(r"\btime\b|\(s\)|\bsec(?:onds)?\b", re.IGNORECASE)
SETS_COLUMN = re.compile(r"\b(?:sets?|reps?|dose|x)\b", re.IGNORECASE)


def _time_column_above(text: str, line_start: int) -> bool:
    """Whether the table holding this row is headed by a time column and no sets or dose column."""
    for _ in range(8):
        if line_start <= 0:
            return False
        line_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[line_start:text.find("\n", line_start)]
        if not line.strip():
            return False
        if TIME_COLUMN.search(line) and not re.search(r"\d", line):
            return not SETS_COLUMN.search(line)
    return False


MAX_CONDITION_CELL = 24


def _techniques_outside_condition_rows(text: str, techniques: list[_Match]) -> list[_Match]:
    """Drop technique words that are a test's conditions in a results table ("Foam EC | 6 s | fell to L")."""
    words = feature_words("test_condition_row_words")
    kept = []
    for match in techniques:
        line_start = text.rfind("\n", 0, match.start_char) + 1
        if match.start_char - line_start > MAX_CONDITION_CELL:
            kept.append(match)  # too far into its line to sit in a short first cell
            continue
        row = CONDITION_ROW.match(text, line_start)
        if (row and row.start("cell") <= match.start_char and match.end_char <= row.end("cell")
                and set(re.findall(r"[a-z]+", row.group("cell").lower())) <= words
                and (row.group("unit") or row.group("spaced") or _time_column_above(text, line_start))):
            continue
        kept.append(match)
    return kept


# "tandem stance on foam EC 3x30s": sets and reps on the item's own words, before any comma or "+"
DOSE_RIGHT_AFTER = re.compile(r"[^,;+\n]{0,25}?\b\d+[ \t]*[x×][ \t]*\d+", re.IGNORECASE)
CLAUSE_START = re.compile(r"[.!?;\n](?=[^.!?;\n]*$)")


def _techniques_outside_test_items(note: _Note, techniques: list[_Match]) -> list[_Match]:
    """Drop technique words a test lost points on: "FGA 18/30 - deductions on gait w/ head turns, EC, tandem"."""
    possible = note.possible("test_item_leads")
    if not possible:
        return techniques
    text = note.text
    leads = [feature_patterns()["test_item_leads"][i] for i in possible]
    treatment = feature_patterns()["treatment_between_test_and_item"]  # "lost pts on hd turns, tx vor x1"
    items_end = feature_patterns()["test_items_end"]  # "lost pts on SLS, so addressed with ..."
    kept = []
    for match in techniques:
        sentence = text[max(0, match.start_char - 150):match.start_char]
        start = CLAUSE_START.search(sentence)
        clause = sentence[start.end():] if start else sentence
        lead = next((found for p in leads if (found := p.search(clause))), None)
        if (lead is None or any(p.search(clause, lead.end()) for p in treatment)
                or any(p.search(clause, lead.end()) for p in items_end) or DOSE_RIGHT_AFTER.match(text, match.end_char)):
            kept.append(match)  # "lost pts on SLS and tandem, so addressed with tandem stance on foam 3x30s"
    return kept


# what ends a problem list: a heading of any name ("Interventions performed (NMR):"), a blank line, a code
PROBLEM_LIST_END = re.compile(r"\n[ \t]*[A-Z][\w /()\-]{2,40}:|\n[ \t]*\n|\b97\d{3}\b|\bG0\d{3}\b")
LIST_ITEM_START = re.compile(r"[ \t]*(?:[-*•◦▪>]|[a-z0-9][.)])\s")


def _problem_list_end(text: str, body: int, end: int) -> int:
    """Where a problem list stops: its own line when written inline, else its run of list items."""
    found = PROBLEM_LIST_END.search(text, body, end)
    stop = found.start() if found else end
    line_end = text.find("\n", body, stop)
    if line_end < 0:
        return stop
    if text[body:line_end].strip():  # "Impairments: R limb ataxia, wide-based gait" then the treatment
        return line_end
    position = line_end
    while position < stop:  # "Impairments addressed:\n - ↓ static bal\n - ↑ fall risk"
        next_end = text.find("\n", position + 1, stop)
        next_end = stop if next_end < 0 else next_end
        if not LIST_ITEM_START.match(text, position + 1, next_end) or text[position + 1:next_end].rstrip().endswith(":"):
            return position  # a line that is no list item, or a sub-heading ("- Tx provided:")
        position = next_end
    return stop


def _abilities_outside_assessment(note: _Note, techniques: list[_Match]) -> list[_Match]:
    """In an assessment, "static balance improving" or "trunk control in kneeling" judges an ability.

    The same words under a treatment heading name what was trained; in the assessment they say how the
    patient is doing, unless sets or reps follow. Only the words of `ability_words` (features.json) are
    read so: "tandem stance" or "weight shifting" in an assessment can still be what was practised.
    """
    if not techniques:
        return techniques
    text = note.text
    abilities = feature_words("ability_words")
    judged_after = feature_patterns()["ability_judged_after"]
    purpose_before = feature_patterns()["ability_purpose_before"]
    # "Standing balance improving, L quad weakness contributing": the ability judged, wherever it is said;
    # "NMR 23 min - to improve postural control:": the ability the treatment is for
    techniques = [match for match in techniques
                  if not (text[match.start_char:match.end_char].lower() in abilities
                          and (any(p.match(text, match.end_char) for p in judged_after)
                               or any(p.search(text, max(0, match.start_char - 100), match.start_char)
                                      for p in purpose_before)))]
    sections = find_sections(note.text)
    assessments = [(start, end) for start, end, label, _ in sections if label == "assessment"]
    problem_lists = [(start, _problem_list_end(note.text, body, end))
                     for start, end, label, body in sections if label == "impairments"]
    if not assessments and not problem_lists:
        return techniques
    return [match for match in techniques
            if _practised_after(text, match.end_char)
            or not ((text[match.start_char:match.end_char].lower() in abilities
                     and any(start <= match.start_char < end for start, end in assessments))
                    # a problem list ("Impairments addressed: - ↓ bal on foam/EC") names deficits only
                    or any(start <= match.start_char < end for start, end in problem_lists))]


class _NounRules(NamedTuple):
    """The lead and follow-on lists one activity noun is read with, and the technique id it gives."""

    technique_id: str
    lists: dict[str, tuple[re.Pattern, ...]]


NOUN_LIST_KINDS = ("before", "after", "not_before", "not_after", "heading_before", "heading_after")


@lru_cache(maxsize=None)
def _noun_rules(name: str) -> _NounRules:
    """A noun's own lists (`activity_noun_before:vor`) where features.json has them, else the shared ones."""
    patterns = feature_patterns()
    identifier = patterns.get(f"activity_noun_id:{name}")
    return _NounRules(identifier[0].pattern if identifier else name + "_training",
                      {kind: patterns.get(f"activity_noun_{kind}:{name}", patterns[f"activity_noun_{kind}"])
                       for kind in NOUN_LIST_KINDS})


def _activity_nouns(doc: Doc, note: _Note, kept: dict[str, list[_Match]]) -> list[_Match]:
    """A bare ability named as what the session did: "we spent 25 min on balance", "progress VOR to standing".

    "balance" alone is most often a problem ("dynamic balance remains impaired"); it names the
    exercise only with the lead or follow-on words of features.json (`activity_noun_*`). A word
    with lists of its own (`activity_noun_before:vor`) reads those instead of the shared ones.
    """
    nouns = _word_hashes("activity_noun_words")
    lower = note.lower()
    if nouns.isdisjoint(lower):
        return []
    covered = {i for group in kept.values() for m in group for i in range(m.start, m.end)}
    judged_in_assessment = feature_words("activity_noun_judged_in_assessment")
    text = note.text
    # in an assessment "balance" is the ability judged ("Balance and gait improving")
    assessments = [(start, end) for start, end, label, _ in find_sections(text) if label == "assessment"]
    found = []
    for index, word in enumerate(lower):
        if word not in nouns or index in covered:
            continue
        token = doc[index]
        rules = _noun_rules(token.lower_)
        lists = rules.lists
        start_char, end_char = token.idx, token.idx + len(token)
        if token.lower_ in judged_in_assessment and any(start <= start_char < end for start, end in assessments):
            continue
        before, after = text[max(0, start_char - 40):start_char], text[end_char:end_char + 40]
        if any(p.match(after) for p in lists["not_after"]) or any(p.search(before) for p in lists["not_before"]):
            continue
        heading = any(p.search(before) for p in lists["heading_before"]) and any(
            p.match(after) for p in lists["heading_after"])
        if heading or any(p.search(before) for p in lists["before"]) or any(p.match(after) for p in lists["after"]):
            found.append(_Match(index, index + 1, "technique", rules.technique_id, start_char, end_char))
    return found


# "Skilled cues:", "Cues provided:" heading a list; "Skilled cueing provided?" a checklist's question
CUES_HEADING_END = re.compile(r"\s*(?:provided|given|used)?\s*:|[ \t]*(?:(?:provided|given|used|needed|required|performed)[ \t]*)?\?")


FIRST_PERSON_CUES = "cue_first_person:"


def _word_starts(text: str, word: str) -> list[int]:
    """Where `word` (ending in a space) starts a word of the text."""
    starts = []
    at = text.find(word)
    while at >= 0:
        if at == 0 or not text[at - 1].isalnum():
            starts.append(at)
        at = text.find(word, at + 1)
    return starts


def _first_person_cues(doc: Doc, note: _Note, kept: dict[str, list[_Match]]) -> list[_Match]:
    """Cues a narrative says in the first person ("I tapped the back of your right knee", "my hands at her hips").

    The phrases are features.json `cue_first_person:<id>`; one that overlaps a cue already found adds nothing.
    """
    text = note.text
    # every phrase opens on "I" or "my": tried only where those words stand, not at every character
    starts = _word_starts(text, "I ") + _word_starts(note.folded(), "my ")
    if not starts:
        return []
    taken = [(c.start_char, c.end_char) for c in kept.get("cue", [])]
    found = []
    for group, patterns in feature_patterns().items():
        if not group.startswith(FIRST_PERSON_CUES):
            continue
        cue_id = group[len(FIRST_PERSON_CUES):]
        for pattern in patterns:
            for hit in filter(None, (pattern.match(text, start) for start in starts)):
                if any(start < hit.end() and hit.start() < end for start, end in taken):
                    continue
                span = doc.char_span(hit.start(), hit.end(), alignment_mode="expand")
                if span is None or not len(span):
                    continue
                taken.append((hit.start(), hit.end()))
                found.append(_Match(span.start, span.end, "cue", cue_id, span.start_char, span.end_char))
    return found


def _cues_heading(text: str, match: _Match) -> bool:
    """ "Skilled cues: VC to use ankles; TC at pelvis", "Skilled cueing provided? Y - verbal ...": the heading or the
    checklist's question names no cue, the items under it or its answer do."""
    return (text[match.start_char:match.end_char].lower() in feature_words("cue_heading_words")
            and CUES_HEADING_END.match(text, match.end_char) is not None)


TABLE_HEADER_CELLS = re.compile(r"[ \t]*\|[ \t]*|\t|[ \t]{2,}|,")


def _cue_column_name(text: str, match: _Match) -> bool:
    """ "Exercise | Sets | Reps | Cues", "Activity   Time   Cues/Assist": a table header's column, not a cue given."""
    if text[match.start_char:match.end_char].lower() not in feature_words("cue_heading_words"):
        return False
    line_start = text.rfind("\n", 0, match.start_char) + 1
    line_end = text.find("\n", match.end_char)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    cells = [cell for cell in TABLE_HEADER_CELLS.split(line) if cell.strip()]
    return len(cells) >= 3 and ", " not in line and not any(character.isdigit() for character in line)


def _fall_as_a_season(text: str, match: _Match) -> bool:
    """ "Back on the trails in the fall": the season, not a fall."""
    if text[match.start_char:match.end_char].lower() != "fall":
        return False
    before = text[max(0, match.start_char - 20):match.start_char].lower()
    return any(p.search(before) for p in feature_patterns()["season_before_fall"])


def _names_a_service(note: _Note, match: _Match) -> bool:
    """ "Falls clinic PT note", "Parkinson's falls program": the name of a clinic or a class, not a finding."""
    return _inside_a_phrase(note, "not_a_deficit", match.start_char, match.end_char, after=30)


def _judged_before(text: str, at: int) -> bool:
    """Whether a word judging an ability stands before `at` in its clause ("impaired ... scapular motor control")."""
    clause_start = max(text.rfind(stop, max(0, at - 80), at) for stop in (".", ";", "\n", ":"))
    judging = feature_patterns()["judging_words_before_technique"][0]
    return judging.search(text, max(clause_start + 1, at - 80), at) is not None


def _deficits_outside_diagnoses(note: _Note, deficits: list[_Match], conditions: list[_Match]) -> list[_Match]:
    """Drop deficit words that only qualify a diagnosis: "spastic" in "spastic diplegic CP"."""
    nouns = _word_hashes("diagnosis_nouns")
    lower = note.lower()
    return [d for d in deficits
            if not any(c.start <= d.start and d.end <= c.end and c.end - c.start > d.end - d.start
                       and lower[c.end - 1] in nouns for c in conditions)]


@Language.component("notereview_mentions", assigns=["doc.spans"], requires=["doc.spans"])
def tidy_mentions(doc: Doc) -> Doc:
    """Keep the longest match per type, drop techniques inside deficit phrases, and read stance times as measures."""
    by_type: dict[str, list[_Match]] = {}
    note = _Note(doc)
    capitals_or_score = feature_words("test_names_needing_capitals_or_score")
    capitals_only = feature_words("test_names_needing_capitals")
    needing_result = feature_words("measure_names_needing_result")
    needing_millimetres = feature_words("measure_names_needing_millimetres")
    needing_pusher_context = feature_words("deficit_words_needing_pusher_context")
    for span in doc.spans.get("mentions", []):
        match = _Match(span.start, span.end, span.label_, span.id_, span.start_char, span.end_char, span)
        if ((surface := note.text[match.start_char:match.end_char]).lower() in capitals_or_score
                and not surface.isupper() and not SCORE_AFTER.match(note.text, match.end_char)):
            continue  # "Mom aims to carry him less" is no AIMS score; "aims 24/58" and "Trails A 45 s" are
        if surface.lower() in capitals_only and not (surface.isupper() and not note.in_capitals
                                                     and not DECIMAL_AFTER.match(note.text, match.end_char)):
            continue  # "less pain", "LESS PAIN" in a note typed in capitals, "HB 8.1" a lab; "LESS 7", "HB III" are tests
        if match.label == "deficit" and surface.lower() in needing_pusher_context and not note.speaks_of_pushing:
            continue  # "pushing up from the chair"; "pushing to R (SCP 3/6)" is the deficit
        if match.label == "measure" and not _result_as_needed(note.text, match, needing_result, needing_millimetres):
            continue  # "PROM L cervical rotation stretch" treats; "Cervical rot AROM R 60 / L 75" measures
        if match.label == "technique":
            if _not_a_technique(note, match.start_char, match.end_char):
                continue
            match = _stance_result_as_measure(doc, note.text, match) or match
        by_type.setdefault(match.label, []).append(match)
    kept = {label: _longest_first(_union_same_id(matches)) for label, matches in by_type.items()}
    if "measure" in kept and "technique" in kept:
        kept["measure"] = _tests_not_practised(note.text, kept["measure"], kept["technique"])
        kept["measure"] = _practice_without_result(note.text, kept["measure"], kept["technique"])
    for container, absorbed in ABSORBED.items():
        outer = kept.get(container, [])
        if not outer:
            continue
        # a mention lies inside an outer one when, of the outer mentions starting at or before it,
        # the one reaching furthest reaches its end: one sort instead of comparing every pair
        starts = sorted(o.start for o in outer)
        reach = list(accumulate((o.end for o in sorted(outer, key=lambda o: o.start)), max))
        for label in absorbed:
            if label in kept:
                kept[label] = [m for m in kept[label]
                               if not ((at := bisect.bisect_right(starts, m.start)) and reach[at - 1] >= m.end)]
    if "technique" in kept and "deficit" in kept:
        # "heel-toe walking" is the exercise, not the "toe walking" inside it (but "poor postural alignment" judges)
        techniques = kept["technique"]
        kept["deficit"] = [d for d in kept["deficit"]
                           if not any(t.start < d.start and t.end >= d.end and not _judged_before(note.text, t.start_char)
                                      for t in techniques)]
    if "condition" in kept and "measure" in kept:
        # "CVA 8 mm" measured the head's shape: no stroke
        measured = {(m.start, m.end) for m in kept["measure"]}
        kept["condition"] = [c for c in kept["condition"] if (c.start, c.end) not in measured]
    if "condition" in kept and "deficit" in kept:
        kept["deficit"] = _deficits_outside_diagnoses(note, kept["deficit"], kept["condition"])
    if "deficit" in kept:
        kept["deficit"] = [d for d in kept["deficit"]
                           if not _fall_as_a_season(note.text, d) and not _names_a_service(note, d)]
    if "cue" in kept and "technique" in kept:
        # "NDT handling at L hip": a cue phrase running on from inside a technique's name ("NDT handling") is
        # that technique's word, not a cue of its own ("mirror for visual feedback" holds its cue whole)
        # (techniques no longer overlap one another here: only the last one starting before the cue can hold it)
        technique_spans = sorted((t.start, t.end) for t in kept["technique"])
        kept["cue"] = [c for c in kept["cue"]
                       if not ((at := bisect.bisect_left(technique_spans, (c.start, 0))) and
                               technique_spans[at - 1][0] < c.start < technique_spans[at - 1][1] < c.end)]
    if "cue" in kept:
        cues = kept["cue"]
        kept["cue"] = [c for c in cues if not (_cues_heading(note.text, c) and any(
            0 < o.start_char - c.end_char <= 120 for o in cues)) and not _cue_column_name(note.text, c)]
    if first_person := _first_person_cues(doc, note, kept):
        kept["cue"] = sorted(kept.get("cue", []) + first_person, key=lambda m: m.start)
    if activities := _activity_nouns(doc, note, kept):
        kept["technique"] = sorted(kept.get("technique", []) + activities, key=lambda m: m.start)
    if "technique" in kept:
        kept["technique"] = _techniques_outside_deficits(note, kept["technique"], kept.get("deficit", []))
        kept["technique"] = _techniques_outside_tests(note, kept["technique"], kept.get("measure", []))
        kept["technique"] = _techniques_outside_condition_rows(note.text, kept["technique"])
        kept["technique"] = _techniques_outside_test_items(note, kept["technique"])
        kept["technique"] = _abilities_outside_assessment(note, kept["technique"])
        kept["technique"] = _joined_setups(note.text, kept["technique"])
    matches = sorted((m for group in kept.values() for m in group), key=lambda m: (m.start, m.end, m.label))
    doc.spans["mentions"] = [m.span if m.span is not None else Span(doc, m.start, m.end, label=m.label, span_id=m.id)
                             for m in matches]
    return doc
