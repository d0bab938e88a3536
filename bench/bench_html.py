"""HTML statements against their text twins: docs/s of the same statements read from tests/html/ (HTML
tables) and tests/corpus/ (text), in one process, rounds alternating, with compiled bytecode.

Each round reads every pair once each way through the whole intake and parse (`pipeline.parse_reports`
on the file's bytes: decoding, the HTML's rendering, detection, parse, record), and the HTML's rendering
alone (`intake/html_grid.render`). Prints the median docs/s of each and the ratio HTML/text:

    python bench/bench_html.py --seconds 20
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pairs() -> list[tuple[Path, Path]]:
    """(text, html) of every HTML sample with its text twin."""
    found = []
    for page in sorted((ROOT / "tests" / "html").glob("*/*.htm")):
        text = ROOT / "tests" / "corpus" / page.parent.name / (page.stem + ".txt")
        if text.exists():
            found.append((text, page))
    return found


def _rate(read, documents: list) -> float:
    start = time.perf_counter()
    for path, data in documents:
        read(path, data)
    return len(documents) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring time")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "remitgrammar"), quiet=1)
    from remitgrammar.intake.html_grid import render
    from remitgrammar.pipeline import parse_reports

    def whole(path, data):
        for _name, outcome in parse_reports(path, data=data):
            if not hasattr(outcome, "record"):
                raise SystemExit(f"{path}: {outcome}")

    found = pairs()
    texts = [(t, t.read_bytes()) for t, _ in found]
    pages = [(h, h.read_bytes()) for _, h in found]
    sources = [(h, data.decode("utf-8")) for h, data in pages]
    rates: dict = {"text": [], "html": [], "render": []}
    whole(*texts[0]), whole(*pages[0])  # warm: grammars built, formats read
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline or len(rates["text"]) < 3:
        rates["text"].append(_rate(whole, texts))
        rates["html"].append(_rate(whole, pages))
        rates["render"].append(_rate(lambda _p, source: render(source), sources))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(found)} statements, each as text and as HTML tables; {len(rates['text'])} rounds; load {load:.2f}")
    for name, label in (("text", "text, intake to record"), ("html", "HTML, intake to record"),
                        ("render", "HTML, rendering alone")):
        print(f"  {label:<24} {statistics.median(rates[name]):8.1f} docs/s (median)")
    ratio = statistics.median(rates["html"]) / statistics.median(rates["text"])
    print(f"  HTML / text: {ratio:.2f}x")


if __name__ == "__main__":
    main()
