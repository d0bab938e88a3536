"""Where an HTML statement's file lines and columns stand on the grid of text it was rendered to, from
the view's ``runs`` (view/model.py): for the marks, the findings and the line numbers of its page."""

from __future__ import annotations

from bisect import bisect_right


class Grid:
    """Where an HTML statement's file lines and columns are shown on its rendered grid (the view's
    ``runs``: grid line, grid column, file line, file column, length)."""

    def __init__(self, runs: list):
        self.by_line: dict = {}
        self.first: dict = {}
        for grid_line, grid_column, line, column, length in runs:
            self.by_line.setdefault(line, []).append((column, length, grid_line, grid_column))
            self.first.setdefault(grid_line, (line, column))
        for runs in self.by_line.values():
            runs.sort()
        self.lines = sorted(self.by_line)

    def shown(self, line, column, exact: bool = False) -> tuple:
        """The grid's (line, column) of a file's place: its own character, else (not ``exact``) the
        next shown; (None, None) when there is none. A search, not a walk: one HTML line may hold a
        whole table."""
        runs = self.by_line.get(line)
        if not runs:
            if exact or line is None:
                return None, None
            later = bisect_right(self.lines, line)
            return (self.by_line[self.lines[later]][0][2], None) if later < len(self.lines) else (None, None)
        if column is not None:
            index = bisect_right(runs, (column, float("inf"))) - 1
            if index >= 0 and runs[index][0] <= column < runs[index][0] + runs[index][1]:
                start, _, grid_line, grid_column = runs[index]
                return grid_line, grid_column + column - start
        if exact:
            return None, None
        after = runs[min(bisect_right(runs, (column or 0, -1)), len(runs) - 1)]
        return after[2], after[3]

    def source(self, grid_line: int) -> str:
        place = self.first.get(grid_line)
        return f"{place[0]}:{place[1]}" if place else ""
