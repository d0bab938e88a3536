"""A download run: each listed filing the store does not hold whole yet, fetched in a few threads (the
client's limiter keeps them all under the SEC's rate) and kept; one filing's failure is its own."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .client import FetchError
from .listing import Filing
from .store import Store

THREADS = 4
_LOOK = 64 * 1024  # a submission's <SEC-DOCUMENT> comes after at most a PEM wrapper of a few lines


@dataclass(frozen=True)
class Outcome:
    """What became of one filing: ``fetched``, ``skipped`` (already whole in the store) or ``failed``."""

    filing: Filing
    status: str
    path: Path
    why: str = ""


def download(get, www: str, store: Store, filings: list[Filing], on_done=None, threads: int = THREADS) -> list:
    """The outcome of every filing, in the filings' order; ``on_done(outcome, count)`` is called for each
    as it is known (in order, in the caller's thread). ``get`` is the client's.

    Raises:
        OSError: the store's directory cannot be made or written.
    """
    store.open()
    outcomes = []
    pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="fetch")
    try:
        futures = [pool.submit(_one, get, www, store, filing) for filing in filings]
        for future in futures:
            outcomes.append(future.result())
            if on_done is not None:
                on_done(outcomes[-1], len(outcomes))
    except BaseException:  # an interrupt: what has not started does not start
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return outcomes


def _one(get, www: str, store: Store, filing: Filing) -> Outcome:
    path = store.path(filing)
    if store.has_whole(filing):
        return Outcome(filing, "skipped", path)
    try:
        body = get(filing.url(www))
    except FetchError as exc:
        return Outcome(filing, "failed", path, str(exc))
    if b"<SEC-DOCUMENT>" not in body[:_LOOK].upper():
        return Outcome(filing, "failed", path, "the answer is not an EDGAR submission (no <SEC-DOCUMENT>)")
    try:
        store.keep(filing, body)
    except OSError as exc:
        return Outcome(filing, "failed", path, f"cannot be written: {exc.strerror or exc}")
    return Outcome(filing, "fetched", path)
