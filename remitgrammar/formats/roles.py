"""The roles a format spec gives its grammar's sections, and every parameter each role takes.

A format's YAML says, under ``sections``, which of its grammar rules hold data and what they
mean: ``summary: {role: class_table, scope: summary}``. Python implements the roles
(remitgrammar/assemble/roles/); this table is their contract. Each parameter is declared once,
with its type, default and meaning: the declaration validates a spec when it is loaded and in
``remitgrammar lint``, writes the parameter tables of docs/adding-a-format.md
(``roles_markdown``; a test keeps the document current), and says which roles' figures
``coverage`` counts (``Role.reads_values``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ConfigError


@dataclass(frozen=True)
class Param:
    """One parameter: ``kind`` a Python type or a tuple of the allowed values."""

    kind: type | tuple
    default: object
    meaning: str


@dataclass(frozen=True)
class Role:
    """One role: what its sections are, its parameters, and whether ``coverage`` counts its figures
    (a cover's file numbers and an ignored page's are not report values)."""

    meaning: str
    params: dict = field(default_factory=dict)
    reads_values: bool = True


# Parameters every role takes.
COMMON = {
    "required": Param(bool, False, "every report of the format prints this section; one that does not gets RG109 "
                                   "(the text may be cut off, or print it in words the grammar does not know)"),
}

ROLES: dict[str, Role] = {
    "class_table": Role("class-keyed columns into `classes`, Total rows into `class_totals` / `tier_totals`", {
        "scope": Param(str, "summary", "alias scope of its column headings: `columns.<scope>`"),
        "defines_classes": Param(bool, False, "its rows name the report's classes (the distribution summary); "
                                              "other class tables attach values to those classes"),
        "tier": Param(str, None, "the class tier every row belongs to (`REMIC I`, `Lower Tier`)"),
        "tier_from": Param(("title",), None, "take the tier from the section's title line, mapped through "
                                             "`rows.tiers`; a section without one continues the tier before it"),
        "total_labels": Param(list, ["Total"], "row labels that mark a Total row"),
        "total_row": Param(("class_totals", "extra", "own"), "class_totals", "where the Total row goes: "
                           "`class_totals` (or `tier_totals`); for a table whose Total adds up only the classes it "
                           "prints (an accrual table of the floaters), `own`: its amounts under "
                           "`pool.table_totals[<scope>]`, each held by `check` to the sum of its column over the "
                           "classes (RG303), or `extra`: kept as printed, checked by nothing"),
        "realign_labels": Param(bool, False, "detect per-$1,000 rows printed under labels rows off (RG320), and "
                                             "repair them"),
    }),
    "key_values": Role("label/value lines into `collateral` (per loan group) and `pool`", {
        "sum_line": Param(str, None, "the field an unlabelled line of values fills when no `rows.sums` alias names "
                                     "it by the title over the rows it sums"),
        "single_column_group": Param(str, None, "the group a one-value collateral row belongs to (the spec's "
                                                "`single_column_group` when not given, `total` by default)"),
    }),
    "status_matrix": Role("delinquency, foreclosure, REO and bankruptcy tables into `delinquency`; every text "
                          "around a value (column and spanning headings, row label, row or block caption, "
                          "title) is read for the group, status, bucket and measure it names", {
        "groups_from": Param(("header",), None, "`header`: a heading line's phrases that name nothing else are "
                             "groups (servicers' names), each over the columns under it"),
        "group": Param(str, "total", "the group of a value no text around it names"),
        "status": Param(str, None, "the status of a table that names none"),
        "title_skip": Param(int, 0, "phrases of a heading line of groups to skip (the title's own words)"),
        "base_status": Param(str, "delinquent", "the status whose buckets sit directly under the group"),
    }),
    "info_box": Role("boxes of `KEY: value` pairs side by side into `filing` (and `pool` for figures)", {
        "continuation": Param(("auto", "append", "extra"), "auto", "what a line under a value does to it: "
                              "`append` (a name that wraps), `extra` (an address under a name), `auto` (append "
                              "to an empty value or one that ends in `and`, `of`, a comma; keep apart otherwise)"),
    }),
    "title_block": Role("a statement's own title lines (trust, certificates, series) into `filing`", {
        "find": Param(dict, {}, "filing field -> words: the first title line holding one of them (any case) "
                                "fills it; a trust's name broken over two lines is joined"),
        "fields": Param(list, [], "the filing field each title line fills, line by line (null skips a line)"),
        "series": Param(bool, False, "take the series (`Series 2003-7`, `SERIES 1998-C`) from the first line "
                                     "that prints one"),
    }),
    "cover": Role("a Form 8-K cover page or signature block printed in the statement, read by its captions",
                  reads_values=False),
    "ignored": Role("lines known to hold no report values (boilerplate)", reads_values=False),
}


def params_of(role: str) -> dict:
    """Every parameter a role takes: its own and the common ones."""
    return {**ROLES[role].params, **COMMON}


def defaults_of(role: str) -> dict:
    """The declared default of every parameter of a role."""
    return {name: param.default for name, param in params_of(role).items()}


def counted_roles() -> frozenset:
    """The roles whose sections' figures ``coverage`` counts."""
    return frozenset(name for name, role in ROLES.items() if role.reads_values)


def check_sections(doc, source: str) -> dict:
    """Validate a spec's ``sections`` mapping; return {rule: (role, params)}.

    Raises:
        ConfigError: an unknown role, an unknown parameter or a value of the wrong kind.
    """
    sections = {}
    if doc is not None and not isinstance(doc, dict):
        raise ConfigError(f"{source}: 'sections' must map grammar rules to their roles")
    for rule, entry in (doc or {}).items():
        if not isinstance(entry, dict) or "role" not in entry:
            raise ConfigError(f"{source}: section '{rule}' needs a role ({', '.join(ROLES)})")
        role = entry["role"]
        if not isinstance(role, str) or role not in ROLES:
            raise ConfigError(f"{source}: section '{rule}': unknown role '{role}' (known: {', '.join(ROLES)})")
        params = {k: v for k, v in entry.items() if k != "role"}
        for name, value in params.items():
            problem = _param_problem(role, name, value)
            if problem:
                raise ConfigError(f"{source}: section '{rule}' ({role}): {problem}")
        sections[str(rule)] = (role, params)
    return sections


def _param_problem(role: str, name: str, value) -> str | None:
    allowed = params_of(role)
    if name not in allowed:
        known = ", ".join(allowed) or "none"
        return f"unknown parameter '{name}' (this role takes: {known})"
    kind = allowed[name].kind
    if isinstance(kind, tuple):
        return None if value in kind else f"'{name}' must be one of {', '.join(kind)}, not '{value}'"
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        return f"'{name}' must be a {kind.__name__}"
    return None


def roles_markdown(role: str | None = None) -> str:
    """The parameter table of one role (None: the parameters every role takes), as
    docs/adding-a-format.md prints it between ``<!-- parameters: ROLE -->`` marks."""
    params = COMMON if role is None else ROLES[role].params
    if not params:
        return "(no parameters of its own)"
    rows = ["| parameter | values | default | meaning |", "|---|---|---|---|"]
    for name, param in params.items():
        kind = " \\| ".join(f"`{v}`" for v in param.kind) if isinstance(param.kind, tuple) else _KINDS[param.kind]
        default = "" if param.default in (None, [], {}) else f"`{_yaml(param.default)}`"
        rows.append(f"| `{name}` | {kind} | {default} | {param.meaning} |")
    return "\n".join(rows)


_KINDS = {str: "text", bool: "`true` \\| `false`", int: "whole number", list: "list", dict: "mapping"}


def _yaml(value) -> str:
    """A default as the spec would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
