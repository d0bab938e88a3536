"""The result cache's figures: `check --cache-dir DIR` over a corpus, its first run, then a few second
runs and a few runs each after another 1% of the files changed (medians), with the code before over a
copy of the corpus alternating run by run when given --against (bench_parse.py's too).

The corpus is bench/realistic.py's by default: copies of the golden deals with their real arithmetic,
so a run prints as few findings as a real corpus does (--cache-corpus varied: bench/varied.py's, every
amount random, hundreds of findings a report). Run alone:

    python bench/bench_cache.py [--reports 1000] [--runs 3] [--verify] [--against REV|DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realistic  # noqa: E402
import varied  # noqa: E402
from children import compile_tree, environment, has_option, launch  # noqa: E402

CACHE_SECOND, CACHE_CHANGED = 0.05, 0.10
RUNS = ("uncached", "first", "second", "changed")  # a code's runs, each a list of (wall, peak MB, exit code)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _prepare(kind: str, reports: int, tmp: Path) -> list[Path]:
    """A fresh corpus in ``tmp`` (emptied first)."""
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return (realistic if kind == "real" else varied).corpus(tmp / "corpus", reports, random.Random(24))


def _tool(jobs: int | None) -> list:
    return [sys.executable, "-m", "remitgrammar", "check"] + (["--jobs", str(jobs)] if jobs is not None else [])


def _cached(env: dict, jobs: int | None, tmp: Path, name: str) -> tuple:
    """(wall, peak MB, exit code) of one `check --cache-dir` run over ``tmp``'s corpus, its output kept."""
    return launch(_tool(jobs) + ["--cache-dir", str(tmp / "cache"), str(tmp / "corpus")], env, tmp / f"{name}.out")


def measure(envs: list, kind: str, reports: int, jobs: int | None, runs: int, tmp: Path, verify: bool) -> list[dict]:
    """Each code's runs over a corpus of its own (the same files): the first run, then ``runs`` second
    runs and ``runs`` runs each after another 1% of the files changed, the codes alternating run by run."""
    dirs = [tmp / f"code-{index}" for index in range(len(envs))]
    paths = [_prepare(kind, reports, d) for d in dirs]
    found: list[dict] = [{"second": [], "changed": [], "same": True, "same_changed": True} for _ in envs]
    for env, d, into in zip(envs, dirs, found, strict=True):
        if verify and has_option("--no-cache", env):  # what the cache is measured against: a run without it
            into["uncached"] = [launch(_tool(jobs) + ["--no-cache", str(d / "corpus")], env, d / "uncached.out")]
        into["first"] = [_cached(env, jobs, d, "first")]
        if "uncached" in into:
            into["same"] = (d / "uncached.out").read_bytes() == (d / "first.out").read_bytes()
        into["findings"] = (d / "first.out").read_bytes().count(b"\n")
    for _ in range(runs):
        for env, d, into in zip(envs, dirs, found, strict=True):
            into["second"].append(_cached(env, jobs, d, "second"))
            into["same"] &= (d / "second.out").read_bytes() == (d / "first.out").read_bytes()
    for run in range(runs):
        for env, d, into, files in zip(envs, dirs, found, paths, strict=True):
            into["changed_files"] = (realistic if kind == "real" else varied).change(files, 0.01, random.Random(run))
            into["changed"].append(_cached(env, jobs, d, "changed"))
    for env, d, into in zip(envs, dirs, found, strict=True):
        if verify:  # the last changed run's output against an uncached run over the same files
            launch(_tool(jobs) + ["--no-cache", str(d / "corpus")], env, d / "changed-uncached.out")
            into["same_changed"] = (d / "changed.out").read_bytes() == (d / "changed-uncached.out").read_bytes()
        else:
            into["same_changed"] = None
    return found


def _median(runs: list) -> tuple[float, float, float]:
    """(median wall, min wall, max peak MB) of runs."""
    walls = [run[0] for run in runs]
    return statistics.median(walls), min(walls), max(run[1] for run in runs)


def report(found: dict, label: str, kind: str, reports: int, jobs: int | None) -> None:
    """The figures of one code's runs, with the targets."""
    what = "real arithmetic, each copy a deal of its own" if kind == "real" else "amounts varied"
    codes = sorted({run[2] for name in RUNS for run in found.get(name, [])})
    print(f"cache{label}: `check --cache-dir DIR{f' --jobs {jobs}' if jobs is not None else ''}` over {reports} "
          f"reports ({what}; {found['findings']} lines of output); exit codes {codes}:")
    if "uncached" in found:
        plain = _median(found["uncached"])
        print(f"  uncached run (--no-cache): {plain[0]:7.2f} s, peak {plain[2]:.1f} MB")
    first = _median(found["first"])
    print(f"  first run : {first[0]:7.2f} s ({reports / first[0]:.1f} reports/s), peak {first[2]:.1f} MB")
    second = _median(found["second"])
    print(f"  second run: {second[0]:7.3f} s median of {len(found['second'])}, {second[1]:.3f} min, peak "
          f"{second[2]:.1f} MB; {second[0] / first[0]:.1%} of the first (target <= {CACHE_SECOND:.0%}): "
          f"{verdict(second[0] / first[0] <= CACHE_SECOND)}; output "
          f"{'identical to' if found['same'] else 'DIFFERENT from'} the first's"
          f"{' and the uncached run' + chr(39) + 's' if 'uncached' in found else ''}")
    after = _median(found["changed"])
    same = {None: "not compared (--verify compares it)", True: "identical to", False: "DIFFERENT from"}[found["same_changed"]]
    print(f"  another {found['changed_files']} of {reports} files changed before each: {after[0]:7.3f} s median of "
          f"{len(found['changed'])}, {after[1]:.3f} min, peak {after[2]:.1f} MB; {after[0] / first[0]:.1%} of the first "
          f"(target <= {CACHE_CHANGED:.0%}): {verdict(after[0] / first[0] <= CACHE_CHANGED)}; the last one's output "
          f"{same}{'' if found['same_changed'] is None else ' an uncached run over the same files'}")


def run(envs: list, kind: str, reports: int, jobs: int | None, runs: int, tmp: Path, verify: bool = False) -> None:
    """Measure and print: this code's figures, and the code before's when ``envs`` has a second."""
    if not has_option("--cache-dir", envs[0]):
        print("cache: figures missing: `remitgrammar check` of this build has no --cache-dir")
        return
    usable = [env for env in envs if has_option("--cache-dir", env)]
    found = measure(usable, kind, reports, jobs, runs, tmp, verify)
    for label, runs_of in zip(("", " (code before)"), found, strict=False):
        report(runs_of, label, kind, reports, jobs)


def main() -> None:
    from bench_parse import before  # the code before, as bench_parse.py unpacks it

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="second runs, and changed runs, of each code")
    parser.add_argument("--verify", action="store_true", help="also run uncached, and compare the outputs")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--cache-corpus", choices=("real", "varied"), default="real")
    parser.add_argument("--against", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rg-bench-cache-") as tmp:
        trees = [None] + ([before(args.against, Path(tmp) / "before")] if args.against else [])
        for tree in trees:
            compile_tree(tree or Path(__file__).resolve().parent.parent)
        envs = [environment(tree, Path(tmp) / "unused-cache") for tree in trees]
        run(envs, args.cache_corpus, args.reports, args.jobs, args.runs, Path(tmp), args.verify)


if __name__ == "__main__":
    main()
