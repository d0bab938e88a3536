"""Hostile and broken input: each bug the fuzzing run found, as a regression test.

No input gives a traceback; time and memory stay bounded; outputs cannot be
hijacked; spec paths stay inside their formats directory.
"""

from __future__ import annotations

import json
import os
import time
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest

from remitgrammar.check.rules_classes import _omitted
from remitgrammar.cli import app
from remitgrammar.errors import Finding, RemitError
from remitgrammar.pipeline import check_result, parse_reports

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
SEED_2002 = ROOT / "tests" / "corpus" / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"


def outcome_of(text: str):
    (outcome,) = [o for _, o in parse_reports("case.txt", data=text.encode("utf-8", "surrogateescape"))]
    return outcome, check_result(outcome)


def codes(findings) -> set:
    return {f.code for f in findings}


@pytest.mark.parametrize("old,new", [
    ("397,000,000", "3" * 50),                               # a 50-digit amount (InvalidOperation in factors)
    ("397,000,000", "1" * 4400),                             # over 4,300 digits (int conversion, JSON)
    ("305,569", "-1e999999999"),                             # an exponent: not a number, never a billion digits
    ("Beginning Bal", "N/A"),                                # a label replaced by N/A (IndexError in key values)
    ("Beginning Bal", "(86,"),
    ("30-59 days delin", "(86,"),                            # the same in the delinquency table
])
def test_odd_cells_and_labels_are_findings_not_tracebacks(old, new):
    text = SEED.read_text().replace(old, new, 1)
    assert text != SEED.read_text()
    outcome, findings = outcome_of(text)
    assert not any(f.code.startswith("RG9") for f in findings), [f.message for f in findings]
    if len(new) > 30 and new.isdigit():
        assert {"RG106", "RG107"} & codes(findings)  # too many digits, or a line too long to read


HE4 = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he4_2003-12-15.txt"
QUILLFIELD = ROOT / "tests" / "corpus" / "payment-report" / "quillfield_2005-3_2005-08-25.txt"


@pytest.mark.parametrize("sample,old,new", [
    (HE4, "Grp 2                                                  157,813",
     "Grp 2                                                  (86,"),          # IndexError in a group's row
    (QUILLFIELD, "Determination Date:   08/15/2005", "Determination Date:   08/15/" + "2" * 50),  # a 50-digit year
], ids=["group-row", "year"])
def test_damaged_rows_and_dates_found_by_the_100k_run(sample, old, new):
    text = sample.read_text()
    assert old in text
    outcome, findings = outcome_of(text.replace(old, new, 1))
    assert not any(f.code.startswith("RG9") for f in findings), [f.message for f in findings]


def test_tabs_in_a_heading_expand_to_stops():
    text = SEED.read_text().replace("     Class         Orig Bal", "\tClass\t\tOrig Bal", 1)
    outcome, findings = outcome_of(text)
    assert not any(f.code.startswith("RG9") for f in findings)


def test_a_million_character_line_is_left_out_quickly():
    lines = SEED.read_text().split("\n")
    lines[140] = lines[140] + " " * 1_000_000 + "x"
    start = time.perf_counter()
    outcome, findings = outcome_of("\n".join(lines))
    assert time.perf_counter() - start < 5  # bounded: the line is refused, not backtracked over
    assert "RG107" in codes(findings)


def test_the_left_out_class_search_is_polynomial():
    values = [(f"C{i}", Decimal(1000 + 7 * i)) for i in range(73)]
    printed = sum(v for _, v in values) + Decimal(10 ** 7)  # no omission explains it: the worst case
    start = time.perf_counter()
    assert _omitted(values, printed) is None
    assert time.perf_counter() - start < 2  # combinatorial, it took 174 s


def test_an_internal_error_is_a_finding_and_the_run_goes_on(monkeypatch, runner, tmp_path):
    from remitgrammar.assemble.roles import status_matrix

    def broken(self, rule, params, items):
        raise ZeroDivisionError("boom")
    monkeypatch.setattr(status_matrix.StatusMatrix, "run", broken)
    done = runner.invoke(app, ["check", str(SEED), str(SEED_2002)])
    assert done.exit_code == 1 and "Traceback" not in done.stdout + done.stderr
    # one finding a section the role failed on; the rest of each report is read, and both are reported
    failed = [line for line in done.stdout.splitlines() if "RG900 error: internal error: ZeroDivisionError: boom" in line]
    assert any(str(SEED) in line for line in failed) and any(str(SEED_2002) in line for line in failed)
    assert "2 file(s)" in done.stdout
    debug = runner.invoke(app, ["--debug", "parse", str(SEED)])
    assert "Traceback" in debug.stderr and "ZeroDivisionError" in debug.stderr


def test_a_fifo_is_refused_not_waited_on(tmp_path, runner):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = runner.invoke(app, ["parse", str(fifo)])
    assert done.exit_code == 1 and "RG108" in done.stderr


def test_a_file_over_the_size_limit_is_refused(tmp_path, runner):
    big = tmp_path / "big.txt"
    big.write_bytes(SEED.read_bytes() * 40)
    done = runner.invoke(app, ["--max-mb", "0.1", "parse", str(big)])
    assert done.exit_code == 1 and "RG108" in done.stderr and "more than the limit" in done.stderr


def _finding_with(text: str) -> list:
    return [("odd\x1b[2J,name:.txt", [Finding("RG201", "error", f"label '{text}' maps to no canonical field",
                                                line=3, column=1, source_line=f"{text}   12")])]


def test_junit_output_is_valid_xml_whatever_the_labels():
    from remitgrammar.check.report import render
    out = render(_finding_with("Bad\x01\x0bLabel\x1b[31m"), "junit", "error")
    ElementTree.fromstring(out)  # raises on a character XML forbids
    assert "\\x01" in out


def test_human_output_shows_control_characters_escaped():
    from remitgrammar.check.report import render
    out = render(_finding_with("Red\x1b[31mLabel"), "human", "error")
    assert "\x1b" not in out and "\\x1b[31m" in out


def test_github_annotations_cannot_be_hijacked():
    from remitgrammar.check.report import render
    out = render(_finding_with("Evil\n::error::injected"), "github", "error")
    first = out.splitlines()[0]
    assert first.startswith("::error file=odd\\x1b[2J%2Cname%3A.txt,line=3,col=1,title=RG201::")  # ESC escaped
    assert "%0A::error::injected" in first and len(out.splitlines()) == 2


@pytest.mark.parametrize("key,value", [("grammar", "/etc/passwd"), ("grammar", "../../evil.lark"),
                                       ("aliases", ["../../../tmp/evil.yaml"]), ("name", "bad\nname")])
def test_spec_paths_stay_inside_the_formats_directory(tmp_path, runner, key, value):
    formats = tmp_path / "formats"
    runner.invoke(app, ["new-format", "acme", "--from", "usbank-absc-2003", "--into", str(formats)])
    spec = formats / "specs" / "formats" / "acme.yaml"
    import yaml
    doc = yaml.safe_load(spec.read_text())
    doc[key] = value
    spec.write_text(yaml.safe_dump(doc))
    done = runner.invoke(app, ["formats", "--formats-dir", str(formats)])
    assert done.exit_code == 2 and "Traceback" not in done.stderr
    assert "configuration error" in done.stderr


def test_new_format_refuses_a_name_with_a_newline(tmp_path, runner):
    done = runner.invoke(app, ["new-format", "acme\n", "--from", "usbank-absc-2003", "--into", str(tmp_path)])
    assert done.exit_code == 2 and not list(tmp_path.rglob("*.lark"))


def test_lint_reports_a_yaml_tag_instead_of_a_traceback(tmp_path, runner):
    formats = tmp_path / "formats"
    runner.invoke(app, ["new-format", "acme", "--from", "usbank-absc-2003", "--into", str(formats)])
    spec = formats / "specs" / "formats" / "acme.yaml"
    spec.write_text(spec.read_text().replace("description:", "description: !!python/object:os.system\n  x: 1\nold:", 1))
    done = runner.invoke(app, ["lint", "--formats-dir", str(formats)])
    assert "Traceback" not in done.stdout + done.stderr and done.exit_code in (1, 2)


@pytest.mark.parametrize("args", [["parse", str(SEED), "-o", "{tmp}/missing/out.json"],
                                  ["parse", str(SEED), "-o", "{tmp}"],
                                  ["check", str(SEED), "--write-baseline", "{tmp}/missing/base.json"]])
def test_output_paths_that_cannot_be_written_are_usage_errors(tmp_path, runner, args):
    done = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert done.exit_code == 2 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_a_report_that_runs_too_long_is_abandoned(monkeypatch, runner):
    from remitgrammar.assemble.roles import status_matrix

    def slow(self, rule, params, items):
        time.sleep(5)
    monkeypatch.setattr(status_matrix.StatusMatrix, "run", slow)
    start = time.perf_counter()
    done = runner.invoke(app, ["--timeout", "0.5", "check", str(SEED)])
    assert time.perf_counter() - start < 4
    assert "RG902" in done.stdout and done.exit_code == 1


def test_odd_json_round_trip_of_a_parsed_record():
    from remitgrammar.emit.json_record import to_json
    text = SEED.read_text().replace("397,000,000", "9" * 30, 1)
    outcome, _ = outcome_of(text)
    record = outcome.result.record if isinstance(outcome, RemitError) else outcome.record
    assert json.loads(to_json(record))["schema"] == "remitgrammar/1"


WESTBROOK = ROOT / "tests" / "corpus" / "distribution-summary" / "westbrook_2003-7_2004-10-25.txt"


def _copied(line_start: str, copies: int) -> str:
    """The westbrook sample with its first line that starts with ``line_start`` printed ``copies`` times."""
    lines = WESTBROOK.read_text().split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith(line_start))
    lines[i:i + 1] = [lines[i]] * copies
    return "\n".join(lines)


def _seconds(text: str) -> float:
    start = time.perf_counter()
    outcome_of(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("line_start", ["                 Loans           Balance", "R               100.00"])
def test_a_line_copied_thousands_of_times_costs_linear_time(line_start):
    # Ten times the copies may cost ten times the time, not a hundred: a stacked heading was
    # copied whole at each of its lines (20,000 heading lines took 11 s), each copied row's
    # findings were worded and rendered one by one (180,000 of them, 30 s).
    small, big = _seconds(_copied(line_start, 1_000)), _seconds(_copied(line_start, 10_000))
    assert big / small < 25, f"1,000 copies {small:.2f} s, 10,000 copies {big:.2f} s"


@pytest.mark.parametrize("sample,line,few,many", [("distribution-summary/cobalthill_2002-4_2002-11-25.txt", 20, 500, 5_000),
                                                   ("dollars-statement/tolland_1998-c_1998-12-28.txt", 183, 1_000, 20_000)])
def test_a_statement_line_copied_thousands_of_times_costs_linear_time(sample, line, few, many):
    # bench/fuzz.py found both: 5,000 copies of a heading line took 108 s (every heading line laid
    # over the columns), 20,000 of a group's row 21 s (a column's set of rows copied at each cell)
    lines = (ROOT / "tests" / "corpus" / sample).read_text().split("\n")

    def copied(copies: int) -> str:
        return "\n".join(lines[:line - 1] + [lines[line - 1]] * copies + lines[line:])
    small, big = _seconds(copied(few)), _seconds(copied(many))
    assert big / small < 2.5 * many / few, f"{few:,} copies {small:.2f} s, {many:,} copies {big:.2f} s"


def test_findings_past_the_limit_of_a_code_are_counted_in_one_finding():
    outcome, findings = outcome_of(_copied("R               100.00", 1_900))  # under RG121's 2,000 rows
    repeats = [f for f in findings if f.code == "RG207"]
    assert len(repeats) == 1001  # 1,000 listed, then one that counts the rest
    summary = repeats[-1]
    printed_again = 9 * 1_899 + 127  # nine values on each copy of the row, and the sample's own 127 repeats
    assert summary.message.startswith(f"{printed_again - 1000:,} more RG207 findings on lines ")
    assert summary.severity == "info" and summary.line == int(summary.message.split("lines ")[1].split("-")[0])
    assert [f["code"] for f in outcome.record["findings"]].count("RG207") == 1001


def test_a_class_block_past_2000_rows_is_read_up_to_them_with_one_finding():
    """A table nobody prints (a row copied 3,000 times) costs memory only: it is read up to 2,000
    rows, and one RG121 names the first row left out; the classes above it are read."""
    text = _copied("R               100.00", 3_000)
    outcome, findings = outcome_of(text)
    (bounded,) = [f for f in findings if f.code == "RG121"]
    lines = text.split("\n")
    assert bounded.severity == "error" and lines[bounded.line - 1].startswith("R               100.00")
    assert lines[bounded.line - 2001].strip() and "class rows" in bounded.message and "2,000" in bounded.message
    assert outcome.result.record["classes"] if hasattr(outcome, "result") else outcome.record["classes"]


def test_a_huge_label_is_clipped_in_its_finding():
    finding = Finding("RG201", "warning", "label " + "Balance " * 20_000, expected="x" * 5000)
    assert len(finding.message) < 1100 and finding.message.endswith("(160,006 characters in all)")
    assert len(finding.expected) < 1100


def test_record_json_keeps_digits_and_cannot_be_forged_by_a_label():
    from remitgrammar.emit.json_record import from_json, to_json
    forged = "\x00" + "0" * 16 + ":123\x00"  # what a marked number looks like, with a guessed nonce
    text = to_json({"amount": Decimal("0.00000000"), "label": forged, "list": [Decimal("-1.50")]})
    assert '"amount": 0.00000000' in text and '"list": [\n    -1.50\n  ]' in text
    assert from_json(text)["label"] == forged  # still a string, not a number


def test_the_collector_is_paused_while_a_report_is_built_and_restored_after():
    import gc
    from remitgrammar.pipeline import parse_result
    text = _copied("R               100.00", 1_900)  # unpaused, the collector runs over a hundred times
    collections = []

    def count(phase, info):
        collections.append(phase)
    gc.callbacks.append(count)
    try:
        parse_result(text)
        assert collections.count("start") <= 1 and gc.isenabled()  # one, once it is on again
        gc.disable()
        parse_result(text)
        assert not gc.isenabled()  # a caller who turned it off keeps it off
    finally:
        gc.callbacks.remove(count)
        gc.enable()
