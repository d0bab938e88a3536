"""Fuzz remitgrammar with mutated golden reports, and measure how it holds up to hostile input.

Each case takes one golden sample (tests/corpus/*/*.txt), applies one mutation to
its bytes (sometimes two or three stacked), and runs what a user's run does:
``parse_reports`` -> ``check_result`` -> the rules across months (the mutated
report against its unmutated sample) -> ``to_json`` of each record -> ``render``
in the four output formats (every tenth case also the CLI's ``check -`` and
``parse -``). It then checks the contract of "Hostile and broken input":

* no unexpected Python exception: parse_reports yields only ParseResult or
  RemitError; check_result, to_json, render and RemitError.render never raise;
* bounded time: a run (the library's, or one CLI command's) over ``--timeout``
  CPU seconds is a hang; CPU time, because a machine busy with other work slows
  the wall clock. A case still running after ``--kill-after`` wall seconds is
  killed (the worker is replaced) and counted as a hang too;
* valid outputs: junit parses as XML and holds no character XML 1.0 forbids;
  json parses (no NaN/Infinity); every github ``::`` line is one annotation
  with its data escaped (``%``, CR, LF; in properties also ``:`` and ``,``);
  human output holds no control character but newline, and no line a CI runner
  would run as a workflow command (``::`` after leading spaces, ``##[``); a
  record's JSON parses;
* no silent number: a value printed in a malformed form (bench/fuzz_cases.py's
  ``malformed_number``) gives a finding on its line.

An RG9xx finding (or RemitError) is an *internal error*: reported, not a crash;
they are counted and grouped by their cause.

The cases and their mutations are in bench/fuzz_cases.py, what a case must satisfy
in bench/fuzz_contract.py; this file runs them in worker processes and sums up.

Every case is made from its own random generator, seeded by ``--seed`` and its
number, so one case can be replayed alone, in this process, with its traceback:

    python bench/fuzz.py --cases 3000 --seed 1 --workers 2 --timeout 5 --kill-after 30
    python bench/fuzz.py --seed 1 --replay 1234                      # rerun case 1234, print what broke
    python bench/fuzz.py --seed 1 --replay 1234 --write-input c.txt  # its bytes: remitgrammar check c.txt

The exit status is 0 whatever is found (this measures; tests/test_fuzz.py asserts),
2 for bad arguments. No worker process outlives the run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, when loaded by path

# Names tests/test_fuzz.py uses, re-exported so that it loads one module.
from fuzz_cases import (HOSTILE_NAMES, MUTATIONS, ODD_NUMBERS, SAMPLES, Case, Subject,  # noqa: E402,F401
                        make_case, repeat_line)
from fuzz_contract import (FORMATS, OUTPUT_CHECKS, PACKAGE, Crash, Outcome, _clip, _stage,  # noqa: E402,F401
                           github_problems, human_problems, json_problems, junit_problems, parse_reports,
                           run_case)


# --------------------------------------------------------------------------- workers

def _limit_memory(megabytes: int) -> None:
    """Cap the worker's address space: runaway memory becomes a MemoryError, not a stalled machine."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    except (ImportError, ValueError, OSError):
        pass


def case_job(seed: int, number: int, cli_every: int) -> Outcome:
    """The work of one case in a worker (a mutation that fails is the bench's own bug, reported as such)."""
    out = Outcome(number)
    case = _stage(out, "making the case (a bug of bench/fuzz.py)", make_case, seed, number)
    return out if case is None else run_case(case, cli=bool(cli_every) and number % cli_every == 0)


def _serve(conn, job, args: tuple, memory_mb: int) -> None:
    """A worker: run the case numbers it is sent until it is sent None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the run stops
    _limit_memory(memory_mb)
    while (number := conn.recv()) is not None:
        conn.send(job(*args[:1], number, *args[1:]))


class Worker:
    """One worker process and the case it is running."""

    def __init__(self, ctx, job, args: tuple, memory_mb: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, job, args, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.number, self.started = None, 0.0

    def give(self, number: int) -> None:
        self.number, self.started = number, time.monotonic()
        try:
            self.conn.send(number)
        except OSError:
            pass  # the worker is gone: its pipe reads as closed, and _receive counts a death

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


@dataclass
class Tally:
    """Everything the run found, by kind."""

    done: int = 0
    outcomes: list = field(default_factory=list)
    hangs: list = field(default_factory=list)   # case numbers
    deaths: list = field(default_factory=list)  # (case number, exit code)


def run_pool(numbers, job, args: tuple, workers: int, timeout: float, memory_mb: int = 3072,
             progress=None) -> Tally:
    """Run job(args[0], number, *args[1:]) for every number in worker processes, each within ``timeout``.

    A worker that overruns is killed and replaced (a hang); one that dies is replaced (a death).
    Every worker is stopped on the way out, whatever happens.
    """
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    todo, tally, pool = iter(numbers), Tally(), []
    try:
        pool = [Worker(ctx, job, args, memory_mb) for _ in range(max(1, workers))]
        for worker in pool:
            _feed(worker, todo)
        while any(w.number is not None for w in pool):
            _collect(pool, tally, timeout, lambda: Worker(ctx, job, args, memory_mb), todo)
            if progress:
                progress(tally)
    finally:
        for worker in pool:
            worker.stop()
    return tally


def _feed(worker: Worker, todo) -> None:
    """Give a worker the next case, or mark it idle when there is none."""
    number = next(todo, None)
    if number is None:
        worker.number = None
    else:
        worker.give(number)


def _collect(pool: list, tally: Tally, timeout: float, spawn, todo) -> None:
    """Wait for a result or a timeout; take results, replace hung and dead workers, hand out more work."""
    busy = [w for w in pool if w.number is not None]
    left = min(w.started + timeout for w in busy) - time.monotonic()
    ready = wait([w.conn for w in busy], timeout=max(0.0, left))
    for i, worker in enumerate(pool):
        if worker.number is None:
            continue
        if worker.conn in ready:
            pool[i] = _receive(worker, tally, spawn)
        elif time.monotonic() - worker.started > timeout:
            tally.hangs.append(worker.number)
            worker.stop()
            pool[i] = spawn()
        else:
            continue
        tally.done += 1
        _feed(pool[i], todo)


def _receive(worker: Worker, tally: Tally, spawn) -> Worker:
    """Take a worker's result; when its pipe is closed it died: count a death and start another."""
    try:
        tally.outcomes.append(worker.conn.recv())
        return worker
    except (EOFError, OSError):
        worker.proc.join(5)
        tally.deaths.append((worker.number, worker.proc.exitcode))
        worker.stop()
        return spawn()


# --------------------------------------------------------------------------- the summary

def _better(a: Case, b: Case | None) -> bool:
    """Whether case ``a`` is a smaller reproduction than ``b``: fewer mutations, then fewer bytes."""
    return b is None or (len(a.steps), len(a.subject.data), a.number) < (len(b.steps), len(b.subject.data),
                                                                          b.number)


class Groups:
    """Cases by key, each key with its smallest reproducing case (re-made from its number)."""

    def __init__(self, seed: int):
        self.seed, self.members, self.best, self.extra = seed, {}, {}, {}

    def add(self, key, number: int, extra=None) -> None:
        self.members.setdefault(key, {})[number] = extra

    def count(self, key) -> int:
        return len(self.members[key])

    def finish(self, candidates: int = 40) -> None:
        """Keep, per key, the smallest of its first ``candidates`` cases, and what that case showed."""
        for key, members in self.members.items():
            best = None
            for number in sorted(members)[:candidates]:
                case = make_case(self.seed, number)
                best = case if _better(case, best) else best
            self.best[key], self.extra[key] = best, members[best.number]


def group(tally: Tally, seed: int) -> dict:
    """Exceptions, internal errors and invalid outputs, grouped; each group counts cases, not occurrences."""
    groups = {name: Groups(seed) for name in ("exceptions", "internal", "invalid")}
    for out in tally.outcomes:
        for key, crash in {(c.kind, c.where): c for c in reversed(out.exceptions)}.items():
            groups["exceptions"].add(key, out.number, crash)  # reversed: each key keeps its first
        for key in set(out.internal):
            groups["internal"].add(key, out.number)
        for kind, detail in {kind: detail for kind, detail in reversed(out.invalid)}.items():
            groups["invalid"].add(kind, out.number, detail)
    for g in groups.values():
        g.finish()
    return groups


def _recipe(seed: int, case: Case) -> str:
    """What case ``number`` is, and the command that replays it."""
    return (f"case {case.number}: {case.describe()}\n"
            f"        replay: python bench/fuzz.py --seed {seed} --replay {case.number}")


def _print_groups(title: str, g: Groups, seed: int, show) -> None:
    total = len(set().union(*g.members.values()))
    print(f"{title}: {total} case(s)" + (f" in {len(g.members)} distinct group(s)" if total else ""))
    for key in sorted(g.members, key=lambda k: -g.count(k)):
        print(f"  [{g.count(key)} case(s)] {show(key, g.extra[key])}")
        print(f"      {_recipe(seed, g.best[key])}")


def _show_exception(key, crash: Crash) -> str:
    inner = f" <- {crash.inner}" if crash.inner else ""
    return f"{key[0]} at {key[1]}{inner} (in {crash.stage}): {crash.message[:160]!r}"


def _print_cases(title: str, seed: int, cases: list, sort: bool = True) -> None:
    """A title, then each (case number, prefix) with the case's recipe."""
    print(title)
    for number, prefix in sorted(cases) if sort else cases:
        print(f"  {prefix}{_recipe(seed, make_case(seed, number))}")


def _headline(tally: Tally, seconds: float, slow: list) -> None:
    """The counts the contract is judged by, first (the details below can take a while)."""
    def cases(what) -> int:
        return sum(1 for out in tally.outcomes if what(out))
    print(f"SUMMARY cases {tally.done}: unexpected exceptions in {cases(lambda o: o.exceptions)}, "
          f"internal errors in {cases(lambda o: o.internal)}, hangs {len(slow) + len(tally.hangs)} "
          f"({len(slow)} over the CPU timeout, {len(tally.hangs)} killed), worker deaths {len(tally.deaths)}, "
          f"invalid outputs in {cases(lambda o: o.invalid)}; {seconds:.0f} s", flush=True)


def summarize(tally: Tally, seed: int, seconds: float, timeout: float, show: int = 5) -> None:
    """Print what the run found (see the module docstring)."""
    cases = tally.done
    slow = sorted((o for o in tally.outcomes if o.cpu > timeout), key=lambda o: -o.cpu)
    _headline(tally, seconds, slow)
    groups = group(tally, seed)
    print(f"cases run: {cases} ({len(tally.outcomes)} completed, {len(tally.hangs)} killed, "
          f"{len(tally.deaths)} worker deaths)")
    _print_groups("unexpected exceptions", groups["exceptions"], seed, _show_exception)
    internal = [len(out.internal) for out in tally.outcomes if out.internal]
    print(f"internal-error findings (RG9xx): {sum(internal)} in {len(internal)} case(s)")
    _print_groups("  by cause", groups["internal"], seed, lambda k, _: f"{k[0]} {k[1]} at {k[2]}")
    _print_cases(f"hangs: runs over {timeout:g} CPU seconds: {len(slow)}", seed,
                 [(o.number, f"{o.cpu:5.2f} CPU s  ") for o in slow], sort=False)
    _print_cases(f"hangs: cases killed: {len(tally.hangs)}", seed, [(n, "") for n in tally.hangs])
    _print_cases(f"worker deaths: {len(tally.deaths)}", seed, [(n, f"exit code {c}: ") for n, c in tally.deaths])
    _print_groups("invalid outputs", groups["invalid"], seed, lambda k, d: f"{k}: {d}")
    slowest = sorted(tally.outcomes, key=lambda o: -o.cpu)[:show]
    _print_cases("slowest completed cases (CPU seconds of the slowest run, wall seconds of the case):", seed,
                 [(o.number, f"{o.cpu:5.2f} CPU s {o.seconds:5.2f} s  ") for o in slowest], sort=False)
    print(f"total time: {seconds:.1f} s, {cases / seconds if seconds else 0:.1f} cases/s")


# --------------------------------------------------------------------------- command line

def _state() -> str:
    """The commit, and how many files of the package differ from it (results change as code does)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PACKAGE.parent, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "."], cwd=PACKAGE, capture_output=True,
                               text=True, timeout=10).stdout.splitlines()
        return f"{head or '?'} with {len(dirty)} changed file(s) under remitgrammar/"
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"


def warm_up() -> None:
    """Build every grammar once in the parent, so forked workers start warm."""
    for sample in SAMPLES:
        for _ in parse_reports(str(sample), data=sample.read_bytes()):
            pass


def replay(seed: int, number: int, write_input: str | None) -> None:
    """Rerun one case in this process (with the CLI) and print everything that broke, with tracebacks."""
    case = make_case(seed, number)
    print(f"case {number} of seed {seed}: {case.describe()}")
    print(f"report name {case.subject.name!r}, {len(case.subject.data)} bytes")
    if write_input:
        Path(write_input).write_bytes(case.subject.data)
        print(f"wrote the mutated bytes to {write_input}")
    out = run_case(case, cli=True)
    for crash in out.exceptions:
        inner = f" <- {crash.inner}" if crash.inner else ""
        print(f"\nEXCEPTION {crash.kind} at {crash.where}{inner} in {crash.stage}: {crash.message}\n"
              f"{_clip(crash.traceback)}")
    for code, cause, where in out.internal:
        print(f"INTERNAL ERROR {code} {cause} at {where}")
    for tb in out.debug:
        print(f"\nthe RG900 error's traceback:\n{_clip(tb)}")
    for kind, detail in out.invalid:
        print(f"INVALID OUTPUT {kind}: {detail}")
    print("seconds by stage: " + ", ".join(f"{k} {v:.2f}" for k, v in out.stages.items()))
    broke = out.exceptions or out.internal or out.invalid
    print(f"{out.seconds:.2f} s (with the CLI); {'see above' if broke else 'nothing broke the contract'}")


def _progress(total: int):
    """A progress callback: ``... done/total cases`` on stderr every 10 s."""
    last = [time.monotonic()]

    def show(tally: Tally) -> None:
        if time.monotonic() - last[0] > 10:
            last[0] = time.monotonic()
            print(f"  ... {tally.done}/{total} cases", file=sys.stderr, flush=True)
    return show


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=5.0, help="CPU seconds a run may take (default 5)")
    parser.add_argument("--kill-after", type=float, default=30.0, help="wall seconds before a case is killed")
    parser.add_argument("--cli-every", type=int, default=10, help="run the CLI on every Nth case (0: never)")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address-space limit of a worker")
    parser.add_argument("--replay", type=int, metavar="CASE", help="rerun one case here and show its tracebacks")
    parser.add_argument("--write-input", metavar="PATH", help="with --replay: write the case's bytes here")
    args = parser.parse_args(argv)
    if args.replay is not None:
        replay(args.seed, args.replay, args.write_input)
        return 0
    print(f"remitgrammar at {_state()}; seed {args.seed}, {args.cases} cases, {args.workers} worker(s), "
          f"timeout {args.timeout:g} CPU s, killed after {args.kill_after:g} s")
    warm_up()
    start = time.monotonic()
    tally = run_pool(range(args.cases), case_job, (args.seed, args.cli_every), args.workers, args.kill_after,
                     args.memory_mb, _progress(args.cases))
    summarize(tally, args.seed, time.monotonic() - start, args.timeout)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the pool's `finally` stops the workers
    sys.exit(main())
