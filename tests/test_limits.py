"""Bounded resources, clean processes, and paths as input (issue 20, points 2, 5 and 6).

Each test runs the real command (a subprocess, where memory, signals or exit matter) or the public API.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from remitgrammar import pipeline
from remitgrammar.api import iter_reports
from remitgrammar.errors import RemitError
from remitgrammar.pipeline import parse_reports

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
CORPUS = ROOT / "tests" / "corpus"
TOOL = [sys.executable, "-m", "remitgrammar"]
LINUX = sys.platform.startswith("linux")


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(TOOL + [str(a) for a in args], capture_output=True, text=True, timeout=120, **kwargs)


def _peak_mb(args: list) -> tuple[float, int, str]:
    """(peak RSS in MB, exit code, stderr) of the command in a fresh process."""
    child = subprocess.Popen(TOOL + [str(a) for a in args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    return usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def _one_line_exit_2(result) -> None:
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


# --- bounded resources -----------------------------------------------------------------------------

@pytest.mark.skipif(not LINUX, reason="ru_maxrss in KB is Linux's")
def test_a_gzip_is_refused_when_it_unpacks_past_max_mb_at_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(SAMPLE.read_bytes() + b" " * (300 * 1024 * 1024), 9))  # 300 MB unpacked
    assert bomb.stat().st_size < 1024 * 1024  # it passes --max-mb 1 packed
    base = _peak_mb(["--version"])[0]
    peak, code, stderr = _peak_mb(["--max-mb", "1", "parse", bomb])
    assert code == 1 and "RG108" in stderr and "unpacks to more than the limit of 1,048,576 bytes" in stderr
    assert peak < base + 40, (peak, base)  # not the 300 MB it unpacks to


def test_a_gzip_within_the_limit_is_read_whole_every_member_and_a_cut_one_is_damaged(tmp_path):
    text = SAMPLE.read_bytes()
    two = tmp_path / "two.gz"
    two.write_bytes(gzip.compress(text[:5000]) + gzip.compress(text[5000:]))  # `cat a.gz b.gz`
    expected = next(parse_reports(SAMPLE))[1]
    got = next(parse_reports(two))[1]
    assert got.record["classes"] == expected.record["classes"]
    cut = tmp_path / "cut.gz"
    cut.write_bytes(gzip.compress(text)[:-2000])
    (name, outcome), = parse_reports(cut)
    assert isinstance(outcome, RemitError) and outcome.finding.code == "RG100" and "damaged gzip" in outcome.finding.message


def test_a_report_past_max_lines_is_read_up_to_the_limit_with_rg120(monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "MAX_LINES", 300)
    big = tmp_path / "big.txt"
    big.write_bytes(SAMPLE.read_bytes() * 3)
    (_, outcome), = parse_reports(big)
    assert isinstance(outcome, RemitError)
    cap = [f for f in outcome.findings if f.code == "RG120"]
    assert len(cap) == 1 and cap[0].line == 301 and "lines after it were left out" in cap[0].message
    assert outcome.result is not None and outcome.result.record["filing"]  # what was read is kept


def test_leading_blank_lines_cost_linear_time(tmp_path):
    padded = tmp_path / "padded.txt"
    padded.write_bytes(b"<PAGE>\n" + b"\n" * 400_000 + SAMPLE.read_bytes())  # markup: the careful intake path
    start = time.perf_counter()
    (_, outcome), = parse_reports(padded)
    assert time.perf_counter() - start < 30
    result = outcome.result if isinstance(outcome, RemitError) else outcome
    assert result.provenance  # the report under the blank lines is read, with its lines in the file's numbers
    assert min(where["line"] for where in result.provenance.values()) > 400_000


# --- paths as input ----------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_files_from_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "list"
    os.mkfifo(fifo)  # nothing writes to it: opening it would wait forever
    _one_line_exit_2(_run(["check", "--files-from", fifo]))


@pytest.mark.parametrize("listing", ["/dev/zero", "directory", "nul", "huge"])
def test_files_from_what_is_not_a_list_of_paths_is_one_line_and_exit_2(tmp_path, listing):
    if listing == "/dev/zero" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    path = {"/dev/zero": Path("/dev/zero"), "directory": tmp_path}.get(listing, tmp_path / "list")
    if listing == "nul":
        path.write_bytes(os.urandom(4096) + b"\x00")
    if listing == "huge":
        path.write_bytes((str(SAMPLE) + "\n").encode() * 100_000)
    result = _run(["--max-mb", "1", "check", "--files-from", path])
    _one_line_exit_2(result)


def test_files_from_reads_names_that_are_not_utf8(tmp_path):
    odd = os.fsencode(tmp_path) + b"/report-\xff\xfe.txt"
    with open(odd, "wb") as handle:
        handle.write(SAMPLE.read_bytes())
    listing = tmp_path / "list"
    listing.write_bytes(b"# reports\n" + odd + b"\n")
    result = _run(["check", "--files-from", listing, "--output-format", "json"])
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    assert "report-" in result.stdout


def test_a_non_utf8_file_name_is_carried_through_intake_parse_and_check(tmp_path):
    odd = os.fsencode(tmp_path) + b"/r\xe9port.txt"
    with open(odd, "wb") as handle:
        handle.write(SAMPLE.read_bytes())
    name = os.fsdecode(odd)
    reports = list(iter_reports([tmp_path]))
    assert [r.name for r in reports] == [name]  # walked, named with the file system's own bytes
    assert reports[0].record["source"]["path"] == name and reports[0].record["classes"]
    assert os.fsencode(reports[0].name) == odd
    checked = _run(["check", tmp_path])
    assert checked.returncode in (0, 1) and "Traceback" not in checked.stderr and "RG30" in checked.stdout


def _deep(root: Path, depth: int) -> None:
    """``depth`` nested directories under ``root``, made through descriptors (the path is too long to name)."""
    fd = os.open(root, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("dddd", dir_fd=fd)
        inner = os.open("dddd", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)


def _remove_deep(root: Path, depth: int) -> None:
    """Remove them bottom up (pytest's clean-up of old temporary directories recurses, and would fail)."""
    fds = [os.open(root, os.O_RDONLY)]
    for _ in range(depth):
        fds.append(os.open("dddd", os.O_RDONLY, dir_fd=fds[-1]))
    for level in range(depth, 0, -1):
        os.close(fds[level])
        os.rmdir("dddd", dir_fd=fds[level - 1])
    os.close(fds[0])


def test_a_directory_deeper_than_a_path_can_be_is_a_finding_and_the_rest_is_read(tmp_path):
    (tmp_path / "a.txt").write_bytes(SAMPLE.read_bytes())
    _deep(tmp_path, 1500)  # 7,500 characters of path: past PATH_MAX
    try:
        result = _run(["check", tmp_path])
    finally:
        _remove_deep(tmp_path, 1500)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "RG120" in result.stdout and "cannot be walked" in result.stdout
    assert "a.txt:" in result.stdout  # the report beside it is still checked


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loops_in_a_directory_neither_hang_nor_abort(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(SAMPLE.read_bytes())
    os.symlink("..", tmp_path / "sub" / "up")  # a directory loop: not followed
    os.symlink("self.txt", tmp_path / "self.txt")  # a file that links to itself: read, and refused
    result = _run(["check", tmp_path, "--show-info"])  # 94:18 is an info (RG303)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.count("sub/a.txt:94:18") == 1  # read once, not once per trip round the loop
    assert "self.txt: RG100" in result.stdout and "symbolic links" in result.stdout


# --- clean processes ---------------------------------------------------------------------------

def test_check_in_workers_exits_without_a_traceback_run_after_run():
    for _ in range(6):  # the 100-run figure is in the report of issue 20; this keeps CI short
        result = _run(["check", "--jobs", "2", CORPUS])
        assert result.returncode == 1 and "Traceback" not in result.stderr and "Error" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_write_error_on_stdout_does_not_hang_the_exit():
    with open("/dev/full", "w") as full:
        for _ in range(3):
            done = subprocess.run(TOOL + ["check", "--jobs", "2", str(CORPUS)], stdout=full, stderr=subprocess.PIPE,
                                  timeout=60)  # raises on a hang
            assert done.returncode != 0


def _children(pid: int) -> set:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not LINUX, reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_when_their_parent_dies(tmp_path, how):
    for index in range(6):  # inputs that keep two workers busy for a while
        (tmp_path / f"{index}.txt").write_bytes(SAMPLE.read_bytes() * 60)
    parent = subprocess.Popen(TOOL + ["--timeout", "0", "check", "--jobs", "2", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2
        time.sleep(0.5)  # the workers are parsing
        os.kill(parent.pid, how)
        parent.wait(10)
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
