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

    python bench/mutation.py [--per-sample 300] [--seed 1] [--misses 25]
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
from remitgrammar.pipeline import check_result, parse_reports  # noqa: E402

SAMPLES = sorted((ROOT / "tests" / "corpus").glob("*/*.txt"))


def outcome(name: str, text: str):
    """The one parse outcome of a report's text."""
    ((_, result),) = list(parse_reports(name, data=text.encode()))
    return result


def signature(result) -> set:
    """What a misprint must change to be noticed: the warning and error findings, by where they point."""
    return {(f.code, f.severity, f.path, f.line) for f in check_result(result) if f.severity != "info"}


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


def run_sample(sample: Path, per_sample: int, rng: random.Random) -> tuple[int, int, Counter]:
    """(cases, detections, missed fields) for one sample."""
    text = sample.read_text()
    name = sample.relative_to(ROOT).as_posix()
    base_result = outcome(name, text)
    base = signature(base_result)
    numbers = cells(base_result)
    detected, missed = 0, Counter()
    for _ in range(per_sample):
        cell = rng.choice(numbers)
        changed, old, new = mutate(text, cell, rng)
        if signature(outcome(name, changed)) != base:
            detected += 1
        else:
            field = field_at(base_result, cell[0] + 1, cell[1] + 1)
            missed[field] += 1
            SHOWN.append(f"{sample.name}:{cell[0] + 1}:{cell[1] + 1} {old} -> {new}  {field}")
    return per_sample, detected, missed


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
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    total = found = 0
    missed = Counter()
    for sample in SAMPLES:
        cases, detected, misses = run_sample(sample, args.per_sample, rng)
        total, found, missed = total + cases, found + detected, missed + misses
        print(f"{sample.parent.name}/{sample.name}: {detected}/{cases} detected ({100 * detected / cases:.1f}%)")
    print(f"DETECTED {found}/{total} = {100 * found / total:.1f}% of single-digit misprints (seed {args.seed})")
    print(f"missed, by record field ({sum(missed.values())} cases):")
    for path, count in missed.most_common(args.misses):
        print(f"  {count:5d}  {path}")
    if args.show:
        print(*[case for case in SHOWN if args.show in case.split("  ")[-1]], sep="\n")
    parse_ms, check_ms = check_cost()
    print(f"per report (median, warm): parse {parse_ms:.1f} ms, check adds {check_ms:.1f} ms "
          f"({100 * check_ms / parse_ms:.0f}% of parse)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
