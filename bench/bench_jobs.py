"""A corpus on several cores: `remitgrammar check --jobs N` against one worker, and memory as the corpus grows.

Builds a corpus of copies of the golden samples in a temporary directory, then prints
  * the wall time of `check --jobs 1` and `check --jobs N` over --reports reports (best of
    --rounds), and the speed-up;
  * the peak memory (max RSS) of `parse --jobs 1` over 100 reports and over --many reports,
    and their ratio: a run that streams keeps it near 1.

    python bench/bench_jobs.py [--reports 120] [--jobs 2] [--many 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import resource
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


def wall(args: list, rounds: int) -> float:
    """Best wall time of a command over ``rounds`` runs (its output discarded)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def peak_mb(args: list) -> float:
    """Max RSS in MB of a command run in a child (this bench's children are run one at a time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024  # ru_maxrss is the largest child so far: run the small case first


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
        one = wall(tool + ["check", "--jobs", "1", str(reports)], args.rounds)
        many = wall(tool + ["check", "--jobs", str(args.jobs), str(reports)], args.rounds)
        print(f"check over {args.reports} reports on {os.cpu_count()} cores: --jobs 1 {one:.2f} s, "
              f"--jobs {args.jobs} {many:.2f} s, speed-up {one / many:.2f}x")
        small = peak_mb(tool + ["parse", "--jobs", "1", str(corpus(Path(tmp) / "small", 100))])
        large = peak_mb(tool + ["parse", "--jobs", "1", str(corpus(Path(tmp) / "large", args.many))])
        print(f"parse --jobs 1 peak memory: 100 reports {small:.0f} MB, {args.many} reports {large:.0f} MB, "
              f"ratio {large / small:.2f}")


if __name__ == "__main__":
    main()
