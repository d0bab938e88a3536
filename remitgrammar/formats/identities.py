"""The identities a format spec declares: arithmetic among printed figures that only its layout knows.

A format's YAML may list, under ``identities``, relations such as "the 60+ day delinquent
balance is the sum of these buckets" or "the SMM is the prepaid principal over the prepayment
base". ``check`` evaluates them (RG330, check/rules_declared.py) with the same printed-precision
tolerance as its own rules. This module reads and validates the declarations; a bad one is a
ConfigError naming the spec, so a maintainer sees it at load time and in ``remitgrammar lint``.

    identities:
      - title: single monthly mortality
        value: collateral[*].smm_pct
        sum:
          - collateral[*].total_prepaid_principal
        over:
          - collateral[*].prepayment_base_balance
        scale: 100

(Lists one path a line: in a ``[flow, list]`` YAML reads a path's brackets and ``*`` as its own.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..errors import ConfigError

# key -> meaning, for lint and the docs
IDENTITY_KEYS = {
    "title": "what the identity says, shown in its findings",
    "value": "the record path of the printed figure the identity determines",
    "sum": "record paths added together (a leading '-' subtracts one)",
    "either": "in place of `sum`: alternative sums (lists like `sum`), the identity holding when one of them does "
              "(a layout whose reports count a figure in or out: bankruptcies in a 60+ day balance)",
    "optional": "record paths added like `sum`'s where the report prints them, taken as zero where it does not "
                "(a column only some reports of the layout print)",
    "constant": "an exact number added to the sum (100: a share and its complement); with no `sum`, the bound "
                "a `relation` holds the value to",
    "times": "record paths the sum is multiplied by",
    "over": "record paths the result is divided by",
    "scale": "a number the result is multiplied by (100 for a percentage)",
    "annualize": "months: the result is a monthly rate in percent, compounded to a yearly one (CPR from SMM)",
    "relation": "`at_most` or `at_least`: the value is a bound, not an equality (a share of a whole is at most "
                "100; the senior share of prepayments at least the senior percentage); `equal` by default",
    "average": "in place of `sum`: a path with [*] whose figures, over every key its section prints but the "
               "value's own, the value is the average of (a deal's coupon, of its loan groups' coupons)",
    "weights": "with `average`: the path with [*] of each key's weight (the groups' beginning balances), or a "
               "list of such paths, the identity holding when the average by one of them does",
}
_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([^\[\]]{1,60})\]|(\.)")
MAX_TERMS = 40


@dataclass(frozen=True)
class DeclaredIdentity:
    """One declared identity: value = scale * (sum of terms) * product(times) / product(over)."""

    title: str
    value: tuple
    terms: tuple          # (sign, path)
    times: tuple = ()
    optional: tuple = ()  # (sign, path): terms taken as zero where not printed
    constant: Decimal = Decimal(0)  # an exact number added to the sum
    others: tuple = ()    # further alternative sums (``either``), each a tuple of (sign, path)
    average: tuple = ()   # (path of the figures averaged, path of their weights, ...): each with [*]
    over: tuple = ()
    scale: Decimal = Decimal(1)
    annualize: int | None = None
    relation: str = "="   # the printed value against the computed one: "=", "<=" (at most), ">=" (at least)

    def paths(self):
        """Every path the identity reads, the value's first."""
        yield self.value
        yield from (path for _, path in self.terms)
        yield from (path for terms in self.others for _, path in terms)
        yield from (path for _, path in self.optional)
        yield from self.average
        yield from self.times
        yield from self.over


def parse_path(text, where: str) -> tuple:
    """``collateral[*].smm_pct`` -> ('collateral', '[*]', 'smm_pct'); a key keeps its brackets.

    Raises:
        ConfigError: not a record path.
    """
    if not isinstance(text, str) or not text or len(text) > 200:
        raise ConfigError(f"{where}: '{text}' is not a record path (section.field, section[key].field)")
    segments, position, expect_name = [], 0, True
    for match in _SEGMENT.finditer(text):
        if match.start() != position:
            break
        name, key, dot = match.groups()
        if dot is not None and expect_name:
            break
        if (name is not None) != expect_name and dot is None:  # a name only after a dot, a key never
            break
        if name is not None or key is not None:
            segments.append(name if name is not None else f"[{key.strip()}]")
        expect_name = dot is not None
        position = match.end()
    if position != len(text) or expect_name or not segments or segments[0].startswith("["):
        raise ConfigError(f"{where}: '{text}' is not a record path (section.field, section[key].field)")
    if segments.count("[*]") > 1:
        raise ConfigError(f"{where}: '{text}' has more than one [*]; an identity binds one key")
    return tuple(segments)


def parse_identities(raw, source: str) -> tuple:
    """Validate a spec's ``identities`` list; return DeclaredIdentity objects.

    Raises:
        ConfigError: an entry that is not a mapping, an unknown key, a bad path or number.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{source}: 'identities' must be a list")
    return tuple(_identity(entry, f"{source}: identity {index}") for index, entry in enumerate(raw, 1))


def checked_mapping(entry, known: dict, where: str) -> dict:
    """``entry`` when it is a mapping whose keys are all ``known`` (a declaration of a spec).

    Raises:
        ConfigError: not a mapping, or an unknown key.
    """
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a mapping with keys {', '.join(known)}")
    unknown = sorted(str(k) for k in entry if k not in known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(known)})")
    return entry


def _identity(entry, where: str) -> DeclaredIdentity:
    checked_mapping(entry, IDENTITY_KEYS, where)
    if "average" in entry:
        return _average(entry, where)
    bound = "constant" in entry and "relation" in entry and "sum" not in entry and "either" not in entry
    if "value" not in entry or ("sum" in entry) == ("either" in entry) and not bound:
        raise ConfigError(f"{where} needs 'value' and 'sum' (or 'either' in its place); a bound takes a "
                          "'constant' and a 'relation' instead")
    where = f"{where} ({entry.get('title') or entry['value']})"
    sums = [] if bound else [entry["sum"]] if "sum" in entry else entry["either"]
    if not isinstance(sums, list) or not bound and not 1 <= len(sums) <= 8:
        raise ConfigError(f"{where}: 'either' must be a list of 1 to 8 sums")
    terms, *others = [signed_paths(terms, "sum", where) for terms in sums] or [()]
    optional = signed_paths(entry["optional"], "optional", where) if "optional" in entry else ()
    identity = DeclaredIdentity(
        title=str(entry.get("title") or entry["value"]), value=parse_path(entry["value"], where), terms=terms,
        optional=optional, others=tuple(others), constant=_number(entry.get("constant", 0), "constant", where),
        times=tuple(parse_path(t, where) for t in _paths(entry.get("times", []), "times", where)),
        over=tuple(parse_path(t, where) for t in _paths(entry.get("over", []), "over", where)),
        scale=_scale(entry.get("scale", 1), where), annualize=_months(entry.get("annualize"), where),
        relation=_relation(entry.get("relation", "equal"), where))
    if "[*]" not in identity.value and any("[*]" in path for path in identity.paths()):
        raise ConfigError(f"{where}: a term has [*] but the value does not; the value's key binds it")
    return identity


def _average(entry: dict, where: str) -> DeclaredIdentity:
    """A weighted average: the value is the figures' average over the other keys of their section."""
    if "value" not in entry or "weights" not in entry or set(entry) - {"title", "value", "average", "weights"}:
        raise ConfigError(f"{where}: an 'average' takes 'value' and 'weights' (and a 'title') only")
    where = f"{where} ({entry.get('title') or entry['value']})"
    value = parse_path(entry["value"], where)
    listed = entry["weights"] if isinstance(entry["weights"], list) else [entry["weights"]]
    if not 1 <= len(listed) <= 8:
        raise ConfigError(f"{where}: 'weights' must be a path or a list of 1 to 8 paths")
    average, weights = parse_path(entry["average"], where), tuple(parse_path(w, where) for w in listed)
    if "[*]" in value or "[*]" not in average or any("[*]" not in w for w in weights):
        raise ConfigError(f"{where}: 'average' and 'weights' range over a section's keys ([*]); the value is one "
                          "figure (no [*])")
    return DeclaredIdentity(title=str(entry.get("title") or entry["value"]), value=value, terms=(),
                            average=(average,) + weights)


def signed_paths(value, key: str, where: str) -> tuple:
    """(sign, path) of each path of a list (a leading '-' subtracts it)."""
    return tuple((-1, parse_path(t[1:], where)) if isinstance(t, str) and t.startswith("-")
                 else (1, parse_path(t, where)) for t in _paths(value, key, where))


def _paths(value, key: str, where: str) -> list:
    if not isinstance(value, list) or (key in ("sum", "optional") and not value) or len(value) > MAX_TERMS:
        raise ConfigError(f"{where}: '{key}' must be a list of 1 to {MAX_TERMS} record paths")
    return value


def _number(value, key: str, where: str) -> Decimal:
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number.adjusted()) > 12:
        raise ConfigError(f"{where}: '{key}' must be a plain number such as 100, not '{value}'")
    return number


def _scale(value, where: str) -> Decimal:
    try:
        scale = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        scale = None
    if scale is None or not scale.is_finite() or scale == 0 or abs(scale.adjusted()) > 12:
        raise ConfigError(f"{where}: 'scale' must be a plain non-zero number such as 100 or 0.01, not '{value}'")
    return scale


RELATIONS = {"equal": "=", "at_most": "<=", "at_least": ">="}


def _relation(value, where: str) -> str:
    if value not in RELATIONS:
        raise ConfigError(f"{where}: 'relation' must be one of {', '.join(RELATIONS)}, not '{value}'")
    return RELATIONS[value]


def _months(value, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
        raise ConfigError(f"{where}: 'annualize' must be a whole number of periods a year (12), not '{value}'")
    return value

