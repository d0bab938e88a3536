"""Roles are general: a small layout of our own, written as grammar and YAML only, maps in full.

It uses what the built-in formats do not: a class table with a fixed tier, loan
groups printed as separate blocks, a status table whose rows are groups with a
fixed status, a status table whose label column has a heading of its own, and an
information box with a key no alias knows.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from remitgrammar.cli import app

GRAMMAR = r"""// Family: tiny-trust (a test layout)
// Trustee: none; written for tests/test_roles.py
// Sample: samples/tiny.txt
// Start rule: start

%import shared (_EOL, _IND, _GAP, _WIDE_GAP, WORD, LABEL, CELL_RUN, CELL, AMOUNT, PERCENT, NOT_APPLICABLE, FLAG, CUSIP, CLASS_NAME)
%import shared (HEADING, CLASS_ROWS, TOTAL_ROW, VALUE_ROWS, LABEL_ROWS, SUBLABEL_ROW, CONTINUATION_ROW, TEXT_VALUE_ROW, GROUP_ROWS)
%import shared (class_block, class_heading, table_heading, kv_row, labelled_kv, subsection)

start: party_lines certificate_table group_blocks reo_table delinquency_grid
PARTY_LINE.3: _IND /[A-Z][A-Z ]*:/ /[^\n]*/ _EOL
party_lines: PARTY_LINE+
CERT_TITLE.4: _IND "CERTIFICATES" _EOL
certificate_table: CERT_TITLE class_block
GROUPS_TITLE.4: _IND "LOAN GROUPS" _EOL
group_blocks: GROUPS_TITLE subsection+
REO_TITLE.4: _IND "REO BY GROUP" _EOL
reo_table: REO_TITLE table_heading LABEL_ROWS
GROUPS_LINE.4: _IND "Group I" _WIDE_GAP "Group II" _EOL
delinquency_grid: GROUPS_LINE table_heading LABEL_ROWS
"""

SPEC = """name: tiny-trust
description: a test layout
grammar: tiny_trust.lark
aliases: [tiny-trust.yaml]
sample: samples/tiny.txt
detect: {require: ["LOAN GROUPS", "REO BY GROUP"]}
sections:
  party_lines: {role: info_box}
  certificate_table: {role: class_table, scope: certs, defines_classes: true, tier: certificates}
  group_blocks: {role: key_values}
  reo_table: {role: status_matrix, status: reo}
  delinquency_grid: {role: status_matrix, groups_from: header}
"""

ALIASES = """columns:
  certs:
    class: [Class]
    beginning_balance: [Beginning]
    principal_distribution: [Principal]
    ending_balance: [Ending]
  delinquency:
    count: [Count]
    balance: [Balance]
rows:
  info:
    parties.seller: [SELLER]
    record_date: [RECORD DATE]
  collateral:
    ending_balance: [Ending Balance]
    ending_count: [Loan Count]
  buckets:
    "30-59": [Thirty Days]
"""

REPORT = """SELLER:  Tiny Funding LLC        RECORD DATE:  March 31, 1999
MYSTERY KEY:  something

CERTIFICATES
Class      Beginning      Principal         Ending
A-1       1,000.00         100.00         900.00
A-2         500.00           0.00         500.00
Total     1,500.00         100.00       1,400.00

LOAN GROUPS
GROUP I
Ending Balance          900.00
Loan Count                  9
GROUP II
Ending Balance          500.00
Loan Count                  5

REO BY GROUP
             Count        Balance
Group I          2      150,000.00
Group II         1       50,000.00

            Group I              Group II
Status    Count    Balance    Count    Balance
Thirty Days   1     100.00        2     200.00
"""


@pytest.fixture
def tiny(tmp_path):
    root = tmp_path / "formats"
    for relative, text in {"grammars/tiny_trust.lark": GRAMMAR, "specs/formats/tiny-trust.yaml": SPEC,
                           "specs/aliases/tiny-trust.yaml": ALIASES, "samples/tiny.txt": REPORT}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_a_new_layout_maps_in_full_by_grammar_and_yaml(tiny, runner):
    done = runner.invoke(app, ["parse", str(tiny / "samples" / "tiny.txt"), "--formats-dir", str(tiny)])
    assert done.exit_code == 0, done.stderr
    record = json.loads(done.stdout, parse_float=Decimal)
    assert record["filing"] == {"parties": {"seller": "Tiny Funding LLC"}, "record_date": "1999-03-31"}
    assert [(c["class"], c["tier"], c["ending_balance"]) for c in record["classes"]] == [
        ("A-1", "certificates", Decimal("900.00")), ("A-2", "certificates", Decimal("500.00"))]
    assert record["class_totals"]["ending_balance"] == Decimal("1400.00") and "tier_totals" not in record
    assert record["collateral"] == {"1": {"ending_balance": Decimal("900.00"), "ending_count": 9},
                                    "2": {"ending_balance": Decimal("500.00"), "ending_count": 5}}
    # the heading over the row labels ("Status") holds no value: the groups split the other four columns
    assert record["delinquency"] == {
        "1": {"reo": {"count": 2, "balance": Decimal("150000.00")}, "30-59": {"count": 1, "balance": Decimal("100.00")}},
        "2": {"reo": {"count": 1, "balance": Decimal("50000.00")}, "30-59": {"count": 2, "balance": Decimal("200.00")}}}
    assert record["extra"] == [{"section": "party_lines", "label": "MYSTERY KEY", "values": ["something"],
                                "line": 2}]
    assert [f["code"] for f in record["findings"]] == ["RG201"]


def test_the_new_layout_lints_clean_and_loses_no_number(tiny, runner):
    lint = runner.invoke(app, ["lint", "--formats-dir", str(tiny)])
    assert "tiny-trust" not in lint.stdout, lint.stdout
    cover = runner.invoke(app, ["coverage", str(tiny / "samples" / "tiny.txt"), "--formats-dir", str(tiny)])
    # the record date read off the information box line counts too
    assert cover.exit_code == 0 and "22 printed numbers: 22 canonical" in cover.stdout
    check = runner.invoke(app, ["check", str(tiny / "samples" / "tiny.txt"), "--formats-dir", str(tiny)])
    assert check.exit_code == 0 and "0 error(s)" in check.stdout
