"""Waiting on processes in tests: bounded waits, and whether a process still lives."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Wait for ``condition`` (a bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) is dead too.
    return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
