"""Read a report file into text, refusing what is not a text report."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Finding, RemitError


def read_report(path: str | Path) -> tuple[str, dict]:
    """The text of a report file and its ``source`` block (path, sha256, bytes).

    Raises:
        RemitError: RG100 for an unreadable, empty or binary file.
    """
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RemitError(Finding("RG100", "error", f"cannot read the file: {exc.strerror}"), shown) from None
    text = decode(data, shown)
    return text, {"path": shown, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def decode(data: bytes, path: str) -> str:
    """Bytes to text, refusing what is not a text report.

    Raises:
        RemitError: RG100 for an empty or binary file.
    """
    if not data.strip():
        raise RemitError(Finding("RG100", "error", "the file is empty", line=1, column=1), path)
    if b"\x00" in data[:8192]:
        raise RemitError(Finding("RG100", "error", "the file is binary, not a text report",
                                 line=1, column=1), path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if not text.endswith("\n"):
        text += "\n"  # the grammar's lines end with a newline; many filings omit the last
    return text
