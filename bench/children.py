"""The bench's child processes: each command run as a user runs it, timed and its peak memory taken.

Every child runs with the package's compiled bytecode (`compile_tree` first) and without
PYTHONDONTWRITEBYTECODE, with its cache (when the CLI has one) in a directory of the bench's own,
and is started by a small launcher process that waits for it with wait4: a child forked from the
bench, which holds the corpus and the warm runs' objects, would count the bench's pages in its own
peak until it execs.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_LAUNCH = ("import os, subprocess, sys, time; start = time.perf_counter(); "
           "out = open(os.environ['BENCH_OUT'], 'wb') if os.environ.get('BENCH_OUT') else subprocess.DEVNULL; "
           "child = subprocess.Popen(sys.argv[1:], stdout=out, stderr=subprocess.DEVNULL); "
           "_, status, usage = os.wait4(child.pid, 0); "
           "print(usage.ru_maxrss, time.perf_counter() - start, os.waitstatus_to_exitcode(status))")


def compile_tree(tree: Path) -> bool:
    """Write the bytecode of ``tree``'s package, as an installed package has it; whether all compiled."""
    return bool(compileall.compile_dir(str(tree / "remitgrammar"), quiet=1))


def environment(tree: Path | None, cache: Path) -> dict:
    """The children's environment: bytecode read (and written), the code of ``tree`` (None: this
    checkout's) first on the path, the cache in ``cache``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # the tree's package and no other: `python -m` run from ROOT would put ROOT's package before
    # PYTHONPATH's (the code before measured as this code), and an installed one may be another checkout
    env["PYTHONPATH"] = str(tree or ROOT)
    env["PYTHONSAFEPATH"] = "1"
    env["REMITGRAMMAR_CACHE_DIR"] = str(cache)
    return env


def launch(args: list, env: dict, out: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of ``args`` run in a fresh process (its standard
    output kept in ``out`` when given)."""
    env = {**env, "BENCH_OUT": str(out) if out else ""}
    done = subprocess.run([sys.executable, "-c", _LAUNCH] + args, capture_output=True, text=True,
                          check=True, env=env, cwd=ROOT)
    kb, wall, code = done.stdout.split()
    return float(wall), int(kb) / 1024, int(code)


def output(args: list, env: dict) -> tuple[int, str]:
    """(exit code, standard output) of ``args``: what a run printed, to compare two runs."""
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=env, cwd=ROOT)
    return done.returncode, done.stdout


def has_option(option: str, env: dict) -> bool:
    """Whether `remitgrammar check` of this build takes ``option``."""
    code, text = output([sys.executable, "-m", "remitgrammar", "check", "--help"], env)
    return code == 0 and option in text


def warm_chunk(tree: Path | None, env: dict, seconds: float, seed: int) -> dict:
    """bench/warm.py's rounds for ``seconds`` in a child running the code of ``tree``."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "warm.py"), "--seconds", str(seconds),
                           "--seed", str(seed)], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench/warm.py failed ({'code before' if tree else 'code under test'}):\n"
                         f"{done.stderr[-2000:]}")
    return json.loads(done.stdout)
