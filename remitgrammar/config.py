"""The project's configuration: ``[tool.remitgrammar]`` in the nearest ``pyproject.toml``, or a
``remitgrammar.toml`` (its keys at the top, or under ``[tool.remitgrammar]``).

The search starts in the working directory and goes up to the project root (the first directory
holding ``.git`` or a ``pyproject.toml``); the first file that configures remitgrammar wins. A run
trusts only what its user owns: a file, or a directory on the way, that another user owns or may
write (group or other write bit, as /tmp) is skipped, and the search stops at such a directory; what
was read or skipped, and why, is kept for ``--show-settings``. ``--config FILE`` reads that file
only (the user named it), ``--isolated`` none. Paths in a file (formats directories, the baseline,
the result cache's directory) are relative to it. Options on the command line override it.

    [tool.remitgrammar]
    formats-dirs = ["formats"]
    select = ["RG3", "RG4"]
    ignore = ["RG316"]
    fail-on = "warning"
    baseline = "known-findings.json"
    jobs = 4
    per-path-ignores = { "filings/2002/*" = ["RG305", "RG310"] }
    cache-dir = ".cache/remitgrammar"
"""

from __future__ import annotations

import fnmatch
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .formats.resources import read_regular

KEYS = {"formats-dirs": list, "select": list, "ignore": list, "fail-on": str, "baseline": str, "jobs": int,
        "per-path-ignores": dict, "user-agent": str, "cache-dir": str}
# What each key is when no file and no option gives it, in words.
DEFAULTS = {"formats-dirs": "[] (the built-in formats only)", "select": "[] (every code)", "ignore": "[]",
            "fail-on": '"error"', "baseline": "none", "jobs": "0 (one worker a core)", "per-path-ignores": "{}",
            "user-agent": "none (REMITGRAMMAR_USER_AGENT or fetch --user-agent)",
            "cache-dir": "none (REMITGRAMMAR_CACHE_DIR, else the platform's cache directory)"}
NAMES = ("remitgrammar.toml", "pyproject.toml")
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """The settings a configuration file gives (empty: none found).

    ``searched``: (path, what happened, why) of every file and directory the search looked at: ``read``,
    ``skipped`` or ``stopped`` (the search, there). ``keys``: the keys the file gives.
    """

    source: Path | None = None
    formats_dirs: tuple = ()
    select: tuple = ()
    ignore: tuple = ()
    fail_on: str | None = None
    baseline: Path | None = None
    jobs: int | None = None
    per_path_ignores: tuple = field(default=())  # (glob, codes)
    user_agent: str | None = None  # fetch's contact for the SEC (docs/fetch.md)
    cache_dir: Path | None = None  # the result cache's directory (cache.py)
    searched: tuple = field(default=(), compare=False)
    keys: frozenset = field(default=frozenset(), compare=False)

    def ignored_at(self, path: str) -> tuple:
        """The codes ignored for one reported file (its path as given, or relative to the config)."""
        if not self.per_path_ignores:
            return ()
        names = {path.replace("\\", "/")}
        if self.source is not None:
            try:
                names.add(Path(os.path.abspath(path)).relative_to(self.source.parent.resolve()).as_posix())
            except ValueError:
                pass
        return tuple(code for pattern, codes in self.per_path_ignores
                     if any(fnmatch.fnmatchcase(n, pattern) for n in names) for code in codes)


def find(start: Path | None = None) -> Config:
    """The configuration that applies in ``start`` (the working directory by default).

    Raises:
        ConfigError: the file cannot be read, is not TOML, or holds an unknown key or a wrong type.
    """
    here = (start or Path.cwd()).resolve()
    searched: list = []
    for directory in (here, *here.parents):
        distrust = untrusted(directory)
        if distrust:  # what it holds could have been put there by anyone: named, never read
            searched += [(directory / name, "skipped", f"its directory {distrust}")
                         for name in NAMES if os.path.lexists(directory / name)]
            searched.append((directory, "stopped", f"the directory {distrust}"))
            break
        for name in NAMES:
            candidate = directory / name
            if not os.path.lexists(candidate):
                continue
            distrust = _untrusted_file(candidate)
            if distrust:
                searched.append((candidate, "skipped", distrust))
                continue
            table = _table(candidate, name == "remitgrammar.toml")
            if table is None:
                searched.append((candidate, "skipped", "no [tool.remitgrammar] table in it"))
                continue
            searched.append((candidate, "read", ""))
            return _config(candidate, table, searched)
        marker = next((m for m in (".git", "pyproject.toml") if os.path.lexists(directory / m)), None)
        if marker:
            searched.append((directory, "stopped", f"the project root (it holds {marker})"))
            break
    return Config(searched=tuple(searched))


def load(path: Path) -> Config:
    """The file ``--config`` names, and no other: a ``pyproject.toml`` gives its ``[tool.remitgrammar]``,
    any other file its keys at the top (or under ``[tool.remitgrammar]``).

    Raises:
        ConfigError: missing, not a regular file, too large, not UTF-8, not TOML, or wrong keys.
    """
    path = Path(path)
    table = _table(path, path.name != "pyproject.toml")
    if table is None:
        raise ConfigError(f"{path}: no [tool.remitgrammar] table in it")
    return _config(path, table, [(path, "read", "named by --config")])


def isolated() -> Config:
    """No configuration at all (``--isolated``)."""
    return Config(searched=(("--isolated", "stopped", "no configuration file is read"),))


def untrusted(directory: Path) -> str | None:
    """Why a directory's files cannot be trusted (another user owns it, or others may write in it), or None."""
    try:
        return _distrust(os.stat(directory), "")
    except OSError as exc:
        return f"cannot be examined ({exc.strerror})"


def _untrusted_file(path: Path) -> str | None:
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot be examined ({exc.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    why = _distrust(info, "it ")
    real_parent = Path(os.path.realpath(path)).parent
    if why is None and real_parent != Path(os.path.realpath(path.parent)):  # a symlink to another directory
        where = untrusted(real_parent)
        why = f"it is a symlink into {real_parent}, which {where}" if where else None
    return why


def _distrust(info: os.stat_result, subject: str) -> str | None:
    if not hasattr(os, "getuid"):  # Windows: no owners or mode bits to compare
        return None
    if info.st_uid != os.getuid():
        return f"{subject}is owned by another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{subject}is writable by others (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def _table(path: Path, own: bool):
    try:
        import tomllib
    except ImportError:  # Python 3.10: only a file that configures remitgrammar is an error
        if own or b"[tool.remitgrammar" in read_regular(path, MAX_BYTES):
            raise ConfigError(f"{path}: reading a configuration file needs Python 3.11 or newer") from None
        return None
    data = read_regular(path, MAX_BYTES)
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not readable as TOML ({' '.join(str(exc).split())[:200]})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not readable as TOML (nested too deeply)") from None
    table = doc.get("tool", {}).get("remitgrammar") if isinstance(doc.get("tool"), dict) else None
    if table is None and own:
        table = {k: v for k, v in doc.items() if k != "tool"}
    return table


def _config(path: Path, table, searched: list) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.remitgrammar] must be a table")
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key {key[:80]!r} (known: {', '.join(KEYS)})")
        if not isinstance(value, KEYS[key]) or isinstance(value, bool):
            raise ConfigError(f"{path}: '{key}' must be a {KEYS[key].__name__}")
    base = path.parent
    ignores = table.get("per-path-ignores", {})
    if not all(isinstance(v, list) and all(isinstance(c, str) for c in v) for v in ignores.values()):
        raise ConfigError(f"{path}: 'per-path-ignores' maps a glob to a list of codes")
    return Config(source=path, formats_dirs=tuple(base / str(d) for d in _strings(path, table, "formats-dirs")),
                  select=_strings(path, table, "select"), ignore=_strings(path, table, "ignore"),
                  fail_on=table.get("fail-on"), jobs=table.get("jobs"), user_agent=table.get("user-agent"),
                  baseline=base / table["baseline"] if "baseline" in table else None,
                  cache_dir=base / table["cache-dir"] if "cache-dir" in table else None,
                  per_path_ignores=tuple((glob, tuple(codes)) for glob, codes in ignores.items()),
                  searched=tuple(searched), keys=frozenset(table))


def _strings(path: Path, table: dict, key: str) -> tuple:
    values = table.get(key, [])
    if not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{path}: '{key}' must be a list of {'paths' if key == 'formats-dirs' else 'codes'}")
    return tuple(values)


def settings(config: Config, given: dict) -> list[str]:
    """``--show-settings``: the files read or skipped and why, then each key, its value and where it
    came from (``given``: key -> (value, option) of the options on the command line)."""
    lines = ["configuration files:"]
    lines += [f"  {status:<8} {path}{': ' + why if why else ''}" for path, status, why in config.searched] \
        or ["  (none looked at)"]
    lines.append("settings:")
    for key in KEYS:
        if key in given:
            value, origin = _shown(given[key][0]), f"option {given[key][1]}"
        elif key in config.keys:
            value, origin = _shown(_value(config, key)), str(config.source)
        else:
            value, origin = DEFAULTS[key], "default"
        lines.append(f"  {key:<17} = {value}  ({origin})")
    return lines


def _value(config: Config, key: str):
    return {"formats-dirs": config.formats_dirs, "select": config.select, "ignore": config.ignore,
            "fail-on": config.fail_on, "baseline": config.baseline, "jobs": config.jobs,
            "per-path-ignores": dict(config.per_path_ignores), "user-agent": config.user_agent,
            "cache-dir": config.cache_dir}[key]


def _shown(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, Path):
        return json.dumps(str(value))
    if isinstance(value, (list, tuple)):
        return json.dumps([str(v) if isinstance(v, Path) else v for v in value])
    return json.dumps(value, default=str)
