"""Intake: what the user points at, turned into the text of each report and a map back to the file.

A plain report gives one report; an EDGAR submission gives the reports its
statement documents hold (intake/edgar.py). Every report keeps the file's own
lines and, for each of its lines, the file line it came from: provenance,
findings and errors name the line of the file as given.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Finding, RemitError
from . import edgar
from .decode import MAX_BYTES, decode

if TYPE_CHECKING:
    from .html_grid import Placement


@dataclass
class ReportText:
    """One report to parse.

    Attributes:
        name: the path shown in errors and in ``source.path``.
        text: the report's text (markup removed).
        line_map: for each line of ``text``, its line in the file; None when they are the file's own.
        file_lines: the file's lines, to quote in findings; None when they are the text's own (no line map).
        source: the record's ``source`` block (path, sha256, bytes, and ``edgar`` for a submission).
        documents: every document of a submission, for messages.
        column_starts: line of ``text`` -> where its table's ``<C>`` columns start (EDGAR markup).
        places: where each character of a text rendered from HTML tables stands in the file
            (intake/html_grid.py ``Placement``).
        found: what an HTML document held, in words.
        cut: characters of an HTML document's rendering left out past its bound (RG120).
    """

    name: str
    text: str
    line_map: list | None
    file_lines: list | None
    source: dict
    documents: list = field(default_factory=list)
    column_starts: dict = field(default_factory=dict)
    places: Placement | None = None
    found: str | None = None
    cut: int = 0


def read_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, up to a size limit.

    Raises:
        RemitError: RG100 when it cannot be read; RG108 when it is not a regular file (a FIFO
            would block forever) or is larger than ``max_bytes``.
    """
    shown = str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise RemitError(Finding("RG108", "error", "not a regular file (a FIFO, a device or a socket): "
                                     "give the report file itself"), shown)
        if info.st_size > max_bytes:
            raise RemitError(Finding("RG108", "error", f"the file is {info.st_size:,} bytes, more than the limit of "
                                     f"{max_bytes:,}", hint="raise it with --max-mb"), shown)
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise RemitError(Finding("RG100", "error", f"cannot read the file: {exc.strerror}"), shown) from None


def limited(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Bytes read from a stream, refused past the size limit."""
    if len(data) > max_bytes:
        raise RemitError(Finding("RG108", "error", f"more than the limit of {max_bytes:,} bytes",
                                 hint="raise it with --max-mb"), name)
    return data


def reports_in(data: bytes, name: str, is_statement=lambda text: True, max_bytes: int = MAX_BYTES) -> list[ReportText]:
    """The reports a file's bytes hold.

    Args:
        is_statement: tells whether a text is a complete statement (to split a submission of two deals).
        max_bytes: the limit on what a gzip unpacks to.

    Raises:
        RemitError: RG100 for what is not a text report; RG108 for a gzip over the limit; RG111 for a
            submission holding no statement.
    """
    text = decode(data, name, max_bytes)
    source = {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if not edgar.is_submission(text):
        extract = edgar.plain(text)
        line_map = extract.line_map
        if line_map is not None and line_map == list(range(1, len(line_map) + 1)) and not extract.places:
            line_map = None
        file_lines = None if line_map is None else text.split("\n")[:-1]  # the file's own: no second copy
        return [ReportText(name, extract.text, line_map, file_lines, source, column_starts=extract.column_starts or {},
                           places=extract.places, found=extract.found, cut=extract.cut)]
    lines = text.split("\n")[:-1]
    del text  # the submission is read from its lines, which the reports quote: one copy of the file
    extracts, documents = edgar.submission(lines + [""], is_statement)  # the line after the last newline too
    if not extracts:
        raise RemitError(Finding("RG111", "error", "the EDGAR submission holds no statement document; it holds "
                                 + edgar.describe(documents), line=1, column=1,
                                 hint="a statement is the 8-K body or an EX-99, EX-20 or EX-28 exhibit"), name)
    return [ReportText(name, e.text, e.line_map, lines, {**source, "edgar": e.edgar}, documents,
                       e.column_starts or {}, e.places, e.found, e.cut) for e in extracts]


def read_report(path: str | Path) -> tuple[str, dict]:
    """The text of a plain report file and its ``source`` block (the first report of a submission)."""
    report = reports_in(read_bytes(path), str(path))[0]
    return report.text, report.source
