"""The rule registry of ``check``: what a rule is, the context it runs in, and running them.

A rule is a small function registered with its code, a one-paragraph
explanation, the tolerance it allows and the real-data quirks that make it fire
on a correct parse. It reads the record and yields findings. Tolerance always
comes from printed precision: a rule states its identity once through
``Context.identity``, which evaluates it over the intervals of its printed figures
(intervals.py) and keeps it for the misprint search, never with a blanket percentage.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from ..errors import Finding
from ..formats.specs import field_info
from ..records import Key, render_path
from .intervals import Identity, describe, evaluate, expected, number, slack

__all__ = ["ACROSS", "RULES", "Context", "Identity", "Rule", "class_path", "number", "rule", "slack"]

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
                hint: str | None = None, severity: str | None = None, rests_on: tuple | None = None) -> None:
        """Add a finding located through the provenance of ``path`` (``rests_on``: the codes of the findings
        it is built on, see Finding)."""
        where = self.provenance.get(path or "", {})
        line = where.get("line")
        self.findings.append(Finding(
            code, severity or RULES[code].severity, message, path=path, line=line,
            column=where.get("column"),
            source_line=self.lines[line - 1] if line and line <= len(self.lines) else None,
            expected=None if expected is None else _show(expected),
            actual=None if actual is None else _show(actual), hint=hint, rests_on=rests_on))

    def identity(self, code: str, result_path: tuple | None, terms: list, result, what: str,
                 report: bool = True, **arithmetic) -> Identity | None:
        """State the identity ``result = sum(sign * term)``, or with ``arithmetic`` (times=, over=, plus=,
        scale=, annualize=, widen=, relation=: see intervals.evaluate) any ratio of printed figures, and
        check it within the printed precision of every figure; a failure is a finding at ``result_path``.

        A term is (sign, value) or (sign, value, record path): with paths, the identity also takes part
        in the search for the one misprinted number behind several failures (misprints.py). A figure
        that is not a number, or a divisor that may be zero, leaves the identity unchecked (None).
        ``report=False`` keeps it for that search without a finding (the rule words its own).
        """
        stated = evaluate(code, result_path, terms, result, what, **arithmetic)
        if stated is not None:
            self.state(stated, report=report)
        return stated

    def state(self, identity: Identity, report: bool = True, message: str | None = None, **finding) -> None:
        """Keep an evaluated identity for the misprint search and, when it failed, report it (in the rule's
        own ``message`` and with its ``expected``/``actual``/``hint`` where given)."""
        self.identities.append(identity)
        if identity.failed and report:
            finding.setdefault("expected", expected(identity))
            finding.setdefault("actual", identity.result.value)
            path = identity.result.path
            self.finding(identity.code, message or describe(identity), None if path is None else render_path(path),
                         **finding)


def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(name.upper(), p.upper()) for p in patterns)


def _show(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def class_path(name: str, *fields: str) -> tuple:
    """The path tuple of a class field."""
    return ("classes", Key(name)) + fields
