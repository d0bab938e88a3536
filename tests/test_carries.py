"""What carries from month to month is declared in YAML (issue 21): specs/canonical.yaml's `months:`
block for every format and a format's own; a malformed declaration is a configuration error, a
misspelt field a lint finding, and a maintainer's carry runs with no Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from remitgrammar.cli import app
from remitgrammar.errors import ConfigError
from remitgrammar.formats.months import parse_months
from remitgrammar.formats.search import canonical_months, configure

ROOT = Path(__file__).resolve().parent.parent
NOVEMBER = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
DECEMBER = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-12-15.written.txt"


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def acme(tmp_path, monkeypatch):
    """A formats directory holding a copy of usbank-absc-2003 named acme."""
    monkeypatch.chdir(tmp_path)
    assert run("new-format", "acme", "--from", "usbank-absc-2003", "--into", "formats").exit_code == 0
    yield tmp_path / "formats" / "specs" / "formats" / "acme.yaml"
    configure(())


def with_months(spec: Path, block: str) -> None:
    spec.write_text(spec.read_text() + "\n" + block)


def test_the_canonical_carries_are_read_from_yaml():
    rules = canonical_months()
    titles = [c.title for c in rules.carries]
    assert "a class's beginning balance is last month's ending balance" in titles
    assert ("classes", "[*]", "cusip") in rules.same
    cumulative = {c.value for c in rules.carries if c.cumulative}
    assert ("pool", "cumulative_realized_losses") in cumulative
    assert ("pool", "overcollateralization_amount") not in cumulative  # it falls by its release


@pytest.mark.parametrize("block,message", [
    ("not a mapping", "must be a mapping"),
    ({"carry": []}, "unknown key(s) carry"),
    ({"carries": [{"value": "pool.a"}]}, "needs 'value' and one of 'sum' or 'either'"),
    ({"carries": [{"value": "pool.a", "sum": ["pool.b"]}]}, "no 'last.' path"),
    ({"carries": [{"value": "last.pool.a", "sum": ["last.pool.a"]}]}, "no 'last.'"),
    ({"carries": [{"value": "pool.a", "sum": ["last."]}]}, "is not a record path"),
    ({"carries": [{"value": "pool.a", "sum": ["last.collateral[*].b"]}]}, "the value's key binds it"),
    ({"carries": [{"value": "pool.a", "either": "last.pool.a"}]}, "'either' must be a list"),
    ({"carries": [{"value": "pool.a", "sum": ["last.pool.a"], "tolerance": 1}]}, "unknown key(s) tolerance"),
    ({"same": "pool.a"}, "must be lists"),
])
def test_a_bad_declaration_is_a_configuration_error_naming_the_spec(block, message):
    with pytest.raises(ConfigError) as raised:
        parse_months(block, "specs/formats/x.yaml")
    assert str(raised.value).startswith("specs/formats/x.yaml: ") and message in str(raised.value)


def test_a_malformed_months_block_stops_the_run_with_one_line(acme):
    with_months(acme, "months:\n  carries:\n    - value: pool.wac_pct\n")
    result = run("check", "--formats-dir", "formats", "--format", "acme", NOVEMBER)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "acme.yaml: months: carry 1" in result.stderr


def test_lint_names_a_carry_that_reads_an_unknown_field(acme):
    with_months(acme, "months:\n  carries:\n    - title: misspelt\n      value: pool.wac_pct\n      sum:\n"
                      "        - last.pool.wac_pcnt\n")
    result = run("lint", "--formats-dir", "formats")
    assert result.exit_code == 1
    assert "RG219 error: carry 'misspelt' reads pool.wac_pcnt, a field neither canonical.yaml nor" in result.stdout


def test_a_maintainers_carry_runs_across_the_months_of_its_format(acme):
    # the deal's coupon does not carry this way: the declaration is what makes check compare them
    with_months(acme, "months:\n  carries:\n    - title: the coupon is last month's net coupon\n"
                      "      value: pool.wac_pct\n      sum:\n        - last.pool.net_wac_pct\n")
    result = run("check", "--formats-dir", "formats", "--format", "acme", NOVEMBER, DECEMBER, "--select", "RG401")
    assert result.exit_code == 1
    assert "RG401 error: the coupon is last month's net coupon: 7.67152 printed, but " \
           "absc_2003-he2_2003-11-17.txt (2003-11-17) gives" in result.stdout
    plain = run("check", "--format", "usbank-absc-2003", NOVEMBER, DECEMBER, "--select", "RG401")
    assert plain.exit_code == 0 and "RG401" not in plain.stdout


def test_lint_names_a_class_group_field_that_is_no_class_figure(acme):
    with_months(acme, "fields:\n  pool:\n    class_amounts:\n      interest: {type: amount, unit: USD, "
                      "of_class: interest_paid, meaning: \"Interest of the named class group\"}\n")
    result = run("lint", "--formats-dir", "formats")
    assert result.exit_code == 1
    assert "RG219 error: pool.class_amounts.interest: of_class 'interest_paid' is not a class field" in result.stdout
