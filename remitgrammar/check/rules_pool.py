"""Rules over a deal's running figures within one report: cumulative losses, pool factors, excess cash flow."""

from __future__ import annotations

from ..records import Key
from .registry import Context, class_path, number, rule


@rule("RG325", "cumulative losses", "error",
      tolerance="half a unit of the last printed digit of the three amounts",
      quirks="Only where the report prints last month's cumulative figure beside this month's (the "
             "dollars-statement and payment-report samples); across months RG404 does the same. The pool's "
             "losses of the month are its own where printed, else the loan groups' TOTAL column.")
def cumulative_losses(ctx: Context) -> None:
    """The cumulative realized losses are last month's cumulative losses plus this month's realized losses:
    for the deal and for each loan group that prints all three."""
    pool, groups = ctx.record["pool"], ctx.record["collateral"]
    pool_losses = ("pool",) if "realized_losses" in pool else ("collateral", Key("total"))
    owners: list[tuple[tuple, dict, tuple]] = [(("pool",), pool, pool_losses)]
    owners += [(("collateral", Key(g)), v, ("collateral", Key(g))) for g, v in groups.items()]
    for path, values, losses_owner in owners:
        prior = (values.get("prior") or {}).get("cumulative_realized_losses")
        losses = pool.get("realized_losses") if losses_owner == ("pool",) else groups.get(losses_owner[1], {}).get(
            "realized_losses")
        terms = [(1, prior, path + ("prior", "cumulative_realized_losses")),
                 (1, losses, losses_owner + ("realized_losses",))]
        ctx.identity("RG325", path + ("cumulative_realized_losses",), terms, values.get("cumulative_realized_losses"),
                     "last month's cumulative losses + this month's realized losses")


@rule("RG326", "group factor", "error",
      tolerance="half a unit of the last printed digit of the factor and of the two balances, carried through "
                "the ratio",
      quirks="none seen: the dollars-statement sample's factors are the ending balance over the cut-off balance.")
def group_factor(ctx: Context) -> None:
    """A loan group's factor (percent) is its ending balance over its cut-off balance, times 100."""
    for group, values in ctx.record["collateral"].items():
        ctx.identity("RG326", ("collateral", Key(group), "group_factor_pct"),
                     [(1, values.get("ending_balance"), ("collateral", Key(group), "ending_balance"))],
                     values.get("group_factor_pct"), f"loan group {group}: factor is the ending balance over the "
                     "cut-off balance", over=[(values.get("cutoff_balance"), ("collateral", Key(group), "cutoff_balance"))],
                     scale=100)


@rule("RG327", "excess cash flow", "error",
      tolerance="half a unit of the last printed digit of each amount",
      quirks="In every sample that prints it the excess cash flow is exactly the O/C increase plus the O/C "
             "class's interest (and the net WAC carryover it pays, where printed); a deal that also pays "
             "unpaid interest or losses from it spends more, so only 'at least' is checked unless the format "
             "says its deals pay the rest to the O/C class (`excess_to_oc_class`, the U.S. Bank layouts), and "
             "not in a month that releases O/C (the release may reach the O/C class as part of its "
             "interest). Every sample releases nothing.")
def excess_cash_flow(ctx: Context) -> None:
    """The net monthly excess cash flow pays the month's O/C increase (the extra principal) first and
    what is left after any other use to the overcollateralization class: it is at least the two
    together, and exactly the two with the net WAC carryover paid where the format says the rest goes
    to the O/C class. And a month either adds to the O/C or releases from it: the O/C increase and the
    O/C release are never both positive."""
    pool = ctx.record["pool"]
    flow, increase, release = (pool.get(k) for k in ("net_monthly_excess_cash_flow", "oc_increase", "oc_release"))
    if number(increase) and number(release) and increase > 0 and release > 0:
        field = "oc_release" if release <= increase else "oc_increase"
        ctx.finding("RG327", f"both an O/C increase of {increase} and an O/C release of {release}: a month "
                    "adds to the O/C or releases from it", f"pool.{field}", expected=pool[field] * 0,
                    actual=pool[field])
    holder = next((e for e in ctx.classes if e["class"] == ctx.oc_class()), {})
    paid = holder.get("interest_distribution")
    if not (number(flow) and number(increase) and number(paid)) or (number(release) and release > 0):
        return  # a release may be paid to the O/C class within its interest but outside the cash flow
    terms = [(1, increase, ("pool", "oc_increase")), (1, paid, class_path(holder["class"], "interest_distribution"))]
    exact = getattr(ctx.spec, "excess_to_oc_class", False)
    if exact and number(pool.get("net_wac_carryover_paid")):
        terms.append((1, pool["net_wac_carryover_paid"], ("pool", "net_wac_carryover_paid")))
    ctx.identity("RG327", ("pool", "net_monthly_excess_cash_flow"), terms, flow,
                 f"net monthly excess cash flow: {'' if exact else 'at least '}the O/C increase plus the "
                 f"{holder['class']} class's interest it pays", relation="=" if exact else ">=")
