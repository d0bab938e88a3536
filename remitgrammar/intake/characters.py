"""The one table of characters a report's text is normalised by, and where removals moved columns.

A filing's text may hold characters that look like others (typographic quotes and dashes, the
many Unicode spaces) or that show as nothing (zero-width spaces and joiners, a byte order mark,
a soft hyphen, direction marks and overrides). Read as they are, they change how a line is
classified in silence: a zero-width space glued to a group's label makes the label unknown, a
no-break space is no gap between columns. So the text is normalised here, by this table only,
before anything reads it:

- a look-alike becomes its ASCII form, one character for one, so no column moves;
- an invisible character is removed: it takes no place on the page, so the text without it is
  laid out as the report shows; the columns each removal moves are kept (``Shifts``), so that every
  value's and finding's column is the file's again;
- nothing else is changed.

``look_alike`` runs in intake (decode.py), ``remove_invisible`` on each report's text before it is
detected and parsed (pipeline.py), whose line map then gives columns back. A dash or digit this
table does not list (a figure dash U+2012, the digits of another script) stays as printed: a number
holding one is malformed (RG113).
docs/security.md lists the table.
"""

from __future__ import annotations

import re

LOOK_ALIKE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",  # single quotes
    "\u201c": '"', "\u201d": '"', "\u201e": '"',                  # double quotes
    "\u2013": "-", "\u2014": "-", "\u2212": "-",                  # en dash, em dash, minus sign
    "\u2026": ".",                                                # ellipsis (one character for one)
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ",   # no-break, figure, narrow, ideographic
    **{chr(c): " " for c in range(0x2000, 0x200b)},               # en quad to hair space
}
INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064" \
            "\u2066\u2067\u2068\u2069\ufeff"
_LOOK_ALIKE = re.compile("[" + "".join(LOOK_ALIKE) + "]")
_INVISIBLE = re.compile("[" + INVISIBLE + "]")


class Shifts:
    """Columns moved by removed characters: text line -> 1-based file columns of its removals, and
    the line as printed (findings quote it, so that their caret stands under the file's column)."""

    def __init__(self, removed: dict | None = None, printed: dict | None = None):
        self.removed = removed or {}
        self.printed = printed or {}

    def __bool__(self) -> bool:
        return bool(self.removed)

    def file_column(self, line: int, column: int) -> int:
        """The file's column of a column of the normalised text's ``line``."""
        removed = self.removed.get(line)
        if not removed or not column:
            return column
        for at in removed:  # a kept character stands after every removal at or before its file column
            if at > column:
                break
            column += 1
        return column


    def text_column(self, line: int, column: int) -> int:
        """The normalised text's column of a file column of ``line`` (file_column's inverse)."""
        removed = self.removed.get(line)
        return column - sum(1 for at in removed if at < column) if removed and column else column


def look_alike(text: str) -> str:
    """The text with each look-alike character in its ASCII form (one for one: no column moves)."""
    if text.isascii() or not _LOOK_ALIKE.search(text):
        return text
    return _LOOK_ALIKE.sub(lambda m: LOOK_ALIKE[m.group()], text)


def remove_invisible(text: str) -> tuple[str, Shifts]:
    """The text without its invisible characters, and where each was (to give columns back).

    Removed, not made spaces: they take no place on the page, so a report aligned as it shows is
    aligned without them (a space would push the rest of its line one column out of its table).
    """
    if text.isascii() or not _INVISIBLE.search(text):
        return text, Shifts()
    removed, printed, lines = {}, {}, text.split("\n")
    for number, line in enumerate(lines, 1):
        if _INVISIBLE.search(line):
            removed[number] = [m.start() + 1 for m in _INVISIBLE.finditer(line)]
            printed[number] = line
            lines[number - 1] = _INVISIBLE.sub("", line)
    return "\n".join(lines), Shifts(removed, printed)
