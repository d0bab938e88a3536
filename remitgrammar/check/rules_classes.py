"""Rules over the certificate classes: balances, distributions, Total rows, factors, roster (credit
support, RG319, is with the credit enhancement rules in rules_credit.py)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

from .intervals import evaluate
from .registry import Context, class_path, number, rule, slack
from ..records import Key, render_path
from ..assemble.shift import FACTOR_SOURCES

TOTALLED_FIELDS = ("original_balance", "beginning_balance", "principal_distribution", "interest_distribution",
                   "realized_loss", "total_distribution", "interest_shortfall", "deferred_interest",
                   "ending_balance")
SHORTFALL_FIELDS = ("total_unpaid", "realized_losses", "prepayment_interest_shortfall",
                    "relief_act_interest_shortfall", "raisf", "net_wac_carryover")
MAX_LEFT_OUT = 4
MAX_SEARCHED = 200  # classes a Total's omissions are searched among in threes and fours (a deal has < 100)


@rule("RG301", "class balance", "error",
      tolerance="half a unit of the last printed digit of each of the amounts",
      quirks="Interest-only classes (A-IO, A-IO-INV, B-IO) amortize a notional balance on a schedule with "
             "no principal; the overcollateralization class X grows by the O/C increase. Both follow their "
             "own rules here. The 2002 X class is off by one cent, within rounding. An accreting class "
             "(the dollars-statement sample's X and LT-B) grows by its deferred interest.")
def class_balance(ctx: Context) -> None:
    """Beginning balance less principal distributed less realized loss, plus deferred interest where
    the report prints it (an accreting class), is the ending balance. A notional class (the format
    spec's `notional_classes` patterns) pays no principal, bears no realized loss and its balance can
    only decline; an overcollateralization class printed without deferred interest (the one whose
    ending balance equals the pool's OC amount) ends at its beginning balance plus the O/C increase
    less the O/C release and the realized loss it bears."""
    oc_class = ctx.oc_class()
    pool = ctx.record["pool"]
    for entry in ctx.classes:
        name = entry["class"]
        begin, principal, end = (entry.get(k) for k in ("beginning_balance", "principal_distribution",
                                                         "ending_balance"))
        loss = entry.get("realized_loss")
        loss = loss if number(loss) else 0
        deferred = entry.get("deferred_interest")
        if number(deferred) and deferred != 0:
            ctx.identity("RG301", class_path(name, "ending_balance"),
                         [(1, begin, _at(entry, "beginning_balance")), (-1, principal, _at(entry, "principal_distribution")),
                          (-1, loss, _at(entry, "realized_loss")), (1, deferred, _at(entry, "deferred_interest"))], end,
                         f"class {name}: beginning balance - principal - realized loss + deferred interest")
        elif name == oc_class:
            ctx.identity("RG301", class_path(name, "ending_balance"),
                         [(1, begin, _at(entry, "beginning_balance")), (1, pool.get("oc_increase", 0)),
                          (-1, pool.get("oc_release", 0)), (-1, loss, _at(entry, "realized_loss"))], end,
                         f"class {name} (overcollateralization): beginning + O/C increase - O/C release - "
                         "realized loss")
        elif ctx.notional(name):
            _notional(ctx, name, begin, principal, end, entry.get("realized_loss"))
        else:
            ctx.identity("RG301", class_path(name, "ending_balance"),
                         [(1, begin, _at(entry, "beginning_balance")), (-1, principal, _at(entry, "principal_distribution")),
                          (-1, loss, _at(entry, "realized_loss"))], end,
                         f"class {name}: beginning balance - principal - realized loss")


def _at(entry: dict, field: str) -> tuple | None:
    """The record path of a class's printed number (None when the class does not print it)."""
    return class_path(entry["class"], field) if number(entry.get(field)) else None


def _notional(ctx: Context, name: str, begin, principal, end, loss) -> None:
    paid = evaluate("RG301", class_path(name, "principal_distribution"), [], principal,
                    f"class {name}: a notional balance pays no principal")
    if paid is not None:
        ctx.state(paid, message=f"class {name} has a notional balance but {principal} of principal was paid")
    # a loss is allocated to principal, which a notional balance does not have
    borne = evaluate("RG301", class_path(name, "realized_loss"), [], loss,
                     f"class {name}: a notional balance bears no realized loss")
    if borne is not None:
        ctx.state(borne, message=f"class {name} has a notional balance but bears {loss} of realized loss")
    kept = evaluate("RG301", class_path(name, "ending_balance"), [(1, begin, class_path(name, "beginning_balance"))],
                    end, f"class {name}: a notional balance does not grow", relation="<=")
    if kept is not None:
        ctx.state(kept, message=f"class {name} has a notional balance, which should not grow: {begin} -> {end}")


@rule("RG302", "class distribution", "error",
      tolerance="half a unit of the last printed digit of each of the three amounts (or factors)",
      quirks="Reports rounded to whole dollars are off by one dollar on some classes; within rounding.")
def class_distribution(ctx: Context) -> None:
    """Principal plus interest distributed is the total distribution of the class, and of each Total
    row (of each tier); the same for the class's per $1,000 factors, where it prints all three. A report
    without a total distribution column, or a class whose amounts are N/A, is not checked."""
    rows = [(f"class {e['class']}", e, class_path(e["class"])) for e in ctx.classes]
    rows += [(f"Total row {prefix}", totals, _row_path(tier)) for tier, _, totals, prefix in ctx.tiers() if totals]
    for name, row, path in rows:
        ctx.identity("RG302", path + ("total_distribution",),
                     [(1, row.get("principal_distribution"), path + ("principal_distribution",)),
                      (1, row.get("interest_distribution"), path + ("interest_distribution",))],
                     row.get("total_distribution"), f"{name}: principal + interest")
        factors = row.get("per_1000") or {}
        ctx.identity("RG302", path + ("per_1000", "total"),
                     [(1, factors.get("principal"), path + ("per_1000", "principal")),
                      (1, factors.get("interest"), path + ("per_1000", "interest"))],
                     factors.get("total"), f"{name}: principal + interest per $1,000")


def _row_path(tier) -> tuple:
    return ("class_totals",) if tier is None else ("tier_totals", Key(tier))


@rule("RG303", "class table totals", "error", also=("info",),
      tolerance="half a unit of the last printed digit of every summand and of the Total",
      quirks="The Total rows leave classes out: the notional classes (A-IO, A-IO-INV, B-IO) and X from the "
             "balance columns; B-IO (BIO) from the interest and total-distribution columns of the 2003-HE2 and "
             "2002-HE1 reports, though the 2003-HE4 report counts it; P from the 2002 balances. The rule "
             "finds which from the data and says so as information.")
def class_totals(ctx: Context) -> None:
    """Each amount of a class table's Total row is the sum of that column over the classes (over the
    classes of its tier, where a report prints several tiers, each with its Total row), and so is each
    amount of the Total a table prints of its own rows (``pool.table_totals``: an accrual table of the
    floaters). When the Total does not match the sum over all classes, the rule looks for the fewest
    classes (up to four) whose omission makes it match and reports them as information; when none
    does, the Total is wrong."""
    for tier, classes, totals, prefix in ctx.tiers():
        _tier_totals(ctx, classes, totals, prefix, ("class_totals",) if tier is None else ("tier_totals", Key(tier)))
    for scope, totals in sorted((ctx.record["pool"].get("table_totals") or {}).items()):
        if isinstance(totals, dict):  # the classes it leaves out are found as a Total row's are
            _tier_totals(ctx, ctx.classes, totals, f"pool.table_totals[{scope}]", ("pool", "table_totals", Key(scope)))


def _tier_totals(ctx: Context, classes: list, totals: dict, prefix: str, total_path: tuple) -> None:
    left_out: dict[str, tuple] = {}
    columns: dict[str, tuple] = {}
    for path, get in _total_columns(ctx, totals):
        printed = get(totals)
        values = [(e["class"], get(e)) for e in classes]
        values = [(n, v) for n, v in values if number(v)]
        if not number(printed) or not values:
            continue
        omitted = _omitted(values, printed, lambda name: _structural(ctx, name))
        columns[path] = (printed, values)
        if omitted is None:
            computed = sum(v for _, v in values)
            ctx.finding("RG303", f"Total row {path}: printed {printed}, the classes sum to {computed}, and "
                        f"leaving out up to {MAX_LEFT_OUT} classes does not explain it",
                        f"{prefix}.{path}", expected=computed, actual=printed)
        elif omitted:
            left_out[path] = omitted
    designed = _report_left_out(ctx, left_out, columns, prefix)
    _remember(ctx, columns, designed, total_path)


def _remember(ctx: Context, columns: dict, designed: dict, total_path: tuple) -> None:
    """Each column's sum as an identity for the misprint search, over the classes the Total counts by
    design (for a column nothing explains, without the classes another column leaves out that come
    closest to explaining it: a misprinted ending balance is measured like the beginning balances)."""
    choices = set(designed.values()) | {()}
    for path, (printed, values) in columns.items():
        excluded = designed[path] if path in designed else min(  # sorted: a tie falls the same way every run
            sorted(choices), key=lambda out: (abs(sum(v for n, v in values if n not in out) - printed), len(out)))
        fields = tuple(path.split("."))
        kept = [(1, v, class_path(n, *fields)) for n, v in values if n not in excluded]
        ctx.identity("RG303", total_path + fields, kept, printed, f"Total row {path}", report=False)


def _report_left_out(ctx: Context, left_out: dict, columns: dict, prefix: str) -> dict:
    """Omissions a report makes by design are information; one that only a misprint explains is an error.
    Returns, for each column that leaves classes out, those it leaves out by design.

    A class is left out by design when it is left out of at least two columns (B-IO of the interest
    and total-distribution columns) or is structural (notional, outside the O/C, the O/C class). A
    class left out of one column alone is the mark of a misprinted cell, and so is any class left out
    of a Total of zero: 0.00 printed as 0.05 under a Total of 0.00.
    """
    times = Counter(name for omitted in left_out.values() for name in omitted)
    designed: dict[str, tuple] = {}
    for path, omitted in left_out.items():
        printed, values = columns[path]
        if printed == 0:  # a Total of nothing: the classes it would leave out are the only ones with values
            odd = list(omitted)
        else:
            odd = [n for n in omitted if times[n] < 2 and not _structural(ctx, n)]
        designed[path] = tuple(n for n in omitted if n not in odd)
        if not odd:
            continue
        kept = sum(v for n, v in values if n not in omitted or n in odd)
        name = odd[0]
        value = next(v for n, v in values if n == name)
        fits = value * 0 if printed == 0 else value - (kept - printed)  # under a Total of 0, each is 0
        ctx.finding("RG303", f"Total row {path}: printed {printed}, the classes sum to {kept}; only leaving "
                    f"out {', '.join(odd)} would explain it, and no other column leaves "
                    f"{'it' if len(odd) == 1 else 'them'} out: a misprint, likely class {name}'s {path} "
                    f"(printed {value}, {fits} would fit) or the Total",
                    render_path(class_path(name, *path.split("."))), expected=fits, actual=value)
    by_set: dict[tuple, list[str]] = {}
    for path, omitted in designed.items():
        if omitted and omitted == left_out[path]:
            by_set.setdefault(omitted, []).append(path)
    for omitted, paths in by_set.items():
        ctx.finding("RG303", f"the Total row leaves out {', '.join(omitted)} in {', '.join(paths)}",
                    f"{prefix}.{paths[0]}", severity="info")
    return designed


def _structural(ctx: Context, name: str) -> bool:
    """A class a Total row may leave out by design: notional, outside the O/C, or the O/C class itself."""
    return ctx.notional(name) or ctx.outside_oc(name) or name == ctx.oc_class()


def _total_columns(ctx: Context, totals: dict):
    """(path, getter) of each amount a Total row prints: every field of the row that adds up across
    classes (amounts, not rates or factors), and those of its shortfall table."""
    for name in totals:
        if name in TOTALLED_FIELDS or (name != "shortfall" and ctx.additive("classes", name)):
            yield name, (lambda entry, n=name: entry.get(n))
    for name in totals.get("shortfall", {}):
        if name in SHORTFALL_FIELDS or ctx.additive("classes", f"shortfall.{name}"):
            yield f"shortfall.{name}", (lambda entry, n=name: entry.get("shortfall", {}).get(n))


def _omitted(values: list, printed, prefer=lambda name: False) -> tuple | None:
    """The fewest classes (up to four) whose omission makes the sum match the Total (() when none need
    be), those ``prefer`` names first where several do (an interest-only class and a class of the
    same balance). Meet in the middle over sorted sums: polynomial in the number of classes."""
    candidates = [(n, v) for n, v in values if v != 0]
    if printed == 0 and candidates and all(v >= 0 for _, v in values):
        # amounts none of which is negative add up to nothing only when each is nothing: a 1 among
        # zeros under a Total of 0 is a misprint however little rounding would hide it
        return tuple(n for n, _ in candidates)

    def fits(chosen: tuple) -> bool:
        names = {candidates[i][0] for i in chosen}
        kept = [v for n, v in values if n not in names]
        return abs(sum(kept) - printed) <= slack(kept + [printed])

    if fits(()):
        return ()
    target = sum(v for _, v in values) - printed
    tolerance = slack([v for _, v in values] + [printed])
    amounts = [v for _, v in candidates]
    # sets of three and four cost n^2 in time and memory: beyond any real deal's classes, stop at two
    deepest = MAX_LEFT_OUT if len(candidates) <= MAX_SEARCHED else 2
    for size in range(1, min(deepest, len(candidates)) + 1):
        fitting = [chosen for chosen in sorted(_subsets(amounts, target, tolerance, size)) if fits(chosen)]
        if fitting:  # of equal explanations, the one leaving out the classes a Total leaves out by design
            best = max(fitting, key=lambda chosen: sum(bool(prefer(candidates[i][0])) for i in chosen))
            return tuple(candidates[i][0] for i in best)
    return None


MAX_MATCHES = 5_000  # subsets examined per size at most: time stays bounded however many classes agree


def _subsets(amounts: list, target, tolerance, size: int) -> set:
    """Index tuples of ``size`` amounts summing to ``target`` within ``tolerance`` (at most MAX_MATCHES)."""
    if size == 1:
        return {(i,) for i, v in enumerate(amounts) if abs(v - target) <= tolerance}
    singles = sorted((v, (i,)) for i, v in enumerate(amounts))
    if size == 3:
        found = set()
        for i, v in enumerate(amounts):
            pairs = _pairs(singles, singles, target - v, tolerance, 2)
            found |= {tuple(sorted(p + (i,))) for p in pairs if i not in p}
            if len(found) > MAX_MATCHES:
                break
        return found
    if size == 2:
        return _pairs(singles, singles, target, tolerance, 2)
    doubles = sorted((amounts[i] + amounts[j], (i, j)) for i in range(len(amounts)) for j in range(i + 1, len(amounts)))
    return _pairs(doubles, doubles, target, tolerance, 4)


def _pairs(left: list, right: list, target, tolerance, size: int) -> set:
    """Unions of one entry of ``left`` and one of ``right`` (sorted (sum, indices)) with ``size`` distinct
    indices whose sums add to ``target`` within ``tolerance``."""
    keys = [s for s, _ in right]
    found = set()
    for value, indices in left:
        low = bisect_left(keys, target - value - tolerance)
        high = bisect_right(keys, target - value + tolerance)
        for _, others in right[low:high]:
            union = set(indices) | set(others)
            if len(union) == size:
                found.add(tuple(sorted(union)))
            if len(found) > MAX_MATCHES:
                return found
    return found


@rule("RG304", "per-$1,000 factors", "warning",
      tolerance="half a unit of the last printed digit of the factor, the dollar amount and the original "
                "balance, carried through the ratio",
      quirks="The 2003-HE2 reports print P's ending-balance factor as 0.00000 although its balance is its "
             "full $100, and R's as 1000.00000 although its balance is 0: the two look swapped. Classes "
             "with no original balance (X, R) print their other factors as zero, even X's interest factor beside "
             "its interest. A factor whose dollar amount the report does not print (the 2003 Interest "
             "Carry-forward factors) cannot be checked.")
def factors(ctx: Context) -> None:
    """Each AMOUNTS PER $1,000 UNIT factor is the class's dollar amount times 1,000 over its original
    (or original notional) balance: principal, interest and total distribution, beginning and ending
    balance, and every other factor whose amount the class prints under the same name (scheduled
    and unscheduled principal, realized loss, interest shortfall, carry-forward). A factor of an
    amount of zero is zero, whatever the original balance, and a class with no original balance (R) has
    no factor but zero: there is nothing to divide by. The O/C and notional classes are left out of
    that: their factors may be per $1,000 of a notional amount printed nowhere."""
    for entry in ctx.classes:
        for name, printed in entry.get("per_1000", {}).items():
            field = f"per_1000.{name}"
            source = FACTOR_SOURCES.get(field, name)
            amount, original = entry.get(source), entry.get("original_balance")
            if not number(printed):
                continue
            if number(amount) and number(original) and original > 0:
                ctx.identity("RG304", class_path(entry["class"], "per_1000", name),
                             [(1, amount, class_path(entry["class"], source))], printed,
                             f"class {entry['class']}: {field} is {source} x 1000 / original balance", scale=1000,
                             over=[(original, class_path(entry["class"], "original_balance"))])
            elif printed != 0 and (amount == 0 or _no_original(ctx, entry)):
                why = f"its {source} is 0" if amount == 0 else "it has no original balance"
                ctx.finding("RG304", f"class {entry['class']}: {field} printed {printed}, but {why}",
                            render_path(class_path(entry["class"], "per_1000", name)),
                            expected=printed.quantize(printed) * 0, actual=printed)


def _no_original(ctx: Context, entry: dict) -> bool:
    """A class with no original balance and none elsewhere: not notional, not the O/C class (whose factors
    a trustee may print per $1,000 of a notional amount the Orig Bal column does not show)."""
    return entry.get("original_balance") == 0 and not ctx.notional(entry["class"]) and \
        entry["class"] != ctx.oc_class()


@rule("RG311", "class roster", "warning",
      tolerance="exact: a class is in a table or it is not",
      quirks="The Interest Carry-forward block has no B-IO row; the 2003-HE2 November shortfall tables and "
             "the 2002 ones leave out R (and the 2002 ones P).")
def roster(ctx: Context) -> None:
    """Every class of the distribution summary appears in every class table of the report: the per
    $1,000 table and the shortfall tables. A class missing from a table is reported with the fields
    it lacks."""
    for section in ("per_1000", "shortfall"):
        # a table that prints no class of a tier (a factor table of the certificates only) covers
        # the tiers it prints
        tiers = {e.get("tier") for e in ctx.classes if e.get(section)}
        present = {e["class"]: set(e.get(section, {})) for e in ctx.classes if e.get("tier") in tiers}
        fields = set().union(*present.values()) if present else set()
        if not fields:
            continue
        for name, has in present.items():
            missing = sorted(fields - has)
            if missing:
                ctx.finding("RG311", f"class {name} is missing from the {section} table(s) that print "
                            f"{', '.join(missing)}", render_path(class_path(name, "class")))
