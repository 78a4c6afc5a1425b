"""How long the server has been unreachable, and when to tell the user.

One notice after `notice_after` seconds of failures in a row (reconnects keep going quietly
meanwhile), and one when the server answers again, only if the first was given.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tray_app.session_state import SessionEvent


class OutageTracker:
    def __init__(
        self,
        homeserver: str,
        *,
        notice_after: float,
        emit: Callable[[SessionEvent, str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._homeserver = homeserver
        self._notice_after = notice_after
        self._emit = emit
        self._clock = clock
        self._since: float | None = None
        self._announced = False

    def connected(self) -> None:
        """A connect worked: the outage (if any) is over."""
        if self._announced:
            self._emit(SessionEvent.RECONNECTED, f"connected to {self._homeserver} again")
        self._since, self._announced = None, False

    def failed(self) -> None:
        """A connect or the connected session failed: the outage began now or goes on."""
        now = self._clock()
        self._since = self._since if self._since is not None else now
        if not self._announced and now - self._since >= self._notice_after:
            self._announced = True
            self._emit(
                SessionEvent.UNREACHABLE_FOR_LONG,
                f"{self._homeserver} has been unreachable for {int((now - self._since) // 60)} minutes; still retrying",
            )
