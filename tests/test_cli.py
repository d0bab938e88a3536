"""The command line: data on stdout, one-line errors on stderr, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import remitgrammar
from remitgrammar.cli import app
from remitgrammar.emit.json_record import from_json

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
SEED_2002 = ROOT / "tests" / "corpus" / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"


def test_parse_writes_the_record_to_stdout(runner):
    result = runner.invoke(app, ["parse", str(SEED)])
    assert result.exit_code == 0, result.output
    record = from_json(result.stdout)
    assert record["schema"] == "remitgrammar/1"
    assert record["source"]["format"] == "usbank-absc-2003"
    assert record["classes"][0]["ending_balance"] == 390080095
    assert "provenance" not in record
    assert '"current_advances": 3692057.39' in result.stdout


def test_parse_to_file_with_provenance(runner, tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["parse", str(SEED), "-o", str(out), "--provenance"])
    assert result.exit_code == 0 and result.stdout == ""
    record = json.loads(out.read_text())
    assert record["provenance"]["classes[A-1].ending_balance"] == {"line": 133, "column": 18, "text": "390,080,095"}


def test_formats_lists_each_format_with_its_sample(runner):
    result = runner.invoke(app, ["formats"])
    assert result.exit_code == 0
    assert "usbank-absc-2003" in result.stdout and "absc_2003-he2_2003-06-16.txt" in result.stdout
    assert "usbank-absc-2002" in result.stdout


def test_format_can_be_forced(runner):
    result = runner.invoke(app, ["parse", str(SEED_2002), "--format", "usbank-absc-2002"])
    assert result.exit_code == 0


def _error(runner, tmp_path, content: bytes, *extra):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(app, ["parse", str(bad), *extra])
    assert "Traceback" not in result.output
    return bad, result


def test_empty_file(runner, tmp_path):
    bad, result = _error(runner, tmp_path, b"")
    assert result.exit_code == 1
    assert f"{bad}:1:1: RG100 error: the file is empty" in result.stderr


def test_binary_file(runner, tmp_path):
    bad, result = _error(runner, tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert result.exit_code == 1 and "RG100" in result.stderr and "binary" in result.stderr


def test_file_in_no_known_format(runner, tmp_path):
    bad, result = _error(runner, tmp_path, b"Dear shareholder,\nall is well.\n")
    assert result.exit_code == 1
    assert f"{bad}:1:1: RG110 error: not a report in any known format" in result.stderr
    assert "--format" in result.stderr


def test_report_cut_off_in_the_middle_of_a_table(runner, tmp_path):
    lines = SEED.read_text().splitlines(keepends=True)
    bad, result = _error(runner, tmp_path, "".join(lines[:85]).encode())
    assert result.exit_code == 1
    assert f"{bad}:85:1: RG109 error: the report prints no per_unit section" in result.stderr


def test_drifted_line_points_at_line_and_column(runner, tmp_path):
    text = SEED.read_text().replace("      A-2        213,560,000", "      A-2   ?    213,560,000")
    bad, result = _error(runner, tmp_path, text.encode())
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{bad}:82:") and "RG101" in first
    assert "      A-2   ?    213,560,000" in result.stderr and "^" in result.stderr


def test_one_bad_file_does_not_hide_the_good_ones(runner, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = runner.invoke(app, ["parse", str(SEED), str(bad)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["source"]["path"] == str(SEED)  # the one report: one object
    assert "RG100" in result.stderr


@pytest.mark.parametrize("args", [["parse"], ["parse", str(SEED), "--bogus"], ["frobnicate"]])
def test_usage_errors_exit_2(runner, args):
    assert runner.invoke(app, args).exit_code == 2


def test_unknown_format_name_is_a_usage_error(runner):
    result = runner.invoke(app, ["parse", str(SEED), "--format", "nope"])
    assert result.exit_code == 2 and "unknown format 'nope'" in result.stderr


def test_python_api_returns_decimals_and_raises_one_error_type(tmp_path):
    record = remitgrammar.parse_file(SEED)
    assert str(record["pool"]["current_advances"]) == "3692057.39"
    same = remitgrammar.parse_text(SEED.read_text(), name="seed.txt", provenance=True)
    assert same["provenance"]["pool.wam_months"]["text"] == "349"
    with pytest.raises(remitgrammar.RemitError) as info:
        remitgrammar.parse_text("hello\n")
    assert info.value.finding.code == "RG110"


def test_crlf_line_ends_and_form_feeds_parse_to_the_same_values(tmp_path):
    text = SEED.read_text()
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    paged = tmp_path / "paged.txt"
    paged.write_text(text.replace("\nAMOUNTS PER", "\n\f\nAMOUNTS PER"))
    plain = remitgrammar.parse_file(SEED)
    for variant in (crlf, paged):
        record = remitgrammar.parse_file(variant)
        for section in ("filing", "classes", "class_totals", "collateral", "delinquency", "pool"):
            assert record[section] == plain[section], (variant.name, section)


@pytest.mark.parametrize("argv, said", [
    (["check", "--bogus", "x.txt"], "remitgrammar check: No such option: --bogus"),
    (["nosuch"], "remitgrammar: No such command 'nosuch'"),
    (["rule"], "remitgrammar rule: Missing argument 'CODE'"),
    (["check", "--jobs", "many", "x.txt"], "remitgrammar check: Invalid value for '--jobs'"),
])
def test_a_usage_error_of_the_command_line_is_one_line_and_exit_2(argv, said):
    """As every usage error here: one line on stderr, exit 2; not click's usage text and a framed box."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "remitgrammar", *argv], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(said), done.stderr
    assert "Traceback" not in done.stderr and "╭" not in done.stderr
