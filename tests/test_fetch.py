"""`remitgrammar fetch` against a local EDGAR: tests/edgar_site/ served by http.server on 127.0.0.1.

Nothing here touches the network: REMITGRAMMAR_EDGAR_BASE points the command at the test server,
which records every path and User-Agent it was asked for, and can answer a path with a scripted
status (429, 503 with Retry-After, a page that is not a submission) before serving the file.
"""

from __future__ import annotations

import gzip
import json
import os
import pty
import sqlite3
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from remitgrammar.cli import app
from remitgrammar.fetch.client import Client, FetchError, Limiter
from remitgrammar.fetch.store import MANIFEST

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "edgar_site"
AGENT = "Jane Analyst jane.analyst@example.com"
DATA = "/Archives/edgar/data/949338"
FILINGS = {  # accession -> the sample its submission wraps
    "0000949338-02-000733": ROOT / "tests/corpus/usbank-absc-2002/absc_2002-he1_2002-11-15.txt",
    "0000949338-03-000512": ROOT / "tests/corpus/usbank-absc-2003/absc_2003-he2_2003-06-16.txt",
    "0000949338-03-000871": ROOT / "tests/corpus/usbank-absc-2003/absc_2003-he2_2003-11-17.txt",
    "0000949338-03-000990": ROOT / "tests/corpus/usbank-absc-2003/absc_2003-he4_2003-12-15.txt",
}


def url_path(accession: str, cik: str = "949338") -> str:
    return f"/Archives/edgar/data/{cik}/{accession.replace('-', '')}/{accession}.txt"


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, str]] = []  # (path, User-Agent) of every request
        self.script: dict[str, list] = {}  # path -> answers (status, headers, body) given before the file
        self.packed: set[str] = set()  # paths answered with Content-Encoding: gzip

    def asked(self, path: str) -> int:
        return sum(seen == path for seen, _ in self.seen)


class Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(SITE), **kwargs)

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("User-Agent", "")))
        answers = self.server.script.get(self.path)
        if answers:
            status, headers, body = answers.pop(0)
            self._answer(status, headers, body)
        elif self.path in self.server.packed and (SITE / self.path.lstrip("/")).is_file():
            self._answer(200, {"Content-Encoding": "gzip"}, gzip.compress((SITE / self.path.lstrip("/")).read_bytes()))
        else:
            super().do_GET()

    def _answer(self, status: int, headers: dict, body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(monkeypatch, tmp_path):
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("REMITGRAMMAR_EDGAR_BASE", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("REMITGRAMMAR_USER_AGENT", AGENT)
    monkeypatch.chdir(tmp_path)  # a default --out, if any, lands here; no configuration is found above /tmp
    yield server
    server.shutdown()
    server.server_close()


def fetch(runner, *args):
    return runner.invoke(app, ["fetch", *args])


def stored(out: Path) -> dict:
    """accession -> the submission's bytes, for every file of the store."""
    return {p.name.removesuffix(".txt.gz"): gzip.decompress(p.read_bytes()) for p in sorted(out.glob("*/*.txt.gz"))}


def served(accession: str) -> bytes:
    return (SITE / url_path(accession).lstrip("/")).read_bytes()


def test_by_cik_every_8k_is_kept_gzipped_under_the_layout_with_the_users_agent(runner, site, tmp_path):
    out = tmp_path / "store"
    done = fetch(runner, "--cik", "949338", "--form", "8-K", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert stored(out) == {accession: served(accession) for accession in FILINGS}
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        [MANIFEST] + [f"0000949338/{accession}.txt.gz" for accession in sorted(FILINGS)]
    assert json.loads((out / MANIFEST).read_text())["layout"] == "<cik>/<accession>.txt.gz"
    summary = done.stderr.strip().splitlines()[-1]
    assert summary == f"remitgrammar: fetched 4, skipped 0 (already whole), failed 0 into {out}"
    assert "\r" not in done.stderr  # no progress line when stderr is not a terminal
    assert site.asked("/submissions/CIK0000949338-submissions-001.json") == 1  # the older page, for 2002's 8-K
    assert site.asked(url_path("0000949338-03-000400")) == 0  # a 424B5: not the form asked for
    assert {agent for _, agent in site.seen} == {AGENT}


def test_a_terminal_sees_a_progress_line_rewritten_in_place(site, tmp_path):
    """stderr a terminal (a pseudo-terminal here): the count is shown with the last outcome, then erased."""
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "remitgrammar", "fetch", "--cik", "949338", "--form", "8-K", "-o",
                           str(tmp_path / "store")], stdout=subprocess.PIPE, stderr=follower, timeout=120,
                          env=os.environ.copy())
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: everything is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    text = shown.decode()
    assert done.returncode == 0, text
    assert "\r\x1b[K4/4 filings (fetched 0000949338-03-000990)" in text
    assert text.rstrip().endswith("fetched 4, skipped 0 (already whole), failed 0 into " + str(tmp_path / "store"))


def test_since_and_until_keep_the_dates_and_an_older_page_outside_them_is_not_asked_for(runner, site, tmp_path):
    out = tmp_path / "store"
    done = fetch(runner, "--cik", "0000949338", "--form", "8-k", "--since", "2003-07-01", "--until", "2003-11-30",
                 "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert list(stored(out)) == ["0000949338-03-000871"]
    assert site.asked("/submissions/CIK0000949338-submissions-001.json") == 0


def test_by_accession_alone_or_with_its_cik_and_an_unknown_one_failing_alone(runner, site, tmp_path):
    out = tmp_path / "store"
    done = fetch(runner, "--accession", "0000949338-03-000871", "--accession", "949338/0000949338-03-000512",
                 "--accession", "0000949338-03-000999", "--out", str(out))
    assert done.exit_code == 1
    assert sorted(stored(out)) == ["0000949338-03-000512", "0000949338-03-000871"]
    assert "remitgrammar: failed 0000949338/0000949338-03-000999: HTTP 404" in done.stderr
    assert "fetched 2, skipped 0 (already whole), failed 1" in done.stderr
    assert "Traceback" not in done.stderr


def test_by_form_and_dates_through_the_full_index_of_every_quarter(runner, site, tmp_path):
    out = tmp_path / "store"
    before = {p for p in tmp_path.rglob("*")}
    done = fetch(runner, "--form", "8-K", "--since", "2003-06-01", "--until", "2003-12-31", "--company",
                 "asset backed", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert sorted(stored(out)) == ["0000949338-03-000512", "0000949338-03-000871", "0000949338-03-000990"]
    assert [q for q in (2, 3, 4) if site.asked(f"/Archives/edgar/full-index/2003/QTR{q}/master.idx")] == [2, 3, 4]
    # the index's lines with '..' in a CIK or a file name are skipped: nothing is asked or written outside the store
    assert not any(".." in path for path, _ in site.seen)
    assert all(out in p.parents or p == out for p in set(tmp_path.rglob("*")) - before)


def test_a_filing_the_index_lists_but_edgar_does_not_serve_fails_alone_and_is_named(runner, site, tmp_path):
    out = tmp_path / "store"
    done = fetch(runner, "--form", "8-K", "--since", "2003-10-01", "--until", "2003-12-31", "-o", str(out))
    assert done.exit_code == 1
    assert "remitgrammar: failed 0001000209/0001000209-03-000311: HTTP 404" in done.stderr
    assert sorted(stored(out)) == ["0000949338-03-000871", "0000949338-03-000990"]


def test_a_rerun_skips_a_whole_file_and_fetches_a_cut_one_again(runner, site, tmp_path):
    out = tmp_path / "store"
    assert fetch(runner, "--cik", "949338", "--form", "8-K", "-o", str(out)).exit_code == 0
    cut = out / "0000949338" / "0000949338-03-000512.txt.gz"
    cut.write_bytes(cut.read_bytes()[:len(cut.read_bytes()) // 2])
    whole = out / "0000949338" / "0000949338-03-000871.txt.gz"
    kept = whole.stat().st_mtime_ns
    site.seen.clear()
    done = fetch(runner, "--cik", "949338", "--form", "8-K", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert "fetched 1, skipped 3 (already whole), failed 0" in done.stderr
    assert [path for path, _ in site.seen if "/Archives/" in path] == [url_path("0000949338-03-000512")]
    assert stored(out)["0000949338-03-000512"] == served("0000949338-03-000512")
    assert whole.stat().st_mtime_ns == kept
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]


def test_a_429_is_asked_again_after_backoff_and_a_503_after_its_retry_after(site):
    limiter, slept = Limiter(clock=lambda: 0.0, sleep=lambda s: None), []
    client = Client(AGENT, 10 ** 7, limiter=limiter, sleep=slept.append)
    base = f"http://127.0.0.1:{site.server_address[1]}"
    first, second = url_path("0000949338-03-000512"), url_path("0000949338-03-000871")
    site.script[first] = [(429, {}, b"slow down")]
    site.script[second] = [(503, {"Retry-After": "7"}, b""), (503, {"Retry-After": "3"}, b"")]
    assert client.get(base + first) == served("0000949338-03-000512")
    assert client.get(base + second) == served("0000949338-03-000871")
    assert slept == [1.0, 7.0, 3.0]
    assert (site.asked(first), site.asked(second)) == (2, 3)


def test_backoff_doubles_a_bounded_number_of_times_then_the_filing_fails(site):
    slept = []
    client = Client(AGENT, 10 ** 7, limiter=Limiter(clock=lambda: 0.0, sleep=lambda s: None), sleep=slept.append)
    path = url_path("0000949338-03-000512")
    site.script[path] = [(503, {}, b"")] * 10
    with pytest.raises(FetchError, match=r"HTTP 503 .*\(after 6 tries\)"):
        client.get(f"http://127.0.0.1:{site.server_address[1]}{path}")
    assert slept == [1.0, 2.0, 4.0, 8.0, 16.0] and site.asked(path) == 6
    site.script[path] = [(429, {"Retry-After": "600"}, b"")]  # EDGAR's ten-minute block: not waited out
    with pytest.raises(FetchError, match="HTTP 429"):
        client.get(f"http://127.0.0.1:{site.server_address[1]}{path}")
    assert len(slept) == 5


def test_a_503_through_the_command_is_retried_and_the_filing_kept(runner, site, tmp_path):
    path = url_path("0000949338-03-000871")
    site.script[path] = [(503, {"Retry-After": "0"}, b"")]
    done = fetch(runner, "--accession", "0000949338-03-000871", "-o", str(tmp_path / "store"))
    assert done.exit_code == 0, done.stderr
    assert site.asked(path) == 2
    assert stored(tmp_path / "store") == {"0000949338-03-000871": served("0000949338-03-000871")}


def test_the_limiter_allows_at_most_ten_requests_in_any_second_on_a_fake_clock():
    now = [100.0]

    def sleep(seconds):
        now[0] += seconds

    limiter = Limiter(clock=lambda: now[0], sleep=sleep)
    starts = [limiter.wait() for _ in range(35)]
    assert max(sum(t <= s < t + 1.0 for s in starts) for t in starts) == 10
    assert starts[-1] - starts[0] == pytest.approx(3.4, abs=1e-3)  # 34 gaps of a tenth, no more
    now[0] += 60  # idle: the next request does not wait
    assert limiter.wait() == now[0]


def test_the_limiter_is_shared_by_threads():
    limiter = Limiter(clock=lambda: 0.0, sleep=lambda s: None)
    slots, lock = [], threading.Lock()

    def worker():
        for _ in range(10):
            slot = limiter.wait()
            with lock:
                slots.append(slot)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots.sort()
    assert len(slots) == 80 and all(0.1 <= b - a < 0.1 + 1e-5 for a, b in zip(slots, slots[1:]))


@pytest.mark.parametrize("agent", [None, "", "Jane Analyst", "jane@localhost", "Jane jane@example.com\r\nX: y"])
def test_without_a_user_agent_naming_an_address_nothing_is_asked(runner, site, monkeypatch, agent, tmp_path):
    monkeypatch.delenv("REMITGRAMMAR_USER_AGENT")
    done = fetch(runner, "--cik", "949338", "-o", str(tmp_path / "store"),
                 *(["--user-agent", agent] if agent is not None else []))
    assert done.exit_code == 2
    (line,) = done.stderr.splitlines()
    assert "--user-agent" in line and "REMITGRAMMAR_USER_AGENT" in line
    assert site.seen == [] and not (tmp_path / "store").exists()


def test_the_option_user_agent_is_the_one_sent(runner, site, monkeypatch, tmp_path):
    monkeypatch.delenv("REMITGRAMMAR_USER_AGENT")
    done = fetch(runner, "--accession", "0000949338-03-000871", "--user-agent", "Fund Data <ops@fund.example>",
                 "-o", str(tmp_path / "store"))
    assert done.exit_code == 0, done.stderr
    assert {agent for _, agent in site.seen} == {"Fund Data <ops@fund.example>"}


def test_the_configurations_user_agent_is_sent_and_the_option_wins_over_it(runner, site, monkeypatch, tmp_path):
    monkeypatch.delenv("REMITGRAMMAR_USER_AGENT")
    config = tmp_path / "remitgrammar.toml"
    config.write_text('user-agent = "Desk Analytics desk@analytics.example"\n', encoding="utf-8")
    done = runner.invoke(app, ["--config", str(config), "fetch", "--accession", "0000949338-03-000871",
                               "-o", str(tmp_path / "store")])
    assert done.exit_code == 0, done.stderr
    assert {agent for _, agent in site.seen} == {"Desk Analytics desk@analytics.example"}
    site.seen.clear()
    done = runner.invoke(app, ["--config", str(config), "fetch", "--accession", "0000949338-03-000871",
                               "--user-agent", "Fund Data <ops@fund.example>", "-o", str(tmp_path / "other")])
    assert done.exit_code == 0, done.stderr
    assert {agent for _, agent in site.seen} == {"Fund Data <ops@fund.example>"}


def test_a_base_that_is_plain_http_to_another_machine_is_refused(runner, site, monkeypatch, tmp_path):
    monkeypatch.setenv("REMITGRAMMAR_EDGAR_BASE", "http://edgar.example.com")
    done = fetch(runner, "--cik", "949338", "-o", str(tmp_path / "store"))
    assert done.exit_code == 2 and len(done.stderr.splitlines()) == 1 and "REMITGRAMMAR_EDGAR_BASE" in done.stderr


def test_a_redirect_to_plain_http_elsewhere_is_not_followed(runner, site, tmp_path):
    path = url_path("0000949338-03-000871")
    # 192.0.2.1 is TEST-NET-1, never routed: even a broken guard would reach no real host
    site.script[path] = [(302, {"Location": "http://192.0.2.1/stolen.txt"}, b"")]
    done = fetch(runner, "--accession", "0000949338-03-000871", "-o", str(tmp_path / "store"))
    assert done.exit_code == 1 and "HTTP 302 redirect to a URL that is not https" in done.stderr
    assert stored(tmp_path / "store") == {}


def test_a_submission_larger_than_max_mb_is_refused_and_nothing_written(runner, site, tmp_path):
    out = tmp_path / "store"
    done = runner.invoke(app, ["--max-mb", "0.01", "fetch", "--accession", "0000949338-03-000871", "-o", str(out)])
    assert done.exit_code == 1
    assert "failed 0000949338/0000949338-03-000871: larger than the limit of 10,485 bytes (--max-mb)" in done.stderr
    assert stored(out) == {}


def test_a_gzipped_answer_is_unpacked_and_bounded(runner, site, tmp_path):
    path = url_path("0000949338-03-000990")
    site.packed.add(path)
    out = tmp_path / "store"
    assert fetch(runner, "--accession", "0000949338-03-000990", "-o", str(out)).exit_code == 0
    assert stored(out) == {"0000949338-03-000990": served("0000949338-03-000990")}
    done = runner.invoke(app, ["--max-mb", "0.01", "fetch", "--accession", "0000949338-03-000990", "-o",
                               str(tmp_path / "small")])
    assert done.exit_code == 1 and "larger than the limit" in done.stderr  # the packed body is under 10 KB


def test_an_answer_that_is_not_a_submission_is_not_kept(runner, site, tmp_path):
    path = url_path("0000949338-03-000871")
    page = b"<html><body>Request Rate Threshold Exceeded</body></html>"
    site.script[path] = [(200, {"Content-Type": "text/html"}, page)]
    done = fetch(runner, "--accession", "0000949338-03-000871", "-o", str(tmp_path / "store"))
    assert done.exit_code == 1 and "not an EDGAR submission" in done.stderr
    assert stored(tmp_path / "store") == {}


@pytest.mark.parametrize("args", [
    [],
    ["--form", "8-K"],
    ["--accession", "0000949338-03-000871", "--cik", "949338"],
    ["--accession", "0000949338-03-871"],
    ["--accession", "../../etc/0000949338-03-000871"],
    ["--cik", "94x9338"],
    ["--cik", "949338", "--since", "17-Nov-03"],
    ["--form", "8-K", "--since", "2003-12-01", "--until", "2003-01-01"],
])
def test_usage_errors_are_one_line_and_exit_2_before_any_request(runner, site, tmp_path, args):
    done = fetch(runner, *args, "-o", str(tmp_path / "store"))
    assert done.exit_code == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert site.seen == []


def test_an_out_that_is_a_file_is_exit_2_in_one_line(runner, site, tmp_path):
    (tmp_path / "store").write_text("not a directory")
    done = fetch(runner, "--accession", "0000949338-03-000871", "-o", str(tmp_path / "store"))
    assert done.exit_code == 2 and len(done.stderr.splitlines()) == 1 and "--out" in done.stderr


def test_a_company_with_no_matching_filing_is_a_warning_and_exit_0(runner, site, tmp_path):
    done = fetch(runner, "--cik", "949338", "--form", "10-K", "-o", str(tmp_path / "store"))
    assert done.exit_code == 0 and "no filing matched" in done.stderr


def test_an_unknown_company_is_named_and_exit_1(runner, site, tmp_path):
    done = fetch(runner, "--cik", "12345", "-o", str(tmp_path / "store"))
    assert done.exit_code == 1
    assert "remitgrammar: cannot list: the submissions of CIK 12345: HTTP 404" in done.stderr
    assert not (tmp_path / "store").exists()


def _classes(db: Path) -> list:
    return sqlite3.connect(db).execute(
        "SELECT r.distribution_date, c.class, c.tier, c.field, c.exact FROM classes c JOIN reports r "
        "USING (report_id) ORDER BY 1, 2, 3, 4").fetchall()


def test_check_parse_and_export_read_the_store_as_it_is(runner, site, tmp_path):
    out = tmp_path / "store"
    assert fetch(runner, "--cik", "949338", "--form", "8-K", "-o", str(out)).exit_code == 0
    (out / "NOTES.txt").write_text("our own notes: not a report\n")  # beside the filings, not read as one
    parsed = runner.invoke(app, ["parse", "-j", "1", str(out)])
    assert parsed.exit_code == 0, parsed.stderr
    records = [json.loads(line) for line in parsed.stdout.splitlines()]
    plain = [json.loads(runner.invoke(app, ["parse", "-j", "1", str(sample)]).stdout) for sample in FILINGS.values()]
    for record, sample in zip(records, plain):
        for key in ("filing", "distribution_date", "classes", "class_totals", "collateral", "delinquency", "pool"):
            assert record[key] == sample[key], key
    assert [r["source"]["edgar"]["accession"] for r in records] == list(FILINGS)
    checked = runner.invoke(app, ["check", "-j", "1", str(out)])
    assert checked.exit_code in (0, 1) and "RG100" not in checked.stdout and "NOTES" not in checked.stdout
    assert f"{len(FILINGS)} file(s)" in checked.stdout
    db, plain_db = tmp_path / "store.sqlite", tmp_path / "plain.sqlite"
    assert runner.invoke(app, ["export", "-j", "1", str(out), "--to", str(db)]).exit_code == 0
    assert runner.invoke(app, ["export", "-j", "1", *map(str, FILINGS.values()), "--to", str(plain_db)]).exit_code == 0
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM reports").fetchone()[0] == len(FILINGS)
    assert _classes(db) == _classes(plain_db) and len(_classes(db)) > 100


def test_a_link_planted_in_the_store_does_not_carry_a_filing_outside_it(runner, site, tmp_path):
    out, elsewhere = tmp_path / "store", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "0000949338").symlink_to(elsewhere)
    done = fetch(runner, "--accession", "0000949338-03-000871", "-o", str(out))
    assert done.exit_code == 1 and "cannot be written: 0000949338 in the store is a link" in done.stderr
    assert list(elsewhere.iterdir()) == []
