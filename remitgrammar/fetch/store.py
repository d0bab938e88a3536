"""The store on disk: each full submission gzipped as ``OUT/<cik>/<accession>.txt.gz`` (the CIK with its
10 digits), under a small manifest ``OUT/.remitgrammar-store.json`` that marks the directory as a store
(intake/sources.py reads a marked directory by this layout).

A file is written to a hidden temporary file beside it, synced, and renamed over its name only when
whole, so a run that dies leaves either the whole file or none (and, at worst, a hidden ``.part`` file
that no reader takes for a filing). A file is whole when it is a gzip stream read to its end; one that
is not is fetched again. Filings are public: files are written readable by all (0644).
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..intake.sources import STORE_MANIFEST as MANIFEST  # one name: the readers recognise a store by it

if TYPE_CHECKING:  # annotations only: the store is read without the HTTP client's imports
    from .listing import Filing

LAYOUT = "<cik>/<accession>.txt.gz"
_CHUNK = 1024 * 1024


class Store:
    """A directory of full submissions. Paths come only from a Filing's checked CIK and accession."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, filing: Filing) -> Path:
        return self.root / filing.cik / f"{filing.accession}.txt.gz"

    def has_whole(self, filing: Filing) -> bool:
        """True when the filing's file is there and a gzip stream read to its end."""
        return whole(self.path(filing))

    def open(self) -> None:
        """Make the directory and its manifest (kept as it is when already there).

        Raises:
            OSError: the directory cannot be made or written.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        if not (self.root / MANIFEST).is_file():
            note = {"remitgrammar-store": 1, "layout": LAYOUT, "written by": "remitgrammar fetch (docs/fetch.md)"}
            _replace(self.root / MANIFEST, (json.dumps(note, indent=2) + "\n").encode())

    def keep(self, filing: Filing, text: bytes) -> Path:
        """Write a submission's bytes, gzipped, whole or not at all; its path.

        Raises:
            OSError: a full disk, no permission.
        """
        target = self.path(filing)
        target.parent.mkdir(exist_ok=True)
        if target.parent.is_symlink():  # a link planted in the store would carry the write outside it
            raise OSError(f"{target.parent.name} in the store is a link, not a directory")
        _replace(target, gzip.compress(text, compresslevel=6, mtime=0))
        return target


def whole(path: Path) -> bool:
    """A regular file that is a gzip stream read to its end, every member."""
    try:
        if not path.is_file() or path.is_symlink():
            return False
        with gzip.open(path, "rb") as stream:
            while stream.read(_CHUNK):
                pass
        return True
    except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError
        return False


def _replace(target: Path, data: bytes) -> None:
    """``data`` into ``target`` through a hidden temporary file in the same directory, renamed when whole."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        os.fchmod(handle, 0o644)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
