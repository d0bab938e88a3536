"""Rules over interest and fees: each class's interest against its balance, rate and accrual period;
each fee against its balance and rate."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from .registry import Context, class_path, number, rule, slack
from ..records import Key, render_path
from ..records import half_unit

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
    for name, balance, rate, interest, path, printed_fraction, shortfall in cases:
        fractions = [printed_fraction] if printed_fraction else _fractions(days)
        if any(_fits(balance, rate, interest, f, shortfall) for _, f in fractions):
            continue
        if name == ctx.oc_class() and _fits_pool(ctx, rate, interest, fractions):
            continue
        shown = ", ".join(f"{_money(balance * rate / 100 * f)} at {label}" for label, f in fractions)
        accrued = min((_money(balance * rate / 100 * f) for _, f in fractions), key=lambda a: abs(a - interest))
        if shortfall is None:
            what, expected, actual = f"interest printed {interest}", accrued, interest
        else:  # the shortfall that would fit the interest paid
            what = f"interest paid plus its shortfall of {shortfall} is {interest}"
            expected, actual = accrued - (interest - shortfall), shortfall
        ctx.finding("RG314", f"class {name}: {what}, but {balance} at {rate}% gives {shown}",
                    render_path(path), expected=expected, actual=actual,
                    hint="a misprint in the interest, the rate or the balance; or the class accrues on "
                         "another balance (a notional one) or convention")


def _case(ctx: Context, entry: dict):
    """(class, balance, rate, interest, interest path, printed fraction or None), or None when not checkable."""
    balance, rate = entry.get("beginning_balance"), entry.get("interest_rate_pct")
    if not (number(balance) and number(rate)) or balance <= 0:
        return None
    name = entry["class"]
    paid, short = entry.get("interest_distribution"), _short(entry)
    if number(entry.get("accrued_interest")):
        interest, field = entry["accrued_interest"], "accrued_interest"
    elif number(paid) and not short:
        interest, field = paid, "interest_distribution"
    elif number(paid) and short == ["interest_shortfall"]:
        # paid plus the one shortfall is what accrued (RG317's identity, the accrual not printed);
        # the shortfall carries its own rounding
        shortfall = entry["interest_shortfall"]
        interest, field = paid + shortfall, "interest_shortfall"
        return name, balance, rate, interest, class_path(name, field), _printed_fraction(ctx, entry), shortfall
    else:
        return None
    return name, balance, rate, interest, class_path(name, field), _printed_fraction(ctx, entry), None


def _short(entry: dict) -> list:
    """The amounts by which a class was paid less (or more) than it accrued, by field: a shortfall
    of any kind, earlier shortfalls paid, or deferred interest (empty: paid what it accrued)."""
    amounts = [(k, entry.get(k)) for k in ("interest_shortfall", "deferred_interest", "prior_shortfall_paid")]
    amounts += [(k, (entry.get("shortfall") or {}).get(k)) for k in PAID_LESS]
    return [k for k, v in amounts if number(v) and v != 0]


def _printed_fraction(ctx: Context, entry: dict):
    """The class's own day count and days where the report prints them, as (label, fraction)."""
    convention = str(entry.get("day_count") or "").upper().replace(" ", "")
    days = entry.get("accrual_days")
    if days is None:
        days = (ctx.record["pool"].get("class_accrual_days") or {}).get(entry["class"])
    if convention.startswith("30"):
        return THIRTY_360, Decimal(1) / 12
    if convention.startswith("A") and isinstance(days, int) and days > 0:
        return f"actual/360 over {days} days", Decimal(days) / 360
    return None


def _fractions(days: int | None) -> list:
    found = [(THIRTY_360, Decimal(1) / 12)]
    if days is not None:
        found.append((f"actual/360 over {days} days", Decimal(days) / 360))
    return found


def _learned_days(cases: list) -> int | None:
    """The period's days: the number that most classes fit at actual/360 and not at 30/360."""
    votes = Counter()
    for _, balance, rate, interest, _, printed, shortfall in cases:
        if printed or shortfall is not None or rate == 0 or _fits(balance, rate, interest, Decimal(1) / 12):
            continue
        votes.update(d for d in DAYS if _fits(balance, rate, interest, Decimal(d) / 360))
    return votes.most_common(1)[0][0] if votes else None


def _fits(balance: Decimal, rate: Decimal, interest: Decimal, fraction: Decimal, shortfall=None) -> bool:
    """Whether balance x rate% x fraction is the interest, within the printed precision of all three
    (and of the shortfall added to the interest paid, where there is one)."""
    expected = balance * rate / 100 * fraction
    allowed = (slack([interest] if shortfall is None else [interest - shortfall, shortfall]) + balance * half_unit(rate) / 100 * fraction
               + half_unit(balance) * abs(rate) / 100 * fraction)
    return abs(expected - interest) <= allowed


def _fits_pool(ctx: Context, rate, interest, fractions: list) -> bool:
    """Whether the rate applied to the pool's beginning balance gives the interest (an O/C class)."""
    total = (ctx.record.get("collateral") or {}).get("total") or {}
    balances = [g.get("beginning_balance") for g in ctx.record.get("collateral", {}).values()]
    pool = total.get("beginning_balance")
    if not number(pool):
        pool = sum((b for b in balances if number(b)), Decimal(0))
    return number(pool) and pool > 0 and any(_fits(pool, rate, interest, f) for _, f in fractions)


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
      tolerance="half a unit of the last printed digit of the rate, the index and the margin",
      quirks="A floating class's rate is capped by the deal's net WAC rate where the report prints one: a "
             "rate at the cap is not index plus margin. The dollars-statement sample prints this month's and "
             "next month's rate for A-7 both in the class table and under the index rate.")
def floating_rates(ctx: Context) -> None:
    """A floating-rate class's pass-through rate is the index rate plus its margin (at most the cap),
    for this month and, where printed, the next; a rate printed in two places is the same in both."""
    pool = ctx.record["pool"]
    for entry in ctx.classes:
        name = entry["class"]
        for period, rate_field in ((pool, "interest_rate_pct"), (pool.get("next") or {}, "interest_rate_next_pct")):
            listed = (period.get("class_rates_pct") or {}).get(name) or {}
            margin, margin_path = _margin(entry, listed, period is pool)
            rate, index = entry.get(rate_field), period.get("index_rate_pct")
            rate_path = class_path(name, rate_field)
            if not number(rate) and number(listed.get("pass_through_rate")):
                rate = listed["pass_through_rate"]
                rate_path = _rates_path(period is pool, name, "pass_through_rate")
            if number(listed.get("pass_through_rate")) and number(entry.get(rate_field)):
                ctx.identity("RG318", rate_path, [(1, listed["pass_through_rate"],
                                                   _rates_path(period is pool, name, "pass_through_rate"))],
                             entry[rate_field], f"class {name}: the rate printed under the index rate")
            if number(margin) and number(index) and number(rate) and not _at_cap(ctx, entry, rate):
                index_path = ("pool",) + (() if period is pool else ("next",)) + ("index_rate_pct",)
                ctx.identity("RG318", rate_path, [(1, index, index_path), (1, margin, margin_path)], rate,
                             f"class {name}: index rate + margin")


def _margin(entry: dict, listed: dict, this_month: bool):
    if this_month and number(entry.get("margin_pct")):
        return entry["margin_pct"], class_path(entry["class"], "margin_pct")
    if number(listed.get("margin")):
        return listed["margin"], _rates_path(this_month, entry["class"], "margin")
    return None, None


def _rates_path(this_month: bool, name: str, field: str) -> tuple:
    return ("pool",) + (() if this_month else ("next",)) + ("class_rates_pct", Key(name), field)


def _at_cap(ctx: Context, entry: dict, rate) -> bool:
    """Whether a class's rate is its cap (the deal's net WAC rate, or the class's own cap)."""
    caps = [entry.get("cap_rate_pct"), ctx.record["pool"].get("net_wac_rate_pct")]
    return any(number(cap) and abs(rate - cap) <= slack([rate, cap]) for cap in caps)


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
        printed = {path: values for path, values in owners if number(values.get(fee))
                   and number(values.get("beginning_balance")) and values["beginning_balance"] > 0}
        learned = _implied_rate(printed.values(), fee)
        for path, values in printed.items():
            rate, source = _fee_rate(ctx, values, fee, rate_field, learned)
            if rate is None:
                continue
            balance, amount = values["beginning_balance"], values[fee]
            expected = _money(balance * rate / 1200)
            if abs(expected - amount) > _fee_slack(ctx, values, amount, rate, balance):
                ctx.finding("RG316", f"{render_path(path + (fee,))} printed {amount}, but the beginning balance "
                            f"{balance} at {source} {rate}% a year gives {expected} a month",
                            render_path(path + (fee,)), expected=expected, actual=amount)


def _fee_slack(ctx: Context, values: dict, amount: Decimal, rate: Decimal, balance: Decimal) -> Decimal:
    """A unit of the fee's last digit (reports truncate as well as round); the rounding of a fee computed
    loan by loan, each to the cent (a random walk: a cent times the square root of the loan count); and
    the rate times half a unit of the balance over 12."""
    loans = values.get("ending_count", values.get("loan_count", ctx.record["pool"].get("loan_count")))
    per_loan = Decimal("0.01") * Decimal(loans).sqrt() if isinstance(loans, int) and loans > 0 else 0
    return 2 * half_unit(amount) + per_loan + half_unit(balance) * rate / 1200


def _fee_owners(ctx: Context) -> list:
    """(path, values) of the pool (with the pool's beginning balance) and of each loan group."""
    collateral = ctx.record.get("collateral") or {}
    pool = dict(ctx.record["pool"])
    total = collateral.get("total", {})
    if "beginning_balance" not in pool and number(total.get("beginning_balance")):
        pool["beginning_balance"] = total["beginning_balance"]
    return [(("pool",), pool)] + [(("collateral", Key(g)), v) for g, v in collateral.items()]


def _fee_rate(ctx: Context, values: dict, fee: str, rate_field: str, learned):
    """(rate in percent, where it came from), or (None, None)."""
    pool = ctx.record["pool"]
    for owner in (values, pool):
        if number(owner.get(rate_field)):
            return owner[rate_field], "the printed rate"
    if fee == "servicing_fee" and number(pool.get("wac_pct")) and number(pool.get("net_wac_pct")):
        return pool["wac_pct"] - pool["net_wac_pct"], "the gross less the net coupon,"
    if learned is not None:
        return learned, "the rate the other groups imply,"
    return None, None


def _implied_rate(owners, fee: str):
    """The yearly rate (percent, 4 decimals) that most owners' fees imply, when at least two agree."""
    votes = Counter((v[fee] * 1200 / v["beginning_balance"]).quantize(Decimal("0.0001")) for v in owners)
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
