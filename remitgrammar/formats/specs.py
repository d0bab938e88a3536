"""The YAML specs: canonical fields and label alias tables (formats.py loads format specs)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigError

# libyaml's safe loader where PyYAML was built with it (about 20 times faster), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
from .resources import data_dir


from ..records import PERIODS  # noqa: F401 (re-exported: the period columns of value tables)


_NOISE = str.maketrans({".": None, ":": None, "&": " and "})


MAX_LABEL = 200  # characters: a longer "label" is a run of heading lines, not a name with a note in it
# A parenthesised rate in a label ("(0.50% per annum)"): the deal's terms, not part of the name.
_RATE_NOTE = re.compile(r"\s*\([^()%]{0,20}%[^()]{0,40}\)")


def normalize_label(text: str) -> str:
    """The form in which labels are compared: case folded, white space collapsed, periods and
    colons left out ("No. of Loans:" is "no of loans"), "&" read as "and"."""
    return " ".join(text.casefold().translate(_NOISE).split())


@dataclass(frozen=True)
class AliasTable:
    """Printed labels of one scope mapped to canonical field names.

    Attributes:
        scope: e.g. ``columns.summary`` or ``rows.pool``.
        exact: normalized label -> field.
        templates: (compiled pattern, field) for labels holding ``{class}``.
    """

    scope: str
    exact: dict
    templates: tuple = ()
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def lookup(self, label: str) -> tuple[str | None, str | None]:
        """Find the field a printed label maps to.

        Returns:
            (field, class name captured by a ``{class}`` template) or (None, None).
        """
        found = self.cache.get(label)
        if found is None:
            found = self.cache[label] = self._lookup(label)
        return found

    def _lookup(self, label: str) -> tuple[str | None, str | None]:
        key = normalize_label(label)
        if key in self.exact:
            return self.exact[key], None
        for pattern, target in self.templates:
            match = pattern.fullmatch(key)
            if match:
                # The class as printed: the captured words where they stand alone in the label
                # ("Distribution to Class R": R, not the r of "Distribution").
                alone = re.search(r"(?<![^\s(])" + re.escape(match.group(1)) + r"(?![^\s),:])", label, re.I)
                return target, (alone.group(0) if alone else match.group(1).upper())
        rate = _RATE_NOTE.sub("", label) if "%" in label and len(label) <= MAX_LABEL else label
        if rate != label and rate.strip():  # "Servicing Fee (0.50% per annum)" is the Servicing Fee
            return self._lookup(rate)
        return None, None


@dataclass(eq=False)
class FormatSpec:
    """One format family: its grammar, detection rules and alias tables."""

    name: str
    description: str
    grammar_path: Path
    spec_path: Path
    sample: str
    require: tuple
    forbid: tuple
    single_column_group: str
    notional_classes: tuple = ()
    oc_excluded_classes: tuple = ()
    error_examples: tuple = ()
    origin: str = "built-in"
    aliases: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    certificate_tier: str | None = None
    reads_cover: bool = False  # the layout prints the Form 8-K cover ahead of its statement, and reads it
    deal_key: tuple = ()  # record paths naming the deal ("filing.series"); registrant and series by default
    identities: tuple = ()  # DeclaredIdentity: arithmetic among printed figures that check evaluates (RG330)
    # record path -> field type, filled as reports are built (the same paths recur in every report)
    kinds: dict = field(default_factory=dict, compare=False, repr=False)

    def table(self, scope: str) -> AliasTable:
        """The alias table of a scope (an empty one when the spec has none)."""
        return self.aliases.get(scope) or AliasTable(scope, {})

    def section(self, rule: str) -> tuple | None:
        """(role, parameters) of a grammar rule, or None when the spec gives it no role."""
        return self.sections.get(rule)

    def field_type(self, section: str, name: str) -> str:
        """The type of a field: the format's own additions first, then canonical.yaml.

        Raises:
            ConfigError: when neither has the field.
        """
        found = _lookup_type(self.fields, section, name)
        return found if found is not None else field_type(section, name)


def _template(label: str) -> re.Pattern:
    parts = normalize_label(label).split("{class}")
    return re.compile("(.+?)".join(re.escape(p) for p in parts))


def build_alias_tables(doc: dict, source: str) -> dict:
    """Build AliasTables from an alias document; raise on a label mapped twice."""
    tables: dict[str, AliasTable] = {}
    for group in ("columns", "rows", "cover"):
        for scope, mapping in (doc.get(group) or {}).items():
            name = f"{group}.{scope}"
            exact: dict[str, str] = {}
            templates = []
            for target, labels in (mapping or {}).items():
                for label in labels:
                    if "{class}" in str(label):
                        templates.append((_template(str(label)), target))
                        continue
                    key = normalize_label(str(label))
                    if key in exact and exact[key] != target:
                        raise ConfigError(
                            f"{source}: label '{label}' in {name} maps to both "
                            f"'{exact[key]}' and '{target}'")
                    exact[key] = target
            tables[name] = AliasTable(name, exact, tuple(templates))
    return tables


def merge_alias_tables(into: dict, more: dict) -> None:
    """Add one alias file's tables to a format's: a later file adds labels to a scope, and where
    both give a label, the later one's field wins (a family's own file over a shared vocabulary)."""
    for scope, table in more.items():
        known = into.get(scope)
        if known is None:
            into[scope] = table
        else:
            into[scope] = AliasTable(scope, {**known.exact, **table.exact}, table.templates + known.templates)


def load_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SAFE_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read spec: {exc}") from exc


@functools.lru_cache(maxsize=None)
def canonical() -> dict:
    """The canonical field catalogue (specs/canonical.yaml)."""
    return load_yaml(data_dir("specs") / "canonical.yaml")


def _lookup(catalogue: dict, section: str, name: str) -> dict | None:
    node = catalogue.get(section)
    for part in name.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part, node.get("*"))  # "*": any name (a trigger's, a party's role)
        if node is None:
            return None
    return node if isinstance(node, dict) and isinstance(node.get("type"), str) else None


def _lookup_type(catalogue: dict, section: str, name: str) -> str | None:
    found = _lookup(catalogue, section, name)
    return found["type"] if found else None


def field_info(spec, section: str, name: str) -> dict:
    """A field's entry (type, unit, meaning): the format's own additions first, then canonical.yaml;
    a per-group collateral fact falls back to its pool name. Empty when neither has it."""
    for catalogue in (getattr(spec, "fields", None) or {}, canonical()):
        for where in ((section, "pool") if section == "collateral" else (section,)):
            found = _lookup(catalogue, where, name)
            if found:
                return found
    return {}


@functools.lru_cache(maxsize=None)
def field_type(section: str, name: str) -> str:
    """The type of a canonical field, e.g. ``field_type('classes', 'per_1000.interest')``.

    Raises:
        ConfigError: when canonical.yaml has no such field.
    """
    found = _lookup_type(canonical(), section, name)
    if found is None:
        raise ConfigError(f"specs/canonical.yaml has no field {section}.{name}")
    return found
