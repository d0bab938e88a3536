"""Where formats come from: the built-in ones, then every formats directory on the search path.

A formats directory holds ``grammars/`` and ``specs/`` like the project's own:
``specs/formats/<name>.yaml`` names its grammar (looked up in the directory's
``grammars/``, then the built-in ones) and its alias files (the directory's
``specs/aliases/``, then the built-in ones). Directories come from ``--formats-dir``
(repeatable), from ``REMITGRAMMAR_PATH`` (separated like PATH) and from ``formats-dirs`` of
the configuration. A file of a formats directory is read only when it is a regular file that
stays inside the directory once symlinks are followed (resources.read_inside).

Two formats of one name are a clash: a format from outside never replaces another silently.
``all_formats`` (what detection ranks) refuses a clash; ``get_format`` (``--format NAME``) takes
the last of that name on the search path, the user having named it.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from ..errors import ConfigError
from .resources import FormatFileError, data_dir, is_inside
from .identities import parse_identities
from .months import parse_months
from .packed import builtin_formats
from .roles import check_sections
from .specs import FormatSpec, build_alias_tables, canonical, load_yaml, merge_alias_tables

ENV_VAR = "REMITGRAMMAR_PATH"
_extra_dirs: tuple = ()

# The keys of a format spec and their YAML types (lint reports the unknown ones; loading ignores them).
SPEC_KEYS: dict[str, type] = {
    "name": str, "description": str, "grammar": str, "aliases": list, "sample": str, "detect": dict,
    "single_column_group": str, "sections": dict, "fields": dict, "certificate_tier": str, "notional_classes": list,
    "oc_excluded_classes": list, "errors": list, "deal_key": list, "reads_cover": bool, "excess_to_oc_class": bool,
    "identities": list, "months": dict}
REQUIRED_KEYS = ("name", "grammar", "aliases", "detect")
_TEXT_LISTS = ("aliases", "errors", "notional_classes", "oc_excluded_classes", "deal_key")
DETECT_KEYS = ("require", "forbid")
FORMAT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
_WORD = re.compile(r"\w")


@functools.lru_cache(maxsize=None)
def canonical_months():
    """The carries every format shares: specs/canonical.yaml's ``months`` block."""
    return parse_months(canonical().get("months"), "specs/canonical.yaml")


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


def usable_text(text) -> bool:
    """Whether a detection text can tell a format: it holds a letter or a digit (an empty or blank
    text is found in every report)."""
    return isinstance(text, str) and bool(_WORD.search(text))


KIND_WORDS = {str: "text", list: "list", dict: "mapping", bool: "true/false", int: "number", float: "number"}


def kind_word(kind) -> str:
    """A YAML type in a maintainer's words."""
    return KIND_WORDS.get(kind, getattr(kind, "__name__", str(kind)))


def spec_problem(doc) -> str | None:
    """What makes a spec's value unusable (its shape and the types of its keys), or None."""
    if doc is None:
        return "the file is empty: a format spec is a mapping of keys (name, grammar, aliases, detect, ...)"
    if not isinstance(doc, dict):
        return f"a format spec is a mapping of keys (name, grammar, aliases, detect, ...), not a {kind_word(type(doc))}"
    for key in ("name", "grammar"):
        if key not in doc:
            return f"missing key '{key}'"
    for key, value in doc.items():
        kind = SPEC_KEYS.get(key)
        if kind is None or value is None:
            continue
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            return f"'{key}' must be a {kind_word(kind)}"
        if key in _TEXT_LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return f"'{key}' must be a list of texts (quote a number)"
    return detect_problem(doc.get("detect"))


def detect_problem(detect) -> str | None:
    """What is wrong with a spec's ``detect`` (texts, or lists of alternative texts), or None."""
    if detect is None:
        return None
    if not isinstance(detect, dict):
        return "'detect' must be a mapping (require: [...], forbid: [...])"
    for key in detect:
        if key not in DETECT_KEYS:
            return f"detect: unknown key {str(key)[:40]!r} (known: {', '.join(DETECT_KEYS)})"
    for key in DETECT_KEYS:
        entries = detect.get(key)
        if entries is None:
            continue
        if not isinstance(entries, list):
            return f"detect.{key} must be a list of texts"
        for entry in entries:
            options = entry if isinstance(entry, list) else [entry]
            if not options or not all(isinstance(option, str) for option in options):
                return (f"detect.{key}: {str(entry)[:60]!r} is not a text or a list of alternative texts "
                        "(quote a number)")
    return None


def _check_name(name, path: Path) -> None:
    if not isinstance(name, str) or not FORMAT_NAME.fullmatch(name):
        raise FormatFileError(path, "RG210", f"format name {str(name)[:80]!r} must be letters, digits, '-' and '_'")


def _inside(name, path: Path) -> str:
    """A file name a spec gives: relative, within its folder of the formats directory."""
    text = str(name)
    if not text or Path(text).is_absolute() or ".." in Path(text).parts or "\\" in text or "\x00" in text:
        raise FormatFileError(path, "RG220", f"'{text[:200]}' must be a file name inside the formats directory "
                              "(no absolute path, no '..')")
    return text


def _located(root: Path, folder: str, name, spec: Path) -> tuple[Path, Path]:
    """(file, the directory it must stay inside): the formats directory's own file when there is one
    (a symlink that leaves the directory counts as one, and is refused when read), else the built-in."""
    own = root.joinpath(*folder.split("/"), _inside(name, spec))
    if os.path.lexists(own):
        if not is_inside(own, root):
            raise FormatFileError(own, "RG220", f"it resolves outside its directory {root} (a symlink or a path "
                                  "out of it): refused, not read")
        return own, root
    top, *rest = folder.split("/")
    builtin = data_dir(top).joinpath(*rest, str(name))
    if not builtin.is_file():
        raise FormatFileError(spec, "RG210", f"'{name}' is not in {root.joinpath(*folder.split('/'))}, nor among "
                              "the built-ins")
    return builtin, data_dir(top)


def load_format(path: Path, root: Path, origin: str) -> FormatSpec:
    """Load one format spec; its grammar and alias files are found in ``root``, then the built-ins.

    Raises:
        ConfigError: the spec is unreadable, lacks a required key or gives one a wrong type.
    """
    doc = load_yaml(path, root)
    problem = spec_problem(doc)
    if problem:
        raise FormatFileError(path, "RG210", problem)
    _check_name(doc["name"], path)
    grammar, _ = _located(root, "grammars", doc["grammar"], path)
    detect = doc.get("detect") or {}
    try:
        spec = FormatSpec(
            name=doc["name"], description=str(doc.get("description") or ""), grammar_path=grammar, spec_path=path,
            sample=str(doc.get("sample") or ""), origin=origin,
            require=_usable(detect.get("require")), forbid=_usable(detect.get("forbid")),
            single_column_group=str(doc.get("single_column_group") or "total"),
            notional_classes=tuple(doc.get("notional_classes") or ()),
            oc_excluded_classes=tuple(doc.get("oc_excluded_classes") or ()),
            sections=check_sections(doc.get("sections"), str(path)),
            fields=doc.get("fields") or {}, certificate_tier=doc.get("certificate_tier"),
            reads_cover=doc.get("reads_cover") is True, excess_to_oc_class=doc.get("excess_to_oc_class") is True,
            deal_key=tuple(doc.get("deal_key") or ()), identities=parse_identities(doc.get("identities"), str(path)),
            months=canonical_months() + parse_months(doc.get("months"), str(path)))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a shape spec_problem does not foresee
        raise FormatFileError(path, "RG210", f"malformed format spec ({type(exc).__name__})") from None
    spec.error_examples = tuple(_error_examples(root, name, path) for name in doc.get("errors") or ())
    for alias_file in doc.get("aliases") or ():
        alias_path, alias_root = _located(root, "specs/aliases", alias_file, path)
        merge_alias_tables(spec.aliases, build_alias_tables(load_yaml(alias_path, alias_root), str(alias_path)))
    return spec


def _error_examples(root: Path, name: str, spec: Path) -> Path:
    """A file of curated parse-error examples, its shape checked now (parse/diagnose.py reads it)."""
    path, inside = _located(root, "specs/errors", name, spec)
    doc = load_yaml(path, inside)
    examples = doc.get("examples") if isinstance(doc, dict) else None
    if not isinstance(examples, list) or not all(
            isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("message", "rule", "text"))
            for e in examples):
        raise FormatFileError(path, "RG210", "an error examples file holds `examples:`, a list of mappings "
                              "with the texts message, rule and text")
    return path


def _usable(entries) -> tuple:
    """The detection entries that can tell a format: blank texts left out, of a list of alternatives too
    (a blank text is found in every report)."""
    kept = []
    for entry in entries or ():
        options = [option for option in (entry if isinstance(entry, list) else [entry]) if usable_text(option)]
        if options:
            kept.append(options if isinstance(entry, list) else options[0])
    return tuple(kept)


def every_format() -> tuple:
    """Every format spec on the search path in search order, two of one name included."""
    dirs = search_path()
    return _load_all(dirs, _stamp(dirs[1:]))


def clashes(specs: tuple | None = None) -> dict:
    """Format name -> its specs, for every name two formats on the search path share."""
    by_name: dict = {}
    for spec in every_format() if specs is None else specs:
        by_name.setdefault(spec.name, []).append(spec)
    return {name: found for name, found in by_name.items() if len(found) > 1}


def clash_message(name: str, found: list) -> str:
    """One line naming every spec of a clashing name."""
    where = " and ".join(f"{s.spec_path} ({s.origin})" for s in found)
    return (f"format '{name}' is defined twice: {where}; a format from a formats directory never replaces "
            f"another silently: rename it, or choose it with --format {name}")


def check_clashes(chosen: str | None = None) -> None:
    """Refuse two formats of one name, except the one ``--format`` names (the user chose it).

    Raises:
        ConfigError: naming both specs of the first clash.
    """
    for name, found in clashes().items():
        if name != chosen:
            raise ConfigError(clash_message(name, found))


def all_formats() -> tuple:
    """Every format on the search path, by name: what detection ranks.

    Raises:
        ConfigError: a spec cannot be loaded, or two formats share a name.
    """
    specs = every_format()
    check = clashes(specs)
    if check:
        name, found = next(iter(check.items()))
        raise ConfigError(clash_message(name, found))
    return tuple(sorted(specs, key=lambda s: s.name))


def _stamp(dirs: tuple) -> tuple:
    """Size and time of every spec and alias file of the formats directories: an edit loads them anew."""
    stamp = []
    for root in dirs:
        for path in sorted(root.glob("specs/*/*.yaml")):
            try:
                info = path.stat()
            except OSError:  # a dangling symlink: loading it says so
                stamp.append((str(path), None, None))
                continue
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamp)


@functools.lru_cache(maxsize=None)
def _load_all(dirs: tuple, stamp: tuple) -> tuple:
    found: list = []
    for index, root in enumerate(dirs):
        builtin = index == 0 and root == data_dir("specs").parent
        bundled = builtin_formats(root) if builtin else None  # the bundle when it is current (bundle.py)
        if bundled is not None:
            found += bundled
            continue
        if index and not (root / "specs" / "formats").is_dir():
            raise ConfigError(f"{root}: not a formats directory (no specs/formats/ in it)")
        found += yaml_formats(root, "built-in" if builtin else str(root))
    return tuple(found)


def yaml_formats(root: Path, origin: str) -> list:
    """Every format spec of a formats directory, read from its YAML (``load_format``)."""
    return [load_format(path, root, origin) for path in sorted((root / "specs" / "formats").glob("*.yaml"))]


def get_format(name: str) -> FormatSpec:
    """The format of that name on the search path (of two of one name, the later: the user named it).

    Raises:
        ConfigError: when no format has that name.
    """
    specs = every_format()
    for spec in reversed(specs):
        if spec.name == name:
            return spec
    known = ", ".join(sorted({s.name for s in specs}))
    raise ConfigError(f"unknown format {name[:80]!r} (known: {known})")
