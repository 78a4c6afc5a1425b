"""Negative assertions over time: "this must not happen within N s".

A fixed sleep followed by an assertion passes when the thing it guards against comes after the
sleep, or came and went during it. These helpers look all the way through the window instead
and fail on the first look that finds the condition broken, naming the condition, when it broke
and what was seen then. Wait for the positive event first (an answer, a log line, a signal)
wherever there is one; these cover only the time after it in which nothing more may happen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

INTERVAL = 0.05


def _failure(what: str, seconds: float, elapsed: float, seen: Any, show: Callable[[], Any] | None) -> AssertionError:
    detail = f"{show()!r}" if show is not None else f"the check returned {seen!r}"
    return AssertionError(f"expected {what} for {seconds:g} s, but it no longer held after {elapsed:.2f} s ({detail})")


def assert_stays(
    holds: Callable[[], Any],
    seconds: float,
    what: str,
    *,
    show: Callable[[], Any] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    interval: float = INTERVAL,
) -> None:
    """Fail as soon as `holds()` is false within `seconds` (checked at once, then every
    `interval` and once more at the end). `what` names the condition ("the dialog is still
    open"); `show` gives what the failure message reports (default: what `holds` returned).
    `sleep` lets the caller keep its event loop running (Qt: `lambda s: qtbot.wait(int(s * 1000))`,
    or `qt_assert_stays`)."""
    start = time.monotonic()
    deadline = start + seconds
    while True:
        now = time.monotonic()
        seen = holds()
        if not seen:
            raise _failure(what, seconds, now - start, seen, show)
        if now >= deadline:
            return
        sleep(min(interval, max(0.0, deadline - now)))


def wait_for(
    probe: Callable[[], Any],
    seconds: float,
    what: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    interval: float = INTERVAL,
) -> Any:
    """The positive wait these helpers pair with: poll `probe` until it returns something true and
    return that; fail after `seconds` naming `what` and the last value seen."""
    deadline = time.monotonic() + seconds
    while True:
        seen = probe()
        if seen:
            return seen
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what} (last: {seen!r})")
        sleep(interval)


def qt_assert_stays(qtbot: Any, holds: Callable[[], Any], seconds: float, what: str, **kwargs: Any) -> None:
    """`assert_stays` with Qt's event loop (and so the ui tests' qasync loop) running meanwhile."""
    assert_stays(holds, seconds, what, sleep=lambda s: qtbot.wait(max(1, int(s * 1000))), **kwargs)


async def assert_stays_async(
    holds: Callable[[], Any],
    seconds: float,
    what: str,
    *,
    show: Callable[[], Any] | None = None,
    interval: float = INTERVAL,
) -> None:
    """The asyncio twin of `assert_stays`: the running loop goes on between checks."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    deadline = start + seconds
    while True:
        now = loop.time()
        seen = holds()
        if not seen:
            raise _failure(what, seconds, now - start, seen, show)
        if now >= deadline:
            return
        await asyncio.sleep(min(interval, max(0.0, deadline - now)))
