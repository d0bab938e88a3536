"""Check what a format spec says its sections mean: roles, their parameters, declared fields.

A spec's ``sections`` must give each rule a known role with parameters that
role takes, name rules its grammar has, and leave no rule that holds report
lines without a role around it; a spec's own ``fields`` need a known type and
a meaning, and may not give a canonical field another type.
"""

from __future__ import annotations

import os
from pathlib import Path

from lark.exceptions import LarkError

from ..errors import ConfigError, Finding
from .resources import data_dir
from .roles import check_sections
from .specs import field_info, load_yaml, yaml_text

TYPES = {"amount", "amount_or_text", "count", "percent", "factor", "flag", "date", "text", "id"}
# Lines of shared.lark that hold report values, and its rules that gather them.
DATA_TERMINALS = {"CLASS_ROWS", "TOTAL_ROW", "VALUE_ROWS", "LABEL_ROWS", "SUBLABEL_ROW", "CONTINUATION_ROW",
                  "TEXT_VALUE_ROW", "GROUP_ROWS", "BUCKET_ROWS", "STATUS_ROWS"}
DATA_RULES = {"class_block", "kv_row", "labelled_kv", "subsection", "footer", "status_rows", "servicer_rows"}


def _finding(code: str, message: str, line: int | None, hint: str | None = None,
             severity: str = "error") -> Finding:
    return Finding(code, severity, message, line=line, column=1 if line else None, hint=hint)


def lint_model(spec_path: Path, root: Path, declared: dict) -> list:
    """Problems of a spec's ``sections`` and ``fields``; records its fields under its alias files in ``declared``."""
    try:
        doc = load_yaml(spec_path, root)
        lines = yaml_text(spec_path, root).splitlines()
    except ConfigError:
        return []  # lint_spec reports a file that cannot be read as YAML
    if not isinstance(doc, dict):
        return []
    fields = doc.get("fields") or {}
    aliases = doc.get("aliases")
    for alias in aliases if isinstance(aliases, list) else ():
        _merge(declared.setdefault(str(alias), {}), fields if isinstance(fields, dict) else {})
    problems = [(str(spec_path), f) for f in _fields(fields, lines)]
    problems += [(str(spec_path), f) for f in _sections(doc, root, lines)]
    return problems


def _merge(into: dict, more: dict) -> None:
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _line_of(lines: list, word: str) -> int | None:
    for number, line in enumerate(lines, 1):
        if line.strip().startswith(f"{word}:"):
            return number
    return None


def _fields(fields, lines: list) -> list:
    if not isinstance(fields, dict):
        return [_finding("RG216", "'fields' must map sections to fields", _line_of(lines, "fields"))]
    problems = []
    for section, entries in fields.items():
        for path, entry in _leaves(entries, (str(section),)):
            name = ".".join(path)
            line = _line_of(lines, path[-1])
            if entry.get("type") not in TYPES:
                problems.append(_finding("RG216", f"field {name}: type '{entry.get('type')}' is not one of "
                                         f"{', '.join(sorted(TYPES))}", line))
            if not entry.get("meaning"):
                problems.append(_finding("RG216", f"field {name} has no meaning", line,
                                         "say what the number is, in a sentence"))
            known = field_info(None, path[0], ".".join(path[1:]))
            if known and known.get("type") != entry.get("type"):
                problems.append(_finding("RG216", f"field {name} is canonical with type {known['type']}; "
                                         f"the spec gives it {entry.get('type')}", line))
    return problems


def _leaves(node, path: tuple):
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if isinstance(value, dict) and isinstance(value.get("type"), str):
            yield path + (str(key),), value
        else:
            yield from _leaves(value, path + (str(key),))


def _sections(doc: dict, root: Path, lines: list) -> list:
    line = _line_of(lines, "sections")
    try:
        sections = check_sections(doc.get("sections"), "sections")
    except ConfigError as exc:
        return [_finding("RG217", str(exc).removeprefix("sections: "), line)]
    rules = _grammar_rules(root, doc.get("grammar"))
    if rules is None:
        return []  # lint_grammar reports a grammar that does not compile
    problems = [_finding("RG217", f"section '{name}' is not a rule of the grammar", _line_of(lines, name))
                for name in sections if name not in rules]
    fields = doc.get("fields")
    own = DeclaredFields(fields if isinstance(fields, dict) else {})
    for name, (role, params) in sections.items():
        for field in params.get("fields", []) if role == "title_block" else []:
            if field and not field_info(own, "filing", str(field)):
                problems.append(_finding("RG217", f"section '{name}': '{field}' is not a filing field",
                                         _line_of(lines, name)))
    for name in _unclaimed(rules, set(sections)):
        problems.append(_finding("RG218", f"rule '{name}' holds report lines, but neither it nor a rule around it "
                                 "has a role: its values would be lost", line,
                                 f"give it a role under sections: ({name}: {{role: ...}})", "warning"))
    return problems


class DeclaredFields:
    """The fields a spec declares, in the shape field_info reads (a format's ``fields``)."""

    def __init__(self, fields: dict):
        self.fields = fields


def _grammar_rules(root: Path, grammar) -> dict | None:
    """Rule name -> the names (rules and terminals) its expansions use, without lark's namespaces."""
    from ..parse.grammar import compile_grammar

    if not isinstance(grammar, str) or not grammar:
        return None
    path = root / "grammars" / grammar
    if not os.path.lexists(path):
        path = data_dir("grammars") / grammar
    try:
        parser = compile_grammar(path, parser="lalr", lexer="contextual")
    except (LarkError, ConfigError, OSError):
        return None  # lint_grammar reports it
    uses: dict = {}
    for rule in parser.rules:
        uses.setdefault(_short(rule.origin.name), set()).update(_short(s.name) for s in rule.expansion)
    return uses


def _short(name: str) -> str:
    """A name without the namespace of an imported grammar; lark's own helper rules (``__x_plus_3``) kept."""
    return name if name.startswith("__") else name.rsplit("__", 1)[-1]


def _unclaimed(rules: dict, declared: set) -> list:
    """Rules reached from ``start`` through rules without a role that hold data lines directly."""
    seen, stack, found = set(), [("start", "start")], set()
    while stack:
        name, named = stack.pop()  # named: the nearest rule a maintainer wrote (not lark's __x_plus_3)
        if name in seen or name in declared or name not in rules:
            continue
        seen.add(name)
        uses = rules[name]
        if uses & DATA_TERMINALS or ((uses & DATA_RULES) - declared and name not in DATA_RULES):
            found.add(named)
            continue
        stack.extend((u, named if u.startswith("__") else u) for u in uses if u in rules and u not in DATA_RULES)
    return sorted(found)
