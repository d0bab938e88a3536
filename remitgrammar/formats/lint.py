"""Check the format files themselves: spec schema, alias targets, duplicate labels, grammars, samples.

Every problem is a finding with the file's path and line (RG21x), so a
maintainer can fix a format before any report reaches it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import yaml
from lark import Lark, logger as lark_logger
from lark.exceptions import LarkError

from ..errors import ConfigError, Finding
from .lint_grammar import lint_collisions, lint_grammar
from .lint_model import DeclaredFields, lint_model
from .search import all_formats, search_path
from .resources import data_dir
from .specs import PERIODS, canonical, field_info, normalize_label

SPEC_KEYS = {"name": str, "description": str, "grammar": str, "aliases": list, "sample": str, "detect": dict,
             "single_column_group": str, "sections": dict, "fields": dict, "certificate_tier": str, "notional_classes": list,
             "oc_excluded_classes": list, "errors": list, "deal_key": list, "reads_cover": bool,
             "identities": list}
REQUIRED_KEYS = ("name", "grammar", "aliases", "detect")
SCOPE_SECTIONS = {"columns.summary": "classes", "columns.per_1000": "classes", "columns.shortfall": "classes",
                  "columns.delinquency": "delinquency", "rows.collateral": "collateral", "rows.pool": "pool",
                  "rows.group_headings": "collateral", "rows.buckets": None, "cover.answers": "filing",
                  "rows.info": "filing", "rows.sums": "collateral", "rows.counts": "collateral"}
# Scopes whose targets are keys of the format's own choosing, not canonical fields.
FREE_SCOPES = {"rows.groups", "rows.tiers", "rows.periods"}
SPECIAL_TARGETS = {"class", "extra"}


def _finding(code: str, message: str, line: int | None = None, hint: str | None = None) -> Finding:
    return Finding(code, "error", message, line=line, column=1 if line else None, hint=hint)


def _compose(path: Path, problems: list):
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append((str(path), _finding("RG210", f"not valid YAML: {exc}", mark.line + 1 if mark else None)))
        return None
    problems += [(str(path), finding) for finding in _duplicate_keys(root)]
    return root


def _duplicate_keys(root) -> list:
    """RG210 for a key given twice in one mapping: YAML keeps the last, silently."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen = {}
            for key, value in node.value:
                name = getattr(key, "value", None)
                if isinstance(name, str) and name in seen:
                    found.append(_finding("RG210", f"key '{name}' is given twice (also at line {seen[name]}): "
                                          "YAML keeps the last and drops the first", key.start_mark.line + 1,
                                          "merge the two entries into one"))
                elif isinstance(name, str):
                    seen[name] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(found, key=lambda f: f.line or 0)


def lint_spec(path: Path) -> list:
    """Schema problems of one format spec: unknown or missing keys, wrong types."""
    problems: list = []
    root = _compose(path, problems)
    if root is None:
        return problems
    if not isinstance(root, yaml.MappingNode):
        return [(str(path), _finding("RG210", "a format spec is a mapping of keys", 1))]
    present = set()
    for key, value in root.value:
        present.add(key.value)
        line = key.start_mark.line + 1
        if key.value not in SPEC_KEYS:
            problems.append((str(path), _finding("RG210", f"unknown key '{key.value}'", line,
                                                 f"known keys: {', '.join(sorted(SPEC_KEYS))}")))
            continue
        try:
            python = yaml.safe_load(yaml.serialize(value))
        except yaml.YAMLError as exc:  # a tag safe_load refuses (!!python/object ...)
            problems.append((str(path), _finding("RG210", f"'{key.value}': {str(exc).splitlines()[0]}", line)))
            continue
        if not isinstance(python, SPEC_KEYS[key.value]):
            problems.append((str(path), _finding(
                "RG210", f"'{key.value}' must be a {SPEC_KEYS[key.value].__name__}", line)))
        elif key.value == "detect" and not (python.get("require") or []):
            problems.append((str(path), _finding("RG210", "detect.require lists no text to recognise the format",
                                                 line)))
    for key in REQUIRED_KEYS:
        if key not in present:
            problems.append((str(path), _finding("RG210", f"missing key '{key}'", 1)))
    return problems


def lint_aliases(path: Path, fields: dict | None = None) -> list:
    """Alias file problems: unknown scopes, unknown canonical fields, a label mapped to two fields.

    Args:
        fields: the fields the formats using this alias file declare of their own.
    """
    problems: list = []
    root = _compose(path, problems)
    if root is None or not isinstance(root, yaml.MappingNode):
        return problems
    for group, scopes in root.value:
        for scope, mapping in getattr(scopes, "value", []):
            name = f"{group.value}.{scope.value}"
            if name not in SCOPE_SECTIONS and name not in FREE_SCOPES and not name.startswith("columns."):
                problems.append((str(path), _finding("RG210", f"unknown scope '{name}'", scope.start_mark.line + 1)))
                continue
            problems += _lint_scope(path, name, mapping, fields or {})
    return problems


def _lint_scope(path: Path, scope: str, mapping, fields: dict) -> list:
    problems, seen = [], {}
    for target, labels in getattr(mapping, "value", []):
        line = target.start_mark.line + 1
        if not _target_exists(scope, target.value, fields):
            problems.append((str(path), _finding("RG211", f"{scope}: '{target.value}' is not a canonical field",
                                                 line, "fields are listed in specs/canonical.yaml, or in the "
                                                 "`fields:` of the format that uses this file")))
        for label in getattr(labels, "value", []):
            if isinstance(label, yaml.MappingNode):
                problems.append((str(path), _colon_label(scope, label)))
                continue
            key = normalize_label(str(label.value))
            if key in seen and seen[key][0] != target.value:
                problems.append((str(path), _finding(
                    "RG212", f"{scope}: label '{label.value}' maps to both '{seen[key][0]}' (line {seen[key][1]}) "
                    f"and '{target.value}'", label.start_mark.line + 1)))
            seen.setdefault(key, (target.value, label.start_mark.line + 1))
    return problems


def _colon_label(scope: str, label) -> Finding:
    key = label.value[0][0].value if label.value else ""
    return _finding("RG215", f"{scope}: the label '{key}:' was read by YAML as a mapping, not a label",
                    label.start_mark.line + 1, f'quote it: "{key}:"')


def _target_exists(scope: str, target: str, fields: dict | None = None) -> bool:
    if scope in ("rows.collateral", "rows.pool", "rows.sums", "rows.counts"):
        target = target.removeprefix("-")  # printed as a deduction of that field
        period, _, rest = target.partition(".")
        target = rest if period in PERIODS and rest else target  # pool.prior.<field>
    if target in SPECIAL_TARGETS or scope in FREE_SCOPES:
        return True
    if scope == "rows.info" and target == "distribution_date":
        return True
    if scope not in SCOPE_SECTIONS and scope.startswith("columns."):
        scope = "columns.summary"  # every class table's columns are class fields
    section = SCOPE_SECTIONS.get(scope)
    if section is None:
        return target in canonical()["delinquency"]["buckets"]
    sections = (section, "pool") if section == "collateral" else (section,)
    return any(field_info(DeclaredFields(fields or {}), s, target) for s in sections)


def sample_path(spec) -> Path | None:
    """Where the format's sample report is on this machine (None: not here, e.g. an installed wheel,
    which carries the built-in formats but not the test corpus their samples live in)."""
    if not spec.sample:
        return None
    for root in (Path(spec.spec_path).parent.parent.parent, Path.cwd()):
        if (root / spec.sample).is_file():
            return root / spec.sample
    return None


def lint_sample(spec) -> list:
    """A format must name a sample report that exists (its golden test).

    Built-in formats are checked only in a source checkout (see sample_path).
    """
    root = Path(spec.spec_path).parent.parent.parent
    if spec.origin == "built-in" and not (root / "tests" / "corpus").is_dir():
        return []
    if sample_path(spec) is not None:
        return []
    return [(str(spec.spec_path), _finding("RG214", f"format {spec.name} has no sample report "
                                           f"('{spec.sample or 'sample:'}' not found)", _key_line(spec, "sample"),
                                           "add a report under tests/corpus/<format>/ and name it in `sample:`"))]


def lint_identities(spec) -> list:
    """Every field an identity reads must exist (canonical.yaml or the format's own ``fields``): a
    misspelt one would read as never printed, and the identity would silently never run."""
    problems = []
    for identity in spec.identities:
        for path in identity.paths():
            names = [segment for segment in path[1:] if not segment.startswith("[")]
            if names and names[0] in PERIODS:
                names = names[1:]  # pool.prior.<field>: the field's value for another period
            section = "classes" if path[0] in ("class_totals", "tier_totals") else path[0]
            if not field_info(spec, section, ".".join(names)):
                shown = path[0] + "".join(s if s.startswith("[") else "." + s for s in path[1:])
                problems.append((str(spec.spec_path), _finding(
                    "RG219", f"identity '{identity.title}' reads {shown}, a field neither canonical.yaml nor "
                    f"the format's `fields:` defines", _key_line(spec, "identities"),
                    "correct the path: findings and `remitgrammar parse` show the record's paths")))
    return problems


def _key_line(spec, key: str) -> int | None:
    for number, line in enumerate(Path(spec.spec_path).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


def _probe_lines() -> list:
    """Lines of every format's sample on this machine: what the terminal collision check tries."""
    lines = set()
    try:
        specs = all_formats()
    except ConfigError:
        return []
    for spec in specs:
        path = sample_path(spec)
        if path is not None:
            lines.update(line for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:5000]
                         if line.strip())
    return sorted(lines)


def lint_all() -> list:
    """Every format on the search path: (file, finding) pairs, empty when all is well."""
    problems: list = []
    for root in search_path():
        declared: dict = {}
        for spec_path in sorted((root / "specs" / "formats").glob("*.yaml")):
            problems += lint_spec(spec_path)
            problems += lint_model(spec_path, root, declared)
        for alias_path in sorted((root / "specs" / "aliases").glob("*.yaml")):
            problems += lint_aliases(alias_path, declared.get(alias_path.name, {}))
        for grammar in sorted((root / "grammars").glob("*.lark")):
            if grammar.name != "shared.lark":
                problems += lint_grammar(grammar)
                problems += lint_collisions(grammar, _probe_lines())
    try:
        specs = all_formats()
    except ConfigError as exc:
        return problems or [("", _finding("RG210", str(exc)))]
    for spec in specs:
        problems += lint_sample(spec) + lint_identities(spec)
    return problems
