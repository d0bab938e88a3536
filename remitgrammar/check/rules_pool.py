"""Rules over a deal's running figures within one report: cumulative losses, pool factors, excess cash flow."""

from __future__ import annotations

from ..records import Key, render_path
from ..records import half_unit
from .registry import Context, number, rule, slack


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
    owners = [(("pool",), pool, pool_losses)] + [(("collateral", Key(g)), v, ("collateral", Key(g))) for g, v in groups.items()]
    for path, values, losses_owner in owners:
        prior = (values.get("prior") or {}).get("cumulative_realized_losses")
        losses = pool.get("realized_losses") if losses_owner == ("pool",) else groups.get(losses_owner[1], {}).get(
            "realized_losses")
        terms = [(1, prior, path + ("prior", "cumulative_realized_losses")),
                 (1, losses, losses_owner + ("realized_losses",))]
        ctx.identity("RG325", path + ("cumulative_realized_losses",), terms, values.get("cumulative_realized_losses"),
                     "last month's cumulative losses + this month's realized losses")


@rule("RG326", "group factor", "error",
      tolerance="half a unit of the factor's last printed digit, plus the rounding of the two balances",
      quirks="none seen: the dollars-statement sample's factors are the ending balance over the cut-off balance.")
def group_factor(ctx: Context) -> None:
    """A loan group's factor (percent) is its ending balance over its cut-off balance, times 100."""
    for group, values in ctx.record["collateral"].items():
        printed, ending, cutoff = (values.get(k) for k in ("group_factor_pct", "ending_balance", "cutoff_balance"))
        if not (number(printed) and number(ending) and number(cutoff)) or cutoff <= 0:
            continue
        computed = ending * 100 / cutoff
        allowed = half_unit(printed) + (half_unit(ending) + half_unit(cutoff) * computed / 100) * 100 / cutoff
        if abs(computed - printed) > allowed:
            path = render_path(("collateral", Key(group), "group_factor_pct"))
            ctx.finding("RG326", f"loan group {group}: factor printed {printed}%, but ending balance {ending} over "
                        f"cut-off balance {cutoff} is {computed:.6f}%", path,
                        expected=computed.quantize(printed), actual=printed)



@rule("RG327", "excess cash flow", "error",
      tolerance="half a unit of the last printed digit of each amount",
      quirks="In every sample that prints it the excess cash flow is exactly the O/C increase plus the O/C "
             "class's interest; a month that also pays unpaid interest or carryover from it spends more, so "
             "only 'at least' is checked, and not in a month that releases O/C (the release may reach the "
             "O/C class as part of its interest). Every sample releases nothing.")
def excess_cash_flow(ctx: Context) -> None:
    """The net monthly excess cash flow pays the month's O/C increase (the extra principal) first and
    what is left after any other use to the overcollateralization class: it is at least the two
    together. And a month either adds to the O/C or releases from it: the O/C increase and the O/C
    release are never both positive."""
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
    least = increase + paid
    if flow < least - slack([flow, increase, paid]):
        ctx.finding("RG327", f"net monthly excess cash flow printed {flow}, less than the O/C increase {increase} "
                    f"plus the {holder['class']} class's {paid} it pays", "pool.net_monthly_excess_cash_flow",
                    expected=f"at least {least}", actual=flow)
