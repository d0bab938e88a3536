"""Peak memory against input size: `parse` and `check` of one big input, each in a fresh process.

Builds inputs of 1, 10 and 60 MB (by default) of four kinds that real filings grow in:
  * golden   a golden sample repeated to size (one file, one report of many copies);
  * classes  one report whose class table holds as many rows as fit;
  * long     a report whose lines are long (1,990 characters: just under RG107's limit);
  * edgar    an EDGAR submission of many statement documents;
then runs `python -m remitgrammar {parse,check} --jobs 1 FILE` in a fresh process for each and
prints its peak RSS (Linux ru_maxrss from wait4), the ratio peak/input, (peak - base)/input against
the peak of `python -m remitgrammar --version`, the cost of each further MB (the slope from the
size before), the wall time and the exit code; then the fixed base B with which every run holds
peak <= B + 10 x input (issue 20's bound, per worker).

    python bench/bench_memory.py [--sizes 1 10 60] [--kinds golden classes long edgar]
                                 [--commands parse check] [--timeout 600]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
MB = 1024 * 1024


def golden(size: int) -> bytes:
    """The sample, again and again, to ``size`` bytes."""
    text = SAMPLE.read_bytes()
    return (text * (size // len(text) + 1))[:size]


def classes(size: int) -> bytes:
    """The sample with its distribution summary's first block grown to ``size`` bytes of class rows."""
    lines = SAMPLE.read_bytes().split(b"\n")
    at = next(n for n, line in enumerate(lines) if line.strip().startswith(b"M-5"))
    row_size = len(lines[at]) + 1
    rows = [b"      M-%d        11,034,900     11,034,900           0" % (6 + n)
            for n in range(max(0, size - len(SAMPLE.read_bytes())) // row_size)]
    return b"\n".join(lines[:at + 1] + rows + lines[at + 1:])


def long_lines(size: int) -> bytes:
    """Lines of 1,990 characters (labels and amounts), after the sample's cover and titles."""
    head = SAMPLE.read_bytes()
    cell = b"Principal Distribution      1,234,567.89   "
    line = (cell * (1990 // len(cell) + 1))[:1990] + b"\n"
    return head + line * max(0, (size - len(head)) // len(line))


def edgar(size: int) -> bytes:
    """An EDGAR submission holding the sample as one EX-99 document after another, to ``size``."""
    text = SAMPLE.read_bytes()
    head = (b"<SEC-DOCUMENT>0000949338-03-000871.txt : 20031121\n<SEC-HEADER>\nACCESSION NUMBER:\t\t"
            b"0000949338-03-000871\nCONFORMED SUBMISSION TYPE:\t8-K\n</SEC-HEADER>\n")
    parts, total, number = [head], len(head), 1
    while total < size:
        part = b"<DOCUMENT>\n<TYPE>EX-99.%d\n<SEQUENCE>%d\n<TEXT>\n" % (number, number + 1) + text + \
            b"\n</TEXT>\n</DOCUMENT>\n"
        parts.append(part)
        total += len(part)
        number += 1
    return b"".join(parts) + b"</SEC-DOCUMENT>\n"


KINDS = {"golden": golden, "classes": classes, "long": long_lines, "edgar": edgar}


_LAUNCH = ("import os, subprocess, sys, time; start = time.perf_counter(); "
           "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
           "_, status, usage = os.wait4(child.pid, 0); "
           "print(usage.ru_maxrss, time.perf_counter() - start, os.waitstatus_to_exitcode(status))")


def peak(args: list) -> tuple[float, float, int]:
    """(peak RSS in MB, wall seconds, exit code) of a command run in a fresh process.

    It is started by a small launcher process: a child forked from this one, which has built a 60 MB
    input, would count this process's pages in its own peak until it execs.
    """
    done = subprocess.run([sys.executable, "-c", _LAUNCH] + args, capture_output=True, text=True, check=True)
    kb, wall, code = done.stdout.split()
    return int(kb) / 1024, float(wall), int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 60])
    parser.add_argument("--kinds", nargs="+", choices=sorted(KINDS), default=list(KINDS))
    parser.add_argument("--commands", nargs="+", default=["parse", "check"])
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    tool = [sys.executable, "-m", "remitgrammar"]
    base = peak(tool + ["--version"])[0]
    print(f"`--version` alone: {base:.1f} MB; target: peak <= a fixed base + 10 x input")
    print(f"{'kind':8} {'input MB':>8} {'command':7} {'peak MB':>8} {'peak/in':>8} {'(peak-base)/in':>15} "
          f"{'MB per MB':>9} {'wall s':>7} {'exit':>4}")
    rows, before = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds:
            for size in args.sizes:
                path = Path(tmp) / f"{kind}-{size:g}.txt"
                path.write_bytes(KINDS[kind](int(size * MB)))
                actual = path.stat().st_size / MB
                for command in args.commands:
                    mb, wall, code = peak(tool + ["--timeout", str(args.timeout), "--max-mb", str(max(args.sizes) * 2),
                                                  command, "--jobs", "1", str(path)])
                    last = before.get((kind, command))  # the cost of each further MB: the slope
                    slope = f"{(mb - last[1]) / (actual - last[0]):9.1f}" if last else f"{'':9}"
                    before[kind, command] = (actual, mb)
                    rows.append((actual, mb))
                    print(f"{kind:8} {actual:8.1f} {command:7} {mb:8.1f} {mb / actual:8.1f} "
                          f"{(mb - base) / actual:15.1f} {slope} {wall:7.1f} {code:4}", flush=True)
                path.unlink()
    needed = max(mb - 10 * actual for actual, mb in rows)
    print(f"every run: peak <= {needed:.1f} MB + 10 x input (the fixed base this run needs; "
          f"`--version` alone takes {base:.1f} MB)")


if __name__ == "__main__":
    main()
