"""Find class labels printed rows off in a per-$1,000 table, from the report's own arithmetic.

Each factor of AMOUNTS PER $1,000 UNIT is a dollar amount of the distribution
summary times 1,000 over the class's original balance. When the factors on the
row labelled A-2 are A-1's (and so on down the table), the labels are shifted;
comparing every row against every class a few rows away tells by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..records import half_unit

# The summary amount each factor is computed from.
FACTOR_SOURCES = {
    "per_1000.principal": "principal_distribution",
    "per_1000.interest": "interest_distribution",
    "per_1000.total": "total_distribution",
    "per_1000.ending_balance": "ending_balance",
}
MAX_SHIFT = 2


def expected_factor(summary: dict, field: str, source: str | None = None) -> tuple[Decimal, Decimal] | None:
    """The factor a class's summary amounts imply, and the slack their rounding allows.

    Returns:
        (expected, slack) or None when the class has no original balance or amount.
    """
    original = summary.get("original_balance")
    amount = summary.get(source or FACTOR_SOURCES[field])
    if not isinstance(original, Decimal) or not isinstance(amount, Decimal) or original <= 0:
        return None
    return amount * 1000 / original, half_unit(amount) * 1000 / original


def factor_matches(printed: Decimal, summary: dict, field: str, source: str | None = None) -> bool | None:
    """Whether a printed factor agrees with the class's amounts (None: cannot tell).

    ``source`` names the class amount behind the factor (FACTOR_SOURCES by default)."""
    expected = expected_factor(summary, field, source)
    if expected is None or not isinstance(printed, Decimal):
        return None
    value, slack = expected
    return abs(printed - value) <= slack + half_unit(printed)


@dataclass
class Score:
    """How well a block's rows agree with the classes ``shift`` rows away."""

    shift: int
    matched: int = 0
    checked: int = 0


def score(rows: list[dict], names: list, classes: dict, shift: int) -> Score:
    """Count the rows whose factors agree with the class ``shift`` rows further down."""
    result = Score(shift)
    for index, factors in enumerate(rows):
        target = index + shift
        if not 0 <= target < len(names) or names[target] not in classes:
            continue
        verdicts = [factor_matches(value, classes[names[target]], field) for field, value in factors.items()]
        verdicts = [v for v in verdicts if v is not None]
        if verdicts:
            result.checked += 1
            result.matched += all(verdicts)
    return result


def find_shift(rows: list[dict], names: list, classes: dict) -> tuple[int | None, Score]:
    """The shift that makes a block's factors agree with its labels.

    Args:
        rows: per row, factor field -> printed Decimal.
        names: per row, the summary class the row's label names (or another name).
        classes: summary class name -> its summary values.

    Returns:
        (0, score) when the labels agree; (s, score) for a confident shift s;
        (None, score at 0) when the values contradict their labels and no shift
        explains them.
    """
    as_printed = score(rows, names, classes, 0)
    if as_printed.checked < 3 or as_printed.matched * 2 > as_printed.checked:
        return 0, as_printed
    best = max((score(rows, names, classes, s) for s in range(-MAX_SHIFT, MAX_SHIFT + 1) if s),
               key=lambda sc: (sc.matched, -abs(sc.shift)))
    confident = best.matched >= 3 and best.matched * 5 >= best.checked * 4 \
        and best.matched >= 2 * as_printed.matched
    return (best.shift, best) if confident else (None, as_printed)
