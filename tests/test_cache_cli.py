"""The result cache on the command line: --cache-dir, --no-cache, the configuration's cache-dir,
`cache info` and `cache clean`, and a directory others may write refused in one line."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from remitgrammar.cli import app

ROOT = Path(__file__).resolve().parents[1]
DEAL = ROOT / "tests" / "corpus" / "usbank-absc-2003"
FILES = [str(DEAL / "absc_2003-he2_2003-06-16.txt"), str(DEAL / "absc_2003-he2_2003-11-17.txt")]


def _entries(directory: Path) -> list:
    return [p for p in directory.rglob("*") if p.is_file() and len(p.parent.name) == 2] if directory.exists() else []


def _info(directory: Path) -> dict:
    done = CliRunner().invoke(app, ["cache", "info", "--cache-dir", str(directory)])
    assert done.exit_code == 0, done.output
    return dict(line.split(": ", 1) for line in done.stdout.splitlines())


def test_a_second_check_reads_the_cache_and_says_the_same(tmp_path):
    cache = tmp_path / "cache"
    args = ["check", *FILES, "--cache-dir", str(cache), "--jobs", "1"]
    first = CliRunner().invoke(app, args)
    assert _entries(cache)
    stored = {p: p.stat().st_mtime_ns for p in _entries(cache)}
    second = CliRunner().invoke(app, args)
    assert (second.stdout, second.stderr, second.exit_code) == (first.stdout, first.stderr, first.exit_code)
    assert {p: p.stat().st_mtime_ns for p in _entries(cache)} == stored  # read, not written again
    uncached = CliRunner().invoke(app, ["check", *FILES, "--no-cache", "--jobs", "1"])
    assert (uncached.stdout, uncached.exit_code) == (first.stdout, first.exit_code)


def test_parse_export_and_view_take_the_cache_options(tmp_path):
    cache = tmp_path / "cache"
    for args in (["parse", FILES[1]], ["export", FILES[1], "--to", str(tmp_path / "out.jsonl")],
                 ["view", FILES[1], "--out", str(tmp_path / "pages")]):
        done = CliRunner().invoke(app, [*args, "--cache-dir", str(cache)])
        assert done.exit_code == 0, (args, done.output)
    assert len(_entries(cache)) >= 3  # each keeps something else of the report: an entry each


def test_no_cache_writes_nothing(tmp_path):
    cache = tmp_path / "cache"
    for command in ("check", "parse"):
        done = CliRunner().invoke(app, [command, FILES[1], "--cache-dir", str(cache), "--no-cache"])
        assert done.exit_code == 0, done.output
    assert not cache.exists()


def test_cache_info_counts_the_entries_and_clean_removes_them(tmp_path):
    cache = tmp_path / "cache"
    assert _info(cache)["entries"] == "0"
    CliRunner().invoke(app, ["check", *FILES, "--cache-dir", str(cache), "--jobs", "1"])
    shown = _info(cache)
    assert shown["directory"] == str(cache) and shown["usable"] == "yes"
    assert int(shown["entries"]) == len(_entries(cache)) > 0
    assert int(shown["bytes"]) == sum(p.stat().st_size for p in _entries(cache))
    done = CliRunner().invoke(app, ["cache", "clean", "--cache-dir", str(cache)])
    assert done.exit_code == 0
    assert f"removed {shown['entries']} cache entr" in done.stderr
    assert _entries(cache) == [] and _info(cache)["entries"] == "0"


def test_the_directory_of_the_environment_and_of_the_configuration(tmp_path, monkeypatch):
    named = tmp_path / "named"
    monkeypatch.setenv("REMITGRAMMAR_CACHE_DIR", str(named))
    assert _info_default()["directory"] == str(named)
    project = tmp_path / "project"
    project.mkdir()
    (project / "remitgrammar.toml").write_text('cache-dir = "kept"\n', encoding="utf-8")
    monkeypatch.chdir(project)
    assert _info_default()["directory"] == str(project / "kept")
    done = CliRunner().invoke(app, ["check", FILES[1]])
    assert done.exit_code == 0, done.output
    assert _entries(project / "kept") and not _entries(named)


def _info_default() -> dict:
    done = CliRunner().invoke(app, ["cache", "info"])
    assert done.exit_code == 0, done.output
    return dict(line.split(": ", 1) for line in done.stdout.splitlines())


def test_a_directory_others_may_write_is_refused_in_one_line(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o770)
    uncached = CliRunner().invoke(app, ["check", FILES[1], "--no-cache"])
    done = CliRunner().invoke(app, ["check", FILES[1], "--cache-dir", str(shared)])
    assert (done.stdout, done.exit_code) == (uncached.stdout, uncached.exit_code)
    refused = done.stderr.replace(uncached.stderr, "", 1).splitlines()
    assert len(refused) == 1 and str(shared) in refused[0] and "without the cache" in refused[0]
    assert list(shared.iterdir()) == []
    assert _info(shared)["usable"].startswith("no (")
    cleaned = CliRunner().invoke(app, ["cache", "clean", "--cache-dir", str(shared)])
    assert cleaned.exit_code == 2 and len(cleaned.stderr.splitlines()) == 1
