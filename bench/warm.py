"""Warm throughput in one process: remitgrammar, a regex pass and a TextFSM template over the same texts.

Each round rewrites every amount of the corpus's statements at random (bench/varied.py) and then
times, one after another over those texts, remitgrammar's `parse_result` (text to canonical record),
its parse stage alone, `parse_result` and `check_result` (what `check` does for each report), a
plain regular-expression pass pulling every label/number pair into a dict,
and over the usbank-absc-2003 family: remitgrammar again and the TextFSM template of
bench/textfsm/ (the class table and the key-value lines). Prints one JSON object: each contender's
docs/s of every round. Run by bench_parse.py in a child process (with the code under test first on
its path, or a checkout of the code before with --against), so that the two alternate:

    python bench/warm.py --seconds 2 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from varied import FAMILY, statements, vary  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent / "textfsm" / "usbank_absc_2003.textfsm"
_PAIR = re.compile(r"^[ \t]*([A-Za-z][^\d\n]*?)[ \t]+(\(?[\d,]*\.?\d+\)?%?)[ \t]*$", re.M)


def regex_baseline(text: str) -> dict:
    """The regex baseline: label -> last number on each line that ends in one."""
    return {m.group(1): m.group(2) for m in _PAIR.finditer(text)}


def textfsm_baseline():
    """A function parsing a text with the TextFSM template, or None without textfsm installed."""
    try:
        import textfsm
    except ImportError:
        return None
    if not hasattr(textfsm, "TextFSM"):  # bench/textfsm/, the templates' folder, read as a namespace package
        return None
    template = TEMPLATE.read_text(encoding="utf-8")

    def parse(text: str) -> list:
        import io

        return textfsm.TextFSM(io.StringIO(template)).ParseText(text)
    return parse


def contenders() -> dict:
    """name -> (function of a text, whether it reads only the TextFSM family's texts)."""
    from remitgrammar.pipeline import parse_result

    found = {"remitgrammar": (lambda t: parse_result(t, "bench"), False), "regex": (regex_baseline, False),
             "remitgrammar-family": (lambda t: parse_result(t, "bench"), True)}
    try:  # the parse stage alone, as the pipeline runs it (an internal API: measured while it holds)
        from remitgrammar.detect.detection import detect
        from remitgrammar.parse.tree import parse_tree
        sample = statements()[0].read_text(encoding="utf-8")
        parse_tree(sample + "\n", detect(sample))
        found["parsing"] = (lambda t: parse_tree(t + "\n", detect(t)), False)
    except Exception:  # noqa: BLE001 - another layout of the internals: the line is left out
        pass
    try:  # parse and check: what `remitgrammar check` does for each report (its rules and misprint search)
        from remitgrammar.pipeline import check_result
        found["remitgrammar-check"] = (lambda t: check_result(parse_result(t, "bench")), False)
    except ImportError:  # a code before without it: the line is left out
        pass
    textfsm = textfsm_baseline()
    if textfsm is not None:
        found["textfsm-family"] = (textfsm, True)
    return found


# The baselines are some ten times faster: each round passes over their texts this many times, so
# that a round of theirs is not so short that one pause of the machine decides it.
REPEATS = {"regex": 10, "textfsm-family": 10}


def _timed(fn, texts: list[str], repeats: int) -> float:
    """docs/s of ``fn`` over ``texts``, passed over ``repeats`` times."""
    start = time.perf_counter()
    for _ in range(repeats):
        for text in texts:
            fn(text)
    return len(texts) * repeats / (time.perf_counter() - start)


def rounds(seconds: float, seed: int) -> dict:
    """Each contender's docs/s in every round, over texts whose amounts change from round to round."""
    paths = statements()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    family = [p.parent.name == FAMILY for p in paths]
    found = contenders()
    for text in texts:  # warm up: each format's grammar and tables loaded, patterns compiled
        found["remitgrammar"][0](text)
    rng, rates = random.Random(seed), {name: [] for name in found}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or not rates["regex"]:
        varied = [vary(text, rng) for text in texts]
        for name, (fn, only_family) in found.items():
            chosen = [t for t, f in zip(varied, family, strict=True) if f or not only_family]
            rates[name].append(_timed(fn, chosen, REPEATS.get(name, 1)))
    return {"rates": rates, "documents": len(texts), "family": sum(family),
            "bytes": sum(len(t) for t in texts) / len(texts),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(rounds(args.seconds, args.seed)))


if __name__ == "__main__":
    main()
