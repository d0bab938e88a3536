"""docs/adding-a-format.md, step by step: a variant layout fails with diagnostics, then a
formats directory holding only .lark and .yaml files makes it parse and check clean.

No Python is touched: every change below edits a grammar or a YAML spec.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

import walkthrough
from variant import write_variant

from remitgrammar.cli import app


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_adding_a_format_with_grammar_and_yaml_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = write_variant(tmp_path / "acme-2003-06.txt")

    # 1. No built-in format takes the report; the error names the closest one and what it missed.
    failed = run("parse", report)
    assert failed.exit_code == 1
    assert "RG110" in failed.stderr and "closest is usbank-absc-2003" in failed.stderr
    assert "lacks 'Orig Bal' (its words are there: renamed?)" in failed.stderr
    assert run("detect", report).exit_code == 1

    # 2. Forced, the closest format reports where the layout departs from its grammar.
    forced = run("parse", report, "--format", "usbank-absc-2003")
    assert forced.exit_code == 1
    first = forced.stderr.splitlines()[0]
    assert first.startswith(f"{report}:270:1: RG101 error:") and "in section status_table" in first
    assert "the shortfall title (SHORTFALL_TITLE)" in forced.stderr

    # 3. Start a format from the closest one.
    made = run("new-format", "acme-absc-2003", "--from", "usbank-absc-2003", "--into", "formats")
    assert made.exit_code == 0
    formats = tmp_path / "formats"
    written = sorted(p.relative_to(formats).as_posix() for p in formats.rglob("*") if p.is_file())
    assert written == ["grammars/acme_absc_2003.lark", "specs/aliases/acme-absc-2003.yaml",
                       "specs/formats/acme-absc-2003.yaml"]
    assert all(p.suffix in (".lark", ".yaml") for p in formats.rglob("*") if p.is_file())
    assert run("lint", "--formats-dir", formats).exit_code == 1  # no sample yet: RG214

    # 4. Recognise it, give it its sample, and let the footer follow the delinquency tables.
    walkthrough.make(3, tmp_path)  # the edits the document's step 3 shows (tests/walkthrough.py)
    assert "sample: samples/acme-2003-06.txt" in (formats / walkthrough.SPEC).read_text()
    detected = run("detect", report, "--formats-dir", formats)
    assert detected.exit_code == 0 and detected.stdout.startswith("MATCH acme-absc-2003")

    # 5. It parses now; the labels this layout renamed are listed with suggestions.
    labels = run("labels", report, "--unmapped", "--formats-dir", formats)
    assert labels.exit_code == 1
    unmapped = [line.split("\t")[2] for line in labels.stdout.splitlines()]
    assert unmapped == ["'Original Bal'", "'Factor'", "'Opening Balance'", "'Master Servicing Fee'"]
    assert "closest: field original_balance" in labels.stdout

    # 6. Map them in the format's own copy of the alias spec (the document's step 4).
    walkthrough.make(4, tmp_path)

    # 7. The format files are sound, the report parses and checks clean.
    assert run("lint", "--formats-dir", formats).exit_code == 0
    assert run("labels", report, "--unmapped", "--formats-dir", formats).stdout == ""
    parsed = run("parse", report, "--formats-dir", formats)
    assert parsed.exit_code == 0
    record = json.loads(parsed.stdout)
    assert record["source"]["format"] == "acme-absc-2003"
    assert record["classes"][0]["original_balance"] == 397000000
    assert record["collateral"]["1"]["beginning_balance"] == 476502065
    assert record["pool"]["servicing_fee"] == 305569
    assert {e["label"] for e in record["extra"] if e["label"].endswith("/ Factor")} >= {"A-1 / Factor"}
    assert not [f for f in record["findings"] if f["code"].startswith(("RG1", "RG2"))]
    checked = run("check", report, "--formats-dir", formats)
    assert checked.exit_code == 1, checked.stdout  # the seed's own O/C deficiency, 55 off (RG328)
    assert "acme-2003-06.txt:291:53: RG328 error: O/C target - O/C amount: computed 11670388" in checked.stdout
    assert checked.stdout.rstrip().endswith("1 error(s), 4 warning(s), 3 info not shown (--show-info shows them)")

    # 8. The same directory works through REMITGRAMMAR_PATH, and the built-ins are untouched.
    monkeypatch.setenv("REMITGRAMMAR_PATH", str(formats))
    assert json.loads(run("parse", report).stdout)["source"]["format"] == "acme-absc-2003"
    monkeypatch.delenv("REMITGRAMMAR_PATH")
    assert run("parse", report).exit_code == 1
