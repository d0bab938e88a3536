"""`view` of a statement filed as HTML tables: the page shows the grid the statement was read as, each
line with the file's line and column of its first character, every printed number marked on its cell,
and the findings under the grid's lines while naming the HTML file's."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from remitgrammar.cli import app
from remitgrammar.pipeline import parse_reports
from remitgrammar.view.model import report_view

SAMPLE = Path(__file__).parent / "html" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.htm"


def _view():
    [(_, outcome)] = list(parse_reports(SAMPLE))
    return outcome, report_view(outcome)


def test_the_view_shows_the_grid_and_every_mark_stands_on_its_text():
    parsed, view = _view()
    lines = {number: text for number, text, _ in view["lines"]}
    assert lines == dict(enumerate(parsed.rendered, 1))
    canonical = sum(1 for m in view["marks"] if m["status"] in ("canonical", "repeat"))
    assert canonical == view["coverage"]["canonical"] > 300
    source = SAMPLE.read_text(encoding="utf-8").split("\n")
    for mark in view["marks"]:
        assert lines[mark["line"]][mark["column"] - 1:].startswith(mark["text"]), mark
        # and where provenance points: the HTML file's own line and column
        assert source[mark["file_line"] - 1][mark["file_column"] - 1:].startswith(mark["text"][:1]), mark


def test_the_page_numbers_the_grid_and_names_the_file_lines(tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["view", str(SAMPLE), "-o", str(out), "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    [page] = [p for p in out.rglob("*.html") if p.name != "index.html"]
    body = page.read_text(encoding="utf-8")
    assert "could not be placed" not in body
    sources = re.findall(r'<span class="src"[^>]*>(\d+):(\d+)</span>', body)
    assert len(sources) > 100
    html_lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    first = next(s for s in sources if "A-1" in html_lines[int(s[0]) - 1][int(s[1]) - 1:int(s[1]) + 2])
    assert first  # a grid line's first character is where the file prints it
    assert 'class="finding' in body
