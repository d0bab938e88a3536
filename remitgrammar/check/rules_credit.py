"""Rules over credit enhancement: the O/C deficiency, release, floor and extra principal against the
target and the excess cash flow, for the deal and each loan group (RG328); trigger tests recomputed
from their actual figures and thresholds (RG329); each class's credit support, current and original,
from the balances junior to it (RG319).

What RG310 (the O/C amount from the balances), RG313 (a group's deficiency, every level's excess
O/C, the deal's O/C roll) and RG327 (the excess cash flow covers the increase) prove is not proved
again here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import cast

from ..formats.specs import FormatSpec, field_info
from ..records import Key, half_unit, render_path
from .intervals import evaluate
from .registry import Context, class_path, number, rule

# The credit enhancement figures a deal may print both for itself and for each loan group.
ADDITIVE = ("overcollateralization_amount", "oc_target", "oc_floor", "oc_deficiency",
            "oc_deficiency_before_extra_principal", "oc_release", "oc_increase", "excess_oc",
            "extra_principal_distribution", "net_monthly_excess_cash_flow", "oc_prior_amount")
# A threshold printed as a share of another figure: "Threshold (40.00% of Credit Enhancement Percentage)".
_SHARE_OF = re.compile(r"\((\d{1,3}(?:\.\d{1,6})?)%\s+of\s+(?:the\s+)?([A-Za-z][A-Za-z ]{0,60})\)")


def _owners(ctx: Context) -> list:
    """(path prefix, figures) of the deal and of each loan group."""
    return [(("pool",), ctx.record["pool"])] + [(("collateral", Key(g)), v) for g, v in ctx.record["collateral"].items()]


def _first(owners: list, *names: str) -> tuple:
    """(value, record path) of the first figure printed under one of ``names`` (dotted for a period:
    ``prior.overcollateralization_amount``) by the first owner that prints one; (None, None) else."""
    for prefix, values in owners:
        for name in names:
            node = values
            for part in name.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if number(node):
                return node, prefix + tuple(name.split("."))
    return None, None


def _deal(ctx: Context) -> list:
    """The deal's figures: the pool's, else the TOTAL column's."""
    total = ctx.record["collateral"].get("total")
    return [(("pool",), ctx.record["pool"])] + ([(("collateral", Key("total")), total)] if total else [])


def _extra_principal(owners: list) -> tuple:
    return _first(owners, "extra_principal_distribution", "oc_increase")


def _prior(owners: list) -> tuple:
    return _first(owners, "prior.overcollateralization_amount", "oc_prior_amount")


def _at_least_zero(ctx: Context, path: tuple, printed, terms: list, what: str) -> None:
    """printed == max(0, sum of terms): an identity on the branch the printed figures select."""
    if not number(printed) or not all(number(t[1]) for t in terms):
        return
    if sum(sign * value for sign, value, _ in terms) > 0:
        ctx.identity("RG328", path, terms, printed, what)
    elif printed != 0:
        ctx.identity("RG328", path, [], printed, f"zero: {what} is not positive")


@rule("RG328", "credit enhancement", "error",
      tolerance="half a unit of the last printed digit of every figure of each identity",
      quirks="A deal's deficiency may be measured before the month's extra principal: the US Bank 2003 "
             "reports print 1,041,976 with the target met (2003-HE2 November: the O/C increase plus the "
             "month's realized losses, the increase counted net of them), and the branch the figures fit "
             "best is checked. The 2003-HE2 June report (its first month) prints a deficiency of 11,670,443: "
             "the target less the month's increase, leaving out the 55 of O/C the deal closed with; that "
             "is reported. Where loan groups print their own excess cash flow, extra principal is checked "
             "group by group, not for the deal (a group's spare cash flow goes to the residual class).")
def enhancement_figures(ctx: Context) -> None:
    """For the deal and each loan group, where printed: the deal's O/C deficiency is the target less
    the O/C amount, or zero when the amount meets the target (measured after the month's extra
    principal, or before it: the amount less the extra principal); a deficiency printed "before extra
    principal" is measured so; the O/C release is the amount before the release over the target, or
    zero (a release leaves the amount at its target); the extra principal is the lesser of the
    deficiency before it and the net monthly excess cash flow; the target is at least its floor; and
    the deal's figures are the sums of the loan groups' where both are printed. A loan group's own
    deficiency and every level's excess O/C are RG313's."""
    _deal_deficiency(ctx)
    for prefix, values in _owners(ctx):
        owners = [(prefix, values)] + (_deal(ctx)[1:] if prefix == ("pool",) else [])
        _deficiency_before(ctx, prefix, values, owners)
        _release(ctx, prefix, values)
        _floor(ctx, prefix, values)
        _extra_principal_used(ctx, prefix, values, owners)
    _deal_is_groups(ctx)


def _deal_deficiency(ctx: Context) -> None:
    """The deal's deficiency: target - amount, or target - (amount - extra principal), or with the
    month's losses too where the increase is counted net of them; the branch nearest the print."""
    pool = ctx.record["pool"]
    printed, owners = pool.get("oc_deficiency"), _deal(ctx)
    target, amount = pool.get("oc_target"), pool.get("overcollateralization_amount")
    if not (number(printed) and number(target) and number(amount)):
        return
    after = [(1, target, ("pool", "oc_target")), (-1, amount, ("pool", "overcollateralization_amount"))]
    branches = [(after, "O/C target - O/C amount")]
    extra, extra_path = _extra_principal(owners)
    losses, losses_path = _first(owners, "realized_losses")
    if number(extra):
        before = after + [(1, extra, extra_path)]
        branches.append((before, "O/C target - (O/C amount - extra principal)"))
        if number(losses) and losses != 0:
            branches.append((before + [(1, losses, losses_path)],
                             "O/C target - (O/C amount - extra principal - realized losses)"))
    terms, what = min(branches, key=lambda b: abs(max(sum(s * v for s, v, _ in b[0]), 0) - printed))
    _at_least_zero(ctx, ("pool", "oc_deficiency"), printed, terms, what)


def _deficiency_before(ctx: Context, prefix: tuple, values: dict, owners: list) -> None:
    """A deficiency printed as measured before the month's extra principal."""
    printed = values.get("oc_deficiency_before_extra_principal")
    target, amount = values.get("oc_target"), values.get("overcollateralization_amount")
    extra, extra_path = _extra_principal(owners)
    if not (number(target) and number(amount) and number(extra)):
        return
    _at_least_zero(ctx, prefix + ("oc_deficiency_before_extra_principal",), printed,
                   [(1, target, prefix + ("oc_target",)), (-1, amount, prefix + ("overcollateralization_amount",)),
                    (1, extra, extra_path)], "O/C target - (O/C amount - extra principal)")


def _release(ctx: Context, prefix: tuple, values: dict) -> None:
    """release = max(0, (amount + release) - target): a release leaves the amount at the target; no
    release leaves it at most the target."""
    release, target, amount = (values.get(k) for k in ("oc_release", "oc_target", "overcollateralization_amount"))
    if not (number(release) and number(target) and number(amount)):
        return
    amount_path = prefix + ("overcollateralization_amount",)
    if release > 0:
        ctx.identity("RG328", amount_path, [(1, target, prefix + ("oc_target",))], amount,
                     f"O/C amount after a release of {release}: the O/C target")
    else:
        _at_least_zero(ctx, prefix + ("oc_release",), release,
                       [(1, amount, amount_path), (-1, target, prefix + ("oc_target",))],
                       "O/C release: O/C amount before the release - O/C target")


def _floor(ctx: Context, prefix: tuple, values: dict) -> None:
    """The target is at least its floor."""
    ctx.identity("RG328", prefix + ("oc_target",), [(1, values.get("oc_floor"), prefix + ("oc_floor",))],
                 values.get("oc_target"), "O/C target, at least the O/C floor", relation=">=")


def _extra_principal_used(ctx: Context, prefix: tuple, values: dict, owners: list) -> None:
    """extra principal = min(deficiency before it, excess cash flow), where both are printed."""
    groups = [g for g in ctx.record["collateral"] if g != "total"]
    if prefix == ("collateral", Key("total")) and groups:
        return  # the TOTAL column adds up the groups' minimums; RG307 proves the sum
    if prefix == ("pool",) and any("net_monthly_excess_cash_flow" in ctx.record["collateral"][g] for g in groups):
        return  # each group spends its own excess cash flow
    flow, flow_path = _first(owners, "net_monthly_excess_cash_flow")
    extra, extra_path = _extra_principal(owners)
    target, target_path = _first(owners, "oc_target")
    if not (number(flow) and number(extra) and number(target)):
        return
    gap = _gap_before_extra(owners, target, target_path, extra, extra_path)
    if gap is None:
        return
    terms, what = gap
    need = sum(s * v for s, v, _ in terms)
    if flow <= need or extra > flow:
        ctx.identity("RG328", extra_path, [(1, flow, flow_path)], extra,
                     "extra principal: the net monthly excess cash flow, less than the deficiency before it")
    elif need <= 0 or extra == 0:
        _at_least_zero(ctx, extra_path, extra, terms, f"extra principal: {what}")
    else:
        ctx.identity("RG328", extra_path, terms, extra, f"extra principal: {what}")


def _gap_before_extra(owners: list, target, target_path, extra, extra_path):
    """(terms, words) of the deficiency before the month's extra principal: from last month's O/C
    amount less the month's losses where printed (without them when the O/C roll counts none), else
    from this month's amount less the extra principal. None when neither is printed."""
    prior, prior_path = _prior(owners)
    amount, amount_path = _first(owners, "overcollateralization_amount")
    losses, losses_path = _first(owners, "realized_losses")
    if number(prior):
        terms = [(1, target, target_path), (-1, prior, prior_path)]
        with_losses = number(losses) and losses != 0
        if with_losses and number(amount):  # the roll that fits the print says whether losses count
            release = _first(owners, "oc_release")[0] or 0
            with_losses = abs(amount - (prior + extra - release - losses)) <= abs(amount - (prior + extra - release))
        if with_losses:
            terms.append((1, losses, losses_path))
        return terms, "O/C target - (last month's O/C amount" + (" - realized losses)" if with_losses else ")")
    if number(amount):
        return [(1, target, target_path), (-1, amount, amount_path), (1, extra, extra_path)], \
            "O/C target - (O/C amount - extra principal)"
    return None


def _deal_is_groups(ctx: Context) -> None:
    """The deal's credit enhancement figures are the sums of the loan groups' where both are printed."""
    pool, collateral = ctx.record["pool"], ctx.record["collateral"]
    groups = [g for g in collateral if g != "total"]
    for name in ADDITIVE:
        parts = [collateral[g].get(name) for g in groups]
        if not groups or not number(pool.get(name)) or not all(number(p) for p in parts):
            continue
        if ctx.additive("pool", name):
            ctx.identity("RG328", ("pool", name),
                         [(1, p, ("collateral", Key(g), name)) for g, p in zip(groups, parts, strict=True)],
                         pool[name], f"{name}: the deal's, groups {' + '.join(groups)}")


@rule("RG329", "trigger tests", "error",
      tolerance="each figure within half a unit of its last printed digit: an event is wrong only when no "
                "rounding of the actual figure and its threshold puts them on the event's side",
      quirks="An actual figure equal to its threshold, within the rounding of both, is never a finding: "
             "deals word their tests 'exceeds' or 'equals or exceeds', and the printed figures are rounded. "
             "A threshold printed N/A is a test not yet in effect (a cumulative loss test before its date).")
def trigger_tests(ctx: Context) -> None:
    """Where a report prints a trigger test's event (triggers.<name>, YES/NO), its actual figure (<name>,
    or the figure the format's field entry names under `tests:`) and its threshold (threshold.<name>, a
    loan group's or the deal's), the event is YES exactly when the actual figure is above the threshold.
    A threshold printed as a share of another figure ("Threshold (40.00% of Credit Enhancement
    Percentage)", the words read through the format's aliases) is that share of it. A trigger event
    whose field entry lists its tests under `any_of:` (the format says the report's event is any of
    them) is YES exactly when one of the tests it prints is in effect, for the deal over every loan
    group's tests too."""
    for prefix, values in _owners(ctx):
        section = "pool" if prefix == ("pool",) else "collateral"
        for name, event in (values.get("triggers") or {}).items():
            test = _test(ctx, section, values, name)
            if isinstance(event, bool) and test is not None:
                _event(ctx, prefix + ("triggers", name), event, name, *test)
        for name, value in (values.get("threshold") or {}).items():
            _share(ctx, prefix, values, name, value)
        for path, event, tests in _combined(ctx, section, prefix, values):
            _any_of(ctx, path, event, tests, [values] if section == "collateral" else
                    [values] + list(ctx.record["collateral"].values()))


def _test(ctx: Context, section: str, values: dict, name: str):
    """(actual, actual's path key, threshold, its owner) of a trigger test, or None where not printed.
    A threshold key printed N/A gives threshold None: a test not in effect."""
    names = [name] + [field_info(ctx.spec, section, f"triggers.{name}").get("tests")]
    actual = next((n for n in names if isinstance(n, str) and number(values.get(n))), None)
    if actual is None:
        return None
    pool = ctx.record["pool"]
    for owner, kind in ((values, "own"), (pool, "deal")):
        thresholds = owner.get("threshold") or {}
        for n in (name, actual):
            if n in thresholds:
                return values[actual], actual, thresholds[n], kind
    return None


def _event(ctx: Context, path: tuple, event: bool, name: str, actual, actual_name: str, threshold, _) -> None:
    """The printed event against its actual figure and threshold, over the intervals of both."""
    if not number(threshold):
        if event:
            ctx.finding("RG329", f"{name}: the event is printed YES, but its threshold is printed N/A (the test "
                        "is not in effect)", render_path(path), expected="NO", actual="YES")
        return
    above = _above(actual, threshold)
    if above is None or above == event:
        return
    side = "above" if above else "below"
    ctx.finding("RG329", f"{name}: the actual figure {actual_name} {actual} is {side} its threshold {threshold}, "
                f"but the event is printed {'YES' if event else 'NO'}", render_path(path),
                expected="YES" if above else "NO", actual="YES" if event else "NO")


def _above(actual, threshold):
    """True when every rounding of the two puts the actual figure above the threshold, False when every
    one puts it at or below, None when a tie is within rounding."""
    low, high = actual - half_unit(actual), actual + half_unit(actual)
    t_low, t_high = threshold - half_unit(threshold), threshold + half_unit(threshold)
    if low > t_high:
        return True
    if high < t_low:
        return False
    return None


def _share(ctx: Context, prefix: tuple, values: dict, name: str, threshold) -> None:
    """A threshold printed as a share of another figure is that share of it."""
    path = prefix + ("threshold", name)
    where = ctx.provenance.get(render_path(path), {})
    line, column = where.get("line"), where.get("column")
    if not (number(threshold) and line and column and line <= len(ctx.lines)):
        return
    match = _SHARE_OF.search(ctx.lines[line - 1][:column - 1])
    if match is None:
        return
    # Context.spec is typed object (registry.py); a report's thresholds come from a format's spec
    field, _ = cast(FormatSpec, ctx.spec).table("rows.pool").lookup(match.group(2).strip())
    base, base_path = _first([(prefix, values), (("pool",), ctx.record["pool"])], field) if field else (None, None)
    if number(base):
        ctx.identity("RG329", path, [(1, base, base_path)], threshold,
                     f"threshold of {name}: {match.group(1)}% of {field}", times=[(Decimal(match.group(1)), None)],
                     scale=Decimal("0.01"))


def _combined(ctx: Context, section: str, prefix: tuple, values: dict):
    """(path, printed event, tests) of each trigger event whose field entry lists its tests (`any_of`)."""
    for name, event in values.items():
        tests = field_info(ctx.spec, section, name).get("any_of") if isinstance(event, bool) else None
        if isinstance(tests, list):
            yield prefix + (name,), event, tests
    for name, event in (values.get("triggers") or {}).items():
        tests = field_info(ctx.spec, section, f"triggers.{name}").get("any_of") if isinstance(event, bool) else None
        if isinstance(tests, list):
            yield prefix + ("triggers", name), event, tests


def _any_of(ctx: Context, path: tuple, event: bool, tests: list, owners: list) -> None:
    """The event is YES when any printed test is in effect, NO when every printed test is decided NO."""
    outcomes = []
    for values in owners:
        section = "pool" if values is ctx.record["pool"] else "collateral"
        for name in tests:
            printed = (values.get("triggers") or {}).get(name)
            if isinstance(printed, bool):
                outcomes.append((name, printed))
                continue
            test = _test(ctx, section, values, name)
            if test is not None:
                actual, _, threshold, _ = test
                outcomes.append((name, _above(actual, threshold) if number(threshold) else False))
    if not outcomes:
        return
    met = [name for name, outcome in outcomes if outcome]
    if met and not event:
        ctx.finding("RG329", f"the trigger event is printed NO, but {', '.join(sorted(set(met)))} is in effect",
                    render_path(path), expected="YES", actual="NO")
    elif event and all(outcome is False for _, outcome in outcomes):
        ctx.finding("RG329", f"the trigger event is printed YES, but none of its tests printed "
                    f"({', '.join(sorted({n for n, _ in outcomes}))}) is in effect", render_path(path),
                    expected="NO", actual="YES")


@rule("RG319", "credit support", "error",
      tolerance="half a unit of the last printed digit of the percentage, the junior balances, the O/C amount "
                "and the collateral balance, carried through the ratio",
      quirks="Classes of one rank (the senior A classes) print the same support; the payment-report sample "
             "counts the O/C amount as support and divides by the ending collateral balance.")
def credit_support(ctx: Context) -> None:
    """A class's credit support is the ending balance of every class junior to it plus the
    overcollateralization amount, over the ending collateral balance; its original credit support,
    the cut-off collateral balance less the original balances of the classes down to its own, over
    the cut-off balance (what the junior classes and the initial O/C were at closing). Classes are in
    the table's order, seniors first; a class shares its rank with the classes after it down to some
    point, so its support is what the classes below one of them give. A class whose support fits no
    such point is reported."""
    collateral, where = ctx.ending_collateral()
    oc = ctx.record["pool"].get("overcollateralization_amount")
    if number(oc):
        _support(ctx, "credit_support_pct", (collateral, where), lambda below, _: _support_terms(below, oc),
                 "credit support, the classes below {} and the O/C amount over the ending collateral balance")
    cutoff = ctx.record["collateral"].get("total", {}).get("cutoff_balance")
    cutoff_path = ("collateral", Key("total"), "cutoff_balance")
    _support(ctx, "original_credit_support_pct", (cutoff, cutoff_path),
             lambda _, above: None if not all(number(e.get("original_balance")) for e in above) else
             [(1, cutoff, cutoff_path)] + _support_terms(above, None, "original_balance", -1),
             "original credit support, the cut-off balance less the original balances down to {}, over the "
             "cut-off balance")


def _support(ctx: Context, field: str, base: tuple, terms_of, what: str) -> None:
    """RG319 over one support column: ``terms_of(classes below, classes down to and with)`` the k-th
    class gives the sum that, over ``base`` (value, path), is the support of the classes of its rank
    (None: not printed)."""
    classes = [e for e in ctx.certificate_classes() if number(e.get(field))]
    if not classes or not number(base[0]) or base[0] <= 0:
        return
    ranks = [terms_of(classes[k + 1:], classes[:k + 1]) for k in range(len(classes))]
    for i, entry in enumerate(classes):
        name, printed = entry["class"], entry[field]
        evaluated = [evaluate("RG319", class_path(name, field), terms, printed,
                              f"class {name}: " + what.format(classes[k]["class"]), over=[base], scale=100)
                     for k, terms in enumerate(ranks) if k >= i and terms is not None]
        fits = [f for f in evaluated if f is not None]
        if fits:  # the rank it shares with the classes down to the first point that fits; else the nearest
            ctx.state(next((f for f in fits if not f.failed), None) or
                      min(fits, key=lambda f: abs(f.computed - f.printed)))


def _support_terms(classes: list, oc, field: str = "ending_balance", sign: int = 1) -> list:
    """The ``field`` balances of ``classes`` (an unprinted one counts nothing), each with ``sign``, and the
    O/C amount where given, as terms."""
    terms = [(sign, e[field], class_path(e["class"], field)) for e in classes if number(e.get(field))]
    return terms + ([(1, oc, ("pool", "overcollateralization_amount"))] if oc is not None else [])
