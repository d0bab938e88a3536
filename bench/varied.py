"""The bench's inputs: the golden corpus's statements with every amount's digits rewritten at random.

An amount keeps its shape (its length, commas, decimal point, sign and the places of all of them),
so a report still parses as its sample does and every column stays where it stood; only the digits
change, from round to round and from copy to copy, so that no cache keyed on a cell's text (or on
a report's bytes) sees the same input twice.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FAMILY = "usbank-absc-2003"  # the family the TextFSM template reads

# An amount: grouped by commas or with a decimal point, as a table's cells and a key's figure print.
# A bare integer is left alone (it is as often a label's, "90+ days", or a count's), and so is a
# figure after "$" ("per $1,000 unit" is a heading); dates, series and CUSIPs are not amounts.
_AMOUNT = re.compile(r"(?<![\w.,/:$-])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\w,/:-]|\.\d)")


def statements() -> list[Path]:
    """The corpus's statement documents (an EDGAR submission repeats its bare sample: left out)."""
    return sorted(p for p in CORPUS.glob("*/*.txt") if not p.name.endswith(".submission.txt"))


def _digits(match: re.Match, rng: random.Random) -> str:
    """The amount with each digit drawn anew; a leading digit of a longer integer part stays non-zero."""
    text = match.group(0)
    whole = len(text.split(".")[0].replace(",", ""))
    out, first = [], True
    for char in text:
        if not char.isdigit():
            out.append(char)
            continue
        out.append(str(rng.randint(1 if first and whole > 1 else 0, 9)))
        first = False
    return "".join(out)


def vary(text: str, rng: random.Random) -> str:
    """``text`` with every amount's digits rewritten at random, its shape kept."""
    return _AMOUNT.sub(lambda m: _digits(m, rng), text)


def amounts(text: str) -> int:
    """How many amounts ``vary`` rewrites in ``text``."""
    return sum(1 for _ in _AMOUNT.finditer(text))


def _series_of(path: Path) -> str:
    """The sample's series as its golden record reads it (the text a copy renames to be a deal of its own)."""
    record = json.loads(path.with_name(path.name[:-len(".txt")] + ".expected.json").read_text(encoding="utf-8"))
    return record["filing"]["series"]


def samples() -> list[tuple[str, str]]:
    """(text, series) of each statement, read once for a corpus of copies."""
    return [(p.read_text(encoding="utf-8"), _series_of(p)) for p in statements()]


def copy(sample: tuple[str, str], index: int, rng: random.Random) -> str:
    """A copy of a sample as a deal of its own (its series renamed on the cover: 2003-HE2 -> 2003-HE2X17,
    as a real corpus holds one report per deal and month) with its amounts varied."""
    text, series = sample
    at = text.index(series)
    return vary(f"{text[:at]}{series}X{index}{text[at + len(series):]}", rng)


def corpus(directory: Path, count: int, rng: random.Random) -> list[Path]:
    """``count`` reports made from the samples in turn, each of its own deal, amounts varied."""
    directory.mkdir(parents=True, exist_ok=True)
    made, paths = samples(), []
    for index in range(count):
        path = directory / f"{index:06d}.txt"
        path.write_text(copy(made[index % len(made)], index, rng), encoding="utf-8")
        paths.append(path)
    return paths


def change(paths: list[Path], fraction: float, rng: random.Random) -> int:
    """Rewrite the amounts of ``fraction`` of the files (at least one) in place; how many changed."""
    chosen = rng.sample(paths, max(1, round(len(paths) * fraction)))
    for path in chosen:
        path.write_text(vary(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
    return len(chosen)
