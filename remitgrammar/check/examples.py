"""Examples of the rules of `check`: the figures of a report that pass a rule, and the one figure that,
printed otherwise, makes it fail. `remitgrammar rule CODE` prints them and runs the rule on both, so
the finding it shows is the rule's own; tests/test_cli_trust.py runs every example and asserts that it
passes and fails as said. The figures are made up (round numbers), not any filing's.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from types import SimpleNamespace

from ..records import render_path
from .examples_table import EXAMPLES, Example
from .registry import Context

__all__ = ["EXAMPLES", "Example", "record_of", "run", "shown"]

def _number(printed: str, field: str) -> Decimal | int | bool:
    """A count is an int and a YES/NO flag a bool, as the record holds them: counts are exact, amounts have
    half a unit of slack."""
    if printed in ("YES", "NO"):
        return printed == "YES"
    value = Decimal(printed.replace(",", ""))
    return int(value) if field == "count" or field.endswith("_count") else value


def record_of(figures) -> dict:
    """A record holding only the example's figures (with the sections every rule reads)."""
    record: dict = {"classes": [], "class_totals": {}, "pool": {}, "collateral": {}, "delinquency": {}}
    for path, printed in figures:
        section, *keys = path
        if section == "classes":  # a list of entries, each named by its "class"
            entry = next((e for e in record["classes"] if e["class"] == keys[0]), None)
            if entry is None:
                entry = {"class": str(keys[0])}
                record["classes"].append(entry)
            node, keys = entry, keys[1:]
        else:
            node = record.setdefault(section, {})
        for key in keys[:-1]:
            node = node.setdefault(str(key), {})
        node[keys[-1]] = _number(printed, keys[-1])
    return record


def _checked(example: Example, figures: list, codes: tuple) -> Context:
    """The example's report, a record of its figures, with the rules ``codes`` run on it in that order."""
    from ..formats.search import get_format
    from .rulesdoc import rule_of

    context = Context(copy.deepcopy(record_of(figures)), {}, get_format(example.spec), [])
    for code in codes:
        rule_of(code).run(context)
    return context


# the two months of an example across months: one deal, consecutive distribution dates
MONTHS = (("the month before", "2026-01-25"), ("this month", "2026-02-25"))
DEAL = {"registrant": "Example Home Equity Trust", "series": "2026-A"}


def _across(code: str, example: Example, figures: list) -> list:
    """The findings of the rule across months ``code`` on this month, the month before as given."""
    from .across import check_months
    from .months import month_of

    months = []
    for (name, date), own in zip(MONTHS, (list(example.before), figures), strict=True):
        context = _checked(example, own, example.after)  # RG407 reads the failures of each month's report
        context.record.update(distribution_date=date, filing=dict(DEAL))
        report = SimpleNamespace(record=context.record, provenance={}, spec=context.spec, lines=[],
                                 identities=context.identities)
        months.append(month_of(name, report))
    linked = [month for month in months if month is not None]  # each names the deal and a date: never None
    return [f for f in check_months(linked).get(MONTHS[1][0], []) if f.code == code]


def run(code: str, changed: bool) -> list:
    """The findings of the rule ``code`` on its example: as it passes, or with the one figure (of this month)
    changed."""
    example = EXAMPLES[code]
    figures = [(p, example.change[1] if changed and p == example.change[0] else v) for p, v in example.figures]
    if example.before:
        return _across(code, example, figures)
    context = _checked(example, figures, example.after + (code,))  # a rule over others' identities runs last
    return [f for f in context.findings if f.code == code]


def shown(code: str) -> list:
    """The lines `rule CODE` prints of its example: the figures, the change, and what the rule says."""
    example = EXAMPLES.get(code)
    if example is None:
        return []
    lines = [f"Passes (figures of a report in the format {example.spec}, by their record path):"]
    if example.before:
        lines[0] = f"Passes (figures of two reports of one deal in the format {example.spec}, a month apart):"
        lines += [f"  {MONTHS[0][0]} ({MONTHS[0][1]}): {render_path(path)} = {printed}"
                  for path, printed in example.before]
        lines += [f"  {MONTHS[1][0]} ({MONTHS[1][1]}): {render_path(path)} = {printed}"
                  for path, printed in example.figures]
    else:
        lines += [f"  {render_path(path)} = {printed}" for path, printed in example.figures]
    lines.append(f"Fails with {render_path(example.change[0])} printed {example.change[1]}:")
    lines += [f"  {f.code} {f.severity}: {f.message}" for f in run(code, changed=True)]
    return lines
