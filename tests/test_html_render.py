"""An HTML statement laid out in tables, rendered to a grid of text lines (intake/html_grid.py), and
every character shown traced back to its place in the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from remitgrammar.intake.html_grid import NO_PLACE, SourcePlaces, render
from remitgrammar.intake.html_scan import MAX_COLSPAN, scan
from remitgrammar.intake.read import reports_in

BUCKETS = """<html><body>
<table>
<tr><th>Status</th><td width=5>&nbsp;</td><th colspan=4>30-59 Days</th><td>&nbsp;</td><th colspan=3>60-89 Days</th></tr>
<tr><td></td><td></td><th>Count</th><td>&nbsp;</td><td></td><th>Balance</th><td></td><th>Count</th><td></td><th>Balance</th></tr>
<tr><td>Group I</td><td></td><td>12</td><td></td><td>$</td><td>1,234,567.89</td><td></td><td>3</td><td></td><td>(45.10)</td></tr>
</table></body></html>"""


def grid(source: str) -> list:
    """The rendered lines that show something."""
    return [line for line in render(source).lines if line]


def test_a_spanning_heading_stands_over_the_columns_it_spans_and_values_keep_their_columns():
    lines = grid("""<table>
<tr><th>Status<th colspan=2>30-59 Days<th colspan=2>60-89 Days
<tr><td><th>Count<th>Balance<th>Count<th>Balance
<tr><td>Group I<td>12<td>1,234,567.89<td>3<td>(45.10)
<tr><td>Group II<td>7<td>88.00<td>10<td>2,000.00
</table>""")
    heading, sub, first, second = lines
    ends = [{m.group(): m.end() for m in re.finditer(r"\S+", line)} for line in (first, second)]
    starts = [{m.group(): m.start() for m in re.finditer(r"\S+", line)} for line in (first, second)]
    # numbers stand to the right of their column: the ends of a column's values line up
    assert ends[0]["12"] == ends[1]["7"] and ends[0]["1,234,567.89"] == ends[1]["88.00"]
    assert ends[0]["3"] == ends[1]["10"] and ends[0]["(45.10)"] == ends[1]["2,000.00"]
    # each bucket heading overlaps both of its columns' values, and no other column's
    left, right = heading.index("30-59 Days"), heading.index("60-89 Days")
    count = sub.index("Count")
    assert count <= left and left + len("30-59 Days") <= ends[0]["1,234,567.89"]
    assert left + len("30-59 Days") > starts[0]["1,234,567.89"]
    assert ends[0]["1,234,567.89"] < right and right + len("60-89 Days") <= ends[1]["2,000.00"]
    assert sub.index("Count") < sub.index("Balance") < sub.rindex("Count") < sub.rindex("Balance")


def test_spacer_cells_and_dollar_cells_are_dropped_and_nbsp_is_no_text():
    lines = grid(BUCKETS)
    assert lines[2].split() == ["Group", "I", "12", "1,234,567.89", "3", "(45.10)"]
    assert "$" not in "".join(lines) and "\u00a0" not in "".join(lines)
    # the spacer and $ columns dropped: each column as wide as its widest cell, three spaces apart
    assert lines[2] == "Group I      12   1,234,567.89       3   (45.10)"


def test_a_dollar_sign_before_an_amount_in_its_cell_is_dropped_and_a_lone_percent_joins_its_number():
    lines = grid("<table><tr><td>Pass-Through Rate<td>5.25<td>%<tr><td>Interest<td>$ 1,000.00<td>"
                 "<tr><td>Principal<td>$2,000.00<td></table>")
    assert lines[0].split() == ["Pass-Through", "Rate", "5.25%"]
    assert lines[1].split() == ["Interest", "1,000.00"]
    assert lines[2].split() == ["Principal", "2,000.00"]


def test_broken_html_as_filers_wrote_it_reads():
    source = """<HTML><BODY><P ALIGN=center><B>ACME TRUST 2005&#8211;1</B><BR>Statement &amp; Report</P>
<TABLE BORDER=1 CELLPADDING=2><TR><TD>Class<TD ALIGN=right>Balance
<TR><TD>A-1<TD ALIGN=right>100.00
<TR><TD>A&#146;s<TD>N/A
</TABLE><DIV STYLE="page-break-before:always"></DIV><HR>
<table><tr><td>Total<td>100.00</table></BODY>"""
    lines = grid(source)
    assert lines[0] == "ACME TRUST 2005\u20131" and lines[1] == "Statement & Report"
    assert [line.split() for line in lines[2:]] == [["Class", "Balance"], ["A-1", "100.00"], ["A\u2019s", "N/A"],
                                                    ["Total", "100.00"]]
    shown = render(source).lines
    between = shown[shown.index(lines[4]) + 1:shown.index(lines[5])]
    assert between == ["", "", ""]  # the space after the table, then two page breaks


def test_a_table_per_visual_line_is_one_grid_whose_columns_line_up():
    rows = [("Beginning Balance", "1,000.00", "2.00"), ("Principal Paid", "10.00", "300,000.00")]
    source = "".join(f"<table><tr><td>{a}</td><td>{b}</td><td>{c}</td></tr></table>\n" for a, b, c in rows)
    first, second = grid(source)
    assert first.index("1,000.00") + 8 == second.index("10.00") + 5
    assert first.index("2.00") + 4 == second.index("300,000.00") + 10


def test_a_nested_table_reads_as_rows_and_a_caption_as_a_line():
    lines = grid("<table><caption>Collateral</caption><tr><td>Outer<td><table><tr><td>Inner<td>5.00</table>"
                 "<td>after</tr><tr><td>Last<td>6.00</table>")
    words = [line.split() for line in lines]
    assert ["Collateral"] in words and ["Inner", "5.00"] in words and ["Last", "6.00"] in words
    assert any("Outer" in w for w in words) and any("after" in w for w in words)


def test_every_character_shown_is_where_the_file_has_it():
    placed = render(BUCKETS)
    where = SourcePlaces(BUCKETS)
    file_lines = BUCKETS.split("\n")
    for text, places in zip(placed.lines, placed.places, strict=True):
        assert len(places) == len(text)
        for column, char in enumerate(text):
            if char == " ":
                continue
            assert places[column] != NO_PLACE
            line, at = where.where(places[column])
            assert file_lines[line - 1][at - 1] == char


def test_an_entity_is_placed_at_its_ampersand():
    source = "<p>A&amp;B</p>"
    out = render(source)
    assert out.lines == ["A&B"]
    assert [source[o] for o in out.places[0]] == ["A", "&", "B"]


def test_a_report_from_html_points_into_the_file_as_given():
    source = "<table>\n<tr><td>Class</td>\n<td>Balance</td></tr>\n<tr><td>A-1</td>\n  <td>100.00</td></tr></table>\n"
    report = reports_in(source.encode(), "s.htm")[0]
    number = report.text.split("\n").index(next(x for x in report.text.split("\n") if "100.00" in x)) + 1
    column = report.text.split("\n")[number - 1].index("100.00") + 1
    assert report.places.at(number, column) == (5, source.split("\n")[4].index("100.00") + 1)
    assert report.found and "1 table(s), 2 row(s), 4 cell(s)" in report.found


def test_an_html_page_whose_report_sits_in_pre_is_still_read_as_text():
    source = "<html><body><pre>\nClass   Balance\nA-1      100.00\n</pre></body></html>\n"
    report = reports_in(source.encode(), "p.htm")[0]
    assert report.places is None and "A-1      100.00" in report.text


# hostile input ---------------------------------------------------------------------------------

def test_an_entity_defined_by_the_file_is_never_expanded():
    bomb = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><p>&c;&c;&c;</p>')
    lines = grid(bomb)  # as in a browser, the declaration ends at its first ">": "]>" is text
    assert lines[-1] == "&c;&c;&c;" and "aaaa" not in "".join(lines)


def test_tables_nested_far_deeper_than_any_recursion_limit_read():
    depth = 50_000
    out = render("<table><tr><td>" * depth + "1.00" + "</td></tr></table>" * depth)
    assert [line for line in out.lines if line.strip()] == ["1.00"]


@pytest.mark.parametrize("source", [
    "<a " + "x" * 5000,  # a tag never closed
    "<" * 5000,
    "<!--" * 2000,
    "<script>" + "<table><tr><td>1" * 1000,
    "<td colspan=99999999>x<td>1",
    "<table><tr>" + "<td>1" * 2000,
    "&#99999999;&#x110000;&#0;&#xD800;",
])
def test_malformed_markup_gives_lines_and_never_an_exception(source):
    out = render(source)
    assert all(len(places) == len(text) for text, places in zip(out.lines, out.places, strict=True))


def test_a_colspan_is_capped_and_a_row_has_at_most_its_bound_of_columns():
    blocks = scan("<table><tr><td colspan=100000>wide</table>")
    assert blocks.items[0][1][0][0].span == MAX_COLSPAN
    out = render("<table><tr>" + "".join(f"<td>{i}" for i in range(600)) + "</table>")
    assert out.lines[0].split() == [str(i) for i in range(600)]  # past the bound, in the last column, in order


def test_an_html_document_with_no_statement_says_what_it_found(tmp_path):
    from remitgrammar.pipeline import parse_reports

    page = tmp_path / "certificate.htm"
    page.write_text("<html><body><p>Officer's Certificate</p><table><tr><td>Name<td>Title"
                    "<tr><td>J. Smith<td>Vice President</table></body></html>")
    [(name, outcome)] = list(parse_reports(page))
    finding = outcome.finding
    assert finding.code == "RG110"
    assert "an HTML document of 1 table(s), 2 row(s), 4 cell(s)" in finding.message


def test_cells_padded_out_of_all_proportion_are_cut_at_a_bound_and_say_so(tmp_path):
    from remitgrammar.pipeline import parse_reports

    wide = "<tr>" + "".join(f"<td>{'x' * 1000}" for _ in range(100))  # one row sets 100 wide columns
    rows = "".join("<tr>" + "<td>1" * 100 for _ in range(300))  # and every row is padded to their width
    padded = f"<table>{wide}{rows}</table>"
    out = render(padded)
    assert out.cut > 0 and sum(len(line) + 1 for line in out.lines) <= len(padded) + 100_000
    statement = Path(__file__).parent / "html" / "distribution-summary" / "westbrook_2003-7_2004-10-25.htm"
    page = tmp_path / "padded.htm"
    page.write_text(statement.read_text(encoding="utf-8").replace("</body>", padded + "</body>", 1))
    [(_, outcome)] = list(parse_reports(page))
    findings = outcome.findings if hasattr(outcome, "findings") else []
    assert "RG120" in [f.code for f in findings]


def test_a_rule_drawn_in_a_table_is_no_page_break_and_the_totals_keep_their_columns():
    lines = render("<TABLE><TR><TD>Class<TD>Balance<TD>Interest<TR><TD>A-1<TD>1,000.00<TD>5.00"
                   "<TR><TD COLSPAN=3><HR><TR><TD>Totals<TD>1,000.00<TD>5.00</TABLE>").lines
    shown = [line for line in lines if line]
    assert len(shown) == 3 and len(lines) == 4  # the rule row is a blank line, not a page break
    assert shown[1].index("1,000.00") == shown[2].index("1,000.00")
    assert shown[1].rindex("5.00") == shown[2].rindex("5.00")


def test_a_column_of_dashes_and_numbers_stands_to_the_right():
    lines = grid("<table><tr><td>A-1<td>-<td>x<tr><td>A-2<td>-<td>y<tr><td>A-3<td>1,000.00<td>z</table>")
    assert lines[0].index(" - ") + 2 == lines[2].index("1,000.00") + len("1,000.00")
