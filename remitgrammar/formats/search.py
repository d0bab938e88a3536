"""Where formats come from: the built-in ones, then every formats directory on the search path.

A formats directory holds ``grammars/`` and ``specs/`` like the project's own:
``specs/formats/<name>.yaml`` names its grammar (looked up in the directory's
``grammars/``, then the built-in ones) and its alias files (the directory's
``specs/aliases/``, then the built-in ones). A format in a later directory adds to
or replaces a format of the same name found earlier. Directories come from
``--formats-dir`` (repeatable) and from ``REMITGRAMMAR_PATH`` (separated like PATH).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from ..errors import ConfigError
from .resources import data_dir
from .identities import parse_identities
from .roles import check_sections
from .specs import FormatSpec, build_alias_tables, load_yaml, merge_alias_tables

ENV_VAR = "REMITGRAMMAR_PATH"
_extra_dirs: tuple = ()


def configure(dirs) -> None:
    """Set the formats directories given on the command line (searched after the built-ins)."""
    global _extra_dirs
    _extra_dirs = tuple(Path(d) for d in dirs)


def configured() -> tuple:
    """The formats directories set with ``configure`` (to give a worker process the same)."""
    return _extra_dirs


def search_path() -> tuple:
    """The formats directories in search order: built-in, --formats-dir ones, REMITGRAMMAR_PATH ones."""
    env = tuple(Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p)
    builtin = data_dir("specs").parent if (data_dir("specs").parent / "grammars").is_dir() else None
    return ((builtin,) if builtin else ()) + _extra_dirs + env


def _first_existing(candidates) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


FORMAT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")


def _check_name(name, path: Path) -> None:
    if not isinstance(name, str) or not FORMAT_NAME.fullmatch(name):
        raise ConfigError(f"{path}: format name {name!r} must be letters, digits, '-' and '_'")


def _inside(name, path: Path) -> str:
    """A file name a spec gives: relative, within its folder of the formats directory."""
    text = str(name)
    if not text or Path(text).is_absolute() or ".." in Path(text).parts or "\\" in text or "\x00" in text:
        raise ConfigError(f"{path}: '{text}' must be a file name inside the formats directory "
                          "(no absolute path, no '..')")
    return text


def load_format(path: Path, root: Path, origin: str) -> FormatSpec:
    """Load one format spec; its grammar and alias files are found in ``root``, then the built-ins.

    Raises:
        ConfigError: the spec is unreadable or lacks a required key.
    """
    doc = load_yaml(path)
    try:
        detect = doc.get("detect") or {}
        _check_name(doc["name"], path)
        grammar = _first_existing([root / "grammars" / _inside(doc["grammar"], path),
                                   data_dir("grammars") / doc["grammar"]])
        if not grammar.is_file():
            raise ConfigError(f"{path}: grammar '{doc['grammar']}' not found under {root / 'grammars'}")
        spec = FormatSpec(
            name=doc["name"], description=doc.get("description", ""), grammar_path=grammar, spec_path=path,
            sample=doc.get("sample", ""), require=tuple(detect.get("require", ())),
            forbid=tuple(detect.get("forbid", ())),
            single_column_group=str(doc.get("single_column_group", "total")),
            notional_classes=tuple(doc.get("notional_classes", ())),
            oc_excluded_classes=tuple(doc.get("oc_excluded_classes", ())), origin=origin,
            sections=check_sections(doc.get("sections"), str(path)),
            fields=doc.get("fields") or {}, certificate_tier=doc.get("certificate_tier"),
            reads_cover=doc.get("reads_cover") is True,
            deal_key=tuple(doc.get("deal_key", ())), identities=parse_identities(doc.get("identities"), str(path)))
        spec.error_examples = tuple(
            _first_existing([root / "specs" / "errors" / _inside(name, path), data_dir("specs") / "errors" / name])
            for name in doc.get("errors", ()))
        for alias_file in doc.get("aliases", ()):
            alias_path = _first_existing([root / "specs" / "aliases" / _inside(alias_file, path),
                                          data_dir("specs") / "aliases" / alias_file])
            merge_alias_tables(spec.aliases, build_alias_tables(load_yaml(alias_path), str(alias_path)))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path}: malformed format spec (missing or wrong {exc})") from exc
    return spec


def all_formats() -> tuple:
    """Every format on the search path, later directories overriding earlier ones, by name."""
    dirs = search_path()
    return _load_all(dirs, _stamp(dirs[1:]))


def _stamp(dirs: tuple) -> tuple:
    """Size and time of every file of the formats directories: an edit loads them anew."""
    stamp = []
    for root in dirs:
        for path in sorted(root.glob("specs/*/*.yaml")):
            info = path.stat()
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamp)


@functools.lru_cache(maxsize=None)
def _load_all(dirs: tuple, stamp: tuple) -> tuple:
    found: dict[str, FormatSpec] = {}
    for index, root in enumerate(dirs):
        origin = "built-in" if index == 0 and root == data_dir("specs").parent else str(root)
        folder = root / "specs" / "formats"
        if index and not folder.is_dir():
            raise ConfigError(f"{root}: not a formats directory (no specs/formats/ in it)")
        for path in sorted(folder.glob("*.yaml")):
            spec = load_format(path, root, origin)
            found[spec.name] = spec
    return tuple(sorted(found.values(), key=lambda s: s.name))


def get_format(name: str) -> FormatSpec:
    """The format of that name on the search path.

    Raises:
        ConfigError: when no format has that name.
    """
    for spec in all_formats():
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in all_formats())
    raise ConfigError(f"unknown format '{name}' (known: {known})")
