"""Markdown emphasis, the markup left by exports and a note's tracked edits, blanked for reading.

"**Assist:** CGA", "- **Ther ex 97110 - 25 min**", "**Goals**": the asterisks of bold and italic text
stand between a heading and its colon, or between a label and its value, where the section and
billing rules expect neither. Each marker becomes spaces, so the text keeps
its length and every offset still points into the note as written.
"""
from __future__ import annotations

import html
import re

from .rules import feature_words, literal_alternation

# "**bold**" and "*italic*" around words; not a lone "*" (a footnote, "5*") or "2*3". Underscores stay:
# "__2__ units __30__ min" fills a form's blanks more often than it makes bold
EMPHASIS = re.compile(r"(?<![*\w])(\*\*)(?=[^\s*])([^\n]+?)(?<=[^\s*])\*\*(?![*\w])"
                      r"|(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")


def without_emphasis(text: str) -> str:
    """The note with its Markdown emphasis markers replaced by spaces."""
    if "*" not in text:
        return text
    return EMPHASIS.sub(lambda m: " " * len(m.group(1) or "*") + (m.group(2) if m.group(1) else m.group(3))
                        + " " * len(m.group(1) or "*"), text)


# Export remnants: HTML tags and entities, RTF control words, text decoded with the wrong code page. Each is
# replaced by what it stands for, padded with spaces to its own length, so the note keeps its offsets.
HTML_LINE_BREAK = re.compile(r"<(?:br|/p|p|/li|/div|div|/tr|tr|/h\d|/ul|/ol)(?:\s[^<>\n]{0,80})?/?>", re.IGNORECASE)
HTML_LIST_ITEM = re.compile(r"<li(?:\s[^<>\n]{0,80})?>", re.IGNORECASE)
HTML_CELL = re.compile(r"<t[dh](?:\s[^<>\n]{0,80})?>", re.IGNORECASE)  # a table's cell: "|" as in a typed table
# only the names of tags an export leaves; "DF <R, knee flex >90" compares, it is no tag
HTML_TAG = re.compile(r"</?(?:b|i|u|em|strong|span|font|p|br|li|ul|ol|div|td|th|tr|table|tbody|thead|o:p|h[1-6]|sup|sub)"
                      r"(?:\s[^<>\n]{0,200})?/?>", re.IGNORECASE)
HTML_ENTITY = re.compile(r"&(?:#\d{2,5}|#x[0-9a-fA-F]{2,4}|[A-Za-z]{2,8});")
RTF_LINE_BREAK = re.compile(r"\\(?:par|line)\b ?")
RTF_CHARACTER = re.compile(r"\\'([0-9a-fA-F]{2})|\\u(-?\d{2,5})\??")
RTF_NAMED = {"endash": "–", "emdash": "—", "rquote": "'", "lquote": "'", "rdblquote": '"', "ldblquote": '"',
             "bullet": "•", "tab": "\t"}
RTF_CONTROL = re.compile(r"\\([a-z]{1,20})(-?\d{1,5})? ?")
# words only RTF writes: a typed "w\o" or "sit\stand" is no control word, and the note no RTF
RTF_EVIDENCE = re.compile(r"\{\\rtf|\\(?:par|pard|plain|b0|i0|tab|rquote|lquote|rdblquote|ldblquote|endash|emdash|fs\d+)\b")
RTF_GROUP = re.compile(r"\{\\(?:fonttbl|colortbl|stylesheet|info|\*)[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
# UTF-8 read as Windows-1252: "â€¢" was a bullet, "Â " a non-breaking space
MOJIBAKE = {"â€¢": "•", "â€™": "'", "â€˜": "'", "â€œ": '"', "â€\x9d": '"', "â€“": "–", "â€”": "—", "Â°": "°",
            "Â\xa0": " ", "Â ": " ", "Ã©": "é", "â‰¥": "≥", "â‰¤": "≤", "â†’": "→", "â†‘": "↑", "â†“": "↓"}
MOJIBAKE_RE = re.compile("|".join(map(re.escape, sorted(MOJIBAKE, key=len, reverse=True))))


def _padded(replacement: str, length: int) -> str:
    return (replacement + " " * length)[:length] if length >= len(replacement) else " " * length


def _entity(match: re.Match) -> str:
    written = match.group(0)
    meaning = html.unescape(written)
    if meaning == written:
        return written
    return _padded(meaning.replace("\xa0", " "), len(written))


def _rtf_character(match: re.Match) -> str:
    if match.group(1):
        character = bytes([int(match.group(1), 16)]).decode("cp1252", errors="replace")
    else:
        code = int(match.group(2))
        code = code + 65536 if code < 0 else code
        # half of a surrogate pair ("\\u-10179?\\u-8694?", an emoji) or out of range: no character to read
        character = chr(code) if 0 <= code < 0xD800 or 0xDFFF < code <= 0xFFFF else " "
    return _padded(character, len(match.group(0)))


def _rtf_control(match: re.Match) -> str:
    return _padded(RTF_NAMED.get(match.group(1), ""), len(match.group(0)))


# Notes carried by an interface: a JSON string's escapes ("\\n", "\\t", "\\u0026"), an HL7 v2 message's escapes
# ("\\.br\\", "\\T\\" for "&", "\\X0D\\") and its segments' framing ("OBX|1|TX|NOTE^Narrative||...||||||F"). Each is
# read as what it stands for, padded with spaces to its own length.
JSON_ESCAPE = re.compile(r'\\(?:r\\n|[ntr"/]|u[0-9a-fA-F]{4})')
JSON_ESCAPED = {"\\r\\n": "   \n", "\\n": " \n", "\\t": " \t", "\\r": " \n", '\\"': ' "', "\\/": " /"}
HL7_SEGMENT = re.compile(r"^(?:MSH|OBX|NTE|FT1|OBR|PID|PV1|EVN|TXA)\|", re.MULTILINE)
HL7_ESCAPE = re.compile(r"\\(?:\.br|X0D0A|X0D|X0A|[TFSRE])\\")
HL7_ESCAPED = {"\\T\\": "&", "\\F\\": "/", "\\S\\": "^", "\\R\\": "~", "\\E\\": "\\"}
# a result segment: its set id and value type, then what it reports ("NOTE^Narrative", "TXMIN^97112 minutes"), then
# the value ("25|min", or the note's text) and the empty fields and the result status closing it ("||||||F")
HL7_RESULT = re.compile(r"^OBX\|[^|\n]*\|[^|\n]*\|(?:[^|^\n]*\^)?(?P<name>[^|^\n]*)(?:\^[^|\n]*)?\|[^|\n]*\|"
                        r"(?P<value>[^\n]*?)(?P<tail>\|*(?:\|[A-Z]?)?[ \t]*)$", re.MULTILINE)
HL7_COMMENT = re.compile(r"^NTE\|[^|\n]*\|[^|\n]*\|(?P<value>[^\n]*?)(?P<tail>\|*)$", re.MULTILINE)
# a charge: its transaction's code and name ("97112^NEUROMUSCULAR REEDUC^CPT4") and, three fields on, its quantity
HL7_CHARGE = re.compile(r"^FT1(?:\|[^|\n]*){6}\|(?P<code>[^|^\n]*)(?:\^(?P<name>[^|^\n]*))?(?:\^[^|\n]*)?"
                        r"\|[^|\n]*\|[^|\n]*\|(?P<quantity>\d{1,2})(?![\d.])(?P<tail>[^\n]*)$", re.MULTILINE)
# inside the text, a "~" (the repetition separator) or a "^" after a full stop breaks the line: "...ataxia.~Pt seen",
# "stiff in AM.^Quad re-ed"; not "~50% of reps"
HL7_LINE_BREAK = re.compile(r"~(?=[ \t]*[A-Za-z(\[])|(?<=[.;:)])\^(?=[ \t]*[A-Za-z(\[])")


def _json_escape(match: re.Match) -> str:
    written = match.group(0)
    if written[1] == "u":
        character = chr(int(written[2:], 16))
        return _padded(character if character.isprintable() else " ", len(written))
    return JSON_ESCAPED[written]


def _hl7_text(match: re.Match, lead: str = "", pipe: str = "|") -> str:
    """A segment's value in its own place with its line breaks read, after a lead written where the fields before
    it stood, the fields closing it blanked."""
    value = HL7_LINE_BREAK.sub("\n", match.group("value")).replace("|", pipe)
    return _padded(lead, match.start("value") - match.start()) + value + " " * len(match.group("tail"))


def _hl7_result(match: re.Match) -> str:
    # "OBX|12|NM|TXMIN^97112 minutes||25|min|||||F" reads "97112 minutes: 25 min", "OBX|3|TX|GOAL^Goals||STG: ..."
    # reads "Goals: STG: ...", each in the segment's own place
    name = match.group("name")
    lead = " " * (match.start("name") - match.start()) + name + (": " if name.strip() else "")
    return _hl7_text(match, lead, pipe=" ")  # "25|min": the value and its unit


def _hl7_charge(match: re.Match) -> str:
    # "FT1|1|||20260217||CG|97530^THERAPEUTIC ACTIVITIES^CPT4|||2" reads "97530 THERAPEUTIC ACTIVITIES x2"
    name = match.group("name") or ""
    billed = match.group("code") + (" " + name if name else "")
    gap = match.start("quantity") - match.start("code") - len(billed) - 1
    return (" " * (match.start("code") - match.start()) + billed + " " * gap + "x" + match.group("quantity")
            + " " * len(match.group("tail")))


def without_interface_escapes(text: str) -> str:
    """The note with the escapes of a JSON string or an HL7 v2 message, and HL7's segment framing around the
    note's text, read as the text they carry, same length."""
    if "\\" in text and text.count("\\n") + text.count("\\r") >= 2:
        text = JSON_ESCAPE.sub(_json_escape, text)
    if "|" in text and HL7_SEGMENT.search(text):
        text = HL7_RESULT.sub(_hl7_result, text)
        text = HL7_COMMENT.sub(_hl7_text, text)
        text = HL7_CHARGE.sub(_hl7_charge, text)
        if "\\" in text:
            text = HL7_ESCAPE.sub(lambda m: _padded("\n" if m.group(0)[1] in ".X" else HL7_ESCAPED[m.group(0)],
                                                    len(m.group(0))), text)
    return text


# Tracked edits left in the note: struck-through or deleted text is no longer what the note says ("NMR 97112
# ~~30 min~~ 23 min", "<del>perturbations</del>", "[deleted: held, pt nauseous]"); an insertion is ("[added: nearly fell]")
STRUCK = re.compile(r"~~(?=\S)[^~\n]{0,300}?(?<=\S)~~(?!\w)|<(s|del|strike)>[^<\n]{0,300}</\1>"
                    r"|\[(?:deleted|del|removed|struck)\s*:[^\]\n]{0,300}\]", re.IGNORECASE)
INSERTED = re.compile(r"(\[(?:added|inserted|ins)\s*:\s*)([^\]\n]{1,300})(\])", re.IGNORECASE)


# the marks a struck technique is read with; context.jsonl has them as a negation and its terminator
STRUCK_START, STRUCK_END = "¬", "⌐"
KEPT_AS_NOT_DONE = re.compile(r"~~([A-Za-z][A-Za-z /'-]*)~~")
NOT_A_THING_DONE = re.compile(r"\b(?:" + literal_alternation(feature_words("struck_verdict_words")) + r")\b", re.IGNORECASE)


def _struck(match: re.Match) -> str:
    # "~~perturbations~~", "~~EC~~ EO only": a struck technique was not done, so it reads as negated;
    # struck figures ("~~30 min~~ 23 min") and struck verdicts ("~~not performed~~ performed") are blanked
    words = KEPT_AS_NOT_DONE.fullmatch(match.group(0))
    if words and not NOT_A_THING_DONE.search(words.group(1)):
        # the struck words keep their place: the mark before them negates, the one after them ends it
        return f"{STRUCK_START} {words.group(1)} {STRUCK_END}"
    return " " * len(match.group(0))


def without_struck_text(text: str) -> str:
    """The note with struck-through and deleted text read as not done or blanked, and insertion marks removed,
    same length."""
    if "~~" in text or "<" in text or "[" in text:
        text = STRUCK.sub(_struck, text)
        if "[" in text:
            text = INSERTED.sub(lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(3)), text)
    return text


def without_export_markup(text: str) -> str:
    """The note with leftover HTML, RTF and code-page damage replaced by what it stands for, same length."""
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    if "â€" in text or "Â" in text or "Ã" in text or "â‰" in text or "â†" in text:
        text = MOJIBAKE_RE.sub(lambda m: _padded(MOJIBAKE[m.group(0)], len(m.group(0))), text)
    if "&" in text and ";" in text:
        text = HTML_ENTITY.sub(_entity, text)  # before the tags: "&lt;br/&gt;" in an XML element's text is a tag
    if "<" in text and ">" in text and HTML_TAG.search(text):
        text = HTML_LINE_BREAK.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
        text = HTML_LIST_ITEM.sub(lambda m: _padded("-", len(m.group(0))), text)
        text = HTML_CELL.sub(lambda m: _padded("|", len(m.group(0))), text)
        text = HTML_TAG.sub(lambda m: " " * len(m.group(0)), text)
    if "\\" in text and RTF_EVIDENCE.search(text):
        if "{\\rtf" in text:
            text = RTF_GROUP.sub(lambda m: " " * len(m.group(0)), text)
            text = re.sub(r"[{}]", " ", text)
        text = RTF_LINE_BREAK.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
        text = RTF_CHARACTER.sub(_rtf_character, text)
        text = RTF_CONTROL.sub(_rtf_control, text)
    return text


# Tables an EMR prints, or a template draws, with box-drawing characters ("┌──┬──┐", "│ 97112 │ 20 │", "╞══╪══╡"):
# a vertical is the "|" of a typed table, a horizontal a "-", a corner or junction a "+", as ASCII tables are drawn
BOX_VERTICALS = "│┃┆┇┊┋╎╏║╵╷╹╻╽╿"
BOX_HORIZONTALS = "─━┄┅┈┉╌╍═╴╶╸╺╼╾"
BOX_DRAWING = str.maketrans({chr(code): "|" if chr(code) in BOX_VERTICALS else "-" if chr(code) in BOX_HORIZONTALS
                             else "+" for code in range(0x2500, 0x2580)})


BOX_CHARACTER = re.compile("[\u2500-\u257f]")


def as_ascii_table(text: str) -> str:
    """The note with its box-drawing characters read as the ASCII a typed table is drawn with (same length)."""
    if not BOX_CHARACTER.search(text):
        return text
    return text.translate(BOX_DRAWING)
