"""``view``: each report as an HTML page, its numbers marked by what became of them and its findings
under their lines, and a page per deal charting its months (docs/view.md)."""
