"""The cache bench's corpus: copies of the golden corpus's statements, each copy a deal of its own whose
arithmetic is the real filing's, so that a run prints as few findings as a real corpus does.

bench/varied.py rewrites every amount at random (right for warm throughput: no cache keyed on a cell's
text sees a text twice), but then every identity fails and each report prints hundreds of findings,
nothing like a real corpus. Here the amounts stay as filed; what changes is the deal: every statement
of one golden deal (its months, in their order) is copied under a series of its own, renamed wherever
the text prints it ("2003-HE2" -> "2003-HE2X17"), so that each copy is a distinct filing of a distinct
deal whose months still carry from one to the next as they did. `matches` checks that a copy's
findings are its sample's.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from varied import statements

# the series as a word of its own: "2002-4" but not the "2002-4" of "2002-45" or of "12002-4"
_EDGE = r"(?<![\w-]){}(?![\w-])"


def _filing(path: Path) -> dict:
    record = json.loads(path.with_name(path.name[:-len(".txt")] + ".expected.json").read_text(encoding="utf-8"))
    return record["filing"]


def deals() -> list[list[tuple[str, str]]]:
    """The golden corpus's deals, each the (text, series) of its statements in file order (their months)."""
    grouped: dict = {}
    for path in statements():
        filing = _filing(path)
        grouped.setdefault((filing.get("registrant"), filing["series"]), []).append(
            (path.read_text(encoding="utf-8"), filing["series"]))
    return list(grouped.values())


def renamed(text: str, series: str, tag: str) -> str:
    """``text`` with its series renamed wherever it prints it (any case): a deal of its own."""
    pattern = re.compile(_EDGE.format(re.escape(series)), re.IGNORECASE)
    return pattern.sub(lambda m: m.group(0) + tag, text)


def corpus(directory: Path, count: int, rng: random.Random | None = None) -> list[Path]:
    """``count`` reports: the golden deals copied in turn (all the months of one copy side by side), each
    copy under its own series. ``rng`` is unused (the copies are fixed): taken as varied.corpus takes it."""
    directory.mkdir(parents=True, exist_ok=True)
    made, paths, copy = deals(), [], 0
    while len(paths) < count:
        for months in made:
            for text, series in months:
                if len(paths) == count:
                    return paths
                path = directory / f"{len(paths):06d}.txt"
                path.write_text(renamed(text, series, f"X{copy}"), encoding="utf-8")
                paths.append(path)
            copy += 1
    return paths


def change(paths: list[Path], fraction: float, rng: random.Random) -> int:
    """Change ``fraction`` of the files (at least one) as a refiled statement might be: its series
    renamed again ("2003-HE2X17" -> "2003-HE2X17R"), a deal of its own, its arithmetic kept; how many."""
    chosen = rng.sample(paths, max(1, round(len(paths) * fraction)))
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        path.write_text(_TAG.sub(lambda m: m.group(0) + "R", text), encoding="utf-8")
    return len(chosen)


_TAG = re.compile(r"-[0-9A-Za-z]+?X[0-9]+(?![\w-])")  # a series' end with the tag ``renamed`` put after it
