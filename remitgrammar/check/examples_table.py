"""The table of examples `remitgrammar rule CODE` shows (examples.py runs them): for each rule, the fewest
figures of a report that pass it, as printed, and the one figure that, printed otherwise, makes it fail.
Made-up round figures, not any filing's; a change is chosen so that no other reading of the rule (another
day count, another group) fits it either.
"""

from __future__ import annotations

from typing import NamedTuple

from ..records import Key


class Example(NamedTuple):
    """``figures``: (record path, value as printed) that pass; ``change``: one of them printed otherwise;
    ``after``: the rules whose identities the rule reads (RG399's misprint search), run before it;
    ``spec``: the built-in format whose declarations the rules read (notional classes, types, identities);
    ``before``: for a rule across months, the figures of the deal's report a month before (the change is
    this month's)."""

    figures: tuple
    change: tuple
    after: tuple = ()
    spec: str = "distribution-summary"
    before: tuple = ()


def _class(name: str, **fields) -> tuple:
    return tuple((("classes", Key(name), field), value) for field, value in fields.items())


def _group(group: str, **fields) -> tuple:
    return tuple((("collateral", Key(group), field), value) for field, value in fields.items())


def _cell(group: str, status: str, **measures) -> tuple:
    """A delinquency or loan status cell of a loan group: its count, balance, percentages."""
    return tuple((("delinquency", Key(group), Key(status), measure), value) for measure, value in measures.items())


def _at(*path_and_value) -> tuple:
    """One figure at any path: ``_at("pool", "index_rate_pct", "1.50000")``."""
    return ((tuple(path_and_value[:-1]), path_and_value[-1]),)


EXAMPLES = {
    "RG301": Example(_class("A-1", beginning_balance="10,000,000", principal_distribution="1,250,000",
                            ending_balance="8,750,000"),
                     (("classes", Key("A-1"), "ending_balance"), "8,570,000")),
    "RG302": Example(_class("A-1", principal_distribution="1,250,000.00", interest_distribution="41,666.67",
                            total_distribution="1,291,666.67"),
                     (("classes", Key("A-1"), "total_distribution"), "1,219,666.67")),
    "RG303": Example(_class("A-1", ending_balance="8,750,000") + _class("A-2", ending_balance="4,000,000")
                     + ((("class_totals", "ending_balance"), "12,750,000"),),
                     (("class_totals", "ending_balance"), "12,570,000")),
    "RG304": Example(_class("A-1", original_balance="10,000,000", principal_distribution="1,250,000")
                     + _at("classes", Key("A-1"), "per_1000", "principal", "125.00000"),
                     (("classes", Key("A-1"), "per_1000", "principal"), "152.00000")),
    "RG305": Example(_group("1", beginning_balance="50,000,000.00", total_principal_remittance="1,500,000.00",
                            realized_losses="25,000.00", ending_balance="48,475,000.00"),
                     (("collateral", Key("1"), "ending_balance"), "48,475,000.26")),
    "RG306": Example(_group("1", scheduled_principal="400,000.00", prepayments="1,100,000.00",
                            total_principal_remittance="1,500,000.00"),
                     (("collateral", Key("1"), "total_principal_remittance"), "1,510,000.00")),
    "RG307": Example(_group("1", ending_balance="30,000,000.00") + _group("2", ending_balance="18,475,000.00")
                     + _group("total", ending_balance="48,475,000.00"),
                     (("collateral", Key("total"), "ending_balance"), "48,745,000.00")),
    "RG308": Example(_group("1", scheduled_interest_net="250,000.00", relief_act_shortfall="1,000.00",
                            interest_remittance="249,000.00"),
                     (("collateral", Key("1"), "interest_remittance"), "294,000.00")),
    "RG309": Example(_cell("1", "30-59", count="3") + _cell("2", "30-59", count="2") + _cell("total", "30-59", count="5"),
                     (("delinquency", Key("total"), Key("30-59"), "count"), "6")),
    "RG310": Example(_group("total", ending_balance="50,000,000") + _class("A-1", ending_balance="48,000,000")
                     + _at("pool", "overcollateralization_amount", "2,000,000"),
                     (("pool", "overcollateralization_amount"), "2,500,000")),
    "RG312": Example(_cell("1", "30-59", count="4") + _cell("1", "60-89", count="2") + _cell("1", "90+", count="1")
                     + _cell("1", "delinquent", count="7"),
                     (("delinquency", Key("1"), Key("delinquent"), "count"), "8")),
    "RG313": Example(_group("1", oc_target="2,000,000", overcollateralization_amount="2,500,000", excess_oc="500,000"),
                     (("collateral", Key("1"), "excess_oc"), "50,000")),
    # 50,500 fits no whole number of days at actual/360 either (55,000 would: 33 days)
    "RG314": Example(_class("A-1", beginning_balance="12,000,000.00", interest_rate_pct="5.00000",
                            accrued_interest="50,000.00"),
                     (("classes", Key("A-1"), "accrued_interest"), "50,500.00")),
    "RG315": Example(_group("1", ending_balance="40,000,000") + _cell("1", "30-59", balance="1,000,000",
                                                                    balance_pct="2.50"),
                     (("delinquency", Key("1"), Key("30-59"), "balance_pct"), "2.05")),
    "RG316": Example(_group("1", beginning_balance="24,000,000.00", servicing_fee="10,000.00")
                     + _at("pool", "servicing_fee_rate_pct", "0.500"),
                     (("collateral", Key("1"), "servicing_fee"), "1,000.00")),
    "RG317": Example(_class("A-1", accrued_interest="50,000.00", interest_distribution="49,000.00")
                     + _at("classes", Key("A-1"), "shortfall", "relief_act_interest_shortfall", "1,000.00"),
                     (("classes", Key("A-1"), "interest_distribution"), "49,100.00")),
    "RG318": Example(_at("pool", "index_rate_pct", "1.50000")
                     + _class("A-1", margin_pct="0.35000", interest_rate_pct="1.85000"),
                     (("classes", Key("A-1"), "interest_rate_pct"), "1.58000")),
    "RG319": Example(_class("A-1", ending_balance="40,000,000", credit_support_pct="20.00")
                     + _class("B", ending_balance="8,000,000", credit_support_pct="4.00")
                     + _at("pool", "overcollateralization_amount", "2,000,000")
                     + _group("total", ending_balance="50,000,000"),
                     (("classes", Key("A-1"), "credit_support_pct"), "12.00")),
    "RG323": Example(_at("classes", Key("A-1"), "shortfall", "relief_act_interest_shortfall", "600.00")
                     + _at("classes", Key("A-2"), "shortfall", "relief_act_interest_shortfall", "400.00")
                     + _at("pool", "relief_act_shortfall", "1,000.00"),
                     (("pool", "relief_act_shortfall"), "1,100.00")),
    "RG324": Example(_at("pool", "prepayment_premiums", "20,000.00") + _class("P", interest_distribution="20,000.00"),
                     (("pool", "prepayment_premiums"), "2,000.00")),
    "RG325": Example(_group("1", realized_losses="25,000", cumulative_realized_losses="125,000")
                     + _at("collateral", Key("1"), "prior", "cumulative_realized_losses", "100,000"),
                     (("collateral", Key("1"), "cumulative_realized_losses"), "152,000")),
    "RG326": Example(_group("1", cutoff_balance="50,000,000.00", ending_balance="40,000,000.00",
                            group_factor_pct="80.00000"),
                     (("collateral", Key("1"), "group_factor_pct"), "8.00000")),
    # X is the O/C class: its balance is the O/C amount
    "RG327": Example(_at("pool", "net_monthly_excess_cash_flow", "300,000") + _at("pool", "oc_increase", "200,000")
                     + _at("pool", "overcollateralization_amount", "2,000,000")
                     + _class("X", ending_balance="2,000,000", interest_distribution="100,000"),
                     (("pool", "net_monthly_excess_cash_flow"), "250,000")),
    "RG328": Example(_at("pool", "oc_floor", "1,500,000") + _at("pool", "oc_target", "2,000,000"),
                     (("pool", "oc_target"), "1,000,000")),
    "RG329": Example(_at("pool", "delinquency_pct", "4.00") + _at("pool", "threshold", "delinquency_pct", "5.00")
                     + _at("pool", "triggers", "delinquency_pct", "NO"),
                     (("pool", "triggers", "delinquency_pct"), "YES")),
    # distribution-summary declares: the O/C amount is the collateral balance less the certificate balance
    "RG330": Example(_at("pool", "aggregate_ending_collateral_balance", "50,000,000")
                     + _at("pool", "aggregate_certificate_balance", "48,000,000")
                     + _at("pool", "overcollateralization_amount", "2,000,000"),
                     (("pool", "overcollateralization_amount"), "2,500,000")),
    # payment-report declares class_amounts' interest a sum of the classes' interest_distribution
    "RG331": Example(_class("A-1", interest_distribution="40,000.00") + _class("A-2", interest_distribution="10,000.00")
                     + _at("pool", "class_amounts", Key("A"), "interest", "50,000.00"),
                     (("pool", "class_amounts", Key("A"), "interest"), "5,000.00"), spec="payment-report"),
    # group 1's ending balance is in RG305's identity and RG307's: the one figure that fixes both
    "RG399": Example(_group("1", beginning_balance="50,000,000", total_principal_remittance="1,500,000",
                            realized_losses="25,000", ending_balance="48,475,000")
                     + _group("2", ending_balance="20,000,000") + _group("total", ending_balance="68,475,000"),
                     (("collateral", Key("1"), "ending_balance"), "48,457,000"), after=("RG305", "RG307")),
    "RG401": Example(_class("A-1", beginning_balance="8,750,000"),
                     (("classes", Key("A-1"), "beginning_balance"), "8,570,000"),
                     before=_class("A-1", ending_balance="8,750,000")),
    "RG402": Example(_class("A-1", realized_loss="10,000", cumulative_realized_loss="60,000"),
                     (("classes", Key("A-1"), "cumulative_realized_loss"), "70,000"),
                     before=_class("A-1", cumulative_realized_loss="50,000")),
    "RG403": Example(_class("A-1", original_balance="10,000,000"),
                     (("classes", Key("A-1"), "original_balance"), "1,000,000"),
                     before=_class("A-1", original_balance="10,000,000")),
    "RG405": Example(_class("A-1", ending_balance="8,750,000"),
                     (("classes", Key("A-1"), "ending_balance"), "10,500,000"),
                     before=_class("A-1", ending_balance="10,000,000")),
    # the changed beginning balance breaks this month's RG301 and the carry from last month: one misprint
    "RG407": Example(_class("A-1", beginning_balance="8,750,000", principal_distribution="1,250,000",
                            ending_balance="7,500,000"),
                     (("classes", Key("A-1"), "beginning_balance"), "8,570,000"),
                     after=("RG301",), before=_class("A-1", ending_balance="8,750,000")),
    "RG408": Example(_class("A-1", interest_rate_pct="5.00000", interest_rate_next_pct="5.00000"),
                     (("classes", Key("A-1"), "interest_rate_next_pct"), "5.50000"),
                     before=_class("A-1", interest_rate_pct="5.00000", interest_rate_next_pct="5.00000")),
}
