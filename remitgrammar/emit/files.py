"""Files an export replaces only when whole: a temporary file beside the target (``Partial``), renamed
over it when the export is complete, and text that UTF-8 can hold (every sink writes UTF-8)."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path


class Partial:
    """A temporary file beside ``target`` that replaces it only when complete (``commit``).

    Raises:
        ValueError: the target exists and is not a regular file (a device, a FIFO, a directory).
        OSError: the temporary file cannot be made.
    """

    def __init__(self, target: Path):
        self.target = target
        self.mode = replaceable(target)
        self.fd, self.path = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                              dir=target.parent if str(target.parent) else ".")

    def commit(self) -> None:
        """Flush the file to disk (a full disk may only say so here), then put it in place."""
        os.fsync(self.fd)
        os.chmod(self.path, self.mode)
        os.replace(self.path, self.target)

    def close(self) -> None:
        """Close the file's descriptor (after ``commit``, when its writer had a handle of its own)."""
        os.close(self.fd)

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def replaceable(target: Path) -> int:
    """The mode the target's replacement gets: the old file's, else what the umask gives a new file."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file; an export replaces only a regular file")
    return stat.S_IMODE(info.st_mode)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text(value):
    """A value UTF-8 can hold: a lone surrogate (a byte of a file name that is not UTF-8, read with
    surrogateescape) is written ``\\xff``, as the human output shows it."""
    if not isinstance(value, str) or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF
                          else f"\\u{ord(m.group()):04x}", value)



def discard(file, partial: Partial) -> None:
    """Close a sink's file without caring what it still held, and remove its temporary file."""
    if file is not None:
        with contextlib.suppress(OSError, ValueError):
            file.close()
    with contextlib.suppress(OSError):
        os.close(partial.fd)
    partial.abandon()
