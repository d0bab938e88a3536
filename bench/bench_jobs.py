"""A corpus on several cores: `remitgrammar check --jobs N` against one worker, and memory as the corpus grows.

Builds a corpus of copies of the golden samples in a temporary directory, then prints
  * the wall time of `check --jobs 1` and `check --jobs N` over --reports reports (best of
    --rounds), and the speed-up;
  * the same for `parse`, and the time a million filings would take on 16 cores at the rate of
    one of these workers;
  * the peak memory (max RSS) of `parse --jobs 1` and `check --jobs 1` over 100 reports and over
    --many reports of distinct deals, and their ratio: a run that streams keeps it near 1.

    python bench/bench_jobs.py [--reports 120] [--jobs 2] [--many 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "corpus").glob("*/*.txt"))


def corpus(directory: Path, count: int) -> Path:
    """``count`` report files, copies of the samples in turn."""
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        sample = SAMPLES[index % len(SAMPLES)]
        shutil.copyfile(sample, directory / f"{index:06d}_{sample.name}")
    return directory


def distinct(directory: Path, count: int) -> Path:
    """``count`` reports of as many deals: the US Bank samples, each copy's series renamed on its cover
    (``2003-HE2`` -> ``2003-HE2X17``), as a real corpus holds one report per deal and month rather than
    copies of one (copies of one report are one deal printed many times: RG406 compares them all)."""
    from remitgrammar.pipeline import parse_path

    directory.mkdir(parents=True, exist_ok=True)
    samples = []
    for sample in (s for s in SAMPLES if s.parent.name.startswith("usbank")):
        series = parse_path(sample).record["filing"]["series"]
        samples.append((sample.read_text(encoding="utf-8"), series))
    for index in range(count):
        text, series = samples[index % len(samples)]
        at = text.index(series)
        (directory / f"{index:06d}.txt").write_text(f"{text[:at]}{series}X{index}{text[at + len(series):]}",
                                                     encoding="utf-8")
    return directory


def wall(args: list, rounds: int) -> float:
    """Best wall time of a command over ``rounds`` runs (its output discarded)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
         "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def peak_mb(args: list) -> float:
    """Max RSS in MB of the largest process of a command, measured in a child of its own (Linux: KB)."""
    done = subprocess.run([sys.executable, "-c", _PEAK] + args, capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=120)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--many", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tool = [sys.executable, "-m", "remitgrammar"]
    with tempfile.TemporaryDirectory() as tmp:
        reports = corpus(Path(tmp) / "speed", args.reports)
        for command in ("parse", "check"):
            one = wall(tool + [command, "--jobs", "1", str(reports)], args.rounds)
            many = wall(tool + [command, "--jobs", str(args.jobs), str(reports)], args.rounds)
            print(f"{command} over {args.reports} reports on {os.cpu_count()} cores: --jobs 1 {one:.2f} s "
                  f"({args.reports / one:.1f} reports/s), --jobs {args.jobs} {many:.2f} s "
                  f"({args.reports / many:.1f} reports/s), speed-up {one / many:.2f}x")
        _project(args.reports / many / args.jobs)
        small, large = distinct(Path(tmp) / "small", 100), distinct(Path(tmp) / "large", args.many)
        for command in ("parse", "check"):
            before, after = (peak_mb(tool + [command, "--jobs", "1", str(d)]) for d in (small, large))
            print(f"{command} --jobs 1 peak memory: 100 reports {before:.1f} MB, {args.many} reports "
                  f"{after:.1f} MB, ratio {after / before:.2f}")


def _project(per_worker: float) -> None:
    """The time of a million filings on 16 cores, were each core to run as one worker does here."""
    hours = 1_000_000 / (per_worker * 16) / 3600
    print(f"projection: {per_worker:.1f} reports/s a worker -> 1,000,000 filings on 16 cores in {hours:.1f} h")


if __name__ == "__main__":
    main()
