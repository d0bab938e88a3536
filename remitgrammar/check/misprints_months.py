"""RG407: the one printed figure behind a broken carry across months and the failures of its own report.

RG399 names a figure that alone explains several failed identities of one report. A misprint also
breaks what the next month carries from it (or what this month carries from the last): the carry
and its report's own identities together name it, where either alone would not.
"""

from __future__ import annotations

from .intervals import quantized_like
from .months import Month
from .registry import ACROSS, rule
from .rules_months import LAST, Deal, _at, _show, carried, evaluate_carry
from .suspects import identity_in


@rule("RG407", "likely misprint across months", "error", into=ACROSS,
      tolerance="the value the carry needs, at the figure's printed precision, makes the failed identities "
                "of its report hold (each within the rounding of its own figures) and breaks none that held",
      quirks="none seen; a figure whose report has no failed identity of its own is not named (any figure of "
             "the carry could be the wrong one)")
def misprint_across(deal: Deal) -> None:
    """Where a carry across consecutive months fails (RG401, RG402) and one of its figures, changed
    alone to the value the carry needs, also makes failed identities of that figure's own report hold
    (and breaks none that held), that figure is named with the value: of the carry's figures, the one
    that satisfies the most failed identities; none when two satisfy as many."""
    for a, b, carry, path in carried(deal):
        failed = evaluate_carry(a, b, carry, path)
        if failed is None:
            continue
        found = [_fits(a if tag == LAST else b, rendered, failed, (tag, rendered))
                 for tag, rendered in sorted({f.path for f in failed.figures() if f.path is not None})]
        found = sorted((f for f in found if f is not None), key=lambda f: -len(f[2]))
        if found and (len(found) == 1 or len(found[0][2]) > len(found[1][2])):
            _report(deal, a if found[0][0] is b else b, carry, *found[0])


def _fits(month: Month, rendered: str, carry, carry_path: tuple):
    """(month, rendered path, failed identities of its report fixed, value) when the value the carry
    needs at this figure fixes at least one of them and breaks none that held, else None."""
    printed, fit = month.figures.get(rendered), carry.fit(carry_path)
    if fit is None or rendered not in month.suspects:
        return None
    value = quantized_like(fit, printed)
    if not carry.holds_with(carry_path, value):
        return None
    identities = [identity_in(month.checked[i]) for i in month.suspects[rendered]]
    if any(not i.failed and not i.holds_with(rendered, value) for i in identities):
        return None
    fixed = [i for i in identities if i.failed and i.holds_with(rendered, value)]
    return (month, rendered, fixed, value) if fixed else None


def _report(deal: Deal, other: Month, carry, month: Month, rendered: str, fixed: list, value) -> None:
    names = "; ".join(f"{i.code} {i.what}" for i in fixed)
    deal.finding("RG407", month, rendered, f"likely misprint: {rendered} is printed "
                 f"{_show(month.figures[rendered])}; {_show(value)} would make {len(fixed) + 1} failed identities "
                 f"hold: '{carry.title}' with {_at(other)}, and {names}", value, month.figures[rendered])
    # built on the carry's finding and its report's own: per-path ignores of them all leave it out too
    carry_code = "RG402" if carry.cumulative else "RG401"
    deal.findings[-1][1].rests_on = tuple(sorted({carry_code, *(i.code for i in fixed)}))
