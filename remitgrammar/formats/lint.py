"""Check the format files themselves: spec schema, alias targets, duplicate labels, grammars, samples.

Every problem is a finding with the file's path and line (RG21x), so a
maintainer can fix a format before any report reaches it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import ConfigError, Finding
from ..records import PERIODS
from .lint_grammar import lint_collisions, lint_grammar
from .lint_model import DeclaredFields, lint_model
from .search import (SPEC_KEYS, REQUIRED_KEYS, clash_message, clashes, detect_problem, every_format, kind_word,
                     load_format, search_path, usable_text)
from .resources import FormatFileError, decoded, is_inside, read_inside
from .specs import alias_shape_problem, canonical, compose_yaml, field_info, normalize_label
SCOPE_SECTIONS = {"columns.summary": "classes", "columns.per_1000": "classes", "columns.shortfall": "classes",
                  "columns.delinquency": "delinquency", "rows.collateral": "collateral", "rows.pool": "pool",
                  "rows.group_headings": "collateral", "rows.buckets": None, "cover.answers": "filing",
                  "rows.info": "filing", "rows.sums": "collateral", "rows.counts": "collateral"}
# Scopes whose targets are keys of the format's own choosing, not canonical fields.
FREE_SCOPES = {"rows.groups", "rows.tiers", "rows.periods"}
SPECIAL_TARGETS = {"class", "extra"}


def _finding(code: str, message: str, line: int | None = None, hint: str | None = None) -> Finding:
    return Finding(code, "error", message, line=line, column=1 if line else None, hint=hint)


def _compose(path: Path, root: Path, problems: list):
    """The file's YAML nodes, read and measured the one way (specs.compose_yaml), or None with its finding."""
    try:
        node = compose_yaml(path, root)
    except FormatFileError as exc:
        problems.append((str(path), _finding(exc.code, exc.reason, exc.line)))
        return None
    problems += [(str(path), finding) for finding in _duplicate_keys(node)]
    return node


def _duplicate_keys(root) -> list:
    """RG210 for a key given twice in one mapping: YAML keeps the last, silently."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}  # key -> its line
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


def lint_spec(path: Path, root: Path | None = None) -> list:
    """Schema problems of one format spec: unknown or missing keys, wrong types, detection that tells
    the format by nothing (RG222)."""
    problems: list = []
    node = _compose(path, root or path.parent.parent.parent, problems)
    if node is None:
        return problems
    if not isinstance(node, yaml.MappingNode):
        return [(str(path), _finding("RG210", "a format spec is a mapping of keys", 1))]
    present = set()
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or key.value not in SPEC_KEYS:
            shown = key.value if isinstance(key, yaml.ScalarNode) else "(a list or mapping)"
            problems.append((str(path), _finding("RG210", f"unknown key '{shown[:80]}'", line,
                                                 f"known keys: {', '.join(sorted(SPEC_KEYS))}")))
            continue
        present.add(key.value)
        problems += [(str(path), f) for f in _value_problems(key.value, value, line)]
    for key in REQUIRED_KEYS:
        if key not in present:
            problems.append((str(path), _finding("RG210", f"missing key '{key}'", 1)))
    return problems


def _value_problems(key: str, value, line: int) -> list:
    try:
        python = yaml.safe_load(yaml.serialize(value))
    except yaml.YAMLError as exc:  # a tag safe_load refuses (!!python/object ...)
        return [_finding("RG210", f"'{key}': {(str(exc).splitlines() or ['not readable'])[0]}", line)]
    kind = SPEC_KEYS[key]
    if not isinstance(python, kind) or (kind is not bool and isinstance(python, bool)):
        return [_finding("RG210", f"'{key}' must be a {kind_word(kind)}", line)]
    if key != "detect" or not isinstance(python, dict):  # detect is a mapping here: its kind was checked above
        return []
    problem = detect_problem(python)
    if problem:
        return [_finding("RG210", problem, line)]
    require = python.get("require") or []
    if not any(usable_text(o) for entry in require for o in (entry if isinstance(entry, list) else [entry])):
        return [_finding("RG222", "detect.require lists no text to recognise the format by: it would match "
                         "every report, so it is never chosen but by --format", line,
                         "list texts every report of the format prints, and only it")]
    blank = [entry for entry in require + (python.get("forbid") or [])
             if not all(usable_text(o) for o in (entry if isinstance(entry, list) else [entry]))]
    if blank:
        return [_finding("RG222", f"detect lists {len(blank)} blank text(s), found in every report: they are "
                         "left out", line, "remove them, or write the words the report prints")]
    return []


def lint_aliases(path: Path, fields: dict | None = None, root: Path | None = None) -> list:
    """Alias file problems: unknown scopes, unknown canonical fields, a label mapped to two fields.

    Args:
        fields: the fields the formats using this alias file declare of their own.
    """
    problems: list = []
    node = _compose(path, root or path.parent.parent.parent, problems)
    if node is None:
        return problems
    shape = _alias_shape(path, node)
    if shape:
        return problems + [(str(path), shape)]
    for group, scopes in node.value:
        for scope, mapping in getattr(scopes, "value", None) or []:
            name = f"{group.value}.{scope.value}"
            if name not in SCOPE_SECTIONS and name not in FREE_SCOPES and not name.startswith("columns."):
                problems.append((str(path), _finding("RG210", f"unknown scope '{name}'", scope.start_mark.line + 1)))
                continue
            problems += _lint_scope(path, name, mapping, fields or {})
    return problems


def _alias_shape(path: Path, node) -> Finding | None:
    """RG210 for an alias file whose value has the wrong shape (a list of labels where a mapping
    belongs ...), at the line of the group that holds it."""
    try:
        problem = alias_shape_problem(yaml.safe_load(yaml.serialize(node)), colon_labels=True)
    except yaml.YAMLError as exc:  # a tag safe_load refuses
        return _finding("RG210", (str(exc).splitlines() or ["not readable"])[0], 1)
    if problem is None:
        return None
    line = 1
    if isinstance(node, yaml.MappingNode):
        line = next((key.start_mark.line + 1 for key, value in node.value
                     if alias_shape_problem({"g": yaml.safe_load(yaml.serialize(value))}, True)), 1)
    return _finding("RG210", problem, line, "an alias file maps groups (columns, rows, cover) to scopes, "
                    "scopes to fields, and each field to a list of labels")


def _lint_scope(path: Path, scope: str, mapping, fields: dict) -> list:
    problems: list = []
    seen: dict[str, tuple[str, int]] = {}  # normalised label -> (its target, its line)
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
            if str(label.value).count("{class}") > 1:
                problems.append((str(path), _finding("RG210", f"{scope}: label '{label.value}' holds {{class}} more "
                                                     "than once; a label names one class", label.start_mark.line + 1)))
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


MAX_SAMPLE_BYTES = 64 * 1024 * 1024  # the largest report --max-mb lets through by default


def sample_path(spec) -> Path | None:
    """Where the format's sample report is on this machine (None: not here, e.g. an installed wheel,
    which carries the built-in formats but not the test corpus their samples live in). A sample is a
    regular file inside its formats directory (a built-in's: the source tree or the working
    directory), since lint quotes its lines: a directory from outside cannot name another file."""
    if not isinstance(spec.sample, str) or not spec.sample or Path(spec.sample).is_absolute():
        return None
    roots = (Path(spec.spec_path).parent.parent.parent,) + ((Path.cwd(),) if spec.origin == "built-in" else ())
    for root in roots:
        candidate = root / spec.sample
        if candidate.is_file() and is_inside(candidate, root):
            return candidate
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
    """Every field an identity or a carry across months reads must exist (canonical.yaml or the format's
    own ``fields``): a misspelt one would read as never printed, and the check would silently never run."""
    reads = [(f"identity '{i.title}'", "identities", path) for i in spec.identities for path in i.paths()]
    months = getattr(spec, "months", None)
    if months is not None:
        reads += [("months: same", "months", path) for path in months.same]
        reads += [(f"carry '{c.title}'", "months", path) for c in months.carries for last in (False, True)
                  for path in c.paths(last)]
    problems = []
    for what, key, path in reads:
        names = [segment for segment in path[1:] if not segment.startswith("[")]
        if names and names[0] in PERIODS:
            names = names[1:]  # pool.prior.<field>: the field's value for another period
        section = "classes" if path[0] in ("class_totals", "tier_totals") else path[0]
        if not field_info(spec, section, ".".join(names)):
            shown = path[0] + "".join(s if s.startswith("[") else "." + s for s in path[1:])
            problems.append((str(spec.spec_path), _finding(
                "RG219", f"{what} reads {shown}, a field neither canonical.yaml nor the format's `fields:` "
                "defines", _key_line(spec, key), "correct the path: findings and `remitgrammar parse` show "
                "the record's paths")))
    return problems


def lint_of_class(spec) -> list:
    """A field that says which class figure it is (``of_class:``, RG331) must name a class field."""
    problems = []
    for section, node in (getattr(spec, "fields", None) or {}).items():
        for name, entry in ((node or {}).get("class_amounts") or {}).items() if isinstance(node, dict) else ():
            target = entry.get("of_class") if isinstance(entry, dict) else None
            if target is not None and not (isinstance(target, str) and field_info(spec, "classes", target)):
                problems.append((str(spec.spec_path), _finding(
                    "RG219", f"{section}.class_amounts.{name}: of_class '{target}' is not a class field",
                    _key_line(spec, "fields"), "name a field of the class table, as `remitgrammar parse` shows it")))
    return problems


def _key_line(spec, key: str) -> int | None:
    try:
        text = decoded(read_inside(Path(spec.spec_path), None), spec.spec_path)
    except ConfigError:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


def _probe_lines() -> list:
    """Lines of every format's sample on this machine: what the terminal collision check tries."""
    lines: set[str] = set()
    try:
        specs = every_format()
    except ConfigError:
        return []
    for spec in specs:
        path = sample_path(spec)
        if path is None:
            continue
        try:
            text = read_inside(path, None, MAX_SAMPLE_BYTES).decode("utf-8", errors="replace")
        except ConfigError:
            continue
        lines.update(line for line in text.splitlines()[:5000] if line.strip())
    return sorted(lines)


def _load_problems(spec_path: Path, root: Path, found: list) -> list:
    """What loading the spec meets that the checks above did not say (a file it names that is missing,
    refused or malformed): a run would stop there with exit 2."""
    try:
        load_format(spec_path, root, str(root))
    except FormatFileError as exc:
        if any(path == str(exc.path) and (f.code == exc.code or path == str(spec_path)) for path, f in found):
            return []
        return [(str(exc.path), _finding(exc.code, exc.reason, exc.line))]
    except ConfigError as exc:
        if any(path == str(spec_path) for path, _ in found):
            return []
        return [(str(spec_path), _finding("RG210", str(exc).removeprefix(f"{spec_path}: "), None))]
    return []


def lint_all() -> list:
    """Every format on the search path: (file, finding) pairs, empty when all is well."""
    problems: list = []
    for root in search_path():
        declared: dict = {}
        for spec_path in sorted((root / "specs" / "formats").glob("*.yaml")):
            found = lint_spec(spec_path, root) + lint_model(spec_path, root, declared)
            problems += found + _load_problems(spec_path, root, found)
        for alias_path in sorted((root / "specs" / "aliases").glob("*.yaml")):
            problems += lint_aliases(alias_path, declared.get(alias_path.name, {}), root)
        for grammar in sorted((root / "grammars").glob("*.lark")):
            if grammar.name != "shared.lark":
                problems += lint_grammar(grammar)
                problems += lint_collisions(grammar, _probe_lines())
    try:
        specs = every_format()
    except FormatFileError as exc:  # loading meets what the checks above may not (a file they do not read)
        if not any(path == str(exc.path) and f.code == exc.code for path, f in problems):
            problems.append((str(exc.path), _finding(exc.code, exc.reason, exc.line)))
        return problems
    except ConfigError as exc:
        return problems or [("", _finding("RG210", str(exc)))]
    for name, found in clashes(specs).items():
        problems.append((str(found[-1].spec_path), _finding("RG223", clash_message(name, found), 1)))
    for spec in specs:
        problems += lint_sample(spec) + lint_identities(spec) + lint_of_class(spec)
    return problems
