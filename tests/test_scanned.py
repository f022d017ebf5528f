"""Notes typed to a fixed width or read from scanned paper: wraps and '1' for 'l' repaired for reading only."""
from __future__ import annotations

from notereview import review
from notereview.nlp.scanned import as_read

SCANNED = (
    "DAILY NOTE   Time In 0900  Time Out 0940\n"
    "S: Pt reports 1 near fall at home tuming from sink, caught self on\n"
    "counter.  Wife says he is more unsteady in the evenings than before.\n"
    "O: NMR - static standing ba1ance in // bars, feet together EO then\n"
    "EC 3 x 30 sec, CGA.  Seated PNF D1/D2 LE patterns w/ manual resist, slow\n"
    "reversals L>R, VC/TC for timing.  Pt c/o tired legs and declined the\n"
    "tandem walking today.  Rest breaks 2 min between sets, tolerated well.\n"
    "A: Impaired dynamic balance, fall risk high, VOR x1 not tested today.\n"
    "97112  __2__ units  __25__ min\n"
)


def billed(text):
    return [(s.code, s.minutes, s.units_billed) for s in review(text).services]


def reviewed_as_written(note):
    """The review of a repaired note, every mention quoting the note as it was written."""
    found = review(note)
    assert all(note[m.start:m.end] == m.text for m in found.entities)
    return found


def test_a_wrapped_sentence_reads_as_one():
    found = review(SCANNED)
    techniques = {m.text.lower(): m for m in found.entities if m.type == "technique"}
    assert "slow\nreversals" in techniques, sorted(techniques)  # the phrase across the margin, quoted as written
    assert techniques["tandem walking"].negated, "the refusal on the line above reaches across the wrap"
    assert any("ba1ance" in t for t in techniques), sorted(techniques)  # a '1' read as an 'l' 


def test_repairs_keep_every_offset():
    repaired = as_read(SCANNED)
    assert len(repaired) == len(SCANNED)
    assert "standing balance" in repaired and "VOR x1" in repaired and "D1/D2" in repaired
    found = review(SCANNED)
    assert all(SCANNED[m.start:m.end] == m.text for m in found.entities)
    assert billed(SCANNED) == [("97112", 25, 2)]


def test_lists_and_short_lines_are_never_joined():
    bulleted = ("Treatment provided today in the clinic gym with the pt's wife present\n"
                "- tandem stance at the counter with light touch, 4 x 20 s, CGA\n"
                "- foam stance eyes closed 3 x 30 s with verbal cues for ankle strategy\n"
                "- step taps to cones in all directions 2 x 10 each side, SBA throughout\n"
                "a) balance reactions improving across sets with fewer cues\n")
    assert as_read(bulleted) == bulleted
    lowercase = ("84 yo f high fall risk 2 falls since jan berg 39/56 tug 17 sec w rw abc 61%\n"
                 "still fall risk per tug cutoff and berg, pt agrees to cont poc 2x wk\n"
                 "nmr 97112 x 23 min standing feet together eo ec on firm then foam w cga\n"
                 "goals berg 48/56 or more tug under 13.5 sec in 4 wks stg1 tinetti 24\n")
    assert as_read(lowercase) == lowercase


def test_markdown_emphasis_is_read_as_spaces():
    from notereview.nlp.markup import without_emphasis

    note = "**Goals**\n1. Berg >= 48/56 in 6 wks\n\n- **Ther ex 97110 - 25 min**\n- **Manual 97140 - 10 min:** mobs"
    blanked = without_emphasis(note)
    assert len(blanked) == len(note) and "**" not in blanked
    found = review(note)
    assert [(s.code, s.minutes) for s in found.services] == [("97110", 25), ("97140", 10)]
    assert [m.text for m in found.entities if m.type == "goal"] == ["Berg >= 48/56 in 6 wks"]
    form = "97112 __2__ units __30__ min\n97530  ___ min  ___ units"
    assert without_emphasis(form) == form  # a form's blanks are no bold


def test_html_and_rtf_left_by_an_export_are_read_for_what_they_stand_for():
    from notereview.nlp.markup import without_export_markup

    html_note = ("<b>PT Daily Note</b><br>S: Pt reports &quot;leg heavy&quot;.<br><br>O:<br>"
                 "<b>NMR</b>&nbsp;97112&nbsp;&nbsp;25 min&nbsp;(2)<br>- static standing on foam, EO/EC 4 x 30 s, CGA, "
                 "VC for upright trunk<br><b>Gait</b>&nbsp;97116&nbsp;&nbsp;15 min&nbsp;(1)<br>- amb 150 ft, min A"
                 "<br><br>P: will add perturbations next visit.")
    rtf_note = ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times New Roman;}}\n\\pard\\plain \\f0\\fs22\\b PT Daily \\endash "
                " Parkinson\\rquote s\\b0\\par\n\\b NMR 97112 \\tab 28 min \\tab (2)\\b0\\par\n"
                "- backward stepping strategy training w/ pull-and-release, 10 trials\\par\n}")
    for note in (html_note, rtf_note):
        assert len(without_export_markup(note)) == len(note)
    found = reviewed_as_written(html_note)
    assert billed(html_note) == [("97112", 25, 2), ("97116", 15, 1)]
    assert next(m for m in found.entities if m.text == "perturbations").hypothetical
    assert billed(rtf_note) == [("97112", 28, 2)]
    plain = "NMR 97112 25 min: SLS <5 s R, tandem > 10 s, DF <R, knee flex >90, A&O x3; R&L wt shifts, w\\o UE, sit\\stand"
    assert without_export_markup(plain) == plain


def test_notes_carried_by_hl7_and_json_are_read_for_the_text_they_carry():
    from notereview.nlp.markup import without_interface_escapes

    hl7_note = ("MSH|^~\\&|REHABDOC|NEURO_OP|CHGSYS|MAIN|20260309144210||ORU^R01|RD7731|P|2.5.1\n"
                "OBX|1|TX|NOTE^Narrative||Dx: L MCA CVA, R hemiparesis.\\.br\\O: standing wt shift R/L in // bars w/ "
                "mirror, TC at R glute med, CGA; turning w/ floor tape \\T\\ metronome.~P: will add perturbations.||||||F\n"
                "OBX|2|NM|TXMIN^97112 minutes||25|min|||||F\n"
                "OBX|3|TX|GOAL^Goals||Pt will amb 300 ft w/o LOB in 4 wks||||||F\n"
                "FT1|1|||20260309||CG|97112^NEUROMUSCULAR REEDUC^CPT4|||2\n")
    json_note = ('{"kind":"OP_NEURO_PT","body":"S: 2 falls this month.\\nNMR 97112 (25 min): tall kneeling to half-kneel '
                 'w/ facilitation at pelvis, CGA \\u003e\\u003e SBA.\\nTher act 97530 (15 min): stairs w/ 1 rail.\\n'
                 'P: add SLS on foam next visit."}')
    for note in (hl7_note, json_note):
        assert len(without_interface_escapes(note)) == len(note)
    found = reviewed_as_written(hl7_note)
    assert billed(hl7_note) == [("97112", 25, 2)]
    assert next(m for m in found.entities if m.text == "perturbations").hypothetical
    assert [m.text for m in found.entities if m.type == "goal"] == ["Pt will amb 300 ft w/o LOB in 4 wks"]
    assert sorted(billed(json_note)) == [("97112", 25, None), ("97530", 15, None)]
    # a note that only mentions a pipe or a backslash is left as it is
    plain = "NMR 97112 25 min | 2u: SLS on foam, w\\o UE, sit\\stand; OBX|1 is no segment here"
    assert without_interface_escapes(plain) == plain


def test_an_hl7_message_inside_json_and_goals_in_xml_elements():
    # HL7 segments separated by JSON's "\\r": the charge's units are read
    message = ('{"msg":"MSH|^~\\\\&|A|B|C|D|20260101||DFT^P03|1|P|2.3\\rOBX|1|TX|NOTE^Note||NMR 97112 25 min: SLS on '
               'foam, CGA.||||||F\\rFT1|1|||20260101||CG|97112^NMR^CPT4|||2","x":"a\\nb"}')
    assert billed(message) == [("97112", 25, 2)]
    # "<Goal>Improve ...": the element's name is no "goal >" comparison
    xml = "<Goals>\n<Goal>Resident will ambulate 150 ft w/ RW and SBA.</Goal>\n<Goal>Improve standing balance for safety.</Goal>"
    assert len([m for m in review(xml).entities if m.type == "goal"]) == 2


def test_dictated_punctuation_is_read_and_keeps_offsets():
    text = ("Occupational therapy note new paragraph Background colon three year old with right hemiplegic CP. "
            "new paragraph Billing colon neuro muscular reeducation ninety seven one twelve, twenty five minutes, "
            "two units, and therapeutic activities 97530, fifteen minutes, one unit.")
    found = review(text)
    assert sorted((s.code, s.minutes, s.units_billed) for s in found.services) == [("97112", 25, 2), ("97530", 15, 1)]
    assert all(text[m.start:m.end] == m.text for m in found.entities)


def test_an_organs_name_is_no_dictated_colon():
    from notereview.nlp.dictation import with_spoken_punctuation
    assert with_spoken_punctuation("Dx: stage III colon ca, s/p resection.") == "Dx: stage III colon ca, s/p resection."


def test_spoken_marks_headings_and_clock_times_of_a_dictated_note():
    from notereview.nlp.dictation import with_spoken_punctuation
    text = ("vestibular daily note new line Dicks Hallpike right positive today period canalith repositioning 95992 "
            "Eppley maneuver right times 2 period new line treatment 9 7 1 1 2 times 3 units from 10 15 to 10 55 period "
            "Rhomberg stance on foam eyes closed 3 times 30 seconds comma symptoms back to baseline in 1 minute period "
            "assessment decreased balance with eyes closed period goals patient will roll in bed without vertigo in "
            "2 weeks period tandem walking 20 feet without loss of balance period plan of care 2 times a week period "
            "total visit 50 minutes period")
    read = with_spoken_punctuation(text)
    assert len(read) == len(text)
    assert "goals:patient will" in read and "plan of care:2 times" in read and "10:15 to 10:55" in read
    found = review(text)
    assert [(s.code, s.minutes, s.units_billed) for s in found.services] == [("95992", None, None), ("97112", 40, 3)]
    assert all(text[m.start:m.end] == m.text for m in found.entities)
    kinds = {(m.type, m.text) for m in found.entities}
    assert {("measure", "Dicks Hallpike"), ("technique", "Eppley maneuver")} <= kinds
    goals = [m.text for m in found.entities if m.type == "goal"]
    assert goals == ["patient will roll in bed without vertigo in 2 weeks", "tandem walking 20 feet without loss of balance"]


def test_a_typed_note_keeps_its_words_for_periods():
    from notereview.nlp.dictation import with_spoken_punctuation
    typed = ('Reporting period: visits 11-20. Steady gains this period, Berg +5. Goals tied to "on" period performance '
             "are met. Pt to continue for a period of 4 wks.")
    assert with_spoken_punctuation(typed) == typed
