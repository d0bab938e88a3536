"""Inert outputs, outputs written whole, baselines as input, findings the same under any hash seed (issue 20).

Every output a CI job reads (human, json, github, junit, sarif, --statistics) shows a hostile file name
or report line without obeying it; exports and baselines replace only regular files, only when
complete, and a full disk leaves the old file; a baseline of any shape is exit 2 with one line.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest

from remitgrammar.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SEED = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
HOSTILE_LINE = "    ::warning file=x.py::A-2 ##[error] \x1b[2J ]]> \x01 \ufffe 213,560,000"
# what a GitHub runner's Trim() takes off a line before it looks for "::" (whitespace, zero-width too)
TRIMMED = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000" \
          "\u200b\u200c\u200d\u2060\ufeff"
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _hostile_report(tmp_path: Path, name: str = "hostile.txt") -> Path:
    """The June sample with class A-2's row made a workflow command, escapes and XML's ``]]>``: it fits
    no line of the format, so RG101 quotes it."""
    text = SEED.read_text(encoding="utf-8").replace("      A-2        213,560,000", HOSTILE_LINE, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _assert_inert(text: str) -> None:
    """No line a runner would take for a command, and nothing a terminal would obey."""
    for line in text.split("\n"):
        assert not line.strip(TRIMMED).startswith("::"), line
        assert "##[" not in line, line
    assert not RAW_CONTROL.search(text), RAW_CONTROL.findall(text)


def _one_line(stderr: str) -> None:
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr


def _partials(directory: Path) -> list:
    return [p.name for p in directory.rglob("*") if p.name.endswith(".partial")]


# --------------------------------------------------------------------------- inert outputs

def test_a_quoted_report_line_never_starts_a_workflow_command(runner, tmp_path):
    report = _hostile_report(tmp_path)
    checked = runner.invoke(app, ["check", str(report)])
    assert checked.exit_code == 1
    quoted = [line for line in checked.stdout.splitlines() if "213,560,000" in line and "x.py" in line]
    assert quoted == ["  |     ::warning file=x.py::A-2 \\x23#[error] \\x1b[2J ]]> \\x01 \ufffe 213,560,000    "
                      "213,194,841      3,860,525"]
    _assert_inert(checked.stdout)
    parsed = runner.invoke(app, ["parse", str(report)])  # the same rendering on stderr
    assert parsed.exit_code == 1 and "RG101" in parsed.stderr
    _assert_inert(parsed.stderr)


def test_a_message_line_that_begins_with_two_colons_is_escaped(runner, tmp_path):
    """RG130 names the file a copy repeats: a name holding a newline and a command once printed one."""
    deal = tmp_path / "deal"
    deal.mkdir()
    shutil.copy(SEED, deal / "june.txt")
    shutil.copy(SEED, deal / os.fsdecode(b"again\n\xe2\x80\x83::error::pwned ##[error]\x1b[31m.txt"))
    checked = runner.invoke(app, ["check", str(deal), "--fail-on", "info"])
    assert "RG130" in checked.stdout
    _assert_inert(checked.stdout)
    doc = json.loads(runner.invoke(app, ["check", str(deal), "--output-format", "json"]).stdout)
    messages = [f["message"] for entry in doc["files"] for f in entry["findings"] if f["code"] == "RG130"]
    assert messages and all("\n" not in m and "\x1b" not in m and "##[" not in m for m in messages)


def _hostile_names(tmp_path: Path) -> Path:
    """A directory of two reports named with a newline, an escape sequence, a command, a byte that is
    not UTF-8, a comma and a colon (properties of a workflow command), and the hostile report line."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _hostile_report(corpus, os.fsdecode(b"a\xff,b:c\x1b[2J\n::error::x ##[set-output].txt"))
    shutil.copy(SEED, corpus / os.fsdecode(b"\x9b31m\xfe plain.txt"))
    return corpus


def test_every_output_format_escapes_file_names_and_report_lines(runner, tmp_path):
    corpus = _hostile_names(tmp_path)
    names = sorted(str(corpus / name) for name in os.listdir(corpus))
    out = {fmt: runner.invoke(app, ["check", str(corpus), "--output-format", fmt, "--show-info"]).stdout
           for fmt in ("human", "json", "github", "junit", "sarif")}
    doc = json.loads(out["json"])
    assert sorted(entry["path"] for entry in doc["files"]) == names  # \udcff: os.fsencode gives the bytes back
    findings = sum(len(entry["findings"]) for entry in doc["files"])
    _assert_inert(out["human"])
    annotations = out["github"].rstrip("\n").split("\n")[:-1]
    assert len(annotations) == findings and all(line.startswith("::") for line in annotations)
    assert not RAW_CONTROL.search(out["github"]) and "c\\x1b[2J\\n::error::x" in out["github"]  # RG406's data
    assert "/corpus/a\\xff%2Cb%3Ac\\x1b[2J%0A%3A%3Aerror%3A%3Ax \\x23#[set-output].txt,line=" in out["github"]
    suites = ET.fromstring(out["junit"])
    assert sorted(s.get("name") for s in suites) == sorted(n.replace("\n", "\\n") for n in _shown(names))
    assert not RAW_CONTROL.search(out["junit"]) and "\ufffe" not in out["junit"]
    sarif = json.loads(out["sarif"])
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {quote(os.fsencode(n)) for n in names}
    assert all(not RAW_CONTROL.search(r["message"]["text"]) for r in sarif["runs"][0]["results"])
    statistics = runner.invoke(app, ["check", str(corpus), "--statistics", "--output-format", "github"])
    _assert_inert(statistics.stdout)


def _shown(names: list) -> list:
    from remitgrammar.errors import visible
    return [visible(n) for n in names]


# --------------------------------------------------------------------------- non-UTF-8 file names

def test_a_file_name_that_is_not_utf8_works_in_every_export_and_baseline(runner, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    name = os.fsdecode(b"r\xff\xfe.txt")
    shutil.copy(SEED, corpus / name)
    report = str(corpus / name)
    for target in ("out.sqlite", "out.jsonl", "csv"):
        done = runner.invoke(app, ["export", str(corpus), "--to", str(tmp_path / target)])
        assert done.exit_code == 0, done.stderr
    (source,) = sqlite3.connect(tmp_path / "out.sqlite").execute("SELECT source FROM reports").fetchone()
    assert source == report.replace(name, "r\\xff\\xfe.txt")  # UTF-8 text: the bytes as the human output shows them
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert record["source"]["path"] == report and os.fsencode(record["source"]["path"]).endswith(b"r\xff\xfe.txt")
    with open(tmp_path / "csv" / "reports.csv", encoding="utf-8", newline="") as file:
        assert [row["source"] for row in csv.DictReader(file)] == [source]
    assert "r\\xff\\xfe.txt:" in runner.invoke(app, ["check", str(corpus)]).stdout
    base = tmp_path / "base.json"
    assert runner.invoke(app, ["check", str(corpus), "--write-baseline", str(base)]).exit_code == 0
    again = runner.invoke(app, ["check", str(corpus), "--baseline", str(base), "--fail-on", "info"])
    assert again.exit_code == 0 and again.stdout.endswith("1 file(s): 0 error(s), 0 warning(s), 0 info\n")


# --------------------------------------------------------------------------- outputs written whole

def _foreign_databases(tmp_path: Path) -> list:
    theirs = tmp_path / "theirs.sqlite"
    with sqlite3.connect(theirs) as db:
        db.execute("CREATE TABLE accounts (id INTEGER, owner TEXT)")
        db.execute("INSERT INTO accounts VALUES (1, 'someone')")
    marked = tmp_path / "marked.db"
    with sqlite3.connect(marked) as db:
        db.execute("PRAGMA application_id = 42")
        db.execute("CREATE TABLE reports (report_id TEXT)")  # our table's name, another application's file
    text = tmp_path / "notes.db"
    text.write_text("not a database\n")
    return [theirs, marked, text]


def test_a_sqlite_file_that_is_not_ours_is_refused_before_anything_is_written(runner, tmp_path):
    for target in _foreign_databases(tmp_path):
        before = target.read_bytes()
        done = runner.invoke(app, ["export", str(SEED), "--to", str(target)])
        assert done.exit_code == 2 and target.read_bytes() == before, target
        _one_line(done.stderr)
    assert _partials(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "marked.db", "notes.db", "theirs.sqlite"]


def test_our_database_is_marked_and_one_from_before_the_mark_is_still_ours(runner, tmp_path):
    db = tmp_path / "corpus.sqlite"
    assert runner.invoke(app, ["export", str(SEED), "--to", str(db)]).exit_code == 0
    assert sqlite3.connect(db).execute("PRAGMA application_id").fetchone()[0] == 0x52474D52
    with sqlite3.connect(db) as old:
        old.execute("PRAGMA application_id = 0")  # as an export wrote it before the mark
    november = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
    assert runner.invoke(app, ["export", str(november), "--to", str(db)]).exit_code == 0
    again = sqlite3.connect(db)
    assert again.execute("PRAGMA application_id").fetchone()[0] == 0x52474D52
    assert again.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 2


def _special(tmp_path: Path, kind: str, name: str) -> Path:
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to(kind)  # a device: /dev/full, /dev/null
    return path


@pytest.mark.parametrize("command,kind,name", [
    ("export", "fifo", "out.jsonl"), ("export", "/dev/full", "out.jsonl"), ("export", "/dev/null", "out.sqlite"),
    ("export", "directory", "out.jsonl"), ("baseline", "/dev/full", "base.json"), ("baseline", "fifo", "base.json"),
    ("baseline", "directory", "base.json")])
def test_only_regular_files_are_replaced(tmp_path, command, kind, name):
    """A subprocess with a time limit: a FIFO opened for writing would wait for a reader for ever."""
    target = _special(tmp_path, kind, name)
    before = os.lstat(target)
    args = ["export", str(SEED), "--to", str(target)] if command == "export" else \
        ["check", str(SEED), "--write-baseline", str(target)]
    done = subprocess.run([sys.executable, "-m", "remitgrammar", *args], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 2 and "not a regular file" in done.stderr
    _one_line(done.stderr)
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino) and _partials(tmp_path) == []


@pytest.fixture
def full_disk(monkeypatch):
    """Every temporary output file (``.partial``) made on /dev/full: its writes fail with ENOSPC, as on a
    full disk, in the kernel (the buffered writes first, the fsync before the rename at the latest)."""
    made = tempfile.mkstemp

    def on_full_disk(*args, **kwargs):
        fd, path = made(*args, **kwargs)
        if kwargs.get("suffix") == ".partial":
            full = os.open("/dev/full", os.O_WRONLY)
            os.dup2(full, fd)
            os.close(full)
        return fd, path

    monkeypatch.setattr(tempfile, "mkstemp", on_full_disk)


@pytest.mark.parametrize("target", ["out.jsonl", "csv", "base.json"])
def test_a_full_disk_is_exit_2_in_one_line_and_leaves_the_old_output(runner, tmp_path, full_disk, target):
    path = tmp_path / target
    old = path / "reports.csv" if target == "csv" else path
    old.parent.mkdir(exist_ok=True)
    old.write_text("the old output\n")
    args = ["check", str(CORPUS), "--write-baseline", str(path)] if target == "base.json" else \
        ["export", str(CORPUS), "--to", str(path)]
    done = runner.invoke(app, args)
    assert done.exit_code == 2 and "No space left on device" in done.stderr
    _one_line(done.stderr)
    assert old.read_text() == "the old output\n" and _partials(tmp_path) == []
    assert sorted(p.name for p in old.parent.iterdir()) == [old.name]


def test_a_full_disk_under_sqlite_leaves_the_old_database(runner, tmp_path, monkeypatch):
    """SQLite's own full disk: the copy being written may not grow past a few pages (SQLITE_FULL)."""
    db = tmp_path / "corpus.sqlite"
    assert runner.invoke(app, ["export", str(SEED), "--to", str(db)]).exit_code == 0
    before = db.read_bytes()
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    connect = sqlite3.connect

    def small_disk(database, *args, **kwargs):
        connection = connect(database, *args, **kwargs)
        if str(database).endswith(".partial"):
            connection.execute(f"PRAGMA max_page_count = {pages + 2}")
        return connection

    monkeypatch.setattr(sqlite3, "connect", small_disk)
    done = runner.invoke(app, ["export", str(CORPUS), "--to", str(db)])
    assert done.exit_code == 2 and "full" in done.stderr
    _one_line(done.stderr)
    assert db.read_bytes() == before and _partials(tmp_path) == []


def test_an_export_keeps_the_mode_of_the_file_it_replaces(runner, tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("")
    target.chmod(0o640)
    assert runner.invoke(app, ["export", str(SEED), "--to", str(target)]).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640 and target.read_text().count("\n") == 1


# --------------------------------------------------------------------------- baselines are input

BASELINES = {
    "100,000 [": "[" * 100_000,
    "1e999": '{"version": 1e999, "findings": []}',
    "NaN": '{"version": 2, "findings": [{"file": "a", "code": "RG1", "path": "", "message": NaN}]}',
    "Infinity": '{"version": Infinity, "findings": []}',
    "a list": "[]",
    "findings not a list": '{"version": 2, "findings": {}}',
    "a number for a finding": '{"version": 2, "findings": [1]}',
    "a number for a file": '{"version": 2, "findings": [{"file": 1, "code": "RG1", "path": "", "message": "m"}]}',
    "true for a version": '{"version": true, "findings": []}',
    "a huge number": '{"version": ' + "9" * 5000 + ', "findings": []}',
}


@pytest.mark.parametrize("text", list(BASELINES.values()), ids=list(BASELINES))
def test_a_baseline_of_any_shape_is_exit_2_in_one_line(runner, tmp_path, text):
    base = tmp_path / "base.json"
    base.write_text(text)
    done = runner.invoke(app, ["check", str(SEED), "--baseline", str(base)])
    assert done.exit_code == 2 and done.stdout == ""
    _one_line(done.stderr)


def test_a_baseline_that_is_not_utf8_or_too_big_is_exit_2_in_one_line(runner, tmp_path):
    from remitgrammar.check.baseline import MAX_BYTES
    bad = tmp_path / "bytes.json"
    bad.write_bytes(b'{"version": 2, "findings": [], "x": "\xff\xfe"}')
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as file:
        file.truncate(MAX_BYTES + 1)  # sparse: refused by its size before a byte is read
    for base in (bad, huge, tmp_path):  # tmp_path: a directory
        done = runner.invoke(app, ["check", str(SEED), "--baseline", str(base)])
        assert done.exit_code == 2 and done.stdout == "", base
        _one_line(done.stderr)


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_baseline_that_is_a_fifo_or_a_device_is_never_read(tmp_path, kind):
    base = _special(tmp_path, kind, "base.json") if kind == "fifo" else Path(kind)
    done = subprocess.run([sys.executable, "-m", "remitgrammar", "check", str(SEED), "--baseline", str(base)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "not a regular file" in done.stderr
    _one_line(done.stderr)


# --------------------------------------------------------------------------- the same under any hash seed

def test_findings_are_the_same_under_any_hash_seed(tmp_path):
    """Every file of the corpus, and a deal whose July repeats June's opening balances: an RG401 for
    every class and group that moved, which rules walk as the set of names two months share."""
    deal = tmp_path / "deal"
    deal.mkdir()
    june = SEED.read_text(encoding="utf-8")
    (deal / "june.txt").write_text(june.replace("Series 2003-HE2", "Series 2003-ZZ9"), encoding="utf-8")
    (deal / "july.txt").write_text(june.replace("Series 2003-HE2", "Series 2003-ZZ9").replace("16-Jun-03", "15-Jul-03"),
                                   encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        done = subprocess.run([sys.executable, "-m", "remitgrammar", "check", str(CORPUS), str(deal), "--output-format",
                               "json", "--jobs", "1"], capture_output=True, text=True, timeout=600,
                              env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    doc = json.loads(outputs.pop())
    assert len(doc["files"]) == len(list(CORPUS.glob("*/*.txt"))) + 2
    carried = [f for entry in doc["files"] for f in entry["findings"] if f["code"] == "RG401"]
    assert len(carried) >= 5, "the deal should give several RG401 findings, whose order a set could decide"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux) to fill stdout's disk")
@pytest.mark.parametrize("args", [["check", str(SEED)], ["check", str(SEED), "--output-format", "json"],
                                  ["parse", str(SEED)], ["coverage", str(SEED)]])
def test_stdout_on_a_full_disk_is_exit_2_in_one_line_whatever_the_command(args):
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "remitgrammar", *args], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == ["remitgrammar: cannot write the output: No space left on device"]
