"""Rules over the loan groups: remittance identities, group sums, delinquency, overcollateralization."""

from __future__ import annotations

from itertools import product
from typing import Any

from .registry import Context, number, rule, slack
from ..records import PERIODS, Key, leaves, render_path

PRINCIPAL_PARTS = ("scheduled_principal", "prepayments", "curtailments", "net_liquidation_proceeds",
                   "loan_purchase_price")
INTEREST_DEDUCTIONS = ("relief_act_shortfall", "net_prepayment_interest_shortfall", "nonrecoverable_advances")


def _path(group: str, field: str) -> tuple:
    return ("collateral", Key(group), field)


@rule("RG305", "collateral balance", "error",
      tolerance="half a unit of the last printed digit of each of the four amounts",
      quirks="The 2002-HE1 November report's pool column is 26 cents off: 822,179,071.35 - 23,328,770.64 - "
             "54,299.56 is 798,796,001.15, but 798,796,001.41 is printed. A property of the filing.")
def collateral_balance(ctx: Context) -> None:
    """For each loan group, the beginning balance less the total principal remittance less the net
    realized losses is the ending balance."""
    for group, values in ctx.record["collateral"].items():
        principal = values.get("total_principal_remittance", values.get("total_principal_distribution"))
        losses = values.get("realized_losses", 0)
        principal_field = "total_principal_remittance" if "total_principal_remittance" in values \
            else "total_principal_distribution"
        ctx.identity("RG305", _path(group, "ending_balance"),
                     [(1, values.get("beginning_balance"), _path(group, "beginning_balance")),
                      (-1, principal, _path(group, principal_field)),
                      (-1, losses, _path(group, "realized_losses") if "realized_losses" in values else None)],
                     values.get("ending_balance"), f"group {group}: beginning - total principal - realized losses")


@rule("RG306", "principal remittance", "error",
      tolerance="half a unit of the last printed digit of each part and of the total",
      quirks="Whole-dollar reports are off by a dollar in the TOTAL column; within rounding.")
def principal_parts(ctx: Context) -> None:
    """For each loan group, scheduled principal plus prepayments (plus curtailments where printed
    apart) plus net liquidation proceeds plus loan purchase prices is the total principal remittance."""
    for group, values in ctx.record["collateral"].items():
        if "total_principal_remittance" not in values:
            continue
        terms = [(1, values[k], _path(group, k)) for k in PRINCIPAL_PARTS if k in values]
        if terms:
            ctx.identity("RG306", _path(group, "total_principal_remittance"), terms,
                         values["total_principal_remittance"], f"group {group}: principal parts")


@rule("RG307", "group columns", "error",
      tolerance="half a unit of the last printed digit of each group's amount and of the total",
      quirks="none seen")
def group_columns(ctx: Context) -> None:
    """Every remittance row printed for each loan group and for the TOTAL column: the groups sum to
    the total, and so do the figures a group column prints below a field (a class's amount in the
    uses of funds, `class_amounts[A].interest`; a prior period's, `prior.oc_amount`). Reports with a
    single pool column are not checked."""
    collateral = ctx.record["collateral"]
    groups = [g for g in collateral if g != "total"]
    total = collateral.get("total", {})
    if not groups or not total:
        return
    for keys, printed in leaves(total):
        parts = [_get(collateral[g], keys) for g in groups]
        inner = (keys[0],) if len(keys) == 1 and ctx.additive("collateral", keys[0]) else _nested(ctx, keys)
        if inner is not None and all(number(p) for p in parts) and number(printed):
            ctx.identity("RG307", ("collateral", Key("total")) + inner,
                         [(1, p, ("collateral", Key(g)) + inner) for g, p in zip(groups, parts, strict=True)], printed,
                         f"{render_path(inner)}: groups {' + '.join(groups)}")


def _get(node: dict, keys: tuple):
    found: object = node
    for key in keys:
        found = found.get(key) if isinstance(found, dict) else None
    return found


def _nested(ctx: Context, keys: tuple) -> tuple | None:
    """The path below a loan group of the figure at ``keys`` (its own keys as Key segments: the class of
    class_amounts[A].interest) when the figure adds up across groups; None otherwise. Of the ways to
    read the segments between the first and the last as keys, the one with fewest keys whose field the
    catalogues know is taken; a period's figure (prior.x) is its field's where the format declares none."""
    if len(keys) < 2:
        return None
    inner = keys[1:-1]
    for mask in sorted(product((False, True), repeat=len(inner)), key=sum):
        names = [keys[0]] + [k for k, is_key in zip(inner, mask, strict=True) if not is_key] + [keys[-1]]
        tried = [names] + ([names[1:]] if names[0] in PERIODS else [])
        if any(ctx.additive("collateral", ".".join(n)) for n in tried):
            return (keys[0],) + tuple(Key(k) if is_key else k for k, is_key in zip(inner, mask, strict=True)) + (keys[-1],)
    return None


@rule("RG308", "interest remittance", "error",
      tolerance="half a unit of the last printed digit of each amount",
      quirks="none seen")
def interest_remittance(ctx: Context) -> None:
    """For each loan group, scheduled interest net of servicing fees, plus any capitalized interest
    account withdrawal, less the Relief Act shortfall, the net prepayment interest shortfall and the
    nonrecoverable advances, is the unlabelled sum line under them."""
    for group, values in ctx.record["collateral"].items():
        if "interest_remittance" not in values or "scheduled_interest_net" not in values:
            continue
        terms = [(1, values["scheduled_interest_net"], _path(group, "scheduled_interest_net")),
                 (1, values.get("capitalized_interest_withdrawal", 0))]
        terms += [(-1, values[k], _path(group, k)) for k in INTEREST_DEDUCTIONS if k in values]
        ctx.identity("RG308", _path(group, "interest_remittance"), terms, values["interest_remittance"],
                     f"group {group}: scheduled interest less deductions")


@rule("RG309", "delinquency totals", "error",
      tolerance="counts exact; balances half a unit of the last printed digit of each",
      quirks="Group tables mix whole dollars and cents (12,494,252 beside 4198567.42); the slack follows "
             "each figure's own precision.")
def delinquency_totals(ctx: Context) -> None:
    """The delinquency and loan status tables of the loan groups sum to the TOTAL table, bucket by
    bucket (and aged status by aged status), counts and balances. Percentages are not summed.
    Reports by servicer with no TOTAL table are not checked."""
    delinquency = ctx.record["delinquency"]
    total = delinquency.get("total")
    groups = [g for g in delinquency if g != "total"]
    if not total or not groups:
        return
    for keys, printed in _leaves(total, ()):
        parts = [_at(delinquency[g], keys) for g in groups]
        if all(number(p) for p in parts):
            inner = tuple(k if k in ("by_bucket",) or k == keys[-1] else Key(k) for k in keys)
            ctx.identity("RG309", ("delinquency", Key("total")) + inner,
                         [(1, p, ("delinquency", Key(g)) + inner) for g, p in zip(groups, parts, strict=True)], printed,
                         f"{' '.join(keys)}: groups {' + '.join(groups)}")


DELINQUENT_BUCKETS = ("30-59", "60-89", "90+", "1-payment", "2-payments", "3+-payments")


@rule("RG312", "status totals", "error",
      tolerance="counts exact; balances and percentages half a unit of the last printed digit of each",
      quirks="Percentages of the TOTAL column are computed from the total, not added across groups (RG309); "
             "within a group every bucket's percentage is over the same base, so they add up.")
def status_totals(ctx: Context) -> None:
    """Within a group, where a report prints the total of its delinquent buckets (a TOTAL column or row
    of a status table), the buckets sum to it, counts, balances and percentages; a foreclosure, REO or
    bankruptcy status aged by bucket sums its buckets to its own total. Either orientation of the
    printed table gives the same record."""
    for group, statuses in ctx.record["delinquency"].items():
        where = ("delinquency", Key(group))
        parts = [(where + (Key(b),), statuses[b]) for b in DELINQUENT_BUCKETS if b in statuses]
        _sum_measures(ctx, f"group {group} delinquent", where + (Key("delinquent"),), statuses.get("delinquent", {}),
                      parts)
        for status, entry in statuses.items():
            if isinstance(entry, dict) and "by_bucket" in entry:
                buckets = [(where + (Key(status), "by_bucket", Key(b)), v) for b, v in entry["by_bucket"].items()]
                _sum_measures(ctx, f"group {group} {status}", where + (Key(status),), entry, buckets)


def _sum_measures(ctx: Context, what: str, path: tuple, total: dict, parts: list) -> None:
    if not total or not parts:
        return
    for measure, printed in total.items():
        values = [(p + (measure,), cell.get(measure)) for p, cell in parts]
        if number(printed) and all(number(v) for _, v in values):
            ctx.identity("RG312", path + (measure,), [(1, v, p) for p, v in values], printed,
                         f"{what} {measure}: its buckets")


def _leaves(node: dict, keys: tuple):
    """The amounts and counts below a mapping (percentages are not summed)."""
    return ((path, value) for path, value in leaves(node, keys) if number(value) and not path[-1].endswith("_pct"))


def _at(node, keys: tuple):
    for key in keys:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return node


@rule("RG313", "overcollateralization deficiency and excess", "error",
      tolerance="half a unit of the last printed digit of the target, the amount and the deficiency or excess",
      quirks="Deal-level deficiencies are RG328's: the US Bank 2003 reports print one measured before the "
             "month's extra principal (2003-HE2 November: 1,041,976 with the target met), which RG328 reads "
             "that way. Their excess is checked here.")
def oc_deficiency(ctx: Context) -> None:
    """Where a report prints the overcollateralization target and amount, the excess it prints is the
    amount less the target, or zero when the amount falls short (for the pool and for each loan group);
    the deficiency a loan group prints is its target less its amount, or zero when the amount meets
    the target. Where it prints last month's O/C amount, this month's is that plus the increase less
    the release (less the realized losses, where the increase is counted before them)."""
    owners: list[tuple[tuple, dict]] = [(("pool",), ctx.record["pool"])]
    owners += [(("collateral", Key(g)), v) for g, v in ctx.record["collateral"].items()]
    _oc_roll(ctx, ctx.record["pool"])
    for path, values in owners:
        target, amount = values.get("oc_target"), values.get("overcollateralization_amount")
        if not (number(target) and number(amount)):
            continue
        if path[0] == "collateral":
            _at_least_zero(ctx, path + ("oc_deficiency",), values.get("oc_deficiency"), target, amount,
                           "O/C target - O/C amount")
        _at_least_zero(ctx, path + ("excess_oc",), values.get("excess_oc"), amount, target,
                       "O/C amount - O/C target")


def _oc_roll(ctx: Context, pool: dict) -> None:
    """This month's O/C amount is last month's (as the report prints it) plus the increase less the
    release, less the realized losses where the increase is counted before them."""
    prior = (pool.get("prior") or {}).get("overcollateralization_amount")
    terms: list[tuple[int, Any, tuple]] = [
        (1, prior, ("pool", "prior", "overcollateralization_amount")),
        (1, pool.get("oc_increase"), ("pool", "oc_increase")), (-1, pool.get("oc_release"), ("pool", "oc_release"))]
    amount, losses = pool.get("overcollateralization_amount"), pool.get("realized_losses")
    if not all(number(v) for _, v, _ in terms) or not number(amount):
        return
    rolled = sum(sign * v for sign, v, _ in terms)
    if number(losses) and losses != 0 and abs(amount - (rolled - losses)) < abs(amount - rolled):
        terms.append((-1, losses, ("pool", "realized_losses")))  # the convention that fits: the increase before losses
    ctx.identity("RG313", ("pool", "overcollateralization_amount"), terms, amount,
                 "last month's O/C amount + increase - release" + (" - realized losses" if len(terms) > 3 else ""))


def _at_least_zero(ctx: Context, path: tuple, printed, more, less, what: str) -> None:
    """printed == max(0, more - less), within the printed precision."""
    if not number(printed):
        return
    if more > less:
        ctx.identity("RG313", path, [(1, more), (-1, less)], printed, what)
    elif printed != 0:
        ctx.identity("RG313", path, [], printed, f"zero: {what} is not positive")


@rule("RG310", "overcollateralization", "error",
      tolerance="half a unit of the last printed digit of the collateral balance, of each class's ending "
                "balance and of the OC amount",
      quirks="The 2002-HE1 November report is 26 cents off, the same 26 cents as its collateral balance. "
             "The payment-report sample's deal leaves its $100 prepayment-penalty class P out of the O/C "
             "amount: its spec says so (oc_excluded_classes).")
def overcollateralization(ctx: Context) -> None:
    """The ending collateral balance less the ending balances of the certificates (every class but the
    notional ones, the overcollateralization class itself and those the format's
    `oc_excluded_classes` names) is the overcollateralization amount."""
    pool = ctx.record["pool"]
    amount = pool.get("overcollateralization_amount")
    oc_class = ctx.oc_class()
    terms = [(1, *ctx.ending_collateral())]
    for entry in ctx.certificate_classes():
        name = entry["class"]
        if name != oc_class and not ctx.notional(name) and not ctx.outside_oc(name):
            printed = number(entry.get("ending_balance"))
            terms.append((-1, entry.get("ending_balance", 0), ("classes", Key(name), "ending_balance") if printed
                          else None))
    ctx.identity("RG310", ("pool", "overcollateralization_amount"), terms, amount,
                 "ending collateral balance - ending certificate balances")


PERCENT_BASES = {"balance_pct": ("balance", "ending_balance"), "count_pct": ("count", "ending_count")}


@rule("RG315", "delinquency percentages", "error",
      tolerance="half a unit of the last printed digit of the percentage, the balance and the group's ending "
                "balance, carried through the ratio; counts exact",
      quirks="Reports divide by the group's ending balance and ending loan count (the dollars-statement "
             "and payment-report samples); a report that divides by another base fits neither and is "
             "reported. A group with no ending balance printed is not checked.")
def delinquency_percentages(ctx: Context) -> None:
    """Each printed percentage of a delinquency or loan status cell is its balance over the group's
    ending balance (or its count over the group's ending loan count), times 100."""
    for group, statuses in ctx.record["delinquency"].items():
        bases = _group_bases(ctx, group)
        for keys, cell in _cells(statuses, ()):
            path = ("delinquency", Key(group)) + keys
            for pct_field, (measure, base_field) in PERCENT_BASES.items():
                base = bases.get(base_field)
                if base is None or base[0] <= 0:
                    continue
                ctx.identity("RG315", path + (pct_field,), [(1, cell.get(measure), path + (measure,))],
                             cell.get(pct_field), f"group {group} {' '.join(str(k) for k in keys)}: {pct_field} is "
                             f"{measure} over the group's {base_field}", over=[base], scale=100)


def _group_bases(ctx: Context, group: str) -> dict:
    """The group's ending balance and count as (value, path, rounding); the pool's (the sum of the groups,
    with the rounding of each) for a total the report does not print."""
    collateral = ctx.record.get("collateral") or {}
    if group in collateral:
        return {f: (collateral[group][f], ("collateral", Key(group), f)) for f in ("ending_balance", "ending_count")
                if number(collateral[group].get(f))}
    sums = {}
    if group == "total":
        for field in ("ending_balance", "ending_count"):
            values = [g.get(field) for g in collateral.values()]
            if values and all(number(v) for v in values):
                sums[field] = (sum(values), None, slack(values))
    return sums


def _cells(node: dict, keys: tuple):
    """(keys, cell) of every status or bucket cell (a dict holding measures) under a group."""
    for key, value in node.items():
        if not isinstance(value, dict):
            continue
        inner = keys + (("by_bucket",) if key == "by_bucket" else (Key(key),))
        if any(not isinstance(v, dict) for v in value.values()):
            yield inner, value
        yield from _cells(value, inner)
