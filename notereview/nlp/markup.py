"""Markdown emphasis in notes written or exported by a Markdown editor, blanked for reading.

"**Assist:** CGA", "- **Ther ex 97110 - 25 min**", "**Goals**": the asterisks of bold and italic text
stand between a heading and its colon, or between a label and its value, where the section and
billing rules expect neither. Each marker becomes spaces, so the text keeps
its length and every offset still points into the note as written.
"""
from __future__ import annotations

import re

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
