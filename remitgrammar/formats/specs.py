"""The YAML specs: canonical fields, label alias tables, and the one YAML reader (capped, line numbers in
its errors; PyYAML imported only when a file is read: the built-in specs come from the bundle, bundle.py).
search.py loads format specs."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from . import bundle
from .resources import FormatFileError, data_dir, decoded, read_inside

if TYPE_CHECKING:
    import yaml

# A YAML file of a formats directory holds at most this many values once its aliases are expanded
# (the largest built-in file, statements.yaml, about 1,500), nested at most this deep (built-ins: 5).
# An alias repeats a value without copying it: nine aliases of nine aliases of ... make a few
# hundred bytes that every reader walking the values (lint, the alias tables) would take billions
# of steps over.
MAX_VALUES = 100_000
MAX_DEPTH = 40


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
    excess_to_oc_class: bool = False  # the excess cash flow left after the O/C increase all goes to the O/C class
    deal_key: tuple = ()  # record paths naming the deal ("filing.series"); registrant and series by default
    identities: tuple = ()  # DeclaredIdentity: arithmetic among printed figures that check evaluates (RG330)
    months: object = None  # formats.months.MonthRules: how figures follow from month to month (RG401-RG403)
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


ALIAS_GROUPS = ("columns", "rows", "cover")


def alias_shape_problem(doc, colon_labels: bool = False) -> str | None:
    """What is wrong with the shape of an alias file's value, or None: a mapping of groups
    (columns, rows, cover), each a mapping of scopes, each a mapping of fields to lists of labels.
    ``colon_labels``: let a label YAML read as a mapping pass (lint reports it as RG215)."""
    label_kinds = (str, int, float, dict) if colon_labels else (str, int, float)
    if doc is None:
        return None
    if not isinstance(doc, dict):
        return f"an alias file is a mapping of {', '.join(ALIAS_GROUPS)}, not a {_kind(doc)}"
    for group, scopes in doc.items():
        if scopes is not None and not isinstance(scopes, dict):
            return f"'{group}' must map scopes to their labels, not be a {_kind(scopes)}"
        for scope, mapping in (scopes or {}).items():
            if mapping is not None and not isinstance(mapping, dict):
                return f"'{group}.{scope}' must map fields to lists of labels, not be a {_kind(mapping)}"
            for target, labels in (mapping or {}).items():
                if not isinstance(target, str):
                    return f"'{group}.{scope}': the field {target!r} must be a name"
                if labels is not None and (not isinstance(labels, list)
                                           or not all(isinstance(x, label_kinds) for x in labels)):
                    return f"'{group}.{scope}.{target}' must be a list of labels (quote a label ending in ':')"
    return None


def _kind(value) -> str:
    kinds: dict[type, str] = {dict: "mapping", list: "list", str: "text"}
    return kinds.get(type(value), type(value).__name__)


def build_alias_tables(doc, source: str) -> dict:
    """Build AliasTables from an alias document; raise on a label mapped twice or a wrong shape."""
    problem = alias_shape_problem(doc)
    if problem:
        raise FormatFileError(source, "RG210", problem)
    tables: dict[str, AliasTable] = {}
    for group in ALIAS_GROUPS:
        for scope, mapping in ((doc or {}).get(group) or {}).items():
            name = f"{group}.{scope}"
            exact: dict[str, str] = {}
            templates = []
            for target, labels in (mapping or {}).items():
                for label in labels or ():
                    if str(label).count("{class}") > 1:  # (.+?)(.+?)... would backtrack without end
                        raise FormatFileError(source, "RG210", f"label '{label}' in {name}: one {{class}} a label")
                    if "{class}" in str(label):
                        templates.append((_template(str(label)), target))
                        continue
                    key = normalize_label(str(label))
                    if key in exact and exact[key] != target:
                        raise FormatFileError(source, "RG212", f"label '{label}' in {name} maps to both "
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


def safe_loader():
    """libyaml's safe loader where PyYAML was built with it (about 20 times faster), else the pure-Python one.
    PyYAML is imported here, when a YAML file is read: a run whose formats all come from the bundle never
    imports it."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_text(path: Path, root: Path | None = None, loader=None) -> str:
    """The text of a YAML file of a formats directory (``root``), read the one safe way
    (resources.read_inside) and measured (``check_yaml``) before any YAML reader walks it.

    Raises:
        FormatFileError: RG220 (not a regular file inside the directory, too large, not UTF-8), RG221 (the
            aliases expand it past MAX_VALUES, or it nests deeper than MAX_DEPTH), RG210 (not YAML).
    """
    text = decoded(read_inside(path, root), path)
    check_yaml(text, path, loader)
    return text


def load_yaml(path: Path, root: Path | None = None):
    """A YAML file's value (None for an empty file): a copy of the bundle's when it keeps that built-in
    file (bundle.py), else read from the file (``read_yaml``)."""
    found = bundle.document_at(path)
    return found if found is not None else read_yaml(path, root)


def read_yaml(path: Path, root: Path | None = None):
    """A YAML file's value (None for an empty file), read from the file and measured by ``yaml_text``."""
    import yaml

    text = yaml_text(path, root)
    try:
        return yaml.load(text, Loader=safe_loader())
    except yaml.YAMLError as exc:  # a tag the safe loader refuses, a key that is a list
        raise _not_yaml(path, exc) from None


def compose_yaml(path: Path, root: Path | None = None):
    """A YAML file's node tree (with each node's line, for lint), read and measured by ``yaml_text``.
    PyYAML's own parser, not libyaml's: it reads a flow label ending in a colon (``[SELLER:]``) as a
    mapping that lint can name (RG215), where libyaml stops."""
    import yaml

    text = yaml_text(path, root, yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _not_yaml(path, exc) from None


def _not_yaml(path, exc: yaml.YAMLError) -> FormatFileError:
    """RG210 on one line: what is wrong and where (PyYAML's own text spans several lines)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["unreadable"])[0]
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return FormatFileError(path, "RG210", f"not valid YAML{where}: {' '.join(str(problem).split())[:200]}",
                           mark.line + 1 if mark is not None else None)


def check_yaml(text: str, path, loader=None) -> None:
    """Refuse YAML whose aliases would expand it past MAX_VALUES values, whose aliases loop, or that
    nests deeper than MAX_DEPTH, from its event stream alone: nothing is built yet. Every anchored
    value's expanded size is kept, and an alias counts as the size of the value it repeats.

    Raises:
        FormatFileError: RG221, or RG210 when the text is not YAML.
    """
    import yaml

    sizes: dict = {}  # anchor -> values under it, aliases expanded
    open_: list = []  # [anchor, values so far] of each collection not yet closed
    total = 0
    try:
        for event in yaml.parse(text, Loader=loader or safe_loader()):
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_) >= MAX_DEPTH:
                    raise _too_big(path, event, f"it nests deeper than {MAX_DEPTH} levels")
                open_.append([event.anchor, 1])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor)
                if size is None:  # an alias of a collection still open holds itself: a loop
                    raise _too_big(path, event, f"the alias *{event.anchor} repeats a value that holds it")
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            total = total + size if not open_ else total
            if open_:
                open_[-1][1] += size
            if total > MAX_VALUES or (open_ and open_[-1][1] > MAX_VALUES):
                raise _too_big(path, event, f"it holds more than {MAX_VALUES:,} values once its aliases "
                                            "are expanded")
    except yaml.YAMLError as exc:
        raise _not_yaml(path, exc) from None


def _too_big(path, event, why: str) -> FormatFileError:
    line = event.start_mark.line + 1 if event.start_mark is not None else 1
    return FormatFileError(path, "RG221", f"{why} (line {line}): refused", line)


@functools.lru_cache(maxsize=None)
def canonical() -> dict:
    """The canonical field catalogue (specs/canonical.yaml: the bundle's when it can be used, shared unchanged)."""
    found = bundle.document("canonical.yaml")
    return found if found is not None else read_yaml(data_dir("specs") / "canonical.yaml")


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
