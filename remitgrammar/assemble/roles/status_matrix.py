"""Role ``status_matrix``: delinquency, foreclosure, REO and bankruptcy tables into ``delinquency``.

Families print these tables every way there is: buckets as rows and measures as columns,
groups as rows under bucket headings spanning Count/Balance pairs, one block per group and
status with the measures as rows, headings printed once over several blocks whose group is
named in the first cell of their first row ("GROUP 1 DELINQ  PRINCIPAL BALANCE ..."). So the
role does not fix what rows and columns name: every value is read with all the text that
stands over it, beside it and above its block (the column heading and the heading spanning
it, the row label, the caption of its row or block, the section's title), and each of those
texts is interpreted by what it says, through the format's aliases: a loan group
(``rows.groups``, or a numbered group), a status or bucket (``rows.buckets``), a measure
(``columns.delinquency``). A text that can name two things ("Total": the group total or the
bucket total) names whichever the others leave open. Parameters (formats/roles.py):
``groups_from: header`` takes a heading's unknown phrases (servicers' names) for groups;
``group`` and ``status`` fix what the whole table is about; ``base_status``.
"""

from __future__ import annotations

import re
from typing import Any

from ...parse.columns import Column, column_of, column_title, heading_words, snap
from ...parse.layout import lay_out, straddles, value_spans
from ...parse.lines import expand
from ...parse.values import Cell, split_phrases, split_row, words
from ..groups import group_key, is_group_name
from ..items import Heading
from ..record import Builder, Key

GROUP_WORDS = 6  # words a group's name may have at the start of a caption ("FIXED RATE GROUP - DELINQUENT")
GROUP_MARK = "\x00group:"  # a column's group, taken from a line of group names, marked as such
STATUSES = frozenset({"delinquent", "foreclosure", "bankruptcy", "reo", "outstanding"})
_PARTS = re.compile(r"\s+-\s+|\s*:\s*|\s{2,}")
_GROUP_PREFIX = re.compile(r"(?i)((?:loan\s+)?(?:group|grp|pool)\s+(?:\d+|[ivx]+)\b|total(?:\s+pool)?\b)")


class StatusMatrix:
    """Maps status tables into ``delinquency[group][bucket][measure]``."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        lines = [row for item in items for token in (item.tokens if isinstance(item, Heading) else [item])
                 if hasattr(token, "type") for row in expand(token)]
        self.params = params
        self.cache: dict[str, list[dict]] = {}  # a text's meanings, looked up once per section
        split = [(row, *split_row(row.text, row.line, row.column)) for row in lines]
        split = [(row, labels, [] if self._names_groups(row) else cells) for row, labels, cells in split
                 if not (labels and self.b.info(_joined(labels), cells))]  # a page's "Distribution Date:"
        for headings, captions, rows in _blocks(split):
            self._block(headings, captions, rows)

    def _block(self, headings: list, captions: list, rows: list) -> None:
        """One block: its column headings (carried from the block above when it prints none), the
        captions over it, and its rows."""
        self.b.heading_lines([h for h in headings] + [c for c in captions])
        label_end = max((labels[-1].end for _, labels, _ in rows if labels), default=0)
        group_line, headings = self._group_line(headings)
        columns = lay_out(heading_words(headings), [cells for _, _, cells in rows], label_end)
        snap(columns, self.b.column_starts.get(rows[0][0].line) if rows else None)
        if group_line:
            _spread(group_line, columns)
        context = [c.text for caption in captions for c in _caption_parts(caption)]
        inner = _label_column(rows)
        caption = None
        for _, labels, cells in rows:
            row_caption, label = _row_label(labels, inner)
            caption = row_caption or caption
            if not cells:
                continue
            texts = [label.text if label else None, caption] + context
            for cell in cells:
                column = column_of(cell, columns)
                if column is None or straddles(cell, columns):
                    self.b.add_extra("delinquency", label.text if label else "(no label)", [cell], cell.line)
                    self.b.warn("RG104", f"the value '{cell.text[:40]}' stands over two columns (or none): it is "
                                "read as neither", cell, hint="kept in extra; check the report's columns")
                    continue
                self._cell(cell, self._column_texts(column) + texts, label or cell, column)

    def _names_groups(self, row) -> bool:
        """A line of group names ("GROUP 1   GROUP 2"): a heading, though its numbers read as values."""
        phrases = split_phrases(row.text, row.line, row.column)
        return bool(phrases) and all(any("group" in o for o in self._meanings(p.text)) for p in phrases)

    def _group_line(self, headings: list) -> tuple[list, list]:
        """A heading line that names only groups (or, with ``groups_from: header``, any names after
        the title's ``title_skip`` phrases): its phrases head runs of columns, not single ones."""
        for index, line in enumerate(headings):
            phrases = split_phrases(line.text, line.line, line.column)[self.params["title_skip"]:]
            free = self.params.get("groups_from") == "header"
            named = phrases and all(any("group" in o for o in self._meanings(p.text)) for p in phrases)
            unknown = free and len(phrases) > 1 and not any(self._meanings(p.text) for p in phrases)
            if named or unknown:
                return [Cell(group_key(p.text, self.b.spec), p.line, p.column) for p in phrases], \
                    headings[:index] + headings[index + 1:]
        return [], headings

    def _column_texts(self, column: Column | None) -> list:
        """What stands over a value: its column's heading (whole, else line by line from the bottom,
        for a heading that stacks a qualifier over the name), then the heading spanning it."""
        if column is None:
            return []
        texts = [column.name]
        if not self._meanings(column.name) and len(column.parts) > 1:
            texts += [p.text for p in reversed(column.parts)]
        spans = [p.text for p in reversed(column.span_parts)] if len(column.span_parts) > 1 else []
        return texts + [column.span] + spans + [getattr(column, "group", None)]

    def _cell(self, cell: Cell, texts: list, label: Cell, column: Column | None) -> None:
        """Place one value by every text around it, innermost first."""
        fixed: dict[str, Any] = {}  # dimension: key, or None for a status no text names
        open_: list[list[dict]] = []
        for text in texts:
            if not text:
                continue
            options = self._meanings(text)
            if len(options) == 1:
                for dim, key in options[0].items():
                    fixed.setdefault(dim, key)
            elif options:
                open_.append(options)
        for options in open_:
            for option in options:
                if not any(dim in fixed for dim in option):
                    fixed.update(option)
                    break
        fixed.setdefault("group", self.params["group"])
        fixed.setdefault("status", self.params.get("status"))
        measure, group = fixed.get("measure"), fixed["group"]
        if measure is None or (fixed.get("status") is None and fixed.get("bucket") is None):
            where = " / ".join(t for t in texts if t)
            self.b.unmapped("delinquency", Cell(where or "(no label)", label.line, label.column), [cell],
                            "rows.buckets, rows.groups or columns.delinquency",
                            [column_title(column)] if column is not None else None)
            return
        self._put(group, fixed.get("status"), fixed.get("bucket"), measure, cell)

    def _meanings(self, text: str) -> list[dict]:
        """What a printed text can name: each a {dimension: key} (a text may name a group and a
        status at once: "TOTAL DELINQ", "FIXED GROUP - FORECLOSURE")."""
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._interpret(text)
        return found

    def _interpret(self, text: str) -> list[dict]:
        spec, options = self.b.spec, []
        if text.startswith(GROUP_MARK):  # a group named by a line of groups
            return [{"group": text[len(GROUP_MARK):]}]
        measure, _ = spec.table("columns.delinquency").lookup(text)
        if measure is not None:
            options.append({"measure": measure})
        bucket, _ = spec.table("rows.buckets").lookup(text)
        if bucket is not None:
            options.append({"status": bucket} if bucket in STATUSES else {"bucket": bucket})
        if is_group_name(text, spec):
            options.append({"group": group_key(text, spec)})
        if options:
            return options
        return self._composite(text)

    def _composite(self, text: str) -> list[dict]:
        """A text that names a group and what follows it ("GROUP 1 DELINQ", "FIXED GROUP - REO")."""
        parts = [p for p in _PARTS.split(text.strip()) if p]
        if len(parts) > 1:
            merged: dict = {}
            for part in parts:
                for option in self._meanings(part)[:1]:
                    for dim, key in option.items():
                        merged.setdefault(dim, key)
            if merged:
                return [merged]
        match = _GROUP_PREFIX.match(text.strip()) or _named_group_prefix(text, self.b.spec)
        if match:
            rest = text.strip()[match.end():].strip(" -:")
            found = {"group": group_key(match.group(0), self.b.spec)}
            for option in self._meanings(rest)[:1] if rest else ():
                for dim, key in option.items():
                    found.setdefault(dim, key)
            return [found]
        return []

    def _put(self, group: str, status, bucket, measure: str, cell: Cell) -> None:
        base = self.params["base_status"]
        if bucket == "total" and status == base:
            bucket = base  # the total column of the base status: all its buckets together
        path: tuple
        if status is None or status == base:
            path = (Key(bucket or base),)
        elif bucket in (None, "total", status):
            path = (Key(status),)
        else:
            path = (Key(status), "by_bucket", Key(bucket))
        self.b.put(("delinquency", Key(group)) + path + (measure,), cell)


def _joined(labels: list[Cell]) -> Cell:
    return Cell(" ".join(p.text for p in labels), labels[0].line, labels[0].column)


def _named_group_prefix(text: str, spec):
    """A group the format names (``rows.groups``) at the start of a text."""
    pieces = text.split(None, GROUP_WORDS)[:GROUP_WORDS]  # a group's name is a few words
    for size in range(len(pieces) - 1, 0, -1):
        head = " ".join(pieces[:size])
        if spec.table("rows.groups").lookup(head)[0] is not None:
            return re.match(re.escape(pieces[0]) + r".*?" + re.escape(pieces[size - 1]), text.strip())
    return None


def _spread(groups: list, columns: list) -> None:
    """Give each column the group of a line of group names over it: the columns divided evenly
    among the groups when they divide evenly, else each to the nearest group name."""
    if not columns:
        return
    share = len(columns) // len(groups) if len(columns) % len(groups) == 0 else 0
    for index, column in enumerate(columns):
        if share:
            group = groups[index // share]
        else:
            middle = column.start + column.end
            group = min(groups, key=lambda g: abs(g.column * 2 + len(g.text) - middle))
        column.group = GROUP_MARK + group.text


def _blocks(split: list):
    """(column heading lines, caption lines, rows) of each block: a run of lines without values,
    then the rows under it. A line standing left of all the values is a caption; the others are
    column headings, which carry over to the blocks below until new ones are printed."""
    headings: list = []
    pending: list = []
    rows: list = []
    for row, labels, cells in split + [(None, [], [])]:
        if row is not None and cells:
            rows.append((row, labels, cells))
            continue
        if rows:
            headings, captions = _sort_headings(pending, headings, rows)
            yield headings, captions, rows
            pending, rows = [], []
        if row is not None:
            pending.append(row)


def _sort_headings(pending: list, carried: list, rows: list) -> tuple[list, list]:
    """Split the lines above a block into column headings and captions: a caption stands left of
    all the values, or is one phrase over another heading line (a table's title: "PERCENTAGE OF
    GROUP PRINCIPAL BALANCE" over "Group  30-59  60-89"; it names what every value of the block
    is, as a heading spanning the whole table would)."""
    spans = value_spans([cells for _, _, cells in rows])
    first = spans[0][0] if spans else 0
    captions = [line for index, line in enumerate(pending)
                if _end_of(line) <= first or (index + 1 < len(pending) and _is_title(line, first))]
    headings = [line for line in pending if line not in captions]
    return (headings or carried), captions


def _is_title(line, first: int) -> bool:
    return len(split_phrases(line.text, line.line, line.column)) == 1


def _end_of(line) -> int:
    pieces = words(line.text, line.line, line.column)
    return pieces[-1].end if pieces else 0


def _label_column(rows: list) -> int:
    """Where most rows' labels start (a first row may print a caption left of it)."""
    starts = [labels[-1].column for _, labels, _ in rows if labels]
    return max(set(starts), key=starts.count) if starts else 0


def _row_label(labels: list, inner: int) -> tuple[str | None, Cell | None]:
    """(caption, label) of a row: the text left of the label column is the caption of the rows
    from here on ("Loan Group 1" before "30-59 Days"; "GROUP 1 DELINQ" before "PRINCIPAL BALANCE")."""
    if not labels:
        return None, None
    before = [p for p in labels if p.end <= inner]
    after = [p for p in labels if p.end > inner]
    if not before and after and after[0].column < inner:  # one phrase over both: split its words
        pieces = words(after[0].text, after[0].line, after[0].column)
        left = [p for p in pieces if p.column < inner]
        right = [p for p in pieces if p.column >= inner]
        if left and right:
            return " ".join(p.text for p in left), Cell(" ".join(p.text for p in right), right[0].line, right[0].column)
        return None, after[0]
    caption = " ".join(p.text for p in before) or None
    label = Cell(" ".join(p.text for p in after), after[0].line, after[0].column) if after else None
    return caption, label


def _caption_parts(line) -> list[Cell]:
    text = line.text.strip()
    start = line.column + len(line.text) - len(line.text.lstrip())
    return [Cell(text, line.line, start)]
