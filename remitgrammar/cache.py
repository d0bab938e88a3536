"""The result cache: what a run kept of an input's reports, stored under a key of everything it depends on.

One job: entries on disk. An entry is the JSON of what the runner kept of one input (runner.py says
what), under a key of the input's bytes and name and of the run's ``context``: the package's version,
its code (name, size and modification time of every file of the package, so that an edit never reads
an old entry), the bytes of every formats directory on the search path (grammars, specs, aliases,
prebuilt tables, canonical.yaml) and the options that change results. Beside the inputs' entries one
more (``DealMemo``) holds the findings across months of the deals a run compared, by the digest of
each deal's months.

An entry is one file, ``<key[:2]>/<key[2:]>``, written to a temporary file beside it, flushed to disk
and renamed over it, so that a reader sees a whole entry or none. Its first line carries the sha256 of
the JSON that follows; an entry whose checksum fails, that is cut short, is not JSON or is larger than
MAX_ENTRY_BYTES is never trusted: it is removed and its input parsed again. JSON, not pickle: reading
an entry runs no code whatever it holds.

The directory must be this user's own: one another user owns, or that group or others may write, is
not used (``Cache.problem`` says why and the run goes on uncached). It is made 0o700. Its size is
bounded: once a day a run removes the entries written more than MAX_AGE_DAYS ago, then the oldest
until the rest hold at most MAX_TOTAL_BYTES; ``clean`` removes them all.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path

ENV_VAR = "REMITGRAMMAR_CACHE_DIR"
MAGIC = b"remitgrammar-cache-1 "  # the first line's start: another layout's entries are misses, not errors
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # one input's records with provenance and view; a larger one is not kept
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_AGE_DAYS = 30
_TRIMMED = "trimmed"  # a file whose time says when the directory was last trimmed
_DAY = 86400.0


def default_dir() -> Path:
    """REMITGRAMMAR_CACHE_DIR, else the platform's cache directory (XDG on Linux and the BSDs)."""
    named = os.environ.get(ENV_VAR)
    if named:
        return Path(named)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "remitgrammar" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "remitgrammar"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg if xdg and os.path.isabs(xdg) else Path.home() / ".cache") / "remitgrammar"


def _problem(directory: Path) -> str | None:
    """Why the directory may not hold the cache (None: it may); it need not exist yet."""
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot use the cache directory {directory}: {exc.strerror or exc}"
    if not stat.S_ISDIR(info.st_mode):
        return f"the cache directory {directory} is not a directory"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"the cache directory {directory} belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"the cache directory {directory} may be written by others (mode {stat.S_IMODE(info.st_mode):o})"
    return None


class Cache:
    """The entries of one directory. ``problem``: why it is not used (the run goes on uncached), or None."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.problem = _problem(self.directory)
        self.trimmed = False
        if self.problem is None:
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
            except OSError as exc:
                self.problem = f"cannot make the cache directory {self.directory}: {exc.strerror or exc}"
            else:
                self.problem = _problem(self.directory)  # made by another process meanwhile: checked again

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key[2:]

    def get(self, key: str):
        """The value stored under ``key``, or None (absent, or not trusted: then removed)."""
        path = self._path(key)
        try:
            data = _read(path)
        except FileNotFoundError:
            return None
        except OSError:  # unreadable: not ours to trust
            return None
        value = _payload(data)
        if value is None:
            _remove(path)
        return value

    def put(self, key: str, value) -> None:
        """Store ``value`` (JSON-able, Decimals tagged by ``default``) under ``key``; a failure to write is
        only a miss next time."""
        from .check.spill import dumps

        try:
            payload = dumps(value)
        except (TypeError, ValueError):  # a value JSON does not hold as it is: parsed again next time
            return
        if len(payload) > MAX_ENTRY_BYTES:
            return
        data = MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload
        try:
            _write(self._path(key), data)
        except OSError:
            return
        if not self.trimmed:
            self.trimmed = True
            trim(self.directory)


def _read(path: Path) -> bytes:
    """An entry's bytes, a little more than MAX_ENTRY_BYTES at most (a larger one is refused by its size)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        return file.read(min(size, MAX_ENTRY_BYTES + 200) + 1)


def _payload(data: bytes):
    """The value of an entry's bytes, or None when its header, checksum, size or JSON fails."""
    from .check.spill import loads

    head, _, payload = data.partition(b"\n")
    if not head.startswith(MAGIC) or len(payload) > MAX_ENTRY_BYTES:
        return None
    if hashlib.sha256(payload).hexdigest().encode("ascii") != head[len(MAGIC):]:
        return None
    try:
        return loads(payload)
    except (ValueError, RecursionError):
        return None


def _write(path: Path, data: bytes) -> None:
    """The file whole or not at all: written beside it, flushed, renamed over it (concurrent writers of
    one key write the same bytes, and the last rename wins)."""
    import tempfile

    os.makedirs(path.parent, mode=0o700, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        _remove(Path(temporary))
        raise


def _remove(path: Path) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


def _entries(directory: Path) -> list:
    """(path, size, mtime) of every entry and left-over temporary file of the directory."""
    found: list = []
    try:
        subdirs = [d for d in os.scandir(directory) if len(d.name) == 2 and d.is_dir(follow_symlinks=False)]
    except OSError:
        return found
    for subdir in subdirs:
        try:
            files = list(os.scandir(subdir.path))
        except OSError:
            continue
        for entry in files:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((Path(entry.path), info.st_size, info.st_mtime))
    return found


def info(directory: Path) -> dict:
    """What ``cache info`` shows: the directory, its entries and their bytes, whether it may be used."""
    directory = Path(directory)
    why = _problem(directory)
    entries = [] if why else _entries(directory)
    return {"directory": str(directory), "entries": len(entries), "bytes": sum(size for _, size, _ in entries),
            "usable": why is None, "why": why}


def clean(directory: Path) -> int:
    """Remove every entry of the directory (its own files only); return how many went."""
    directory = Path(directory)
    if _problem(directory) is not None:
        return 0
    removed = sum(_remove(path) for path, _, _ in _entries(directory))
    _remove(directory / _TRIMMED)
    for subdir in os.scandir(directory) if directory.is_dir() else ():
        if len(subdir.name) == 2 and subdir.is_dir(follow_symlinks=False):
            try:
                os.rmdir(subdir.path)
            except OSError:  # another run wrote into it meanwhile
                pass
    return removed


def trim(directory: Path, now: float | None = None) -> int:
    """At most once a day: remove entries written more than MAX_AGE_DAYS ago, then the oldest until the
    rest hold at most MAX_TOTAL_BYTES (a corpus's entries are few megabytes: this only stops growth)."""
    now = time.time() if now is None else now
    marker = directory / _TRIMMED
    try:
        if now - os.stat(marker).st_mtime < _DAY:
            return 0
    except OSError:
        pass
    try:
        marker.touch(mode=0o600)
        os.utime(marker, (now, now))
    except OSError:
        return 0
    entries = sorted(_entries(directory), key=lambda e: e[2], reverse=True)  # newest first
    total, removed = 0, 0
    for path, size, mtime in entries:
        total += size
        if now - mtime > MAX_AGE_DAYS * _DAY or total > MAX_TOTAL_BYTES:
            removed += _remove(path)
    return removed


def context(options: dict) -> str:
    """The digest of what every entry of a run depends on besides its input: the version, the package's
    code, the formats on the search path, and ``options`` (JSON-able: what changes results)."""
    from .formats.search import search_path
    from .version import VERSION

    digest = hashlib.sha256()
    digest.update(json.dumps([VERSION, options], sort_keys=True, default=str).encode("utf-8", "surrogateescape"))
    digest.update(_code_stamp().encode("utf-8", "surrogateescape"))
    for root in search_path():
        digest.update(_formats_digest(root))
    return digest.hexdigest()


def _files(top: Path):
    """(name relative to ``top``, its DirEntry) of every file under it, in a fixed order, bytecode left out."""
    stack = [("", str(top))]
    while stack:
        prefix, folder = stack.pop()
        try:
            items = sorted(os.scandir(folder), key=lambda item: item.name)
        except OSError:  # absent or unreadable: nothing of it counts
            continue
        for item in items:
            if item.is_dir(follow_symlinks=False):
                if item.name != "__pycache__":
                    stack.append((f"{prefix}{item.name}/", item.path))
            else:
                yield prefix + item.name, item


def _code_stamp() -> str:
    """Name, size and modification time of every file of the package (not its compiled bytecode)."""
    stamp = []
    for name, item in _files(Path(__file__).resolve().parent):
        try:
            info = item.stat()
        except OSError:
            continue
        stamp.append(f"{name}\0{info.st_size}\0{info.st_mtime_ns}")
    return "\n".join(stamp)


def _formats_digest(root: Path) -> bytes:
    """The sha256 of the names and bytes of a formats directory's grammars and specs (its tables too)."""
    digest = hashlib.sha256(os.fsencode(str(root)))
    for part in ("grammars", "specs"):
        for name, item in _files(root / part):
            digest.update(os.fsencode(f"{part}/{name}") + b"\0")
            try:
                with open(item.path, "rb") as handle:  # read to its size: read(n) allocates n bytes first
                    digest.update(handle.read(min(item.stat().st_size, MAX_ENTRY_BYTES) + 1))
            except OSError as exc:  # unreadable: its loading says so; the digest only tells it apart
                digest.update(f"\0{exc.errno}".encode())
    return digest.digest()


def key(run_context: str, name: str, data: bytes) -> str:
    """The key of one input: the run's context, its name as given (its reports are named by it) and bytes."""
    digest = hashlib.sha256(run_context.encode("ascii"))
    digest.update(os.fsencode(name) if isinstance(name, str) else bytes(name))
    digest.update(b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


class Memo:
    """What a corpus run (corpus.run) asks of the cache for each input: ``out`` makes an input's list
    JSON-able (None: not to be kept, as a report abandoned or failed inside), ``back`` undoes it."""

    def __init__(self, cache: Cache, run_context: str, max_bytes: int, out, back):
        self.cache, self.context, self.max_bytes, self.out, self.back = cache, run_context, max_bytes, out, back
        self.hits = self.misses = 0

    def recall(self, source) -> tuple:
        """(the input with its bytes, so that no worker reads it again; what the cache holds of it or None)."""
        if source.problem is not None:
            return source, None
        data = source.data if source.data is not None else _bytes_of(source.name, self.max_bytes)
        if data is None:  # not a regular file, too large, unreadable: the worker's reading says why
            return source, None
        if source.data is None:
            source = type(source)(source.name, data)
        held = self.cache.get(key(self.context, source.name, data))
        found = None if held is None else self.back(held)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return source, found

    def remember(self, source, results: list) -> None:
        if source.data is None or source.problem is not None:
            return
        value = self.out(results)
        if value is not None:
            self.cache.put(key(self.context, source.name, source.data), value)


class DealMemo:
    """The findings across months of each deal a run compared, by the digest of its months as stored
    (check/streaming.py), in one entry of the run's context: read once when a run first asks, written
    once at its end when a deal was compared anew. A deal's findings are a few, a corpus's deals
    thousands: one file read beats one per deal. Besides this run's deals it keeps earlier runs' (other
    corpora under the same code), at most MAX_DEALS in all, so that two corpora checked in turn both hit."""

    MAX_DEALS = 100_000

    def __init__(self, cache: Cache, run_context: str):
        self.cache, self.key = cache, key(run_context, "\0deals", b"")
        self.held: dict | None = None  # the entry as read
        self.used: dict = {}  # digest -> findings, of this run's deals
        self.fresh = False

    def get(self, digest: str):
        """The findings kept of a deal of this digest (as Held.across stores them), or None."""
        if self.held is None:
            stored = self.cache.get(self.key)
            self.held = stored if isinstance(stored, dict) else {}
        found = self.held.get(digest)
        if found is not None:
            self.used[digest] = found
        return found

    def put(self, digest: str, findings: list) -> None:
        self.used[digest] = findings
        self.fresh = True

    def save(self) -> None:
        """Write the entry when this run compared a deal it lacked (this run's deals first, then others)."""
        if not self.fresh:
            return
        kept = dict(self.used)
        for digest, findings in (self.held or {}).items():
            if len(kept) >= self.MAX_DEALS:
                break
            kept.setdefault(digest, findings)
        self.cache.put(self.key, kept)


def _bytes_of(name: str, max_bytes: int) -> bytes | None:
    """A regular file's bytes when it holds at most ``max_bytes``; else None."""
    try:
        info = os.stat(name)  # before opening: opening a FIFO would wait for a writer
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        with open(name, "rb") as handle:
            data = handle.read(info.st_size + 1)  # not max_bytes + 1: that much would be allocated
            if len(data) > info.st_size:  # it grew meanwhile
                data += handle.read(max_bytes + 1 - len(data))
    except (OSError, ValueError):
        return None
    return None if len(data) > max_bytes else data
