"""The format model: a value printed twice, coverage, and lint of roles, fields and labels."""

from __future__ import annotations

from pathlib import Path

from remitgrammar.check.coverage import coverage
from remitgrammar.pipeline import parse_result

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"


def _twice(extra_line: str):
    text = SEED.read_text(encoding="utf-8").replace(
        "Servicing Fee                                          305,569\n",
        "Servicing Fee                                          305,569\n" + extra_line)
    return parse_result(text, "twice.txt")


def test_a_value_printed_twice_differently_keeps_the_first_and_names_both_lines():
    result = _twice("Serv Fee                                               305,570\n")
    assert result.record["pool"]["servicing_fee"] == 305569
    (finding,) = [f for f in result.record["findings"] if f["code"] == "RG206"]
    assert finding["severity"] == "warning" and finding["line"] == 226
    assert "line 225 gave 305,569" in finding["message"]
    assert {"section": "pool", "label": "pool.servicing_fee", "values": ["305,570"], "line": 226,
            "heading": "Interest Distributions:"} in result.record["extra"]


def test_a_value_printed_again_alike_is_information_and_counts_as_canonical():
    result = _twice("Serv Fee                                               305,569\n")
    assert [f["code"] for f in result.record["findings"]] == ["RG207"]
    found = coverage(result)
    assert found.repeats == 1 and found.lost == [] and found.extra == 0


def test_coverage_command(runner):
    from remitgrammar.cli import app
    done = runner.invoke(app, ["coverage", str(SEED)])
    assert done.exit_code == 0
    # 371 in the tables, and the distribution date read off the title line of the payment summary
    assert "372 printed numbers: 372 canonical (100.0%" in done.stdout
    assert runner.invoke(app, ["coverage", str(SEED), "--min-canonical", "100.1"]).exit_code == 1


def test_coverage_names_the_lines_a_role_never_read(tmp_path, runner):
    """A section whose role is taken away loses its numbers, and coverage lists them by line."""
    from remitgrammar.cli import app
    formats = tmp_path / "formats"
    assert runner.invoke(app, ["new-format", "bare", "--from", "usbank-absc-2003", "--into", str(formats)]).exit_code == 0
    spec = formats / "specs" / "formats" / "bare.yaml"
    text = spec.read_text().replace("  shortfalls:\n    role: class_table\n    required: true\n    scope: shortfall\n", "")
    assert text != spec.read_text()
    spec.write_text(text.replace("sample: ''", f"sample: {SEED}"))
    done = runner.invoke(app, ["coverage", str(SEED), "--format", "bare", "--formats-dir", str(formats)])
    assert done.exit_code == 1
    assert "  lost: line 280 column " in done.stdout
    lint = runner.invoke(app, ["lint", "--formats-dir", str(formats)])
    assert "RG218 warning: rule 'start' holds report lines" not in lint.stdout
    assert "rule 'shortfalls' holds report lines" in lint.stdout


def _lint_spec(tmp_path, runner, old: str, new: str) -> str:
    from remitgrammar.cli import app
    formats = tmp_path / "formats"
    runner.invoke(app, ["new-format", "acme", "--from", "dollars-statement", "--into", str(formats)])
    for path in (formats / "specs").rglob("acme*.yaml"):
        text = path.read_text()
        if old in text:
            path.write_text(text.replace(old, new))
            break
    else:
        raise AssertionError(f"{old!r} is in no spec")
    return runner.invoke(app, ["lint", "--formats-dir", str(formats)]).stdout


def test_lint_names_an_unknown_role_and_parameter(tmp_path, runner):
    out = _lint_spec(tmp_path, runner, "role: info_box", "role: info_boxes")
    assert "RG217 error: section 'party_box': unknown role 'info_boxes'" in out
    out = _lint_spec(tmp_path / "2", runner, "total_labels:", "total_rows:")
    assert "unknown parameter 'total_rows'" in out


def test_lint_checks_the_fields_a_format_declares(tmp_path, runner):
    out = _lint_spec(tmp_path, runner, "meaning: Interest distributed to the senior certificates", "unit: USD")
    assert "RG216 error: field pool.senior_interest has no meaning" in out


def test_lint_reports_a_label_yaml_read_as_a_mapping(tmp_path, runner):
    out = _lint_spec(tmp_path, runner, "parties.seller: [SELLER]", "parties.seller: [SELLER:]")
    assert "RG215 error: rows.info: the label 'SELLER:' was read by YAML as a mapping" in out
