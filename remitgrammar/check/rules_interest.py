"""Rules over interest and fees: each class's interest against its balance, rate and accrual period;
each fee against its balance and rate."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from .intervals import evaluate, figure
from .registry import Context, class_path, number, rule, slack
from ..records import Key, render_path

THIRTY_360 = "30/360"
DAYS = range(26, 36)  # an actual/360 accrual period: one month, from one distribution date to the next


@rule("RG314", "interest accrual", "error",
      tolerance="half a unit of the interest's last printed digit (one unit for a printed zero), plus the "
                "balance times half a unit of the rate's, plus the rate times half a unit of the balance's",
      quirks="Fixed-rate and interest-only classes accrue 30/360 while floating-rate classes of the same report "
             "accrue actual/360 over the period's days (32 days in the 2003-HE2 June report); the report's "
             "days are learned from its floating classes. The overcollateralization class's rate applies to "
             "the pool's balance, not to its own (the 2002 and November 2003 X). A class paid less than its "
             "accrual is checked on its accrued interest when printed; otherwise on its interest paid plus its "
             "interest shortfall when that is its only shortfall, and not at all when it has others.")
def interest_accrual(ctx: Context) -> None:
    """Each class's interest is its beginning (or notional) balance times its rate times the accrual
    fraction: 1/12 (30/360) or the period's days over 360 (actual/360). A class that prints its day
    count and days is checked on those; otherwise the report's days are the ones that most of its
    classes fit, and a class that fits neither convention is reported with the interest each would
    give. A class whose one shortfall is an interest shortfall accrued its interest paid plus that
    shortfall."""
    cases = [case for case in (_case(ctx, e) for e in ctx.classes) if case is not None]
    days = _learned_days(cases)
    pool = _pool_balance(ctx)
    for case in cases:
        fractions = [case.fraction] if case.fraction else _fractions(days)
        own = [_accrual(case, case.balance, d) for _, d in fractions]
        # the O/C class's rate applies to the pool's balance
        on_pool = [_accrual(case, pool, d) for _, d in fractions] if pool and case.name == ctx.oc_class() else []
        held = next((i for i in own + on_pool if i is not None and not i.failed), None)
        if held is not None:
            ctx.state(held)
            continue
        if None in own:
            continue
        shown = ", ".join(f"{_money(i.computed)} at {label}" for i, (label, _) in zip(own, fractions, strict=True))
        nearest = min(own, key=lambda i: abs(i.computed - i.printed))
        if not case.plus:
            what = f"interest printed {case.result[0]}"
        else:  # the shortfall that would fit the interest paid
            what = f"interest paid plus its shortfall of {case.result[0]} is {nearest.printed}"
        ctx.state(nearest, message=f"class {case.name}: {what}, but {case.balance[0]} at {case.rate[0]}% gives {shown}",
                  hint="a misprint in the interest, the rate or the balance; or the class accrues on "
                       "another balance (a notional one) or convention")


class _Case(NamedTuple):
    """A class's accrual, as figures: (value, path) each; the printed interest side is ``result`` + ``plus``."""

    name: str
    balance: tuple
    rate: tuple
    result: tuple
    plus: list
    fraction: tuple | None  # (label, days of 360) the class prints


def _case(ctx: Context, entry: dict):
    """The class's accrual figures, or None when not checkable."""
    balance, rate = entry.get("beginning_balance"), entry.get("interest_rate_pct")
    if not (number(balance) and number(rate)) or balance <= 0:
        return None
    name = entry["class"]
    paid, short = entry.get("interest_distribution"), _short(entry)
    plus: list[tuple]
    if number(entry.get("accrued_interest")):
        result, plus = (entry["accrued_interest"], class_path(name, "accrued_interest")), []
    elif number(paid) and not short:
        result, plus = (paid, class_path(name, "interest_distribution")), []
    elif number(paid) and short == ["interest_shortfall"]:
        # paid plus the one shortfall is what accrued (RG317's identity, the accrual not printed)
        result = (entry["interest_shortfall"], class_path(name, "interest_shortfall"))
        plus = [(1, paid, class_path(name, "interest_distribution"))]
    else:
        return None
    return _Case(name, (balance, class_path(name, "beginning_balance")), (rate, class_path(name, "interest_rate_pct")),
                 result, plus, _printed_fraction(ctx, entry))


def _accrual(case: _Case, balance: tuple, days: int):
    """The identity interest = balance x rate% x days / 360 (None: a figure missing)."""
    return evaluate("RG314", case.result[1], [(1,) + tuple(balance)], case.result[0],
                    f"class {case.name}: {'interest paid + shortfall' if case.plus else 'interest'} is the balance "
                    f"x rate x {days}/360", plus=case.plus, times=[case.rate, days], over=[360, 100])


def _short(entry: dict) -> list:
    """The amounts by which a class was paid less (or more) than it accrued, by field: a shortfall
    of any kind, earlier shortfalls paid, or deferred interest (empty: paid what it accrued)."""
    amounts = [(k, entry.get(k)) for k in ("interest_shortfall", "deferred_interest", "prior_shortfall_paid")]
    amounts += [(k, (entry.get("shortfall") or {}).get(k)) for k in PAID_LESS]
    return [k for k, v in amounts if number(v) and v != 0]


def _printed_fraction(ctx: Context, entry: dict):
    """The class's own day count and days where the report prints them, as (label, days of 360)."""
    convention = str(entry.get("day_count") or "").upper().replace(" ", "")
    days = entry.get("accrual_days")
    if days is None:
        days = (ctx.record["pool"].get("class_accrual_days") or {}).get(entry["class"])
    if convention.startswith("30"):
        return THIRTY_360, 30
    if convention.startswith("A") and isinstance(days, int) and days > 0:
        return f"actual/360 over {days} days", days
    return None


def _fractions(days: int | None) -> list:
    found = [(THIRTY_360, 30)]
    if days is not None:
        found.append((f"actual/360 over {days} days", days))
    return found


def _learned_days(cases: list) -> int | None:
    """The period's days: the number that most classes fit at actual/360 and not at 30/360."""
    votes: Counter[int] = Counter()
    for case in cases:
        if case.fraction or case.plus or case.rate[0] == 0 or _holds(_accrual(case, case.balance, 30)):
            continue
        votes.update(d for d in DAYS if _holds(_accrual(case, case.balance, d)))
    return votes.most_common(1)[0][0] if votes else None


def _holds(identity) -> bool:
    return identity is not None and not identity.failed


def _pool_balance(ctx: Context):
    """The pool's beginning balance as a figure: the TOTAL column's, else the groups' sum (with the rounding
    of each); None when there is none."""
    collateral = ctx.record.get("collateral") or {}
    total = (collateral.get("total") or {}).get("beginning_balance")
    if number(total):
        return (total, ("collateral", Key("total"), "beginning_balance")) if total > 0 else None
    balances = [b for b in (g.get("beginning_balance") for g in collateral.values()) if number(b)]
    pool = sum(balances, Decimal(0))
    return (pool, None, slack(balances)) if pool > 0 else None


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


@rule("RG317", "interest paid", "error",
      tolerance="half a unit of the last printed digit of each amount",
      quirks="none seen; the distribution-summary sample pays every class its accrual less its share of the "
             "prepayment interest shortfall the servicer did not cover.")
def interest_paid(ctx: Context) -> None:
    """Where a class prints its accrued interest, the interest distributed is the accrual less the
    month's shortfall amounts the report prints for the class (prepayment interest, Relief Act, unpaid
    interest) plus the earlier shortfall amounts paid this month."""
    for entry in ctx.classes:
        accrued, paid = entry.get("accrued_interest"), entry.get("interest_distribution")
        if not (number(accrued) and number(paid)):
            continue
        name, shortfall = entry["class"], entry.get("shortfall") or {}
        terms = [(1, accrued, class_path(name, "accrued_interest"))]
        terms += [(-1, shortfall[k], class_path(name, "shortfall", k)) for k in PAID_LESS if number(shortfall.get(k))]
        terms += [(sign, entry[k], class_path(name, k)) for sign, k in ((-1, "interest_shortfall"),
                                                                       (1, "prior_shortfall_paid"))
                  if number(entry.get(k))]
        ctx.identity("RG317", class_path(entry["class"], "interest_distribution"), terms, paid,
                     f"class {entry['class']}: accrued interest - this month's shortfall amounts + earlier ones paid")


PAID_LESS = ("prepayment_interest_shortfall", "relief_act_interest_shortfall")


@rule("RG318", "floating rates", "error",
      tolerance="half a unit of the last printed digit of the rate, the index, the margin and the cap",
      quirks="A floating class's rate is capped by the deal's net WAC rate where the report prints one: a "
             "rate at the cap is not index plus margin. The dollars-statement sample prints this month's and "
             "next month's rate for A-7 both in the class table and under the index rate.")
def floating_rates(ctx: Context) -> None:
    """A floating-rate class's pass-through rate is the index rate plus its margin, at most its cap, for
    this month and, where printed, the next (the margin the period lists for the class, else the class's
    own margin column); a rate printed in two places is the same in both."""
    pool = ctx.record["pool"]
    for entry in ctx.classes:
        name = entry["class"]
        for period, rate_field in ((pool, "interest_rate_pct"), (pool.get("next") or {}, "interest_rate_next_pct")):
            this_month = period is pool
            listed = (period.get("class_rates_pct") or {}).get(name) or {}
            rate, rate_path = entry.get(rate_field), class_path(name, rate_field)
            if not number(rate) and number(listed.get("pass_through_rate")):
                rate, rate_path = listed["pass_through_rate"], _rates_path(this_month, name, "pass_through_rate")
            if number(listed.get("pass_through_rate")) and number(entry.get(rate_field)):
                ctx.identity("RG318", rate_path, [(1, listed["pass_through_rate"],
                                                   _rates_path(this_month, name, "pass_through_rate"))],
                             entry[rate_field], f"class {name}: the rate printed under the index rate")
            margin = _margin(entry, listed, this_month)
            index = (period.get("index_rate_pct"), ("pool",) + (() if this_month else ("next",)) + ("index_rate_pct",))
            if margin is not None and number(index[0]) and number(rate):
                _capped(ctx, name, (rate, rate_path), [(1,) + index, (1,) + margin], _caps(ctx, entry, period))


def _capped(ctx: Context, name: str, rate: tuple, terms: list, caps: list) -> None:
    """rate = min(index + margin, cap): at a cap, index + margin reaches it; else it is the rate, under every cap."""
    at_cap = [cap for cap in caps if _holds(evaluate("RG318", None, [(1,) + cap], rate[0], ""))]
    if at_cap:
        ctx.identity("RG318", rate[1], terms, rate[0], f"class {name}: at its cap, index rate + margin reaches it",
                     relation="<=")
        return
    ctx.identity("RG318", rate[1], terms, rate[0], f"class {name}: index rate + margin")
    for cap in caps:
        ctx.identity("RG318", rate[1], [(1,) + cap], rate[0], f"class {name}: at most its cap", relation="<=")


def _margin(entry: dict, listed: dict, this_month: bool):
    """(margin, path) for the period: the class's margin column this month (the next month's where the report
    lists one for it), else the margin listed for the period; None where neither is printed."""
    column = (entry["margin_pct"], class_path(entry["class"], "margin_pct")) if number(entry.get("margin_pct")) \
        else None
    printed = (listed["margin"], _rates_path(this_month, entry["class"], "margin")) if number(listed.get("margin")) \
        else None
    return (column or printed) if this_month else (printed or column)


def _rates_path(this_month: bool, name: str, field: str) -> tuple:
    return ("pool",) + (() if this_month else ("next",)) + ("class_rates_pct", Key(name), field)


def _caps(ctx: Context, entry: dict, period: dict) -> list:
    """(cap, path) of a class's caps for the period: its own cap, and the deal's net WAC rate (the period's,
    else this month's)."""
    pool = ctx.record["pool"]
    caps = [(entry.get("cap_rate_pct"), class_path(entry["class"], "cap_rate_pct"))]
    if number(period.get("net_wac_rate_pct")):
        caps.append((period["net_wac_rate_pct"], ("pool",) + (() if period is pool else ("next",)) + ("net_wac_rate_pct",)))
    else:
        caps.append((pool.get("net_wac_rate_pct"), ("pool", "net_wac_rate_pct")))
    return [cap for cap in caps if number(cap[0])]


FEES = {"servicing_fee": "servicing_fee_rate_pct", "trustee_fee": "trustee_fee_rate_pct"}


@rule("RG316", "fees", "warning",
      tolerance="a unit of the fee's last printed digit (reports truncate as well as round), a cent times the "
                "square root of the loan count (fees computed loan by loan, each rounded), and the rate times half "
                "a unit of the balance; the rate is a contract rate, taken as printed (0.500% is 0.5%)",
      quirks="A report that prints no fee rate implies one: the rate most of its loan groups' fees give "
             "(0.25% servicing and 0.0075% trustee in the distribution-summary sample). The 2003 US Bank "
             "reports print no servicing fee rate; their gross and net coupons differ by it (0.5%). The "
             "November 2003-HE2 fee, 278,036, is 117.81 short of 0.5% of its 667,569,136 beginning balance "
             "over 12: a property of the filing (the servicer's fee follows the loans' scheduled balances).")
def fees(ctx: Context) -> None:
    """A servicing or trustee fee is the loan group's beginning balance times the fee's yearly rate over
    12. The rate is the one the report prints for the group or the pool; else, for the servicing fee,
    the pool's gross coupon less its net coupon; else the rate most of the report's groups imply."""
    owners = _fee_owners(ctx)
    for fee, rate_field in FEES.items():
        printed = [(path, values, balance) for path, values, balance in owners if number(values.get(fee))
                   and number(balance[0]) and balance[0] > 0]
        learned = _implied_rate([(values[fee], balance[0]) for _, values, balance in printed])
        for path, values, balance in printed:
            rate, source = _fee_rate(ctx, path, values, fee, rate_field, learned)
            if rate is not None:
                ctx.identity("RG316", path + (fee,), [(1,) + balance], values[fee],
                             f"{render_path(path + (fee,))}: the beginning balance at {source} {rate[0]}% a year, "
                             "over 12", times=[rate], over=[1200], widen=_fee_widening(ctx, values, values[fee]))


def _fee_widening(ctx: Context, values: dict, amount: Decimal) -> Decimal:
    """Room beyond the fee's printed rounding: another half unit of its last digit (reports truncate as
    well as round), and the rounding of a fee computed loan by loan, each to the cent (a random walk: a
    cent times the square root of the loan count)."""
    loans = values.get("ending_count", values.get("loan_count", ctx.record["pool"].get("loan_count")))
    per_loan = Decimal("0.01") * Decimal(loans).sqrt() if isinstance(loans, int) and loans > 0 else 0
    return figure(amount).half + per_loan


def _fee_owners(ctx: Context) -> list:
    """(path, values, beginning balance as (value, path)) of the pool (its balance the TOTAL column's where
    it prints none) and of each loan group."""
    collateral = ctx.record.get("collateral") or {}
    pool = ctx.record["pool"]
    balance: tuple = (pool.get("beginning_balance"), ("pool", "beginning_balance"))
    if not number(balance[0]):
        balance = ((collateral.get("total") or {}).get("beginning_balance"), ("collateral", Key("total"), "beginning_balance"))
    return [(("pool",), pool, balance)] + [(("collateral", Key(g)), v, (v.get("beginning_balance"),
                                            ("collateral", Key(g), "beginning_balance"))) for g, v in collateral.items()]


def _fee_rate(ctx: Context, path: tuple, values: dict, fee: str, rate_field: str, learned):
    """(the rate in percent as an exact figure (value, path, 0): a contract rate, 0.500% is 0.5%; where it
    came from), or (None, None)."""
    pool = ctx.record["pool"]
    for owner, where in ((values, path), (pool, ("pool",))):
        if number(owner.get(rate_field)):
            return (owner[rate_field], where + (rate_field,), Decimal(0)), "the printed rate"
    if fee == "servicing_fee" and number(pool.get("wac_pct")) and number(pool.get("net_wac_pct")):
        return (pool["wac_pct"] - pool["net_wac_pct"], None, Decimal(0)), "the gross less the net coupon,"
    if learned is not None:
        return (learned, None, Decimal(0)), "the rate the other groups imply,"
    return None, None


def _implied_rate(fees: list):
    """The yearly rate (percent, 4 decimals) that most (fee, balance) pairs imply, when at least two agree."""
    votes = Counter((fee * 1200 / balance).quantize(Decimal("0.0001")) for fee, balance in fees)
    rate, count = votes.most_common(1)[0] if votes else (None, 0)
    return rate if count >= 2 else None


@rule("RG323", "shortfall allocation", "warning",
      tolerance="half a unit of the last printed digit of each amount",
      quirks="The distribution-summary sample allocates to its classes the prepayment interest shortfall "
             "the servicer's compensating interest did not cover (the net, 2,563.69 of 12,086.99).")
def shortfall_allocation(ctx: Context) -> None:
    """The prepayment interest and Relief Act shortfalls the classes bear add up to the deal's: its net
    prepayment interest shortfall (the aggregate less compensating interest, where only those are
    printed) and its Relief Act shortfall."""
    for field, sources in ALLOCATED.items():
        shares = [(1, e["shortfall"][field], class_path(e["class"], "shortfall", field)) for e in ctx.classes
                  if number((e.get("shortfall") or {}).get(field))]
        total = _deal_amount(ctx, sources)
        if shares and total is not None:
            value, path, terms = total
            ctx.identity("RG323", path, shares + terms, value,
                         f"the classes' {field.replace('_', ' ')}s" + (" + compensating interest" if terms else ""))


ALLOCATED = {"prepayment_interest_shortfall": ("net_prepayment_interest_shortfall",
                                               "aggregate_prepayment_interest_shortfall"),
             "relief_act_interest_shortfall": ("aggregate_relief_act_shortfall", "relief_act_shortfall")}


def _deal_amount(ctx: Context, sources: tuple):
    """(value, path, extra terms) of the deal's shortfall: the pool's or the total column's first printed
    source; an aggregate prepayment shortfall is compared with the classes' share plus compensating interest."""
    owners = [(("pool",), ctx.record["pool"]), (("collateral", Key("total")), ctx.record["collateral"].get("total", {}))]
    for source in sources:
        for path, values in owners:
            if number(values.get(source)):
                compensating = values.get("compensating_interest")
                extra = [(1, compensating, path + ("compensating_interest",))] \
                    if source.startswith("aggregate_prepayment") and number(compensating) else []
                return values[source], path + (source,), extra
    return None


@rule("RG324", "prepayment premiums", "error",
      tolerance="half a unit of the last printed digit of each amount; counts exact",
      quirks="The US Bank reports pay the premiums to class P, the one class that prints interest but no "
             "rate (2003-HE4: 293,670.52 collected, 293,671 paid, within rounding); where two classes print "
             "no rate (the payment-report sample's CE and P) the class is not guessed.")
def prepayment_premiums(ctx: Context) -> None:
    """Prepayment premiums are collected only when loans that carry them pay off: a report that prints
    both shows no premiums for no loans and some for some. The premiums go to the one class that
    prints interest but no rate (class P), whose interest is the premiums collected."""
    pool = ctx.record["pool"]
    amount, count = pool.get("prepayment_premiums"), pool.get("prepayment_premium_loan_count")
    if number(amount) and isinstance(count, int) and not isinstance(count, bool) and (amount == 0) != (count == 0):
        ctx.finding("RG324", f"{amount} of prepayment premiums from {count} loans", "pool.prepayment_premiums",
                    expected="0" if count == 0 else "more than 0", actual=amount)
    receivers = [e for e in ctx.classes if e.get("interest_rate_pct") is None
                 and number(e.get("interest_distribution")) and e["interest_distribution"] != 0]
    if number(amount) and len(receivers) == 1:
        name = receivers[0]["class"]
        ctx.identity("RG324", ("pool", "prepayment_premiums"),
                     [(1, receivers[0]["interest_distribution"], class_path(name, "interest_distribution"))], amount,
                     f"class {name}'s interest (the class that prints no rate)")
