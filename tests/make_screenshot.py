"""Write docs/view.png, the README's picture of a report's page: a corpus sample rendered by
`remitgrammar view`, opened in headless Chromium (tests/browser.py) at 1280x900, scrolled to its
first class table with one value focused so that its tip (path, exact value, meaning) shows.

    python tests/make_screenshot.py [--out docs/view.png]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import VIEWPORT, Browser, binaries  # noqa: E402

SAMPLE = ROOT / "tests" / "corpus" / "payment-report" / "carrowmere_2002-nc4_2003-10-27.txt"
TOP_LINE = 25  # the picture starts at "DISTRIBUTION IN DOLLARS", the first class table
FOCUSED = "classes[A-2].beginning_balance"  # the value whose tip the picture shows


def render(work: Path) -> Path:
    """The sample's page, written by the CLI into ``work``."""
    out = work / "out"
    done = subprocess.run([sys.executable, "-m", "remitgrammar", "view", str(SAMPLE), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"remitgrammar view failed (exit {done.returncode}):\n{done.stderr}")
    return next(out.glob(f"*/{SAMPLE.stem}*.html"))


def shoot(page: Path, target: Path, work: Path) -> None:
    chromium, chromedriver = binaries()
    if chromium is None or chromedriver is None:
        raise SystemExit("make_screenshot needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)")
    browser = Browser(work / "profile", chromium=chromium, chromedriver=chromedriver)
    try:
        browser.get(page.as_uri())
        # the mark before, focused by the script, then Tab: a keyboard's focus, which shows the tip
        browser.execute("const marks = [...document.querySelectorAll('mark.v')];"
                        "marks[marks.findIndex(m => m.dataset.path === arguments[0]) - 1].focus();", FOCUSED)
        browser.press("TAB")
        # the first class table at the top (the page's scroll-margin keeps it below the search bar)
        browser.execute("document.getElementById(arguments[0]).scrollIntoView({block: 'start'});", f"L{TOP_LINE}")
        if browser.execute("return document.activeElement.dataset.path") != FOCUSED:
            raise SystemExit(f"the mark of {FOCUSED} did not take the focus")
        browser.screenshot(target)
    finally:
        browser.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "view.png", help="where the PNG goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="make_screenshot-") as temp:
        work = Path(temp)
        shoot(render(work), args.out, work)
    print(f"wrote {args.out} ({VIEWPORT[0]}x{VIEWPORT[1]}, {args.out.stat().st_size:,} bytes) from {SAMPLE.name}")


if __name__ == "__main__":
    main()
