"""How a deal's figures follow from one month to the next, as YAML declares it: the ``months`` block of
specs/canonical.yaml (every format) and of a format spec (its own fields). ``check`` compares them
(RG401-RG403, check/rules_months.py); this module reads and validates the declarations, and a bad one
is a ConfigError naming the file, seen at load time and in ``remitgrammar lint``.

    months:
      same:                      # printed alike in every month of a deal
        - classes[*].cusip
      carries:                   # identities across two consecutive months
        - title: a class's beginning balance is last month's ending balance
          value: classes[*].beginning_balance
          sum:
            - last.classes[*].ending_balance
        - title: cumulative losses are last month's plus this month's
          value: pool.cumulative_realized_losses
          sum:
            - last.pool.cumulative_realized_losses
            - pool.realized_losses

A path beginning ``last.`` is the month before's figure; any other is this month's. ``either`` in
place of ``sum`` lists alternative sums (a layout that counts an amount one way or the other): the
carry holds when one of them does. Figures printed under ``prior.`` and ``next.`` (canonical.yaml's
periods) carry by that convention alone: ``pool.prior.wac_pct`` is last month's ``pool.wac_pct``,
``pool.next.index_rate_pct`` next month's ``pool.index_rate_pct``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError
from .identities import checked_mapping, parse_path, signed_paths

LAST = "last"
MONTH_KEYS = {"same": "record paths whose figure is the same in every month of a deal (an original balance, "
                      "a CUSIP)",
              "carries": "identities between this month's figures and the month before's (`last.` paths)"}
CARRY_KEYS = {"title": "what the carry says, shown in its findings",
              "value": "the record path of this month's figure the carry determines",
              "sum": "record paths added together, `last.` for the month before's (a leading '-' subtracts one)",
              "either": "alternative sums (lists like `sum`): the carry holds when one of them does"}
MAX_ENTRIES = 400


@dataclass(frozen=True)
class Carry:
    """value (this month) == one of the sums; a term is (sign, path, from the month before)."""

    title: str
    value: tuple
    sums: tuple  # tuple of sums, each a tuple of (sign, path, last: bool)

    def paths(self, last: bool):
        """The paths the carry reads from this month (``last`` False, the value's first) or the month before."""
        if not last:
            yield self.value
        for terms in self.sums:
            yield from (path for _, path, earlier in terms if earlier == last)

    @property
    def cumulative(self) -> bool:
        """A figure that carries itself and only grows (last month's plus this month's): cumulative losses."""
        return all(any(earlier and path == self.value for _, path, earlier in terms)
                   and all(sign > 0 for sign, _, _ in terms) for terms in self.sums)


@dataclass(frozen=True)
class MonthRules:
    """A format's declarations across months: canonical.yaml's followed by its own."""

    same: tuple = ()     # paths
    carries: tuple = ()  # Carry

    def __add__(self, other: "MonthRules") -> "MonthRules":
        return MonthRules(self.same + tuple(p for p in other.same if p not in self.same),
                          self.carries + other.carries)


def parse_months(raw, source: str) -> MonthRules:
    """Validate a ``months`` block; return its MonthRules.

    Raises:
        ConfigError: a block that is not a mapping, an unknown key, a bad path or entry.
    """
    if raw is None:
        return MonthRules()
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: 'months' must be a mapping with keys {', '.join(MONTH_KEYS)}")
    unknown = sorted(str(k) for k in raw if k not in MONTH_KEYS)
    if unknown:
        raise ConfigError(f"{source}: months: unknown key(s) {', '.join(unknown)} (known: {', '.join(MONTH_KEYS)})")
    same, carries = raw.get("same") or [], raw.get("carries") or []
    if not isinstance(same, list) or not isinstance(carries, list) or len(same) + len(carries) > MAX_ENTRIES:
        raise ConfigError(f"{source}: months: 'same' and 'carries' must be lists (at most {MAX_ENTRIES} entries)")
    paths = tuple(parse_path(p, f"{source}: months: same") for p in same)
    return MonthRules(paths, tuple(_carry(entry, f"{source}: months: carry {i}") for i, entry in enumerate(carries, 1)))


def _carry(entry, where: str) -> Carry:
    checked_mapping(entry, CARRY_KEYS, where)
    if "value" not in entry or ("sum" in entry) == ("either" in entry):
        raise ConfigError(f"{where} needs 'value' and one of 'sum' or 'either'")
    where = f"{where} ({entry.get('title') or entry['value']})"
    value = parse_path(entry["value"], where)
    if value[0] == LAST:
        raise ConfigError(f"{where}: the value is this month's figure: no 'last.'")
    alternatives = [entry["sum"]] if "sum" in entry else entry["either"]
    if not isinstance(alternatives, list) or not 1 <= len(alternatives) <= 8:
        raise ConfigError(f"{where}: 'either' must be a list of 1 to 8 sums")
    sums = tuple(_sum(terms, where) for terms in alternatives)
    carry = Carry(str(entry.get("title") or entry["value"]), value, sums)
    if not any(True for _ in carry.paths(last=True)):
        raise ConfigError(f"{where}: no 'last.' path: a carry relates this month to the month before "
                          "(an identity within one month belongs under `identities:`)")
    if "[*]" not in value and any("[*]" in p for last in (True, False) for p in carry.paths(last)):
        raise ConfigError(f"{where}: a term has [*] but the value does not; the value's key binds it")
    return carry


def _sum(terms, where: str) -> tuple:
    """(sign, path, of the month before) of each term: a path beginning ``last.`` is last month's."""
    parsed = []
    for sign, path in signed_paths(terms, "sum", where):
        earlier = path[0] == LAST
        if earlier and len(path) < 2:
            raise ConfigError(f"{where}: 'last.' names no figure")
        parsed.append((sign, path[1:] if earlier else path, earlier))
    return tuple(parsed)
