"""Speed: warm throughput beside a regex and a TextFSM baseline, cold start beside a cold TextFSM run,
the result cache's first and second run over a corpus, and peak memory; every figure with its target.

  * warm: docs/s of text -> canonical record over the golden corpus's statements, every amount's
    digits rewritten at random each round (bench/varied.py: no cache keyed on a cell's text sees
    a text twice), beside a regex pass over the same texts and the TextFSM template of
    bench/textfsm/ over the usbank-absc-2003 family, all in one process (bench/warm.py);
  * cold: a one-file `check` and `parse` in a fresh interpreter against a fresh interpreter importing
    textfsm and parsing the same file with the template, interleaved, min and median;
  * cache: `check --cache-dir DIR` over --reports reports made from the golden deals (bench/realistic.py:
    each copy a deal of its own with the filing's arithmetic, so as few findings as a real corpus;
    --cache-corpus varied for random amounts): the first run, the second, and one after 1% of the
    files changed, the medians of --cache-runs runs (bench/bench_cache.py), the code before's too
    with --against;
  * peak memory of each of those child runs (wait4's ru_maxrss).
The package is compiled to bytecode first and every child runs without PYTHONDONTWRITEBYTECODE.
With --against REV (a git revision, unpacked by `git archive`) or --against DIR (a checkout) the warm
and cold figures of that code before are measured too, alternating with this code's.

    python bench/bench_parse.py [--seconds 30] [--cold-runs 10] [--reports 1000] [--cache-runs 3]
        [--cache-corpus real|varied] [--only warm,cold,cache] [--against REV|DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cache  # noqa: E402
from children import ROOT, compile_tree, environment, launch, warm_chunk  # noqa: E402
from varied import CORPUS, FAMILY  # noqa: E402

TEXTFSM_COLD = ROOT / "bench" / "textfsm_cold.py"
SAMPLE = CORPUS / FAMILY / "absc_2003-he2_2003-11-17.txt"
WARM_GAIN, COLD_CHECK, COLD_TIMES = 1.3, 0.120, 4.0
SECTIONS = ("warm", "cold", "cache")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def machine() -> None:
    """The machine, the interpreter and the libraries the figures were taken with."""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or platform.machine()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores ({model}), load average at start {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}; Python {platform.python_version()}; lark {_version('lark')}, "
          f"textfsm {_version('textfsm') or 'not installed'}")


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="warm measuring time (of each code)")
    parser.add_argument("--cold-runs", type=int, default=10, help="cold runs of each command")
    parser.add_argument("--reports", type=int, default=1000, help="reports of the cache's corpus")
    parser.add_argument("--jobs", type=int, default=None, help="`check --jobs` of the cache's runs")
    parser.add_argument("--cache-corpus", choices=("real", "varied"), default="real",
                        help="the cache's corpus: golden deals copied with their arithmetic (bench/realistic.py), "
                             "or every amount random (bench/varied.py)")
    parser.add_argument("--cache-runs", type=int, default=3, help="second runs and changed runs (medians)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="the sections run: warm,cold,cache")
    parser.add_argument("--against", default=None, help="the code before: a git revision or a directory")
    args = parser.parse_args()
    machine()
    with tempfile.TemporaryDirectory(prefix="rg-bench-") as tmp:
        trees = [None] + ([before(args.against, Path(tmp) / "before")] if args.against else [])
        compiled = all(compile_tree(tree or ROOT) for tree in trees)
        print(f"bytecode: compiled by compileall ({'all' if compiled else 'NOT all'} of the package), child "
              f"processes run without PYTHONDONTWRITEBYTECODE")
        envs = [environment(tree, Path(tmp) / "cache") for tree in trees]
        sections = set(args.only.split(","))
        if "warm" in sections:
            warm(trees, envs, args.seconds)
        if "cold" in sections:
            cold(envs, args.cold_runs, Path(tmp))
        if "cache" in sections:
            bench_cache.run(envs, args.cache_corpus, args.reports, args.jobs, args.cache_runs,
                          Path(tmp) / "cache-runs", verify=True)
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def before(against: str, directory: Path) -> Path:
    """The code before: ``against`` itself when it is a directory, else that git revision's files."""
    if Path(against).is_dir():
        print(f"code before: the directory {Path(against).resolve()}")
        return Path(against).resolve()
    done = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", against], capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"--against {against}: neither a directory nor a git revision of {ROOT}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(directory, filter="data")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", against], capture_output=True,
                            text=True, check=False).stdout.strip()
    print(f"code before: git revision {against} ({commit}), its files unpacked into a temporary directory")
    return directory


def _rates(trees: list, envs: list, seconds: float) -> list[dict]:
    """Each code's docs/s of every round, its warm runs alternating in slices of a few seconds."""
    slices = max(1, min(5, int(seconds // 6)))
    merged: list[dict] = [{} for _ in trees]
    for index in range(slices):
        for tree, env, into in zip(trees, envs, merged, strict=True):
            found = warm_chunk(tree, env, seconds / slices, seed=index)
            for name, rates in found["rates"].items():
                into.setdefault(name, []).extend(rates)
            into["_meta"] = found
    return merged


def _line(label: str, rates: list[float]) -> float:
    median = statistics.median(rates)
    print(f"{label:24}: {max(rates):8.1f} docs/s best, {median:8.1f} median ({1000 / median:.2f} ms/doc)")
    return median


def warm(trees: list, envs: list, seconds: float) -> None:
    """Warm docs/s of remitgrammar and its baselines, and against the code before when given."""
    merged = _rates(trees, envs, seconds)
    now, meta = merged[0], merged[0]["_meta"]
    print(f"warm corpus: {meta['documents']} statements, {meta['bytes']:,.0f} bytes on average, every amount "
          f"rewritten each round ({len(now['regex'])} rounds; single process, one core; its peak "
          f"{meta.get('peak_mb', 0):.1f} MB)")
    ours = _line("remitgrammar parse_result", now["remitgrammar"])
    if "parsing" in now:
        _line("  of which parsing", now["parsing"])
    regex = _line("regex baseline", now["regex"])
    print(f"ratio baseline/remitgrammar (median): {regex / ours:.1f}x (no target: the figure to compare across machines)")
    family = _line(f"{FAMILY} ({meta['family']} docs)", now["remitgrammar-family"])
    if "textfsm-family" in now:
        textfsm = _line("TextFSM template, same", now["textfsm-family"])
        print(f"ratio TextFSM/remitgrammar on {FAMILY} (median): {textfsm / family:.1f}x (no target)")
    else:
        print("TextFSM baseline missing: textfsm is not installed (pip install -e '.[bench]')")
    checked = _line("remitgrammar parse and check", now["remitgrammar-check"]) if "remitgrammar-check" in now else None
    if len(merged) > 1:
        before = statistics.median(merged[1]["remitgrammar"])
        print(f"code before, alternating with this code: {before:.1f} docs/s median; this code "
              f"{ours / before:.2f}x (target >= {WARM_GAIN}x): {verdict(ours / before >= WARM_GAIN)}")
        if checked is not None and "remitgrammar-check" in merged[1]:
            was = statistics.median(merged[1]["remitgrammar-check"])
            print(f"parse and check, code before: {was:.1f} docs/s median; this code {checked / was:.2f}x "
                  f"(target >= {WARM_GAIN}x): {verdict(checked / was >= WARM_GAIN)}")
    else:
        print(f"warm target >= {WARM_GAIN}x the code before: not measured (give --against REV or DIR)")


def _cold_commands(envs: list) -> dict:
    """label -> (arguments, environment) of each cold run, this code's and the code before's."""
    tool = [sys.executable, "-m", "remitgrammar"]
    commands = {"python -c pass": ([sys.executable, "-c", "pass"], envs[0])}
    for label, env in zip(("", " (code before)"), envs, strict=False):  # the code before only when given
        for command in ("check", "parse"):
            commands[f"`remitgrammar {command} {SAMPLE.name}`{label}"] = (tool + [command, str(SAMPLE)], env)
    if _version("textfsm"):
        commands["textfsm"] = ([sys.executable, str(TEXTFSM_COLD), str(SAMPLE)], envs[0])
    return commands


def _cold_runs(commands: dict, runs: int, tmp: Path) -> dict:
    """label -> [(wall, peak MB)] of ``runs`` runs each, interleaved; each run with an empty cache."""
    found: dict = {label: [] for label in commands}
    for run in range(runs):
        for label, (args, env) in commands.items():
            cache = tmp / f"cold-cache-{run}-{list(commands).index(label)}"
            wall, peak, code = launch(args, {**env, "REMITGRAMMAR_CACHE_DIR": str(cache)})
            if code not in ((0,) if label == "textfsm" else (0, 1)):  # 1: `check` found something, as it may
                raise SystemExit(f"{' '.join(map(str, args))} failed with exit {code}")
            found[label].append((wall, peak))
    return found


def cold(envs: list, runs: int, tmp: Path) -> None:
    """Cold one-file `check` and `parse` against a cold TextFSM run of the same file."""
    found = _cold_runs(_cold_commands(envs), runs, tmp)
    walls = {label: [w for w, _ in times] for label, times in found.items()}
    print(f"cold runs of {SAMPLE.name} in a fresh interpreter, interleaved, {runs} each (an empty cache each run):")
    print(f"cold `python -c pass` (the floor): min {min(walls['python -c pass']):.3f} s")
    textfsm = min(walls["textfsm"]) if "textfsm" in walls else None
    if textfsm is not None:
        print(f"cold TextFSM (import textfsm, read the template, parse the file): min {textfsm:.3f} s, "
              f"median {statistics.median(walls['textfsm']):.3f} s, peak {max(p for _, p in found['textfsm']):.1f} MB")
    else:
        print("cold TextFSM baseline missing: textfsm is not installed (pip install -e '.[bench]')")
    for label, times in walls.items():
        if label.startswith("`remitgrammar"):
            _cold_line(label, times, max(p for _, p in found[label]), textfsm)


def _cold_line(label: str, times: list[float], peak: float, textfsm: float | None) -> None:
    best = min(times)
    against = (f"; {best / textfsm:.1f}x TextFSM (min; target <= {COLD_TIMES:.0f}x): "
               f"{verdict(best / textfsm <= COLD_TIMES)}" if textfsm else "; TextFSM ratio missing")
    print(f"cold {label}: min {best:.3f} s, "
          f"median {statistics.median(times):.3f} s over {len(times)} runs, peak {peak:.1f} MB; "
          f"target <= {COLD_CHECK:.3f} s (min): {verdict(best <= COLD_CHECK)}{against}")


if __name__ == "__main__":
    main()
