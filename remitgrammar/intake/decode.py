"""Bytes to the text of a report: gzip, encodings, line ends, tabs; what is not text is refused by name.

The text keeps one line per line of the file (a line map, see edgar.py, ties
extracted lines back to the file), so nothing here adds or removes lines:
CRLF and CR become LF, tabs expand to 8-column stops before any column
position is taken, a form feed (a page break) is dropped, and typographic
quotes and dashes read as their ASCII forms (one character for one, so columns
do not move).
"""

from __future__ import annotations

import gzip
import zlib

from ..errors import Finding, RemitError

MAX_GZIP = 256 * 1024 * 1024  # a decompressed size beyond any filing: refuse rather than fill memory
_MAGIC = ((b"%PDF", "a PDF document"), (b"PK\x03\x04", "a zip archive"), (b"\x89PNG", "a PNG image"),
          (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"II*\x00", "a TIFF image"),
          (b"MM\x00*", "a TIFF image"), (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"))
_ASCII = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u201c": '"', "\u201d": '"',
          "\u201e": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\ufeff": "", "\u2026": "."}


def _refuse(path: str, message: str) -> RemitError:
    return RemitError(Finding("RG100", "error", message, line=1, column=1), path)


def decode(data: bytes, path: str) -> str:
    """The text of a file's bytes.

    Raises:
        RemitError: RG100 for an empty file, a binary one (named when known: a PDF,
            an image, a zip), or a damaged gzip.
    """
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, path)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _refuse(path, f"the file is {what}, not a text report")
    if not data.strip():
        raise _refuse(path, "the file is empty")
    if b"\x00" in data[:8192]:
        raise _refuse(path, "the file is binary, not a text report")
    text = _text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for special, plain in _ASCII.items():  # str.translate takes 120 ns a character on non-ASCII text: 6 s for 50 MB
        if special in text:
            text = text.replace(special, plain)
    if "\t" in text or "\f" in text:
        text = "\n".join(line.replace("\f", "").expandtabs(8) for line in text.split("\n"))
    if not text.endswith("\n"):
        text += "\n"  # the grammar's lines end with a newline; many filings omit the last
    return text


def _gunzip(data: bytes, path: str) -> bytes:
    try:
        unpacker = zlib.decompressobj(wbits=31)
        out = unpacker.decompress(data, MAX_GZIP)
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise _refuse(path, f"the file is a damaged gzip file ({exc})") from None
    if unpacker.unconsumed_tail:
        raise _refuse(path, f"the gzip file unpacks to more than {MAX_GZIP // (1024 * 1024)} MB")
    return out


def _text(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252, else Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
