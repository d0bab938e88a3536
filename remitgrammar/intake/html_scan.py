"""Intake: an HTML document read into blocks (lines of text, tables of cells), every character with its
offset in the source.

Filers' HTML is read as browsers read it, not as XML: tags in any case, attributes unquoted, ``<TD>``
and ``<TR>`` left open, entities with or without their semicolon. The scanner is a single pass that
only moves forward (each piece of markup found by one bounded pattern at its ``<``, what a tag does
looked up by its name; a comment, a declaration or a script skipped by one search for its end),
so its time is linear in the file's size whatever the input; nothing recurses, so a table nested a
thousand deep costs what a flat one does (nested tables are read as rows of the table around them).
Entities are decoded one by one (no document type, no entity of the file's own: nothing expands).

Most of a statement is cells of plain text: the pattern at ``<`` reads such a cell whole (opening tag,
text, closing tag: each part bounded, so no more than 12,000 characters are looked at from any ``<``).
Text is kept as the spans of the source it came from until a tag ends its run: a run with no entity
(most cells) is cut into words by string methods, in place, each word's offsets a ``range``; a regular
expression call costs more than the work it saves on a cell's few characters.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# a whole cell of plain text (``<td ...>text</td>``, most of a statement: read in one match), else a
# tag (name, attributes up to 4000 characters), else a comment's or a declaration's start: at most
# 12,000 characters are looked at from any "<", so the scan stays linear
_MARKUP = re.compile(r"<(?:([Tt][DdHh])(?![A-Za-z0-9])([^<>]{0,4000})>([^<]{0,4000})</[Tt][DdHh](?![A-Za-z0-9])"
                     r"[^<>]{0,4000}>|(/?)([A-Za-z][A-Za-z0-9]{0,15})(?![A-Za-z0-9])([^<>]{0,4000})>|(!--)|[!?])")
_SCRIPT_END = {"script": re.compile(r"</script", re.I), "style": re.compile(r"</style", re.I),
               "title": re.compile(r"</title", re.I), "xml": re.compile(r"</xml", re.I)}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
_HEAD_END = re.compile(r"</head|<body", re.I)
_WORD = re.compile(r"[^ \t\n\r\f]+")  # HTML collapses these; a non-breaking space is a space shown
_SPACES = " \t\n\r\f"
_TOP = re.compile(r"""valign\s*=\s*["']?\s*top""", re.I)
_PAGE_BREAK = re.compile(r"page-break-(?:before|after)\s*:\s*always", re.I)
_SPAN = re.compile(r"""colspan\s*=\s*["']?\s*([0-9]{1,6})""", re.I)
_BLOCKS = frozenset("p div br h1 h2 h3 h4 h5 h6 li ul ol center blockquote pre address dl dt dd "
                    "body html form".split())
_PARAGRAPHS = frozenset("p h1 h2 h3 h4 h5 h6 blockquote center ul ol dl".split())
# the entities filers write in nearly every cell, decoded without html.unescape's pattern and callback
_COMMON = {name: html.unescape(name) for name in ("&nbsp;", "&nbsp", "&amp;", "&#160;", "&#8211;", "&#146;")}
MAX_COLSPAN = 64  # a heading spanning more columns than a statement has is spread over these


@dataclass(slots=True)
class Cell:
    """A table cell: its lines (each a list of words: text and the source offset of each character)."""

    lines: list = field(default_factory=lambda: [[]])
    span: int = 1
    header: bool = False
    top: bool = False  # ``valign=top``: its lines from the row's first; else from its last, as headings stack


@dataclass
class Blocks:
    """What a document holds, in order: ``("line", words)``, ``("table", rows of cells)``, ``("page",)``.

    Attributes:
        tables, rows, cells: how many of each were read (to say what a document held).
    """

    items: list = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    cells: int = 0


class _Reader:
    """The scanner's state: where text goes (a line outside tables, a cell) as tags come."""

    def __init__(self, source: str):
        self.source = source
        self.out = Blocks()
        self.depth = 0  # tables open: only counted, never a stack
        self.rows: list | None = None  # the table being read
        self.row: list | None = None
        self.cell: Cell | None = None
        self.spans: list = []  # (start, end) in the source of the text read since the last word break
        self.words: list = []  # the line outside tables being read

    # text ------------------------------------------------------------------
    def flush(self) -> None:
        """The characters read so far, as words of the current cell's line or of the current line."""
        if not self.spans:
            return
        spans, self.spans = self.spans, []
        words = _words(self.source, spans)
        if self.cell is not None:
            self.cell.lines[-1].extend(words)
        elif self.rows is not None:
            if words:  # text loose in a table, outside any cell: a cell of its own
                self.open_cell(False, "")
                assert self.cell is not None
                self.cell.lines[-1].extend(words)
        else:
            self.words.extend(words)

    # structure -------------------------------------------------------------
    def line_break(self) -> None:
        self.flush()
        if self.cell is not None:
            _trim(self.cell.lines[-1])
            if self.cell.lines[-1]:
                self.cell.lines.append([])
        elif self.rows is None and _trim(self.words):
            self.out.items.append(("line", self.words))
            self.words = []

    def paragraph(self) -> None:
        """A paragraph's end (or start) outside tables: a blank line, as a browser leaves space."""
        self.line_break()
        items = self.out.items
        if self.cell is None and self.rows is None and items and items[-1] != ("line", []):
            items.append(("line", []))

    def page_break(self) -> None:
        self.close_table()
        self.line_break()
        self.out.items.append(("page",))

    def open_table(self) -> None:
        self.depth += 1
        if self.rows is None:
            self.line_break()
            self.rows = []
            self.out.tables += 1
        else:  # a table inside a table: its rows are rows of the outer one
            self.close_row()

    def close_table(self) -> None:
        self.close_row()
        if self.rows is not None:
            self.out.items.append(("table", self.rows))
        self.rows, self.depth = None, 0

    def open_row(self) -> None:
        self.close_row()
        if self.rows is None:
            self.open_table()
        self.row = []

    def close_row(self) -> None:
        self.close_cell()
        if self.row and self.rows is not None:
            self.rows.append(self.row)
            self.out.rows += 1
        self.row = None

    def open_cell(self, header: bool, attributes: str) -> None:
        if self.cell is not None or self.spans:  # else closing is nothing to do
            self.close_cell()
        if self.row is None:
            self.open_row()
        span, top = 1, False
        if attributes:
            low = attributes.lower() if attributes.isascii() else None  # as _may_hold, lowered once
            found = _SPAN.search(attributes) if low is None or "colspan" in low else None
            span = max(1, min(int(found.group(1)), MAX_COLSPAN)) if found else 1
            top = (low is None or "valign" in low) and _TOP.search(attributes) is not None
        self.cell = Cell([[]], span, header, top)

    def close_cell(self) -> None:
        if self.spans:
            self.flush()
        cell = self.cell
        if cell is not None and self.row is not None:
            lines = cell.lines
            line = lines[-1]
            if line and (line[0][0][0] == " " or line[-1][0][-1] == " "):  # else there is nothing to trim
                _trim(line)
            if not line and len(lines) > 1:
                lines.pop()
            self.row.append(cell)
            self.out.cells += 1
        self.cell = None

    def whole_cell(self, header: bool, attributes: str, text: tuple) -> None:
        """A cell read in one match: what its opening tag, its text (``text``: start and end in the
        source) and its closing tag would do one by one, the text's words put in the cell at once."""
        self.open_cell(header, attributes)
        cell, row = self.cell, self.row
        if cell is None or row is None:  # never so (a cell was opened in a row): close_cell's way then
            self.close_cell()
            return
        line = _words(self.source, [text]) if text[1] > text[0] else []
        if line and (line[0][0][0] == " " or line[-1][0][-1] == " "):  # as close_cell trims
            _trim(line)
        cell.lines[0] = line  # its only line
        row.append(cell)
        self.out.cells += 1
        self.cell = None

    def end(self) -> Blocks:
        self.close_table()
        self.line_break()
        return self.out


def _may_hold(attributes: str, word: str) -> bool:
    """Whether a pattern (any case) that needs ``word`` may match ``attributes``: a string search, cheaper
    than the pattern, unless they hold other than ASCII (under ``re.I`` "s" matches the long s too, "i"
    the dotless i, "k" the Kelvin sign: then only the pattern can say)."""
    return bool(attributes) and (not attributes.isascii() or word in attributes.lower())


def _words(source: str, spans: list) -> list:
    """The words of the text in ``spans`` of ``source`` (entities decoded, each placed at its ``&``):
    each (text, offsets), a non-breaking space shown as a space."""
    if len(spans) == 1:
        start, end = spans[0]
        chunk = source[start:end]
        if "&" not in chunk:  # most cells: words cut out of the source in place
            words = _plain(chunk, start)
            return [(word.replace("\u00a0", " "), at) for word, at in words] if "\u00a0" in chunk else words
        if chunk == "&nbsp;":  # a filer's spacer cell
            return [(" ", [start])]
    text: list = []
    offsets: list = []
    for start, end in spans:
        chunk = source[start:end]
        at = 0
        for match in _ENTITY.finditer(chunk) if "&" in chunk else ():
            text.append(chunk[at:match.start()])
            offsets.extend(range(start + at, start + match.start()))
            name = match.group()
            decoded = _COMMON.get(name) or html.unescape(name)
            text.append(decoded)
            offsets.extend([start + match.start()] * len(decoded))
            at = match.end()
        text.append(chunk[at:])
        offsets.extend(range(start + at, end))
    joined = "".join(text)
    return [(m.group().replace("\u00a0", " "), offsets[m.start():m.end()]) for m in _WORD.finditer(joined)]


def _plain(chunk: str, start: int) -> list:
    """The words (as ``_WORD`` finds them) of text with no entity that starts at ``start``: by string
    methods for the usual shapes (nothing, one word, words one space apart), as a regex call costs more."""
    word = chunk.strip(_SPACES)
    if not word:
        return []
    if "\n" in word or "\t" in word or "\r" in word or "\f" in word:
        return [(m.group(), range(start + m.start(), start + m.end())) for m in _WORD.finditer(chunk)]
    at = start + len(chunk) - len(chunk.lstrip(_SPACES))
    if " " not in word:
        return [(word, range(at, at + len(word)))]
    words = []
    for part in word.split(" "):
        if part:
            words.append((part, range(at, at + len(part))))
        at += len(part) + 1
    return words


def _trim(words: list) -> list:
    """A line's words without the spaces (non-breaking ones) at its ends; the list itself, trimmed."""
    while words and not words[0][0].lstrip(" "):
        del words[0]
    while words and not words[-1][0].rstrip(" "):
        del words[-1]
    if words:
        word, offsets = words[0]
        if word[0] == " ":
            cut = len(word) - len(word.lstrip(" "))
            words[0] = (word[cut:], offsets[cut:])
        word, offsets = words[-1]
        if word[-1] == " ":
            kept = len(word.rstrip(" "))
            words[-1] = (word[:kept], offsets[:kept])
    return words


def scan(source: str) -> Blocks:
    """The blocks of an HTML document, every character of their text with its offset in ``source``."""
    reader, at, size = _Reader(source), 0, len(source)
    search = _MARKUP.search
    while at < size:
        match = search(source, at)
        lt = size if match is None else match.start()
        # text, a lone "<" among it; blanks before any text make no word (most are a new line between tags)
        if lt > at and (reader.spans or source[at:lt].strip(_SPACES)):
            reader.spans.append((at, lt))  # flush() puts a new list in place of a used one
        if match is None:
            break
        cell, cell_attributes, text, closing, name, attributes, _ = match.groups()
        if cell is not None:
            reader.whole_cell(cell.lower() == "th", cell_attributes, match.span(3))
            at = match.end()
            continue
        name = name and name.lower()
        if name == "td" or name == "th":  # most other tags: done here, without a call more
            reader.close_cell() if closing else reader.open_cell(name == "th", attributes)
            at = match.end()
        else:
            at = _markup(reader, source, match, name)
    return reader.end()


def _markup(reader: _Reader, source: str, match: re.Match, name: str | None) -> int:
    """Do what the markup ``match`` found says (a tag, its ``name`` in lower case, a comment, a
    declaration); where reading goes on."""
    closing, _, attributes, comment = match.group(4, 5, 6, 7)
    if name is None:
        lt = match.start()
        end = source.find("-->", lt + 4) if comment else source.find(">", lt + 2)
        return len(source) if end < 0 else end + (3 if comment else 1)
    if not closing and (name == "head" or name in _SCRIPT_END):  # nothing of the head or a script is shown
        shown = (_HEAD_END if name == "head" else _SCRIPT_END[name]).search(source, match.end())
        return len(source) if shown is None else shown.start()
    handler = _HANDLERS.get(name)
    if handler is not None:
        handler(reader, bool(closing), attributes)
    elif name == "hr" and reader.rows is not None:
        reader.line_break()  # a rule drawn in a table (over a Totals row) is no page break: nothing shown
    elif name == "hr" or (not closing and _may_hold(attributes, "page-break") and _PAGE_BREAK.search(attributes)):
        reader.page_break()
    elif name in _PARAGRAPHS:
        reader.paragraph()
    elif name in _BLOCKS:
        reader.line_break()
    return match.end()


def _row(reader: _Reader, closing: bool, _attributes: str) -> None:
    reader.close_row() if closing else reader.open_row()


def _caption(reader: _Reader, closing: bool, _attributes: str) -> None:
    """A caption is a row of one cell."""
    if closing:
        reader.close_row()
    else:
        reader.open_row()
        reader.open_cell(False, "")


def _table(reader: _Reader, closing: bool, _attributes: str) -> None:
    if not closing:
        reader.open_table()
    elif reader.depth > 1:
        reader.depth -= 1
        reader.close_row()
    else:
        reader.close_table()


# the tags of tables but cells; any other tag is a page break, a paragraph, a line break or nothing
_HANDLERS = {"tr": _row, "caption": _caption, "table": _table}
