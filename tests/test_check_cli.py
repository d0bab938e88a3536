"""`remitgrammar check`: exit codes, --fail-on, output formats, baselines, --no-repair."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from remitgrammar.cli import app

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"  # warnings only
# 3 errors: 26 cents off in RG305 and RG310, and RG399 naming the pool's ending balance behind both
QUIRKY = ROOT / "tests" / "corpus" / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"
SHIFTED = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he4_2003-12-15.txt"


def test_exit_0_when_nothing_reaches_fail_on(runner):
    result = runner.invoke(app, ["check", str(CLEAN)])
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("1 file(s): 0 error(s), 5 warning(s), 3 info not shown (--show-info shows "
                                           "them)")


def test_fail_on_warning_turns_warnings_into_failure(runner):
    assert runner.invoke(app, ["check", str(CLEAN), "--fail-on", "warning"]).exit_code == 1


def test_errors_fail_and_are_rendered_with_source_and_caret(runner):
    result = runner.invoke(app, ["check", str(QUIRKY)])
    assert result.exit_code == 1
    assert f"{QUIRKY}:135:58: RG305 error: group total" in result.stdout
    assert "    expected: 798796001.15\n    actual:   798796001.41" in result.stdout
    assert "End Bal                                                  798,796,001.41" in result.stdout


def test_json_output(runner):
    result = runner.invoke(app, ["check", str(QUIRKY), str(CLEAN), "--output-format", "json"])
    payload = json.loads(result.stdout)
    assert [f["path"] for f in payload["files"]] == [str(QUIRKY), str(CLEAN)]
    codes = [f["code"] for f in payload["files"][0]["findings"]]
    assert codes.count("RG305") == 1 and codes.count("RG310") == 1 and codes.count("RG328") == 1
    # the pool's ending balance and the O/C amount each explain two of the three: a tie, none is named
    assert codes.count("RG399") == 0
    listed = [f["severity"] for entry in payload["files"] for f in entry["findings"]]
    assert payload["summary"] == {"files": 2, "error": 3, "warning": listed.count("warning"),
                                  "info": listed.count("info")}


def test_github_annotations(runner):
    result = runner.invoke(app, ["check", str(QUIRKY), "--output-format", "github", "--show-info"])
    lines = result.stdout.splitlines()
    assert f"::error file={QUIRKY},line=135,col=58,title=RG305::" in "\n".join(lines)
    assert any(line.startswith("::notice ") for line in lines)


def test_junit_xml(runner):
    result = runner.invoke(app, ["check", str(QUIRKY), str(CLEAN), "--output-format", "junit"])
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert [s.get("failures") for s in suites] == ["3", "0"]
    assert len(root.findall(".//failure")) == 3


def test_baseline_reports_only_new_findings(runner, tmp_path):
    base = tmp_path / "baseline.json"
    written = runner.invoke(app, ["check", str(QUIRKY), "--write-baseline", str(base)])
    assert written.exit_code == 0 and "wrote 8 finding(s)" in written.stderr
    again = runner.invoke(app, ["check", str(QUIRKY), "--baseline", str(base)])
    assert again.exit_code == 0
    assert again.stdout.strip() == "1 file(s): 0 error(s), 0 warning(s), 0 info"
    drifted = tmp_path / QUIRKY.name
    drifted.write_text(QUIRKY.read_text().replace("124074387.46", "124074387.56"))
    assert "RG305" in runner.invoke(app, ["check", str(drifted)]).stdout
    old_name = os.path.relpath(QUIRKY, tmp_path).replace(os.sep, "/")
    base.write_text(base.read_text().replace(json.dumps(old_name), json.dumps(drifted.name)))
    new = runner.invoke(app, ["check", str(drifted), "--baseline", str(base)])
    assert new.exit_code == 1 and "RG301" in new.stdout and "RG305" not in new.stdout


def test_no_repair_keeps_the_shift_and_lets_the_factor_rule_see_it(runner):
    repaired = runner.invoke(app, ["check", str(SHIFTED), "--output-format", "json"])
    printed = runner.invoke(app, ["check", str(SHIFTED), "--output-format", "json", "--no-repair"])
    codes = [f["code"] for f in json.loads(repaired.stdout)["files"][0]["findings"]]
    kept = [f["code"] for f in json.loads(printed.stdout)["files"][0]["findings"]]
    assert "RG320" in codes and "RG304" not in codes
    assert "RG320" in kept and kept.count("RG304") >= 20


def test_unparsable_input_is_a_finding_not_a_crash(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["check", str(empty), str(CLEAN)])
    assert result.exit_code == 1
    assert f"{empty}:1:1: RG100 error: the file is empty" in result.stdout


@pytest.mark.parametrize("args", [["check"], ["check", str(CLEAN), "--fail-on", "sometimes"],
                                  ["check", str(CLEAN), "--output-format", "xml"],
                                  ["check", str(CLEAN), "--baseline", "/nonexistent/baseline.json"]])
def test_usage_errors_exit_2(runner, args):
    assert runner.invoke(app, args).exit_code == 2


def test_rules_command_lists_every_rule(runner):
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    assert all(f"RG3{n:02d}" in result.stdout for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))


def test_help_takes_h_everywhere_and_the_version_prints(runner):
    from remitgrammar import __version__

    assert runner.invoke(app, ["--version"]).stdout == f"remitgrammar {__version__}\n"
    for command in ([], ["check"], ["parse"], ["formats"], ["rules"]):
        shown = runner.invoke(app, command + ["-h"])
        assert shown.exit_code == 0 and "Usage: " in shown.stdout and "Options" in shown.stdout


def test_formats_shows_a_sample_only_where_it_is(runner, tmp_path, monkeypatch):
    """An installed wheel has the built-in formats but not the test corpus their samples are in."""
    import remitgrammar.formats.lint as lint

    spec = type("Spec", (), {"sample": "tests/corpus/x/y.txt", "spec_path": tmp_path / "specs" / "formats" / "x.yaml",
                             "origin": "built-in"})  # a built-in's sample is also looked for from the working directory
    monkeypatch.chdir(tmp_path / "..")
    assert lint.sample_path(spec) is None
    (tmp_path / "tests" / "corpus" / "x").mkdir(parents=True)
    (tmp_path / "tests" / "corpus" / "x" / "y.txt").write_text("a report", encoding="utf-8")
    assert lint.sample_path(spec) == tmp_path / "tests" / "corpus" / "x" / "y.txt"
    monkeypatch.chdir(ROOT)  # an installed (not editable) package finds the samples from a checkout's root
    here = runner.invoke(app, ["formats"]).stdout
    assert "tests/corpus/usbank-absc-2003/absc_2003-he2_2003-06-16.txt" in here and "not installed" not in here
    monkeypatch.setattr(lint, "sample_path", lambda spec: None)
    elsewhere = runner.invoke(app, ["formats"]).stdout
    assert "sample:  (not installed: samples are in the project's source tree)" in elsewhere
    assert "tests/corpus" not in elsewhere


def test_select_and_ignore_take_codes_and_prefixes(runner):
    every = json.loads(runner.invoke(app, ["check", str(QUIRKY), str(CLEAN), "--output-format", "json"]).stdout)
    codes = {f["code"] for entry in every["files"] for f in entry["findings"]}
    assert {"RG303", "RG305", "RG311"} <= codes
    picked = runner.invoke(app, ["check", str(QUIRKY), str(CLEAN), "--output-format", "json",
                                 "--select", "RG3", "--ignore", "rg303,RG31", "--ignore", "RG399"])
    kept = {f["code"] for entry in json.loads(picked.stdout)["files"] for f in entry["findings"]}
    assert kept == {c for c in codes if c.startswith("RG3") and not c.startswith(("RG303", "RG31", "RG399"))}
    assert picked.exit_code == 1  # RG305 is an error and still selected
    assert runner.invoke(app, ["check", str(QUIRKY), "--ignore", "RG3"]).exit_code == 0
    wrong = runner.invoke(app, ["check", str(QUIRKY), "--select", "E501"])
    assert wrong.exit_code == 2 and "E501" in wrong.stderr and wrong.stdout == ""


def test_statistics_counts_each_code_and_quiet_drops_the_summary(runner):
    counted = runner.invoke(app, ["check", str(CLEAN), "--statistics", "--show-info"]).stdout.splitlines()
    assert counted == ["       3  RG303  info     class table totals", "       2  RG304  warning  per-$1,000 factors",
                       "       2  RG311  warning  class roster", "       1  RG316  warning  fees",
                       "1 file(s): 0 error(s), 5 warning(s), 3 info"]
    assert runner.invoke(app, ["check", str(CLEAN), "--statistics", "-q", "--show-info"]).stdout.splitlines() == \
        counted[:-1]
    quiet = runner.invoke(app, ["check", str(CLEAN), "--quiet"]).stdout
    assert "RG304" in quiet and "file(s)" not in quiet


def test_sarif_gives_a_rule_per_code_and_located_results(runner):
    result = runner.invoke(app, ["check", str(QUIRKY), str(CLEAN), "--output-format", "sarif", "--show-info"])
    log = json.loads(result.stdout)
    assert result.exit_code == 1 and log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert len(rules) == len(run["tool"]["driver"]["rules"]) == len({r["ruleId"] for r in run["results"]})
    assert rules["RG305"]["defaultConfiguration"]["level"] == "error" and rules["RG305"]["fullDescription"]["text"]
    located = [r for r in run["results"] if r["ruleId"] == "RG305"][0]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"].endswith("absc_2002-he1_2002-11-15.txt")
    assert located["region"]["startLine"] > 1 and located["region"]["startColumn"] >= 1
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}
    empty = json.loads(runner.invoke(app, ["check", str(CLEAN), "--output-format", "sarif", "--select", "RG9"]).stdout)
    assert empty["runs"][0]["results"] == [] and empty["runs"][0]["tool"]["driver"]["rules"] == []


def test_a_baseline_survives_a_moved_corpus_and_says_what_was_fixed(runner, tmp_path):
    """Entries know their report by its sha256 and their file relative to the baseline file."""
    first = tmp_path / "one"
    (first / "filings").mkdir(parents=True)
    (first / "filings" / QUIRKY.name).write_bytes(QUIRKY.read_bytes())
    written = runner.invoke(app, ["check", str(first / "filings"), "--write-baseline", str(first / "known.json")])
    entries = json.loads((first / "known.json").read_text(encoding="utf-8"))["findings"]
    assert written.exit_code == 0 and {e["file"] for e in entries} == {f"filings/{QUIRKY.name}"}
    assert all(len(e["report"]) == 64 for e in entries)
    moved = tmp_path / "two" / "deeper"
    moved.mkdir(parents=True)
    (first / "filings").rename(moved / "renamed")
    (first / "known.json").rename(tmp_path / "two" / "known.json")
    again = runner.invoke(app, ["check", str(moved / "renamed"), "--baseline", str(tmp_path / "two" / "known.json"),
                                "--statistics"])
    assert again.exit_code == 0 and again.stdout.splitlines()[-2:] == [
        "       0  fixed: findings of the baseline that no longer occur", "1 file(s): 0 error(s), 0 warning(s), 0 info"]
    report = moved / "renamed" / QUIRKY.name  # edited in place: a new sha256, the same file
    runner.invoke(app, ["check", str(moved / "renamed"), "--write-baseline", str(tmp_path / "two" / "known.json")])
    report.write_text(report.read_text().replace("124074387.46", "124074387.56"))
    edited = runner.invoke(app, ["check", str(moved / "renamed"), "--baseline", str(tmp_path / "two" / "known.json"),
                                 "--statistics"])
    assert edited.exit_code == 1 and "RG301" in edited.stdout and "RG305" not in edited.stdout


def test_a_version_1_baseline_is_still_read(runner, tmp_path):
    """Version 1 files named each file as given on the command line, with no report identity."""
    written = runner.invoke(app, ["check", str(QUIRKY), "--write-baseline", str(tmp_path / "v2.json")])
    assert written.exit_code == 0
    entries = json.loads((tmp_path / "v2.json").read_text(encoding="utf-8"))["findings"]
    old = {"version": 1, "findings": [{"file": str(QUIRKY), "code": e["code"], "path": e["path"],
                                       "message": e["message"]} for e in entries]}
    (tmp_path / "v1.json").write_text(json.dumps(old), encoding="utf-8")
    again = runner.invoke(app, ["check", str(QUIRKY), "--baseline", str(tmp_path / "v1.json")])
    assert again.exit_code == 0 and again.stdout.strip() == "1 file(s): 0 error(s), 0 warning(s), 0 info"


def test_a_moved_deal_keeps_its_month_to_month_baseline(runner, tmp_path):
    """RG404 names the other month's file: by its name, which a move keeps, not its path."""
    june = CLEAN.with_name("absc_2003-he2_2003-06-16.txt")
    (tmp_path / "a").mkdir()
    for report in (june, CLEAN):
        (tmp_path / "a" / report.name).write_bytes(report.read_bytes())
    base = tmp_path / "known.json"
    runner.invoke(app, ["check", str(tmp_path / "a"), "--write-baseline", str(base)])
    (tmp_path / "a").rename(tmp_path / "b")
    moved = runner.invoke(app, ["check", str(tmp_path / "b"), "--baseline", str(base), "--statistics"])
    assert moved.exit_code == 0 and moved.stdout.splitlines()[0].endswith("0  fixed: findings of the baseline "
                                                                          "that no longer occur")


def test_each_baseline_entry_is_met_once_and_selection_does_not_fix_it(runner, tmp_path):
    from remitgrammar.check import baseline as baselines
    from remitgrammar.errors import Finding

    twice = [Finding("RG207", "info", "again", path="pool.x")] * 2
    baselines.write(tmp_path / "b.json", iter([("r.txt", twice, "sha")]))
    known = baselines.load(tmp_path / "b.json")
    thrice = [Finding("RG207", "info", "again", path="pool.x")] * 3
    (_, new, _), = list(baselines.only_new(iter([("r.txt", thrice, "sha")]), known))
    assert len(new) == 1 and known.fixed() == 0
    base = tmp_path / "quirky.json"
    runner.invoke(app, ["check", str(QUIRKY), "--write-baseline", str(base)])
    selected = runner.invoke(app, ["check", str(QUIRKY), "--baseline", str(base), "--select", "RG3", "--statistics"])
    assert "       0  fixed" in selected.stdout


def test_the_most_specific_code_decides_between_select_and_ignore():
    from remitgrammar.check.report import _kept

    assert _kept("RG303", ("RG303",), ("RG3",)) and not _kept("RG305", ("RG303",), ("RG3",))
    assert not _kept("RG303", ("RG3",), ("RG303",)) and _kept("RG305", ("RG3",), ("RG303",))
    assert _kept("RG101", (), ()) and not _kept("RG101", ("RG3",), ()) and not _kept("RG3", ("RG3",), ("RG3",))
