"""A time limit on a block of code: an exception raised in it after so many seconds (SIGALRM).

Shared by the per-report limit of a corpus run (``--timeout``) and the compile budget of a
grammar from a formats directory. Where signals cannot be used (no SIGALRM, not the main thread)
the block runs unlimited, and ``only_if_free`` leaves an outer limit that is already running alone.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


@contextmanager
def alarm(seconds: float, exception=TimeoutError, only_if_free: bool = False):
    """Raise ``exception`` in the block after ``seconds`` (0: no limit)."""
    usable = bool(seconds) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if usable and only_if_free:
        usable = signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise exception

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
