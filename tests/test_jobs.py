"""Corpus runs in worker processes (--jobs): the same output in the same order, limits kept."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from remitgrammar.cli import app
from remitgrammar.cli.running import Progress
from remitgrammar.corpus import Settings, run
from remitgrammar.errors import RemitError
from remitgrammar.intake.sources import Input

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted(str(p) for p in (ROOT / "tests" / "corpus").glob("*/*.txt"))
# a statement saved apart from the EDGAR submission that carries it is the same filing (RG130)
DISTINCT = [r for r in REPORTS if r.replace(".txt", ".submission.txt") not in REPORTS]


def test_parse_in_workers_writes_what_one_process_writes_in_input_order(runner):
    one = runner.invoke(app, ["parse", "--jobs", "1", *DISTINCT])
    two = runner.invoke(app, ["parse", "--jobs", "2", *reversed(DISTINCT)])
    assert one.exit_code == two.exit_code == 0
    lines = one.stdout.splitlines()
    assert len(lines) == len(DISTINCT) and two.stdout.splitlines() == lines[::-1]
    every = runner.invoke(app, ["parse", "--jobs", "2", *REPORTS])  # each copy named, its filing written once
    assert every.stdout.splitlines() == lines  # a submission sorts before its statement: it is the one kept
    assert every.stderr.count("RG130") == len(REPORTS) - len(DISTINCT) > 0


def test_check_in_workers_finds_what_one_process_finds_across_months_too(runner):
    one = runner.invoke(app, ["check", "--jobs", "1", "--output-format", "json", *REPORTS])
    two = runner.invoke(app, ["check", "-j", "3", "--output-format", "json", *REPORTS])
    assert (one.exit_code, one.stdout) == (two.exit_code, two.stdout)
    assert '"RG404"' in two.stdout  # the two 2003-HE2 months, checked against each other


def test_a_report_over_the_time_limit_in_a_worker_is_an_error_and_the_run_goes_on(runner):
    result = runner.invoke(app, ["--timeout", "0.001", "parse", "--jobs", "2", *REPORTS[:3]])
    assert result.exit_code == 1
    assert result.stderr.count("RG902") == 3 and "Traceback" not in result.stderr


def _dies_on_lakeshore(name: str, outcome):
    if "lakeshore" in name and not isinstance(outcome, RemitError):  # the parent reports the death itself
        os._exit(3)  # a worker killed mid-report (what the out-of-memory killer does)
    return name, type(outcome).__name__


def test_a_worker_that_dies_costs_its_input_only():
    got = [item for done in run([Input(r) for r in REPORTS], _dies_on_lakeshore, Settings(), jobs=2)
           for item in done]
    assert [name for name, _ in got] == REPORTS
    kinds = {name.split("/")[-1].split("_")[0]: kind for name, kind in got}
    assert kinds.pop("lakeshore") == "RemitError" and set(kinds.values()) == {"ParseResult"}


def test_progress_is_shown_only_on_a_terminal_and_erased_before_other_output(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    progress = Progress(3)
    for _ in range(3):
        progress.hide()  # before the caller writes what the input gave
        progress.step()
    progress.end()
    assert screen.getvalue() == "\r1/3 files\r\x1b[K\r2/3 files\r\x1b[K\r3/3 files\r\x1b[K"
    monkeypatch.setattr("sys.stderr", io.StringIO())
    quiet = Progress(3)
    quiet.step()
    assert not quiet.shown


def _dies_on_the_third(name: str, outcome):
    if name.endswith("#3") and not isinstance(outcome, RemitError):
        os._exit(3)
    return name, type(outcome).__name__


def test_a_death_while_more_inputs_wait_than_are_in_flight_costs_only_its_input():
    # more inputs than 2 workers x IN_FLIGHT: a new input is submitted after the death, to a broken pool
    text = (ROOT / "tests" / "corpus" / "dollars-statement" / "lakeshore_1996-2_1996-12-26.txt").read_bytes()
    inputs = [Input(f"report#{i}", text) for i in range(20)]
    got = []
    for done in run(inputs, _dies_on_the_third, Settings(), jobs=2):
        got += done
        time.sleep(0.05)  # a slow consumer: the death happens while the pool is being refilled
    assert [name for name, _ in got] == [f"report#{i}" for i in range(20)]
    assert [kind for _, kind in got].count("RemitError") == 1 and got[3][1] == "RemitError"


def test_jobs_below_zero_is_a_usage_error(runner):
    result = runner.invoke(app, ["parse", "--jobs", "-2", REPORTS[0]])
    assert result.exit_code == 2 and "--jobs takes" in result.stderr


def test_more_workers_than_the_machine_allows_is_one_line_and_exit_2():
    import resource
    import subprocess
    import sys

    def few_descriptors():
        resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))
    done = subprocess.run([sys.executable, "-m", "remitgrammar", "parse", "--jobs", "40", *REPORTS * 6],
                          capture_output=True, text=True, timeout=120, preexec_fn=few_descriptors)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().endswith("give fewer with --jobs")


def test_a_result_cut_off_by_a_killed_worker_does_not_hold_the_exit():
    """A worker killed while it writes its result leaves the pool's manager thread reading the rest of
    the message forever, and the interpreter's exit joins that thread: shutting the pool down closes
    the pipe, the read ends, and the thread stops (CI once hung after its last test this way)."""
    import struct

    from remitgrammar.corpus import _executor, _shut

    executor = _executor(1, Settings())
    assert executor.submit(abs, -1).result(timeout=30) == 1  # the manager thread and the worker run
    thread = executor._executor_manager_thread
    os.write(executor._result_queue._writer.fileno(), struct.pack("!i", 1000))  # a header, no message
    time.sleep(0.5)  # the thread has read the header and waits for the 1,000 bytes
    assert thread.is_alive()
    _shut(executor, abandon=True)
    assert not thread.is_alive()
