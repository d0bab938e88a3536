"""The roles a format spec gives its grammar's sections, and the parameters each role takes.

A format's YAML says, under ``sections``, which of its grammar rules hold data
and what they mean: ``summary: {role: class_table, scope: summary}``. Python
implements the roles (remitgrammar/assemble/roles/); this table is their contract,
checked when a spec is loaded and by ``remitgrammar lint``.
"""

from __future__ import annotations

from ..errors import ConfigError

# role -> {parameter: (type or tuple of allowed values, meaning)}
ROLES: dict[str, dict] = {
    "class_table": {
        "scope": (str, "alias scope of its column headings: columns.<scope> (summary, per_1000, shortfall, ...)"),
        "defines_classes": (bool, "its rows name the report's classes (the distribution summary); "
                            "other class tables attach values to those classes"),
        "tier": (str, "the class tier every row belongs to (REMIC I, Lower Tier)"),
        "tier_from": (("title",), "take the tier from the section's title line, mapped through rows.tiers"),
        "total_labels": (list, "row labels that mark a Total row (default: Total)"),
        "realign_labels": (bool, "detect per-$1,000 rows printed under labels rows off, and repair them"),
    },
    "key_values": {
        "sum_line": (str, "the collateral field an unlabelled line of values (a sum) fills"),
        "single_column_group": (str, "the group a one-value collateral row belongs to (default: total)"),
    },
    "status_matrix": {
        "rows": (("bucket", "group", "measure"), "what the row labels name"),
        "columns": (("measure", "bucket"), "what the column headings name"),
        "groups_from": (("header", "title", "fixed"), "where the group comes from: a line of group names "
                        "(columns split evenly among them), the title, or the `group` parameter"),
        "group": (str, "the group, with groups_from: fixed"),
        "title_skip": (int, "phrases of a title line of group names to skip (the title's own words)"),
        "status_from": (("title", "fixed"), "the status of the whole table: from its title or `status`"),
        "status": (str, "the status, with status_from: fixed"),
        "base_status": (str, "the status whose buckets sit directly under the group (default: delinquent)"),
    },
    "info_box": {
        "continuation": (("auto", "append", "extra"), "what a line under a value does to it: append (a name that "
                         "wraps), extra (an address under a name), auto (append to an empty value or one that ends "
                         "in 'and', 'of', a comma; keep apart otherwise)"),
    },
    "title_block": {
        "fields": (list, "the filing field each title line fills, line by line (null skips a line)"),
        "find": (dict, "filing field -> words: the first title line holding one of them (any case) fills it"),
        "series": (bool, "take the series (Series 2003-7) from the first line that prints one"),
    },
    "cover": {},
    "ignored": {},
}


def check_sections(doc, source: str) -> dict:
    """Validate a spec's ``sections`` mapping; return {rule: (role, params)}.

    Raises:
        ConfigError: an unknown role, an unknown parameter or a value of the wrong kind.
    """
    sections = {}
    for rule, entry in (doc or {}).items():
        if not isinstance(entry, dict) or "role" not in entry:
            raise ConfigError(f"{source}: section '{rule}' needs a role ({', '.join(ROLES)})")
        role = entry["role"]
        if role not in ROLES:
            raise ConfigError(f"{source}: section '{rule}': unknown role '{role}' (known: {', '.join(ROLES)})")
        params = {k: v for k, v in entry.items() if k != "role"}
        for name, value in params.items():
            problem = _param_problem(role, name, value)
            if problem:
                raise ConfigError(f"{source}: section '{rule}' ({role}): {problem}")
        sections[str(rule)] = (role, params)
    return sections


def _param_problem(role: str, name: str, value) -> str | None:
    allowed = ROLES[role]
    if name not in allowed:
        known = ", ".join(allowed) or "none"
        return f"unknown parameter '{name}' (this role takes: {known})"
    kind = allowed[name][0]
    if isinstance(kind, tuple):
        return None if value in kind else f"'{name}' must be one of {', '.join(kind)}, not '{value}'"
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        return f"'{name}' must be a {kind.__name__}"
    return None
