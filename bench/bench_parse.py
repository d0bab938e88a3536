"""Throughput of text -> canonical record over the corpus, beside a regex baseline.

Prints documents per second on one core for:
  * remitgrammar: parse_result (grammar, transform, alias mapping, record) per document;
  * baseline: one plain regular-expression pass over the same documents, pulling
    every label/number pair into a dict (no structure, no validation) - the
    cheapest thing that could be called a parser;
and the ratio between them, then the wall time of a cold `remitgrammar parse` and `check`
of two samples (a fresh process, as a user runs it) beside that of a bare interpreter.

    python bench/bench_parse.py [--seconds N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from remitgrammar.detect.detection import detect  # noqa: E402
from remitgrammar.parse.tree import parse_tree  # noqa: E402
from remitgrammar.pipeline import parse_result  # noqa: E402

_PAIR = re.compile(r"^[ \t]*([A-Za-z][^\d\n]*?)[ \t]+(\(?[\d,]*\.?\d+\)?%?)[ \t]*$", re.M)


def baseline(text: str) -> dict:
    """The regex baseline: label -> last number on each line that ends in one."""
    return {m.group(1): m.group(2) for m in _PAIR.finditer(text)}


def rate(fn, texts: list[str], seconds: float) -> float:
    """Documents per second of ``fn`` over ``texts``, best of several rounds."""
    for text in texts:  # warm up: grammar load, caches
        fn(text)
    rounds = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(rounds) < 3:
        start = time.perf_counter()
        for text in texts:
            fn(text)
        rounds.append(len(texts) / (time.perf_counter() - start))
    return max(rounds), statistics.median(rounds)


def cold_run(args: list, runs: int = 5) -> list[float]:
    """Wall seconds of ``python ARGS`` in a fresh interpreter, as a user runs a command."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable] + args, check=False, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):  # 1: `check` found something, as it may on a sample
            raise SystemExit(f"{' '.join(args)} failed with exit {done.returncode}")
    return times


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold `parse` runs to time")
    args = parser.parse_args()
    # The statements themselves: an EDGAR submission is the same statement with its wrapper.
    reports = sorted(p for p in (ROOT / "tests" / "corpus").glob("*/*.txt") if not p.name.endswith(".submission.txt"))
    texts = [p.read_text(encoding="utf-8") for p in reports]
    size = sum(len(t) for t in texts) / len(texts)
    ours_best, ours_median = rate(lambda t: parse_result(t, "bench"), texts, args.seconds)
    base_best, base_median = rate(baseline, texts, args.seconds)
    # The parse stage as the pipeline runs it: lark's parser, and the careful parse where a line
    # does not fit (a sample written with a variation the grammar leaves to recovery).
    lark_best, lark_median = rate(lambda t: parse_tree(t + "\n", detect(t)), texts, args.seconds)
    tokens = sum(len(list(parse_tree(t + "\n", detect(t)).tree.scan_values(lambda v: True))) for t in texts)
    print(f"corpus: {len(texts)} documents, {size:,.0f} bytes on average (single process, one core)")
    print(f"remitgrammar parse_result : {ours_best:8.0f} docs/s best, {ours_median:8.0f} median "
          f"({1000 / ours_median:.2f} ms/doc)")
    print(f"  of which parsing      : {lark_best:8.0f} docs/s best, {lark_median:8.0f} median "
          f"({1000 / lark_median:.2f} ms/doc, {tokens / len(texts):.0f} tokens/doc)")
    print(f"regex baseline          : {base_best:8.0f} docs/s best, {base_median:8.0f} median")
    print(f"ratio baseline/remitgrammar (median): {base_median / ours_median:.1f}x")
    python = cold_run(["-c", "pass"], args.cold_runs)
    print(f"cold `python -c pass` (the floor): min {min(python):.3f} s")
    for command in ("parse", "check"):
        for sample in (reports[0], reports[-1]):
            times = cold_run(["-m", "remitgrammar", command, str(sample)], args.cold_runs)
            print(f"cold `remitgrammar {command} {sample.name}`: "
                  f"min {min(times):.3f} s, median {statistics.median(times):.3f} s over {len(times)} runs")


if __name__ == "__main__":
    main()
