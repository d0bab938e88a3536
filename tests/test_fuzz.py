"""A short fuzz of the "Hostile and broken input" contract, as hypothesis property tests.

Hypothesis picks a golden sample, a mutation and the mutation's random choices;
bench/fuzz.py makes the mutated bytes (the same mutations as its long runs) and
runs them through parse_reports -> check_result -> to_json -> render (human,
json, github, junit), catching and recording what breaks. Each test asserts one
part of the contract on those runs:

* parse_reports yields only ParseResult or RemitError, and raises nothing;
* check_result, to_json and RemitError.render raise nothing, a record's JSON parses;
* every output format renders, and what it renders is valid for its consumer;
* the CLI (``check -``, ``parse -``) ends with an exit code, never a traceback;
* every case takes under CASE_SECONDS.

An RG9xx finding (internal error) is a reported failure, not a crash: the tests
count it as an event (``pytest --hypothesis-show-statistics``), they do not fail on it.
The run is derandomized (the same cases every time) and short; for a long fuzz:
``python bench/fuzz.py --cases 3000`` (see its docstring).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings, strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from remitgrammar.check.report import render
from remitgrammar.pipeline import check_result, parse_reports

ROOT = Path(__file__).resolve().parent.parent
CASE_SECONDS = 5.0


def _load_bench():
    """bench/fuzz.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("remitgrammar_bench_fuzz", ROOT / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load_bench()

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    # No example database (database=None below), and hypothesis's other cache (constants it
    # reads from source files) goes to a private temporary directory, not .hypothesis/ in the repo.
    _HOME = tempfile.mkdtemp(prefix="remitgrammar-hypothesis-")
    set_hypothesis_home_dir(_HOME)
    atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

# The bench's mutations, with rows repeated at most 2,000 times: a CI run stays short
# (the bench's 20,000 copies take seconds each).
MUTATIONS = {**fuzz.MUTATIONS, "repeat_line": functools.partial(fuzz.repeat_line, counts=(50, 500, 2000))}
FUZZ = settings(deadline=None, database=None, derandomize=True, phases=(Phase.explicit, Phase.generate),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=False)


class TooSlow(BaseException):
    """A case ran past CASE_SECONDS (a BaseException: no ``except Exception`` of the code under test eats it)."""


@contextlib.contextmanager
def within(seconds: float):
    """Raise TooSlow when the block runs longer than ``seconds``.

    The interrupt is a CPU-time timer (SIGPROF): the CLI's own --timeout uses SIGALRM and, on its way
    out, cancels any SIGALRM timer. Wall time is checked when the block ends.
    """
    def expire(signum, frame):
        raise TooSlow(f"over {seconds:g} s of CPU time")
    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    if time.monotonic() - start > seconds:
        raise TooSlow(f"{time.monotonic() - start:.1f} s")


@st.composite
def cases(draw):
    """A golden sample with one mutation applied; its description says exactly what was done."""
    sample = draw(st.sampled_from(fuzz.SAMPLES))
    kind = draw(st.sampled_from(sorted(MUTATIONS)))
    rng = random.Random(draw(st.integers(0, 2 ** 32 - 1)))
    shown = sample.relative_to(ROOT).as_posix()
    case = fuzz.Case(0, shown, fuzz.Subject(shown, sample.read_bytes()))
    case.steps.append(f"{kind}: {MUTATIONS[kind](case.subject, rng)}")
    return case


def timed(case, cli: bool = False):
    """The bench's run of one case (exceptions recorded, outputs checked), within CASE_SECONDS."""
    try:
        with within(CASE_SECONDS):
            return fuzz.run_case(case, cli=cli)
    except TooSlow as exc:
        raise AssertionError(f"too slow ({exc}; the limit is {CASE_SECONDS:g} s): {case.describe()}") from None


def run(case, cli: bool = False):
    """timed(), with the case's description and its internal errors shown by hypothesis."""
    note(case.describe())
    out = timed(case, cli)
    for code, cause, where in out.internal:
        event(f"internal error {code} {cause} at {where}")
    return out


def _crashes(out, stages) -> list:
    return [f"{c.kind} in {c.stage} at {c.where}: {c.message}\n{fuzz._clip(c.traceback, 12)}"
            for c in out.exceptions if c.stage.startswith(stages)]


# --------------------------------------------------------------------------- properties over mutated reports

@settings(FUZZ, max_examples=60)
@given(case=cases())
def test_parse_reports_yields_only_results_or_remit_errors(case):
    out = run(case)
    assert _crashes(out, ("parse_reports",)) == []
    assert [d for kind, d in out.invalid if kind.startswith("parse_reports")] == []


@settings(FUZZ, max_examples=50)
@given(case=cases())
def test_check_result_to_json_and_error_render_never_raise(case):
    out = run(case)
    assert _crashes(out, ("check_result", "to_json", "RemitError.render")) == []
    assert [(kind, d) for kind, d in out.invalid if kind.startswith("record")] == []


@settings(FUZZ, max_examples=60)
@given(case=cases())
def test_every_output_format_renders_valid_output(case):
    out = run(case)
    assert _crashes(out, ("render",)) == []
    assert [(kind, d) for kind, d in out.invalid if kind.split(":")[0] in fuzz.FORMATS] == []


@settings(FUZZ, max_examples=12)
@given(case=cases())
def test_cli_check_and_parse_end_with_an_exit_code_not_a_traceback(case):
    out = run(case, cli=True)
    assert _crashes(out, ("cli",)) == []


# --------------------------------------------------------------------------- named hostile inputs, one each

def _golden(name: str) -> Path:
    return next(p for p in fuzz.SAMPLES if p.name.startswith(name))


def assert_contract(sample: Path, subject, description: str) -> None:
    """One named hostile input: no exception anywhere, every output valid, within CASE_SECONDS."""
    case = fuzz.Case(0, sample.name, subject, [description])
    out = timed(case)
    assert _crashes(out, ("",)) == [], case.describe()
    assert out.invalid == [], case.describe()


@pytest.mark.parametrize("name", fuzz.HOSTILE_NAMES, ids=repr)
def test_a_hostile_file_name_is_escaped_in_every_output(name):
    sample = _golden("absc_2003-he2_2003-06-16")  # a report with findings, so every output shows the name
    assert_contract(sample, fuzz.Subject(name, sample.read_bytes()), f"named {name!r}")


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b[31m", "\x7f", "\x85"],
                         ids=repr)
def test_a_control_character_in_a_label_is_escaped_in_every_output(char):
    sample = _golden("absc_2003-he2_2003-06-16")
    data = sample.read_bytes().replace(b"Servicing Fee", b"Servicing" + char.encode() + b" Fee", 1)
    assert_contract(sample, fuzz.Subject(sample.name, data), f"{char!r} inside the label 'Servicing Fee'")


@pytest.mark.parametrize("label,value", fuzz.ODD_NUMBERS, ids=[label for label, _ in fuzz.ODD_NUMBERS])
def test_an_odd_number_in_a_class_row_is_a_finding_not_a_crash(label, value):
    sample = _golden("absc_2003-he2_2003-06-16")
    data = sample.read_bytes().replace(b"397,000,000", value, 1)  # Orig Bal of class A-1
    assert_contract(sample, fuzz.Subject(sample.name, data), f"A-1's '397,000,000' replaced with {label}")


@pytest.mark.parametrize("sample,label", [("absc_2003-he2_2003-06-16", "Beginning Bal"),
                                          ("absc_2003-he2_2003-06-16", "30-59 days delin"),
                                          ("absc_2002-he1", "                 Balance")])
@pytest.mark.parametrize("value", ["N/A", "(86,", ""])
def test_a_label_replaced_by_odd_text_is_a_finding_not_a_crash(sample, label, value):
    sample = _golden(sample)
    data = sample.read_bytes().replace(label.encode(), value.encode(), 1)
    assert_contract(sample, fuzz.Subject(sample.name, data), f"the label {label.strip()!r} replaced with {value!r}")


# --------------------------------------------------------------------------- the checks themselves can fail

def _golden_results():
    sample = _golden("absc_2003-he2_2003-06-16")
    return [(name, check_result(outcome)) for name, outcome in parse_reports(sample.name, data=sample.read_bytes())]


def test_the_output_checks_pass_the_golden_outputs():
    results = _golden_results()
    assert results[0][1], "the sample should have findings, so that the outputs are not trivial"
    for fmt in fuzz.FORMATS:
        assert fuzz.OUTPUT_CHECKS[fmt](render(results, fmt, "error", show_info=True), results) == [], fmt


def test_the_output_checks_catch_invalid_outputs():
    results = [("deal,2003:06.txt", _golden_results()[0][1][:1])]
    kinds = lambda problems: {kind for kind, _ in problems}  # noqa: E731
    assert kinds(fuzz.junit_problems("<testsuites><testsuite>", results)) == {"junit: not well-formed XML"}
    assert kinds(fuzz.junit_problems("<a>\x1b</a>", results)) == {"junit: character XML 1.0 forbids"}
    assert kinds(fuzz.human_problems("a.txt:1:1: RG204 error: bad \x1b[31mlabel\n", results)) == {
        "human: raw control character (C0/DEL)"}
    assert fuzz.human_problems("a.txt:1:1: RG204 error: fine\n", results) == []
    assert kinds(fuzz.json_problems('{"a": NaN}')) == {"json: not valid JSON"}
    unescaped = {"github: property not key=value (unescaped ',' or ':')"}
    assert kinds(fuzz.github_problems("::error file=deal,2003:06.txt,line=1,title=RG204::m\nsummary\n", results)) \
        == unescaped
    assert kinds(fuzz.github_problems("::error file=deal%2C2003:06.txt,title=RG204::m\nsummary\n", results)) \
        == unescaped
    assert kinds(fuzz.github_problems("::error file=x::y,title=RG204::m\nsummary\n", results)) \
        == {"github: file property is not the escaped path"}
    assert kinds(fuzz.github_problems("::error file=deal%2C2003%3A06.txt,title=RG204::m\rn\nsummary\n", results)) \
        == {"github: malformed annotation line (no command, no '::', or a raw CR)"}
    assert kinds(fuzz.github_problems("::error file=deal%2C2003%3A06.txt,title=RG204::two\nlines\nsummary\n",
                                      results)) == {"github: annotation lines != findings (a raw newline split one)"}
    assert fuzz.github_problems("::error file=deal%2C2003%3A06.txt,title=RG204::m 100%25\nsummary\n", results) == []


def test_the_time_limit_interrupts_a_busy_loop():
    with pytest.raises(TooSlow):
        with within(0.2):
            while True:
                pass


def test_a_case_is_the_same_bytes_every_time():
    first, again = fuzz.make_case(3, 17), fuzz.make_case(3, 17)
    assert (first.subject, first.steps) == (again.subject, again.steps)


# --------------------------------------------------------------------------- the bench's worker pool

def _sleepy_job(seed, number):
    """A stand-in case: case 1 hangs, case 2 kills its worker, the others take no time."""
    if number == 1:
        time.sleep(60)
    if number == 2:
        os._exit(3)
    return fuzz.Outcome(number)


def test_the_pool_kills_a_hung_worker_replaces_a_dead_one_and_leaves_no_process():
    tally = fuzz.run_pool(range(6), _sleepy_job, (0,), workers=2, timeout=0.5)
    assert tally.hangs == [1]
    assert [number for number, _ in tally.deaths] == [2]
    assert sorted(out.number for out in tally.outcomes) == [0, 3, 4, 5]
    assert tally.done == 6
    import multiprocessing
    assert multiprocessing.active_children() == []


def test_the_bench_runs_and_prints_its_figures():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz.py"), "--cases", "3", "--workers", "1",
                          "--cli-every", "0"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    for figure in ("cases run: 3", "unexpected exceptions:", "internal-error findings", "hangs", "invalid outputs",
                   "cases/s"):
        assert figure in out.stdout
