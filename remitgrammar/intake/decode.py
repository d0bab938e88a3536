"""Bytes to the text of a report: gzip, encodings, line ends, tabs; what is not text is refused by name.

The text keeps one line per line of the file (a line map, see edgar.py, ties
extracted lines back to the file), so nothing here adds or removes lines:
CRLF and CR become LF, tabs expand to 8-column stops before any column
position is taken, a form feed (a page break) is dropped, and typographic
quotes, dashes and spaces read as their ASCII forms by characters.py's table (one
character for one, so columns do not move).
"""

from __future__ import annotations

import gzip
import zlib

from .characters import look_alike
from ..errors import Finding, RemitError

MAX_BYTES = 64 * 1024 * 1024  # default size limit of a report, packed or unpacked: far beyond any filing
_MAGIC = ((b"%PDF", "a PDF document"), (b"PK\x03\x04", "a zip archive"), (b"\x89PNG", "a PNG image"),
          (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"II*\x00", "a TIFF image"),
          (b"MM\x00*", "a TIFF image"), (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"))


def _refuse(path: str, message: str) -> RemitError:
    return RemitError(Finding("RG100", "error", message, line=1, column=1), path)


def decode(data: bytes, path: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of a file's bytes.

    Raises:
        RemitError: RG100 for an empty file, a binary one (named when known: a PDF,
            an image, a zip), or a damaged gzip; RG108 for a gzip that unpacks to more than ``max_bytes``.
    """
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, path, max_bytes)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _refuse(path, f"the file is {what}, not a text report")
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise _refuse(path, "the file is empty")
    if b"\x00" in data[:8192]:
        raise _refuse(path, "the file is binary, not a text report")
    text = _text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = look_alike(text)  # characters.py: the one table of look-alikes; invisible ones go later
    if "\t" in text or "\f" in text:
        text = "\n".join(line.replace("\f", "").expandtabs(8) for line in text.split("\n"))
    if not text.endswith("\n"):
        text += "\n"  # the grammar's lines end with a newline; many filings omit the last
    return text


def _gunzip(data: bytes, path: str, max_bytes: int) -> bytes:
    """Every member of a gzip file, unpacked and counted: past ``max_bytes`` of output it is refused
    before more than that is held (a 600 KB gzip unpacks to 200 MB), and one that ends early is damaged."""
    parts, total, rest = [], 0, data
    try:
        while rest[:2] == b"\x1f\x8b":
            unpacker = zlib.decompressobj(wbits=31)
            parts.append(unpacker.decompress(rest, max_bytes + 1 - total))
            total += len(parts[-1])
            if total > max_bytes:
                raise RemitError(Finding("RG108", "error", f"the gzip file unpacks to more than the limit of "
                                         f"{max_bytes:,} bytes", line=1, column=1, hint="raise it with --max-mb"),
                                 path)
            if not unpacker.eof:  # room was left for output, so the input ran out inside the stream
                raise zlib.error("the compressed data ends before its end")
            rest = unpacker.unused_data
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise _refuse(path, f"the file is a damaged gzip file ({exc})") from None
    return parts[0] if len(parts) == 1 else b"".join(parts)


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
