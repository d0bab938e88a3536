"""The rule registry of ``check``: what a rule is, the context it runs in, and running them.

A rule is a small function registered with its code, a one-paragraph
explanation, the tolerance it allows and the real-data quirks that make it fire
on a correct parse. It reads the record and yields findings. Tolerance always
comes from printed precision: each printed amount may be off by half a unit of
its last digit, so an identity of n printed amounts allows the sum of their
half-units, never a blanket percentage.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from ..errors import Finding
from ..formats.specs import field_info
from ..records import Key, render_path
from ..records import half_unit

RULES: dict[str, "Rule"] = {}    # rules over one report
ACROSS: dict[str, "Rule"] = {}   # rules over the months of one deal (RG4xx)


@dataclass(frozen=True)
class Rule:
    """One registered rule."""

    code: str
    title: str
    severity: str
    explanation: str
    tolerance: str
    quirks: str
    run: Callable
    also: tuple = ()  # other severities it reports: RG303's information on classes a Total leaves out

    @property
    def severities(self) -> tuple:
        """Every severity its findings take, its own first."""
        return (self.severity,) + self.also


def rule(code: str, title: str, severity: str, tolerance: str, quirks: str = "none seen", into: dict = RULES,
         also: tuple = ()):
    """Register a rule function; its docstring is the explanation.

    Args:
        code: the stable finding code (RG3xx over one report, RG4xx across months).
        title: a short name.
        severity: the severity of its findings.
        tolerance: what slack it allows, in words.
        quirks: real-data quirks that make it fire on a correct parse.
        into: the registry: RULES (one report) or ACROSS (the months of a deal).
        also: the other severities some of its findings take.
    """
    def register(fn):
        explanation = " ".join((fn.__doc__ or "").split())
        into[code] = Rule(code, title, severity, explanation, tolerance, quirks, fn, tuple(also))
        return fn
    return register


def number(value) -> bool:
    """True for a printed amount (not None, not a flag, not text)."""
    return isinstance(value, (Decimal, int)) and not isinstance(value, bool)


def slack(values: Iterable) -> Decimal:
    """The rounding slack of a set of printed amounts: the sum of their half-units.

    Printed zeros together add at most one unit of their last digit: a zero may be a rounded
    0.40, but trustees print nothing-at-all as 0 or 0.00, and thirteen classes of zero shortfall
    would otherwise hide a misprinted 5 in the fourteenth."""
    numbers = [v for v in values if isinstance(v, Decimal)]
    nonzero = sum((half_unit(v) for v in numbers if v != 0), Decimal(0))
    zeros = [half_unit(v) for v in numbers if v == 0]
    return nonzero + min(sum(zeros), 2 * max(zeros)) if zeros else nonzero


@dataclass
class Context:
    """What a rule sees: the record, where its values came from, and the format."""

    record: dict
    provenance: dict
    spec: object
    lines: list
    findings: list = field(default_factory=list)
    identities: list = field(default_factory=list)  # every Identity evaluated, held or failed

    @property
    def classes(self) -> list[dict]:
        """The classes of the distribution summary."""
        return self.record["classes"]

    def additive(self, section: str, field: str) -> bool:
        """True for a field whose values add up across loan groups: amounts, and counts of loans
        (not months, not percentages)."""
        info = field_info(self.spec, section, field)
        return info.get("type") == "amount" or (info.get("type") == "count" and "unit" not in info)

    def tiers(self) -> list[tuple]:
        """(tier or None, its classes, its Total row, the Total row's path prefix), one per class tier."""
        tier_totals = self.record.get("tier_totals") or {}
        if not tier_totals:
            return [(None, self.classes, self.record["class_totals"], "class_totals")]
        return [(tier, [e for e in self.classes if e.get("tier") == tier], totals, f"tier_totals[{tier}]")
                for tier, totals in tier_totals.items()]

    def certificate_classes(self) -> list[dict]:
        """The classes of the tier investors hold (the only tier, where one is printed)."""
        tiers = [e.get("tier") for e in self.classes if e.get("tier")]
        if not tiers:
            return self.classes
        chosen = getattr(self.spec, "certificate_tier", None)
        chosen = chosen if chosen in tiers else tiers[-1]
        return [e for e in self.classes if e.get("tier") == chosen]

    def notional(self, name: str) -> bool:
        """A class with a notional balance (interest-only), by the format's name patterns."""
        return _matches(name, getattr(self.spec, "notional_classes", ()))

    def outside_oc(self, name: str) -> bool:
        """A class the deal leaves out of its overcollateralization (the format's ``oc_excluded_classes``)."""
        return _matches(name, getattr(self.spec, "oc_excluded_classes", ()))

    def ending_collateral(self) -> tuple:
        """(the deal's ending collateral balance, the record path it was printed at): the pool's
        aggregate where printed, else the TOTAL column's ending balance."""
        pool = self.record["pool"]
        if "aggregate_ending_collateral_balance" in pool:
            return pool["aggregate_ending_collateral_balance"], ("pool", "aggregate_ending_collateral_balance")
        total = self.record["collateral"].get("total", {})
        return total.get("ending_balance"), ("collateral", Key("total"), "ending_balance")

    def oc_class(self) -> str | None:
        """The overcollateralization class: the one whose ending balance is the OC amount."""
        if "_oc_class" not in self.__dict__:  # asked by many rules; the record does not change under them
            self.__dict__["_oc_class"] = self._find_oc_class()
        return self.__dict__["_oc_class"]

    def _find_oc_class(self) -> str | None:
        amount = self.record["pool"].get("overcollateralization_amount")
        if not number(amount) or amount == 0:  # no O/C: a class at zero (R) is not its holder
            return None
        for entry in self.certificate_classes():
            end = entry.get("ending_balance")
            if number(end) and abs(end - amount) <= slack([end, amount]):
                return entry["class"]
        return None

    def finding(self, code: str, message: str, path: str | None, expected=None, actual=None,
                hint: str | None = None, severity: str | None = None) -> None:
        """Add a finding located through the provenance of ``path``."""
        where = self.provenance.get(path or "", {})
        line = where.get("line")
        self.findings.append(Finding(
            code, severity or RULES[code].severity, message, path=path, line=line,
            column=where.get("column"),
            source_line=self.lines[line - 1] if line and line <= len(self.lines) else None,
            expected=None if expected is None else _show(expected),
            actual=None if actual is None else _show(actual), hint=hint))

    def identity(self, code: str, result_path: tuple, terms: list, result, what: str) -> None:
        """Check sum(sign * term) == result within the printed precision of every amount.

        A term is (sign, value) or (sign, value, record path): with paths, the identity also takes
        part in the search for the one misprinted number behind several failures (misprints.py).
        """
        terms = [t if len(t) == 3 else (t[0], t[1], None) for t in terms]
        if not number(result) or any(not number(v) for _, v, _ in terms):
            return
        computed = sum((sign * v for sign, v, _ in terms), Decimal(0))
        allowed = slack([v for _, v, _ in terms] + [result])
        failed = abs(computed - result) > allowed
        self.identities.append(Identity(code, what, terms, (result, result_path), allowed, failed))
        if failed:
            self.finding(code, f"{what}: computed {_show(computed)}, printed {_show(result)} "
                         f"(off by {_show(result - computed)}, rounding allows {_show(allowed)})",
                         render_path(result_path), expected=computed, actual=result)


@dataclass
class Identity:
    """One identity a rule evaluated: sum(sign * term) == result, its slack, and whether it failed."""

    code: str
    what: str
    terms: list      # (sign, value, record path or None)
    result: tuple    # (value, record path)
    allowed: Decimal
    failed: bool

    def cells(self):
        """(record path, fitting value) of each printed number that alone would make this identity hold."""
        computed = sum((sign * v for sign, v, _ in self.terms), Decimal(0))
        value, path = self.result
        yield path, computed
        for sign, term, term_path in self.terms:
            if term_path is not None:
                yield term_path, term + (value - computed) / sign

    def holds_with(self, path: tuple, value) -> bool:
        """Whether the identity holds when the number at ``path`` is ``value`` instead."""
        result, result_path = self.result
        result = value if result_path == path else result
        computed = sum((sign * (value if p == path else v) for sign, v, p in self.terms), Decimal(0))
        return abs(computed - result) <= self.allowed


def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(name.upper(), p.upper()) for p in patterns)


def _show(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def class_path(name: str, *fields: str) -> tuple:
    """The path tuple of a class field."""
    return ("classes", Key(name)) + fields
