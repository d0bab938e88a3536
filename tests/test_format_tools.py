"""Format maintainers' tools: the search path, lint, labels, detect, new-format."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from remitgrammar.cli import app
from remitgrammar.formats.search import configure
from remitgrammar.formats.lint import lint_all

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def fmt(tmp_path, monkeypatch):
    """A formats directory holding a copy of usbank-absc-2003 named acme, with its sample."""
    monkeypatch.chdir(tmp_path)
    assert run("new-format", "acme", "--from", "usbank-absc-2003", "--into", "formats").exit_code == 0
    root = tmp_path / "formats"
    (root / "samples").mkdir()
    (root / "samples" / "s.txt").write_text(SEED.read_text())
    spec = root / "specs" / "formats" / "acme.yaml"
    spec.write_text(spec.read_text().replace("sample: ''", "sample: samples/s.txt"))
    yield root
    configure(())


def lint_codes(root):
    configure([root])
    return [(Path(path).name, f.code, f.line) for path, f in lint_all()]


def test_builtin_formats_lint_clean():
    configure(())
    assert lint_all() == []


def test_a_copied_format_lints_clean(fmt):
    assert lint_codes(fmt) == []


def test_unknown_and_missing_spec_keys_with_their_lines(fmt):
    spec = fmt / "specs" / "formats" / "acme.yaml"
    text = spec.read_text().replace("detect:", "detection:")
    spec.write_text(text)
    line = text.splitlines().index("detection:") + 1
    assert ("acme.yaml", "RG210", line) in lint_codes(fmt)
    assert ("acme.yaml", "RG210", 1) in lint_codes(fmt)  # missing key 'detect'


def test_alias_to_an_unknown_field_and_a_label_mapped_twice(fmt):
    aliases = fmt / "specs" / "aliases" / "acme.yaml"
    text = aliases.read_text()
    text = text.replace("    wam_months: [Weighted Avg Term to Mat. of Mortg. Loans, WAM]",
                        "    wam_month: [Weighted Avg Term to Mat. of Mortg. Loans, WAM]")
    text = text.replace("    net_wac_pct: [Weighted Avg. Net Coupon of Mortg. Loans, Net WAC]",
                        "    net_wac_pct: [Weighted Avg. Net Coupon of Mortg. Loans, Net WAC, wac]")
    aliases.write_text(text)
    lines = text.splitlines()
    unknown = next(i for i, l in enumerate(lines, 1) if l.startswith("    wam_month:"))
    twice = next(i for i, l in enumerate(lines, 1) if l.startswith("    net_wac_pct:"))
    codes = lint_codes(fmt)
    assert ("acme.yaml", "RG211", unknown) in codes
    assert ("acme.yaml", "RG212", twice) in codes


def test_grammar_that_does_not_compile_or_has_a_conflict(fmt):
    grammar = fmt / "grammars" / "acme.lark"
    original = grammar.read_text()
    grammar.write_text(original.replace("summary: SUMMARY_TITLE class_block+", "summary: SUMMARY_TITLE class_block+ ("))
    assert [c for c in lint_codes(fmt) if c[1] == "RG213"]
    # After a class row, a row of values could be the block's total or a loose row: a conflict.
    conflict = original.replace("shortfalls: SHORTFALL_TITLE class_block+",
                                "shortfalls: SHORTFALL_TITLE class_block+ VALUE_ROWS*")
    grammar.write_text(conflict)
    found = [c for c in lint_codes(fmt) if c[1] == "RG213"]
    assert found, "the shift/reduce conflict was not reported"
    line = next(i for i, text in enumerate(conflict.splitlines(), 1) if text.startswith("shortfalls:"))
    assert found[0][2] in (line, None) or found[0][2] > 0


def test_a_grammar_collision_is_printed_in_full(fmt):
    """Lark names both colliding rules on lines after the first: lint shows them all."""
    grammar = fmt / "grammars" / "acme.lark"
    grammar.write_text(grammar.read_text().replace(
        "shortfalls: SHORTFALL_TITLE class_block+",
        "shortfalls: SHORTFALL_TITLE (class_block | other_block)+\nother_block: class_heading CLASS_ROWS+"))
    out = run("lint", "--formats-dir", fmt).stdout
    assert "RG213 error: grammar does not compile: Reduce/Reduce collision" in out
    assert "- <class_block : class_heading" in out and "- <other_block : class_heading" in out


def test_format_without_its_sample(fmt):
    (fmt / "samples" / "s.txt").unlink()
    assert [c for c in lint_codes(fmt) if c[1] == "RG214"]


def test_lint_command_exit_codes(fmt):
    assert run("lint", "--formats-dir", fmt).exit_code == 0
    (fmt / "samples" / "s.txt").unlink()
    result = run("lint", "--formats-dir", fmt)
    assert result.exit_code == 1 and "RG214" in result.stdout


def test_a_format_named_like_a_built_in_is_a_clash_that_formats_shows_with_both_origins(fmt):
    spec = fmt / "specs" / "formats" / "acme.yaml"
    spec.write_text(spec.read_text().replace("name: acme", "name: usbank-absc-2003"))
    result = run("formats", "--formats-dir", fmt)
    assert result.exit_code == 2, "an outside format never shadows a built-in in silence"
    assert "usbank-absc-2003  (built-in;" in result.stdout and f"usbank-absc-2003  ({fmt})" in result.stdout
    assert "usbank-absc-2002  (built-in)" in result.stdout and "clash:" in result.stdout
    assert "defined twice" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_not_a_formats_directory_is_a_configuration_error(tmp_path):
    result = run("formats", "--formats-dir", tmp_path)
    assert result.exit_code == 2 and "not a formats directory" in result.stderr


def test_new_format_refuses_bad_names_unknown_sources_and_overwrites(fmt):
    assert run("new-format", "Bad Name", "--from", "usbank-absc-2003", "--into", fmt).exit_code == 2
    assert run("new-format", "other", "--from", "nope", "--into", fmt).exit_code == 2
    again = run("new-format", "acme", "--from", "usbank-absc-2003", "--into", fmt)
    assert again.exit_code == 2 and "exists already" in again.stderr


def test_labels_lists_mapped_and_unmapped_labels():
    result = run("labels", SEED)
    assert result.exit_code == 0
    assert "205:6\trows.collateral\t'Prep(Incl curt)'\t-> prepayments" in result.stdout
    assert "80:20\tcolumns.summary\t'Orig Bal'\t-> original_balance" in result.stdout
    assert run("labels", SEED, "--unmapped").stdout == ""


def test_unmapped_label_is_listed_with_suggestions_and_is_a_check_finding(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(SEED.read_text().replace("O/C Release Amt ", "O/C Releases Amt"))
    listing = run("labels", report, "--unmapped")
    assert listing.exit_code == 1
    assert "'O/C Releases Amt'\t-> UNMAPPED  (closest: 'o/c release amt' -> oc_release" in listing.stdout
    checked = run("check", report, "--output-format", "json")
    assert '"code": "RG201"' in checked.stdout


def test_detect_explains_every_candidate():
    result = run("detect", SEED)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("MATCH usbank-absc-2003: has 'STATEMENT TO CERTIFICATEHOLDERS'")
    assert lines[1].startswith("no    usbank-absc-2002:") and "lacks 'Face Value'" in lines[1]


def test_an_identity_reading_a_misspelt_field_is_a_lint_error(fmt):
    spec = fmt / "specs" / "formats" / "acme.yaml"
    # the scaffold writes its copy's identities as YAML dumps lists: items at the key's own indent
    spec.write_text(spec.read_text().replace("\nidentities:\n", "\nidentities:\n- title: O/C\n  value: "
                                             "pool.overcollateralization_amount\n  sum:\n  - pool.oc_targett\n"))
    line = spec.read_text().splitlines().index("identities:") + 1
    assert lint_codes(fmt) == [("acme.yaml", "RG219", line)]
    spec.write_text(spec.read_text().replace("oc_targett", "oc_target"))
    assert lint_codes(fmt) == []


def test_a_malformed_identity_is_a_lint_error_not_a_traceback(fmt):
    spec = fmt / "specs" / "formats" / "acme.yaml"
    spec.write_text(spec.read_text().replace("\nidentities:\n", "\nidentities:\n- value: pool..x\n  sum:\n"
                                             "  - pool.y\n"))
    result = run("lint", "--formats-dir", fmt)
    assert result.exit_code == 1 and "RG210" in result.stdout and "is not a record path" in result.stdout
