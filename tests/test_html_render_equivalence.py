"""The HTML renderer renders what it rendered when its output was last checked by hand (issue 25): for
every HTML sample, every document an EDGAR submission of them holds, the inputs of test_html_render.py
and seeded random broken HTML, a digest of ``render(source)``'s lines, places (the source offset of
every character), ``cut`` and ``describe()`` equals the one kept in tests/html_render_digests.json.

The digests were made by the first renderer, whose output the samples' records prove (they equal their
text twins'), and kept when it was made twice as fast. A change of the renderer that changes what it
renders fails here: look at what changed (the samples' records, test_html_render.py), then write the
digests again with ``python tests/test_html_render_equivalence.py``.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pytest

from remitgrammar.intake import edgar
from remitgrammar.intake.html_grid import render
from remitgrammar.intake.read import reports_in

HTML = Path(__file__).parent / "html"
DIGESTS = Path(__file__).parent / "html_render_digests.json"

# the inputs test_html_render.py renders, each as it gives it
KNOWN = [
    """<html><body>
<table>
<tr><th>Status</th><td width=5>&nbsp;</td><th colspan=4>30-59 Days</th><td>&nbsp;</td><th colspan=3>60-89 Days</th></tr>
<tr><td></td><td></td><th>Count</th><td>&nbsp;</td><td></td><th>Balance</th><td></td><th>Count</th><td></td><th>Balance</th></tr>
<tr><td>Group I</td><td></td><td>12</td><td></td><td>$</td><td>1,234,567.89</td><td></td><td>3</td><td></td><td>(45.10)</td></tr>
</table></body></html>""",
    """<table>
<tr><th>Status<th colspan=2>30-59 Days<th colspan=2>60-89 Days
<tr><td><th>Count<th>Balance<th>Count<th>Balance
<tr><td>Group I<td>12<td>1,234,567.89<td>3<td>(45.10)
<tr><td>Group II<td>7<td>88.00<td>10<td>2,000.00
</table>""",
    "<table><tr><td>Pass-Through Rate<td>5.25<td>%<tr><td>Interest<td>$ 1,000.00<td>"
    "<tr><td>Principal<td>$2,000.00<td></table>",
    """<HTML><BODY><P ALIGN=center><B>ACME TRUST 2005&#8211;1</B><BR>Statement &amp; Report</P>
<TABLE BORDER=1 CELLPADDING=2><TR><TD>Class<TD ALIGN=right>Balance
<TR><TD>A-1<TD ALIGN=right>100.00
<TR><TD>A&#146;s<TD>N/A
</TABLE><DIV STYLE="page-break-before:always"></DIV><HR>
<table><tr><td>Total<td>100.00</table></BODY>""",
    "<table><tr><td>Beginning Balance</td><td>1,000.00</td><td>2.00</td></tr></table>\n"
    "<table><tr><td>Principal Paid</td><td>10.00</td><td>300,000.00</td></tr></table>\n",
    "<table><caption>Collateral</caption><tr><td>Outer<td><table><tr><td>Inner<td>5.00</table>"
    "<td>after</tr><tr><td>Last<td>6.00</table>",
    "<p>A&amp;B</p>",
    "<table>\n<tr><td>Class</td>\n<td>Balance</td></tr>\n<tr><td>A-1</td>\n  <td>100.00</td></tr></table>\n",
    "<html><body><pre>\nClass   Balance\nA-1      100.00\n</pre></body></html>\n",
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><p>&c;&c;&c;</p>',
    "<table><tr><td>" * 2000 + "1.00" + "</td></tr></table>" * 2000,
    "<a " + "x" * 5000,
    "<" * 5000,
    "<!--" * 2000,
    "<script>" + "<table><tr><td>1" * 1000,
    "<td colspan=99999999>x<td>1",
    "<table><tr>" + "<td>1" * 2000,
    "&#99999999;&#x110000;&#0;&#xD800;",
    "<table><tr><td colspan=100000>wide</table>",
    "<table><tr>" + "".join(f"<td>{i}" for i in range(600)) + "</table>",
    "<html><body><p>Officer's Certificate</p><table><tr><td>Name<td>Title"
    "<tr><td>J. Smith<td>Vice President</table></body></html>",
    "<table><tr>" + "".join(f"<td>{'x' * 1000}" for _ in range(100))
    + "".join("<tr>" + "<td>1" * 100 for _ in range(60)) + "</table>",  # cut: past the bound
]

# what LAYOUTS.md's last section says filers' HTML is made of, in pieces to be mixed at random
TAGS = ["<table>", "</table>", "<TABLE BORDER=1 CELLPADDING=2>", "<tr>", "</tr>", "<TR>", "<td>", "</td>",
        "<TD>", "<th>", "</th>", "<td colspan=2>", "<TD COLSPAN=3>", "<td colspan='4'>", "<td valign=top>",
        '<TD VALIGN="top">', "<br>", "<BR/>", "<p>", "</p>", "<P ALIGN=center>", "<b>", "</B>", "<caption>",
        "</caption>", '<div style="page-break-before:always"></div>', "<hr>", "<HR>", "<center>", "<font size=2>",
        "</font>", "<!-- a comment -->", "<script>var x = '<td>';</script>", "<div>", "</div>", "<li>",
        "<head><title>x</title></head>", "<body>", "<!DOCTYPE html>", "<td nowrap align=right>",
        # letters re.I matches beyond ASCII: the patterns' matches, not a string search's, decide
        "<td col\u017fpan=2>", "<td val\u0131gn=top>", '<p style="page-brea\u212a-before:always">']
TEXT = ["&nbsp;", "&nbsp;&nbsp;&nbsp;", "&amp;", "&#8211;", "&#146;", "&nbsp", "&#x2013;", "&lt;", "&bogus;",
        "&", "<", ">", "Class A-1", "Group I", "Total", "Beginning Balance", "1,234,567.89", "(45.10)", "$",
        "$ 1,000.00", "$2,000.00", "$(3.50)", "%", ")", ")%", "5.25", "5.25%", ".125", "-", "N/A", "0",
        " ", "  ", "\n", "\t", "\r\n", "\u00a0", "\x0b", "\u2003", "a\u00a0b", "12", "30-59 Days",
        "Distribution Date: 2005-08-25"]


def _soup(rng: random.Random) -> str:
    """Tags and text mixed at random: unclosed cells, nested tables, stray markup."""
    pieces = TAGS + TEXT * 2
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 300)))


def _cell(rng: random.Random) -> str:
    tag = rng.choice(["<td>", "<TD>", "<th>", "<td colspan=2>", f"<td colspan={rng.randint(1, 70)}>",
                      "<td valign=top>", "<td align=right>", "<td width=5>"])
    parts = [rng.choice(TEXT[:31] + ["", "", "Principal Paid", "Count"]) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.2:
        parts.insert(rng.randint(0, len(parts)), rng.choice(["<br>", "<BR>", "<p>"]))
    if rng.random() < 0.05:
        parts.append("<table><tr><td>Inner<td>5.00</table>")
    return tag + "".join(parts) + rng.choice(["</td>", "", "</TD>", "</th>"])


def _table(rng: random.Random) -> str:
    """A table a filer might write: rows of cells, some left open, spacer and ``$`` cells, headings."""
    width = rng.randint(1, 8)
    rows = []
    for _ in range(rng.randint(1, 12)):
        cells = "".join(_cell(rng) for _ in range(rng.randint(0, width + 2)))
        rows.append(rng.choice(["<tr>", "<TR>", "<tr valign=top>", ""]) + cells + rng.choice(["</tr>", "", "\n"]))
    ending = rng.choice(["</table>", "</TABLE>", "", '</table><div style="page-break-after: always">',
                         "</table><hr>", "</table><p>Note</p>"])
    return rng.choice(["<table>", "<TABLE BORDER=0>", "<table cellpadding=2>"]) + "".join(rows) + ending


def _document(rng: random.Random) -> str:
    parts = [_table(rng) if rng.random() < 0.7 else _soup(rng) for _ in range(rng.randint(1, 6))]
    return rng.choice(["", "<html><body>", "<HTML><HEAD><TITLE>t</TITLE></HEAD><BODY>"]) + "\n".join(parts)


def _rendered_by_intake() -> list:
    """Every document intake renders from the samples (a submission's EX-99.1 among them), as it is given."""
    given: list = []

    def recording(source):
        given.append(source)
        return render(source)

    paths = sorted(HTML.glob("*/*.htm")) + sorted(HTML.glob("*/*.txt"))
    saved, edgar.render = edgar.render, recording
    try:
        for path in paths:
            reports_in(path.read_bytes(), path.name)
    finally:
        edgar.render = saved
    return given


def _digest(sources: list) -> str:
    """One digest of what the renderer makes of each source: lines, places, cut, description."""
    digest = hashlib.sha256()
    for source in sources:
        out = render(source)
        digest.update(json.dumps([out.lines, [list(p) for p in out.places], [p.typecode for p in out.places],
                                  out.cut, out.describe()]).encode())
    return digest.hexdigest()


def _cases() -> dict:
    """name -> the sources it digests."""
    samples = [path.read_text(encoding="utf-8") for path in sorted(HTML.glob("*/*.htm"))]
    cases = {"samples": samples, "documents of the samples": _rendered_by_intake()}
    cases.update({f"known {n}": [source] for n, source in enumerate(KNOWN)})
    for seed in range(12):
        rng = random.Random(seed)
        cases[f"random {seed}"] = [piece for _ in range(40) for piece in (_document(rng), _soup(rng))]
    return cases


def _kept() -> dict:
    return json.loads(DIGESTS.read_text(encoding="utf-8"))


def test_the_samples_and_the_documents_intake_renders_of_them_render_as_before():
    cases = _cases()
    assert len(cases["samples"]) >= 5 and len(cases["documents of the samples"]) > len(cases["samples"])
    for name in ("samples", "documents of the samples"):
        assert _digest(cases[name]) == _kept()[name], name


@pytest.mark.parametrize("number", range(len(KNOWN)))
def test_the_inputs_of_the_render_tests_render_as_before(number):
    assert _digest([KNOWN[number]]) == _kept()[f"known {number}"]


@pytest.mark.parametrize("seed", range(12))
def test_random_broken_html_renders_as_before(seed):
    rng = random.Random(seed)
    sources = [piece for _ in range(40) for piece in (_document(rng), _soup(rng))]
    assert _digest(sources) == _kept()[f"random {seed}"]


if __name__ == "__main__":  # write the digests again, after a change of output was looked at
    DIGESTS.write_text(json.dumps({name: _digest(sources) for name, sources in _cases().items()}, indent=1) + "\n",
                       encoding="utf-8")
    sys.stdout.write(f"wrote {DIGESTS}\n")
