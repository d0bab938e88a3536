"""Built-in formats as plain JSON and back: what tests/make_bundle.py writes into the bundle
(bundle.py) from the formats it loaded, and so validated, from their YAML, and what a run reads
instead of that YAML. Reading builds the same objects the YAML gives, without checking them again:
they were checked when the bundle was made, and its fingerprint says nothing has changed since.
"""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import bundle
from .identities import DeclaredIdentity
from .months import Carry, MonthRules
from .specs import AliasTable, FormatSpec

# The objects of a format's identities and months, by the name the bundle gives them (no other name is read).
CLASSES = {cls.__name__: cls for cls in (DeclaredIdentity, Carry, MonthRules)}
_AS_IS = ("name", "description", "sample", "single_column_group", "origin", "fields", "certificate_tier",
          "reads_cover", "excess_to_oc_class")
_TUPLES = ("require", "forbid", "notional_classes", "oc_excluded_classes", "deal_key")


def compared_fields() -> tuple:
    """The attributes that make a FormatSpec what it is (not the caches filled as reports are read)."""
    return tuple(f.name for f in dataclasses.fields(FormatSpec) if f.compare)


def encode(specs, root: Path) -> dict:
    """Built-in formats as JSON values, their files named relative to ``root`` (the built-in formats
    directory). An alias table or a months block two formats share is written once, in ``tables`` or
    ``months``, and named by its place there: most of the bundle, read once."""
    pools: dict = {"tables": {}, "months": {}}
    formats = [_encoded(spec, root, pools) for spec in specs]
    return {"formats": formats, **{name: [json.loads(text) for text in pool] for name, pool in pools.items()}}


def _encoded(spec: FormatSpec, root: Path, pools: dict) -> dict:
    out = {name: getattr(spec, name) for name in _AS_IS}
    out.update({name: list(getattr(spec, name)) for name in _TUPLES})
    out.update(grammar_path=_relative(spec.grammar_path, root), spec_path=_relative(spec.spec_path, root),
               error_examples=[_relative(path, root) for path in spec.error_examples])
    out["aliases"] = {scope: _pooled(pools["tables"], [table.exact, [[p.pattern, target] for p, target in table.templates]])
                      for scope, table in spec.aliases.items()}
    out["sections"] = {rule: [role, params] for rule, (role, params) in spec.sections.items()}
    out["identities"] = _plain(spec.identities)
    out["months"] = _pooled(pools["months"], _plain(spec.months))
    return out


def _pooled(pool: dict, value) -> int:
    """The place of ``value`` in ``pool`` (JSON text -> place), added when it is not there yet."""
    return pool.setdefault(json.dumps(value, ensure_ascii=False, sort_keys=True), len(pool))


def decode(stored: dict, root: Path) -> list:
    """The FormatSpecs ``encode`` wrote.

    Raises:
        KeyError, TypeError, ValueError, ArithmeticError, re.error: a payload ``encode`` did not write.
    """
    tables = [(exact, tuple((re.compile(pattern), target) for pattern, target in templates))
              for exact, templates in stored["tables"]]
    months = [_built(value) for value in stored["months"]]
    return [_decoded(entry, root, tables, months) for entry in stored["formats"]]


def _decoded(entry: dict, root: Path, tables: list, months: list) -> FormatSpec:
    given: dict[str, Any] = {name: entry[name] for name in _AS_IS}
    given.update({name: tuple(entry[name]) for name in _TUPLES})
    spec = FormatSpec(**given, grammar_path=_absolute(entry["grammar_path"], root),
                      spec_path=_absolute(entry["spec_path"], root),
                      error_examples=tuple(_absolute(path, root) for path in entry["error_examples"]),
                      sections={rule: (role, params) for rule, (role, params) in entry["sections"].items()},
                      identities=_built(entry["identities"]), months=months[entry["months"]])
    # Each format its own AliasTable (its lookups cached apart), over the shared label mappings.
    spec.aliases = {scope: AliasTable(scope, *tables[place]) for scope, place in entry["aliases"].items()}
    return spec


def difference(one: FormatSpec, other: FormatSpec) -> str | None:
    """The first attribute in which two formats differ, or None when they are the same."""
    for name in compared_fields():
        if getattr(one, name) != getattr(other, name):
            return name
    return None


def builtin_formats(root: Path) -> list | None:
    """The built-in formats from the bundle, or None when it cannot be used (read their YAML instead)."""
    stored = bundle.payload()
    if stored is None:
        return None
    try:
        return decode(stored, root)
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, re.error):  # not what encode wrote
        return None


def _relative(path, root: Path) -> str:
    return Path(path).relative_to(root).as_posix()


def _absolute(name: str, root: Path) -> Path:
    return root.joinpath(*name.split("/"))


def _plain(value):
    """Identities and month rules as JSON: an object as its class's name and fields, a Decimal as its text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$class": type(value).__name__, **fields}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a format's identities or months hold a {type(value).__name__}, which the bundle cannot keep")


def _built(value):
    """What ``_plain`` wrote, built again: their sequences are all tuples."""
    if isinstance(value, list):
        return tuple(_built(v) for v in value)
    if isinstance(value, dict):
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        kind = CLASSES[value["$class"]]
        return kind(**{name: _built(v) for name, v in value.items() if name != "$class"})
    return value
