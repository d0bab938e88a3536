"""How fast the pages of `remitgrammar view` open in headless Chromium (issue 23, point 5).

Prints, with the targets beside them:
  (a) a 1,000-line report (a corpus sample whose REO loan detail lists 545 more loans, so that it
      still parses): the time from navigationStart to loadEventEnd of its page, then the time for
      the first search typed into #q to update the page, median of 5, interleaved with the same
      report as a bare <pre> page with no marks (the baseline a page cannot beat); target < 1 s for
      load and search together;
  (b) a deal of 24 months (tests/corpus/usbank-absc-2003's June 2003 report with its dates moved a
      month at a time): the wall time of `remitgrammar view` writing the 24 pages, the deal's page
      and the index, and the time Chromium takes to load the deal's page, median of 3; target < 5 s
      for the two together.

The inputs and pages are kept in a temporary directory, printed first. The package is compiled
first and the CLI runs with bytecode allowed, as an installed package runs.

    python bench/bench_view.py [--runs N]
"""

from __future__ import annotations

import argparse
import calendar
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import Browser, binaries  # noqa: E402
from remitgrammar.view.html import document, text  # noqa: E402

NOVEMBER = ROOT / "tests" / "corpus" / "payment-report" / "carrowmere_2002-nc4_2003-11-25.txt"
REO_ROW = "2       0041877260"  # the one loan of its REO loan detail: group, loan number
MONTHLY = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
PAGE_TARGET, INDEX_TARGET = 1.0, 5.0  # seconds
SEARCH = "classes[A-1]"  # what a person types: a class's fields, marked in every table

_LOAD = "const t = performance.timing; return t.loadEventEnd && t.loadEventEnd - t.navigationStart;"
# The first search, timed inside the page: the input event, the page's handler, then the next frame
# (style, layout and paint of what the search changed). An upper bound by up to one frame.
_SEARCH = """
const done = arguments[arguments.length - 1], q = document.getElementById('q');
const start = performance.now();
q.value = arguments[0];
q.dispatchEvent(new Event('input', {bubbles: true}));
void document.body.offsetHeight;
requestAnimationFrame(() => setTimeout(() => done([performance.now() - start,
  document.getElementById('count').textContent]), 0));
"""


def big_report(target: Path, lines: int = 1000) -> Path:
    """The November sample (456 lines) made 1,000 lines long by more loans in its REO loan detail, as
    a deal late in its life lists them: one row a loan, the group and loan number changed."""
    source = NOVEMBER.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(source) if line.startswith(REO_ROW))
    rows = [f"{1 + k % 3}       {41877261 + k:010d}{source[at][len(REO_ROW):]}" for k in range(lines - len(source))]
    target.write_text("\n".join(source[:at + 1] + rows + source[at + 1:]) + "\n", encoding="utf-8")
    return target


def deal_months(folder: Path, months: int = 24) -> list[Path]:
    """``months`` reports of one deal, June 2003 on: the June report with its date moved."""
    folder.mkdir(parents=True, exist_ok=True)
    source = MONTHLY.read_text(encoding="utf-8")
    paths = []
    for i in range(months):
        year, month = 2003 + (5 + i) // 12, (5 + i) % 12 + 1
        date = f"16-{calendar.month_abbr[month]}-{year % 100:02d}"
        path = folder / f"absc_2003-he2_{year}-{month:02d}-16.txt"
        path.write_text(source.replace("16-Jun-03", date), encoding="utf-8")
        paths.append(path)
    return paths


def child_env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the CLI as installed: compiled bytecode read, not rebuilt
    return env


def view(paths: list, out: Path) -> float:
    """Wall seconds of `remitgrammar view PATHS -o OUT` in a fresh interpreter."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "remitgrammar", "view", *map(str, paths), "-o", str(out)],
                          env=child_env(), cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: a report did not parse in full (its page says so)
        raise SystemExit(f"remitgrammar view failed with exit {done.returncode}:\n{done.stderr[-2000:]}")
    return took


def load(browser: Browser, page: Path) -> float:
    """Seconds from navigationStart to loadEventEnd of ``page``, opened afresh."""
    browser.get("about:blank")
    browser.get(page.as_uri())
    # WebDriver returns once the document is complete, a moment before loadEventEnd is set
    return browser.wait(lambda: browser.execute(_LOAD)) / 1000


def search(browser: Browser, needle: str) -> tuple[float, str]:
    took, said = browser.execute_async(_SEARCH, needle)
    return took / 1000, said


def verdict(seconds: float, target: float) -> str:
    return f"{'PASS' if seconds < target else 'MISS'} (target < {target:g} s)"


def bench_page(browser: Browser, work: Path, runs: int) -> None:
    report = big_report(work / "report-1000-lines.txt")
    out = work / "page"
    took = view([report], out)
    page = next(out.glob(f"*/{report.stem}*.html"))
    plain = work / "baseline.html"
    plain.write_text(document(report.name, f"<pre>{text(report.read_text(encoding='utf-8'))}</pre>",
                              "pre{font-family:monospace}"), encoding="utf-8")
    loads, searches, bases, said = [], [], [], ""
    for _ in range(runs):  # interleaved, so that a slow moment of the machine hits both alike
        bases.append(load(browser, plain))
        loads.append(load(browser, page))
        seconds, said = search(browser, SEARCH)
        searches.append(seconds)
    marks = browser.execute("return document.querySelectorAll('mark.v').length")
    findings = browser.execute("return document.querySelectorAll('.finding').length")
    page_load, first_search = statistics.median(loads), statistics.median(searches)
    print(f"(a) a 1,000-line report: {report}")
    print(f"    page {page} ({page.stat().st_size / 1e6:.2f} MB, {marks} marks, {findings} findings); "
          f"`view` wrote it in {took:.2f} s")
    print(f"    load, navigationStart to loadEventEnd, median of {runs}: {page_load * 1000:7.0f} ms  "
          f"(runs: {', '.join(f'{s * 1000:.0f}' for s in loads)})")
    print(f"    first search of {SEARCH!r} on #q, to the next frame:  {first_search * 1000:7.0f} ms  ({said})")
    print(f"    baseline: the same text as a bare <pre> page:          {statistics.median(bases) * 1000:7.0f} ms  "
          f"(runs: {', '.join(f'{s * 1000:.0f}' for s in bases)})")
    print(f"    page usable (load + first search): {(page_load + first_search) * 1000:.0f} ms  "
          f"{verdict(page_load + first_search, PAGE_TARGET)}")


def bench_deal(browser: Browser, work: Path, runs: int) -> None:
    months = deal_months(work / "deal-24-months")
    writes, loads, pages = [], [], []
    for run in range(runs):
        out = work / f"deal-out-{run + 1}"
        writes.append(view(months, out))
        pages.append(next(out.glob("*/index.html")))  # the deal's page (OUT/index.html lists the deals)
        loads.append(load(browser, pages[-1]))
    index = pages[-1]
    charts = browser.execute("return document.querySelectorAll('svg').length")
    write, shown = statistics.median(writes), statistics.median(loads)
    print(f"(b) a deal of {len(months)} months: {months[0].parent}")
    print(f"    `remitgrammar view` of the {len(months)} reports (pages, deal page, index), median of {runs}: "
          f"{write:.2f} s  (runs: {', '.join(f'{s:.2f}' for s in writes)})")
    print(f"    the deal's page {index} ({index.stat().st_size / 1e6:.2f} MB, {charts} charts), "
          f"load median of {runs}: {shown * 1000:.0f} ms")
    print(f"    index rendered (write + load): {write + shown:.2f} s  {verdict(write + shown, INDEX_TARGET)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=0, help="runs per figure (default 5 for (a), 3 for (b))")
    args = parser.parse_args()
    chromium, chromedriver = binaries()
    if chromium is None or chromedriver is None:
        raise SystemExit("bench_view needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "remitgrammar")], check=True, env=child_env())
    work = Path(tempfile.mkdtemp(prefix="bench_view-"))
    print(f"temporary files (kept): {work}")
    version = subprocess.run([chromedriver, "--version"], capture_output=True, text=True).stdout.split(" (")[0]
    print(f"{version}, headless; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start "
          f"(other work on the machine slows every figure); Python {sys.version.split()[0]}")
    browser = Browser(work / "profile", chromium=chromium, chromedriver=chromedriver)
    try:
        bench_page(browser, work, args.runs or 5)
        bench_deal(browser, work, args.runs or 3)
    finally:
        browser.quit()


if __name__ == "__main__":
    main()
