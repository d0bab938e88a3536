"""EDGAR's forms of a filing, unwrapped into the text of each report with a map back to the file's lines.

A full submission (optional PEM wrapper, ``<SEC-DOCUMENT>``, ``<SEC-HEADER>``,
``<DOCUMENT>``s) gives one report per statement exhibit (EX-99*, EX-20*, EX-28*)
that is a complete statement of its own, with the 8-K cover read by its captions
into ``source.edgar.cover`` (or, for a format that reads the cover itself, printed
ahead of the statement); when no exhibit stands alone, the 8-K body and its
exhibits in sequence order are one report (the statement printed in the 8-K);
other documents (and exhibits with no rows of figures: an officer's
certificate) are skipped and named in ``source.edgar.skipped``. Inside a document, EDGAR's page markup
(``<PAGE>``, ``<TABLE>``, ``<CAPTION>``, ``<FN>``, the ``<S>``/``<C>`` column
marker lines) is not report content, the ``- `` escape before a leading hyphen
is undone, and an HTML document's ``<PRE>`` text is taken with its tags removed
and its entities decoded; an HTML document laid out in tables is rendered to lines of text
(intake/html_grid.py), each character with its place in the file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cover import read_cover

if TYPE_CHECKING:
    from .html_grid import Placement

STATEMENT_TYPES = re.compile(r"^(?:8-K|EX-99|EX-20|EX-28)", re.I)
_SUBMISSION = re.compile(r"^<(?:SEC-DOCUMENT|DOCUMENT)>", re.M)
_MARKUP = re.compile(r"^(\s*</?(?:PAGE|TABLE|CAPTION|FN)>)(.*)$", re.I)
_MARKERS = re.compile(r"^\s*<[SC]>(?:\s*<[SC]>)*\s*$", re.I)
_TAG = re.compile(r"<[^<>]{0,500}>")
_HTML_TABLE = re.compile(r"<t[dhr][\s>]", re.I)
_HEADER = {"ACCESSION NUMBER": "accession", "CONFORMED SUBMISSION TYPE": "form_type",
           "CONFORMED PERIOD OF REPORT": "period", "FILED AS OF DATE": "filed",
           "COMPANY CONFORMED NAME": "company", "CENTRAL INDEX KEY": "cik"}


@dataclass
class Extract:
    """The text of one report and where its lines stand in the file.

    Attributes:
        text: the report's lines, joined.
        line_map: for each line of ``text``, its 1-based line number in the file.
        edgar: the ``source.edgar`` block, or None for a plain report.
        column_starts: line of ``text`` -> where the ``<C>`` columns of its table start.
        places: where each character of a text rendered from HTML tables stands in the file.
        found: what an HTML document held, in words (for a message when it holds no statement).
        cut: characters of an HTML document's rendering left out past its bound.
    """

    text: str
    line_map: list | None  # None: the text's lines are the file's own, one for one
    edgar: dict | None = None
    column_starts: dict | None = None
    places: Placement | None = None
    found: str | None = None
    cut: int = 0


@dataclass
class Document:
    type: str
    sequence: int
    description: str
    lines: list  # (file line number, text)
    cleaned: list = field(default_factory=list)  # _clean's lines


def is_submission(text: str) -> bool:
    """True when the text is an EDGAR submission (or one document of it) rather than a report."""
    return bool(_SUBMISSION.search(text))


def plain(text: str) -> Extract:
    """A single document's text (a report, or an HTML page whose report sits in <PRE>)."""
    first = text[:text.find("\n")] if "\n" in text else text
    if "<" not in text and "\n- -" not in text and not text.startswith("- -") and first.strip():
        return Extract(text, None)  # nothing to unwrap: the text itself, not a copy of it line by line
    lines = list(enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1))
    return _extract(_clean(lines), None)


def submission(lines: list, is_statement) -> tuple[list[Extract], list[Document]]:
    """The reports of a full submission (its text's lines), and all its documents.

    Args:
        is_statement: the format of a text that is a complete statement (None: not one); a
            format with ``reads_cover`` reads the 8-K cover printed ahead of its statement.
    """
    numbered = list(enumerate(lines, 1))
    header, documents = _header(numbered), _documents(numbered)
    for document in documents:  # cleaned once: an HTML document's rendering is not cheap
        document.cleaned = _clean(document.lines)
    chosen = sorted((d for d in documents if STATEMENT_TYPES.match(d.type) and
                     (d.type.upper().startswith("8-K") or _statement_like(d))), key=lambda d: d.sequence)
    skipped = [d for d in documents if d not in chosen]
    notes = [{"type": d.type, "sequence": d.sequence, "description": d.description} for d in skipped]
    exhibits = [d for d in chosen if not d.type.upper().startswith("8-K")]
    cover_doc = next((d for d in chosen if d.type.upper().startswith("8-K")), None)
    whole = [(d, is_statement(_joined(_shown(d.cleaned)))) for d in exhibits]
    whole = [(d, spec) for d, spec in whole if spec]
    cover = read_cover([(n, t) for n, t, *_ in _shown(cover_doc.cleaned)]).summary() if cover_doc and whole else None
    groups: list[tuple[list[Document], dict | None]]
    if len(whole) == 1 and cover_doc is not None and getattr(whole[0][1], "reads_cover", False):
        groups = [([cover_doc, whole[0][0]], None)]  # the statement's format reads the cover itself
    elif whole:  # each statement exhibit is a report; the 8-K cover is read by its captions
        groups = [([d], cover) for d, _ in whole]
    else:  # the statement is in the 8-K's own body (with whatever exhibits continue it)
        groups = [(chosen, None)] if chosen else []
    extracts = []
    for group, read in groups:
        edgar = dict(header, documents=[{"type": d.type, "sequence": d.sequence,
                                          "first_line": d.lines[0][0] if d.lines else None,
                                          "last_line": d.lines[-1][0] if d.lines else None} for d in group],
                     skipped=notes)
        if read:
            edgar["cover"] = read
        lines = [item for d in group for item in d.cleaned]
        extracts.append(_extract(lines, edgar))
    return extracts, documents


def describe(documents: list) -> str:
    """The documents of a submission, in words."""
    return ", ".join(_name(d) for d in documents) or "no documents"


_TABLE_ROW = re.compile(r"\d[\d,]*(?:\.\d+)?\)?%?[ \t]{2,}\(?-?\d")


def _statement_like(document: Document) -> bool:
    """An exhibit with rows of figures (three lines holding two amounts or more): a statement's pages,
    not an officer's certificate or an agreement's text."""
    rows = sum(1 for _, line, *_ in _shown(document.cleaned) if _TABLE_ROW.search(line))
    return rows >= 3


def _name(d: Document) -> str:
    return f"{d.type} (sequence {d.sequence}{', ' + d.description if d.description else ''})"


def _header(numbered: list) -> dict:
    found = {}
    for _, line in numbered:
        if line.startswith("<DOCUMENT>"):
            break
        key, _, value = line.strip().partition(":")
        name = _HEADER.get(key.strip().upper())
        if name and value.strip() and name not in found:
            found[name] = value.strip()
    for key in ("period", "filed"):
        if re.fullmatch(r"\d{8}", found.get(key, "")):
            value = found[key]
            found[key] = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return found


def _documents(numbered: list) -> list[Document]:
    documents: list[Document] = []
    current: dict[str, Any] | None = None  # the fields of the document being read
    in_text = False
    for number, line in numbered:
        tag = line.strip()
        if tag.upper() == "<DOCUMENT>":
            current, in_text = {"type": "", "sequence": 0, "description": "", "lines": []}, False
        elif current is None:
            continue
        elif in_text:
            end = line.upper().find("</TEXT>")
            if end >= 0:
                if line[:end].strip():
                    current["lines"].append((number, line[:end]))
                in_text = False
            else:
                current["lines"].append((number, line))
        elif tag.upper() == "<TEXT>":
            in_text = True
        elif tag.upper() == "</DOCUMENT>":
            documents.append(Document(current["type"], current["sequence"], current["description"],
                                      current["lines"]))
            current = None
        else:
            _document_tag(current, tag)
    return documents


def _document_tag(current: dict, tag: str) -> None:
    match = re.match(r"<(TYPE|SEQUENCE|DESCRIPTION)>(.*)", tag, re.I)
    if not match:
        return
    key, value = match.group(1).lower(), match.group(2).strip()
    if key == "sequence":
        current[key] = int(value) if value.isdigit() else 0
    else:
        current[key] = value


def _clean(lines: list) -> list:
    """A document's lines without page markup, with escapes undone; an HTML page's <PRE> text.

    Returns (file line number, text) pairs; a line under a ``<S> <C> <C>`` marker line
    gets a third item, the columns (1-based) where the marker line's ``<C>`` columns start.
    """
    if any("<PRE" in line.upper() for _, line in lines):
        return _pre(lines)
    if any(_HTML_TABLE.search(line) for _, line in lines):
        return _tables(lines)
    out, starts = [], None
    for number, line in lines:
        markup = _MARKUP.match(line)
        if markup:
            if markup.group(1).strip().upper() == "</TABLE>":
                starts = None
            if not markup.group(2).strip() or markup.group(2).strip().isdigit():
                continue  # a page break or a table's opening: not report content
            line = " " * len(markup.group(1)) + markup.group(2)  # a caption's text stays in its columns
        if _MARKERS.match(line):
            starts = [m.start() + 1 for m in re.finditer(r"<C>", line, re.I)]
            continue
        if line.startswith("- -"):
            line = line[2:]  # EDGAR's escape of a line that began with a hyphen
        out.append((number, line, starts) if starts else (number, line))
    return out


def _pre(lines: list) -> list:
    """The lines inside <PRE> blocks, tags removed, entities decoded."""
    out, inside = [], False
    for number, line, *_ in lines:
        upper = line.upper()
        start = upper.find("<PRE")
        if start >= 0:
            inside, line = True, line[upper.index(">", start) + 1:] if ">" in upper[start:] else ""
            if not line.strip():
                continue
        if not inside:
            continue
        end = line.upper().find("</PRE>")
        if end >= 0:
            line, inside = line[:end], False
        out.append((number, html.unescape(_TAG.sub("", line)).replace("\u00a0", " ")))
    return out


def render(source: str):
    """intake/html_grid.py's rendering, imported only when a document is laid out in HTML tables."""
    from .html_grid import render as rendering

    return rendering(source)


def _tables(lines: list) -> list:
    """An HTML document's tables rendered to lines: (file line number, text, None, (offsets, places)),
    the file line being that of the line's first character shown (of the line before it when it shows
    none); then a line of what the document held, and of what was cut, for _extract."""
    source = "\n".join(line for _, line in lines)
    if len(source) >= 2**31 - 1:  # beyond what a character's place is kept in: read as text
        return [(number, _TAG.sub("", line)) for number, line in lines]
    from .html_grid import NO_PLACE, SourcePlaces

    rendered = render(source)
    where = SourcePlaces(source, [number for number, _ in lines])
    out: list[tuple] = []
    number = lines[0][0] if lines else 1
    for text, offsets in zip(rendered.lines, rendered.places, strict=True):
        first = next((o for o in offsets if o != NO_PLACE), None)
        number = where.where(first)[0] if first is not None else number
        out.append((number, text, None, (offsets, where)))
    out.append((number, rendered.describe(), None, None, rendered.cut))
    return out


def _shown(lines: list) -> list:
    """Lines without the words _tables adds on what an HTML document held."""
    return [item for item in lines if len(item) < 4 or item[3] is not None]


def _joined(lines: list) -> str:
    return "\n".join(item[1] for item in lines) + "\n"


def _extract(lines: list, edgar: dict | None) -> Extract:
    notes = [item for item in lines if len(item) > 3 and item[3] is None]  # what HTML documents held
    lines = _shown(lines)
    first = next((index for index, item in enumerate(lines) if item[1].strip()), len(lines))
    lines = lines[first:]  # leading blank lines dropped at once: one at a time is quadratic in them
    starts = {index: item[2] for index, item in enumerate(lines, 1) if len(item) > 2 and item[2]}
    places: Placement | None = None
    if any(len(item) > 3 for item in lines):  # a text rendered from HTML tables
        from .html_grid import Placement

        places = Placement()
        for index, item in enumerate(lines, 1):
            if len(item) > 3:
                places.add(index, *item[3])
    return Extract(_joined(lines), [item[0] for item in lines], edgar, starts, places or None,
                   "; ".join(item[1] for item in notes) or None, sum(item[4] for item in notes))
