"""How often ``check`` notices a misprint: random single-digit changes to printed numbers.

For each golden sample (tests/corpus/*/*.txt) the bench changes one digit of one
printed number (width kept, so the layout holds), parses and checks the result,
and counts a detection when the set of warning and error findings changes
(compared by code, severity, record path and line: a message that only quotes
the new value is not a detection). The numbers are the printed amounts: every
cell the record holds as an amount, rate, factor or percent (counts, dates and
ids are left alone), drawn uniformly. A fixed seed makes the cases the same
every run.

Prints the detection rate per sample and overall, the record fields whose
misprints went unnoticed most often, and the time ``check`` adds to ``parse``
per report (median over the samples, this process, warm).

With ``--history`` each sample whose deal has the month before in the corpus is also
checked together with that month (the earlier month as context, as ``check --history``
gives it): a misprint of the later month then counts as caught when the findings of
both checks together change. The figures are printed per sample and per family, alone
and with the month before, and the unchanged pairs must give no warning or error
across months.

    python bench/mutation.py [--per-sample 300] [--seed 1] [--misses 25] [--history] [--only TEXT]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from remitgrammar.assemble.record import render_path  # noqa: E402
from remitgrammar.errors import RemitError  # noqa: E402
from remitgrammar.formats.specs import field_info  # noqa: E402
from remitgrammar.check.across import check_months  # noqa: E402
from remitgrammar.check.months import month_of  # noqa: E402
from remitgrammar.pipeline import check_result, parse_reports  # noqa: E402

SAMPLES = sorted((ROOT / "tests" / "corpus").glob("*/*.txt"))


def outcome(name: str, text: str):
    """The one parse outcome of a report's text."""
    ((_, result),) = list(parse_reports(name, data=text.encode()))
    return result


def signature(result, before=None) -> set:
    """What a misprint must change to be noticed: the warning and error findings, by where they point;
    with ``before`` (the month before, as context), those across the two months too."""
    findings = check_result(result)
    if before is not None and not isinstance(result, RemitError):
        month = month_of("mutated", result)
        findings = findings + (check_months([before, month]).get("mutated", []) if month is not None else [])
    return {(f.code, f.severity, f.path, f.line) for f in findings if f.severity != "info"}


NUMERIC_KINDS = {"amount", "percent", "factor", "amount_or_text"}


def cells(result) -> list:
    """(line index, start, end) of every printed amount the record holds (see the module docstring)."""
    kinds = {render_path(path): kind for path, kind in result.spec.kinds.items()}
    found = []
    for path, where in result.provenance.items():
        text = where["text"]
        if _kind(result.spec, path, kinds) in NUMERIC_KINDS and any(ch.isdigit() for ch in text) and "end_line" not in where:
            found.append((where["line"] - 1, where["column"] - 1, where["column"] - 1 + len(text)))
    return sorted(found)


def _kind(spec, path: str, kinds: dict) -> str | None:
    """A printed cell's field type: as the build looked it up, else from the field catalogue."""
    if path in kinds:
        return kinds[path]
    section, _, rest = re.sub(r"\[[^\]]*\]", "", path).partition(".")
    return field_info(spec, section, rest).get("type")


def mutate(text: str, cell: tuple, rng: random.Random) -> tuple[str, str, str]:
    """The text with one digit of ``cell`` changed; the old and new number."""
    lines = text.split("\n")
    index, start, end = cell
    line = lines[index]
    old = line[start:end]
    digit = rng.choice([i for i, ch in enumerate(old) if ch.isdigit()])
    new_digit = rng.choice([d for d in "0123456789" if d != old[digit]])
    new = old[:digit] + new_digit + old[digit + 1:]
    lines[index] = line[:start] + new + line[end:]
    return "\n".join(lines), old, new


def field_at(result, line: int, column: int) -> str:
    """The record path printed at a 1-based line and column, or where the value went instead."""
    record = result.result.record if isinstance(result, RemitError) else result.record
    provenance = result.result.provenance if isinstance(result, RemitError) else result.provenance
    for path, where in provenance.items():
        if where["line"] == line and where["column"] <= column < where["column"] + len(where["text"]):
            return re.sub(r"\[[^\]]*\]", "[*]", path)
    for entry in record.get("extra", []):
        if entry.get("line") == line:
            return "extra: " + str(entry.get("label", entry.get("path", "?")))[:40]
    return "(not in the record)"


def run_sample(sample: Path, per_sample: int, rng: random.Random, before=None) -> tuple:
    """(cases, caught alone, caught with the month before or None, missed fields alone, missed with it)."""
    text = sample.read_text()
    name = sample.relative_to(ROOT).as_posix()
    base_result = outcome(name, text)
    base = signature(base_result)
    base_history = signature(base_result, before) if before is not None else None
    numbers = cells(base_result)
    alone = with_history = 0
    missed, missed_history = Counter(), Counter()
    for _ in range(per_sample):
        cell = rng.choice(numbers)
        changed, old, new = mutate(text, cell, rng)
        result = outcome(name, changed)
        field = None
        if signature(result) != base:
            alone += 1
        else:
            field = field_at(base_result, cell[0] + 1, cell[1] + 1)
            missed[field] += 1
            SHOWN.append(f"{sample.name}:{cell[0] + 1}:{cell[1] + 1} {old} -> {new}  {field}")
        if before is not None:
            if signature(result, before) != base_history:
                with_history += 1
            else:
                field = field or field_at(base_result, cell[0] + 1, cell[1] + 1)
                missed_history[field] += 1
                SHOWN.append(f"{sample.name}:{cell[0] + 1}:{cell[1] + 1} {old} -> {new}  {field}  (with the month before)")
    return per_sample, alone, with_history if before is not None else None, missed, missed_history


def months_before(samples: list) -> dict:
    """sample -> the Month of the corpus sample one distribution before it, of the same deal."""
    months = {}
    for sample in samples:
        result = outcome(sample.name, sample.read_text())
        month = None if isinstance(result, RemitError) else month_of(sample.name, result, reported=False)
        if month is not None:
            months[sample] = month
    return {sample: earlier for sample, month in months.items() for earlier in months.values()
            if earlier.deal == month.deal and earlier.index == month.index - 1}


SHOWN: list = []  # every missed case, for --show


def check_cost(rounds: int = 20) -> tuple[float, float]:
    """Median milliseconds per report of parse alone, and of check over a parsed report."""
    parse_ms, check_ms = [], []
    for sample in SAMPLES:
        data, name = sample.read_bytes(), sample.name
        for _ in range(rounds):
            start = time.perf_counter()
            ((_, result),) = list(parse_reports(name, data=data))
            middle = time.perf_counter()
            check_result(result)
            parse_ms.append((middle - start) * 1000)
            check_ms.append((time.perf_counter() - middle) * 1000)
    return statistics.median(parse_ms), statistics.median(check_ms)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-sample", type=int, default=300, help="mutations per golden sample (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--misses", type=int, default=25, help="how many missed fields to list")
    parser.add_argument("--show", metavar="TEXT", help="print each missed case whose field contains TEXT")
    parser.add_argument("--history", action="store_true",
                        help="also check each sample whose deal has the month before in the corpus together "
                             "with that month, and count what the rules across months add")
    parser.add_argument("--only", metavar="TEXT", help="only the samples whose path contains TEXT")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    samples = [s for s in SAMPLES if not args.only or args.only in s.as_posix()]
    before = months_before(SAMPLES) if args.history else {}
    if args.history:
        print(f"false findings across months on the unchanged reports: {unchanged_pairs(before)}")
    families: dict = {}
    missed, missed_history = Counter(), Counter()
    for sample in samples:
        cases, alone, history, misses, misses_history = run_sample(sample, args.per_sample, rng, before.get(sample))
        family = families.setdefault(sample.parent.name, [0, 0, 0, 0])
        family[0] += cases
        family[1] += alone
        if history is not None:
            family[2] += cases
            family[3] += history
        missed, missed_history = missed + misses, missed_history + misses_history
        shown = f", with the month before {history}/{cases} ({100 * history / cases:.1f}%)" if history is not None else ""
        print(f"{sample.parent.name}/{sample.name}: alone {alone}/{cases} ({100 * alone / cases:.1f}%){shown}")
    print("per family:")
    for family, (cases, alone, paired, history) in sorted(families.items()):
        shown = f"; later months with the month before {history}/{paired} ({100 * history / paired:.1f}%)" if paired else ""
        print(f"  {family}: alone {alone}/{cases} ({100 * alone / cases:.1f}%){shown}")
    cases, alone = sum(f[0] for f in families.values()), sum(f[1] for f in families.values())
    print(f"DETECTED {alone}/{cases} = {100 * alone / cases:.1f}% of single-digit misprints alone (seed {args.seed})")
    _print_misses("missed alone", missed, args.misses)
    if args.history:
        _print_misses("missed with the month before (later months only)", missed_history, args.misses)
    if args.show:
        print(*[case for case in SHOWN if args.show in case.split("  ")[1]], sep="\n")
    parse_ms, check_ms = check_cost()
    print(f"per report (median, warm): parse {parse_ms:.1f} ms, check adds {check_ms:.1f} ms "
          f"({100 * check_ms / parse_ms:.0f}% of parse)")
    return 0


def unchanged_pairs(before: dict) -> int:
    """Warnings and errors across months on each unchanged sample checked with the month before: 0."""
    count = 0
    for sample, earlier in before.items():
        result = outcome(sample.name, sample.read_text())
        month = month_of("unchanged", result)
        found = check_months([earlier, month]).get("unchanged", []) if month is not None else []
        for finding in found:
            if finding.severity != "info":
                print(f"  {sample.name}: {finding.code} {finding.severity}: {finding.message}")
                count += 1
    return count


def _print_misses(title: str, missed: Counter, limit: int) -> None:
    print(f"{title}, by record field ({sum(missed.values())} cases):")
    for path, count in missed.most_common(limit):
        print(f"  {count:5d}  {path}")


if __name__ == "__main__":
    sys.exit(main())
