"""The project's configuration: ``[tool.remitgrammar]`` in the nearest ``pyproject.toml``, or a
``remitgrammar.toml`` (its keys at the top, or under ``[tool.remitgrammar]``).

The search starts in the working directory and goes up to the file system's root; the first
file that configures remitgrammar wins. Paths in it (formats directories, the baseline) are
relative to the file. Options on the command line override it.

    [tool.remitgrammar]
    formats-dirs = ["formats"]
    select = ["RG3", "RG4"]
    ignore = ["RG316"]
    fail-on = "warning"
    baseline = "known-findings.json"
    jobs = 4
    per-path-ignores = { "filings/2002/*" = ["RG305", "RG310"] }
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

KEYS = {"formats-dirs": list, "select": list, "ignore": list, "fail-on": str, "baseline": str, "jobs": int,
        "per-path-ignores": dict}
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """The settings a configuration file gives (empty: none found)."""

    source: Path | None = None
    formats_dirs: tuple = ()
    select: tuple = ()
    ignore: tuple = ()
    fail_on: str | None = None
    baseline: Path | None = None
    jobs: int | None = None
    per_path_ignores: tuple = field(default=())  # (glob, codes)

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
    for directory in (here, *here.parents):
        for name in ("remitgrammar.toml", "pyproject.toml"):
            candidate = directory / name
            if candidate.is_file():
                table = _table(candidate, name == "remitgrammar.toml")
                if table is not None:
                    return _config(candidate, table)
    return Config()


def _table(path: Path, own: bool):
    try:
        import tomllib
    except ImportError:  # Python 3.10: only a file that configures remitgrammar is an error
        if own or b"[tool.remitgrammar" in path.read_bytes()[:MAX_BYTES]:
            raise ConfigError(f"{path}: reading a configuration file needs Python 3.11 or newer") from None
        return None
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_BYTES // 1024} kB; not a configuration file")
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not readable as TOML ({exc})") from None
    table = doc.get("tool", {}).get("remitgrammar") if isinstance(doc.get("tool"), dict) else None
    if table is None and own:
        table = {k: v for k, v in doc.items() if k != "tool"}
    return table


def _config(path: Path, table) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.remitgrammar] must be a table")
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key '{key}' (known: {', '.join(KEYS)})")
        if not isinstance(value, KEYS[key]) or isinstance(value, bool):
            raise ConfigError(f"{path}: '{key}' must be a {KEYS[key].__name__}")
    base = path.parent
    ignores = table.get("per-path-ignores", {})
    if not all(isinstance(v, list) and all(isinstance(c, str) for c in v) for v in ignores.values()):
        raise ConfigError(f"{path}: 'per-path-ignores' maps a glob to a list of codes")
    return Config(source=path, formats_dirs=tuple(base / str(d) for d in table.get("formats-dirs", [])),
                  select=_strings(path, table, "select"), ignore=_strings(path, table, "ignore"),
                  fail_on=table.get("fail-on"), jobs=table.get("jobs"),
                  baseline=base / table["baseline"] if "baseline" in table else None,
                  per_path_ignores=tuple((glob, tuple(codes)) for glob, codes in ignores.items()))


def _strings(path: Path, table: dict, key: str) -> tuple:
    values = table.get(key, [])
    if not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{path}: '{key}' must be a list of codes")
    return tuple(values)
