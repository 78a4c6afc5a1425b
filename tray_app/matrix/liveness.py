"""Is the server still answering while our long-poll sync waits?

A server that stops answering (a stalled process, a paused VM, SIGSTOP) keeps its TCP connections
open: the kernel still accepts and acknowledges, so only the application can tell. A long poll
is silent by design for up to its whole timeout (30 s), and its client-side deadline is that
timeout plus a grace (nio: +15 s), so the sync alone notices a stall 15–45 s after it began.

`Liveness.watch` awaits a request (the sync); once nothing has been heard from the server for
`SILENCE` seconds (no answer on any of the account's requests: `heard()`, and no earlier watched
request's answer), it asks the server something cheap on another connection: `probe()`,
GET /_matrix/client/versions, which needs no login and is no /sync and no presence write (each
/sync counts against Synapse's rc_presence; see tray_app/session/sync_channel.py). Any answer, whatever its
status, proves the server alive; two in a row unanswered within `PROBE_TIMEOUT` each (or a
refused connection) end the watch with `ServerUnreachable`, and the request is cancelled. A
stall is thus reported within SILENCE + 2 * PROBE_TIMEOUT of the last answer; an idle 30 s long
poll costs about three probes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tray_app.errors import ServerUnreachable

T = TypeVar("T")

PROBE_PATH = "/_matrix/client/versions"


class Liveness:
    SILENCE = 8.0
    """Seconds without any answer from the server before a probe is sent."""
    PROBE_TIMEOUT = 4.0
    """Seconds a probe may take: /versions is answered in milliseconds by a server that runs."""

    def __init__(
        self,
        probe: Callable[[float], Awaitable[Any]],
        heard: Callable[[], float],
        homeserver: str = "",
        clock: Callable[[], float] = time.monotonic,
        *,
        silence: float = SILENCE,
        probe_timeout: float = PROBE_TIMEOUT,
    ) -> None:
        """`probe(timeout)`: one cheap request, raising OSError/TimeoutError when unanswered;
        `heard()`: when (on `clock`) the server last answered anything of ours; `silence`,
        `probe_timeout`: SILENCE and PROBE_TIMEOUT for this watch (a test's are shorter)."""
        self.SILENCE = silence
        self.PROBE_TIMEOUT = probe_timeout
        self._probe = probe
        self._heard = heard
        self._homeserver = homeserver
        self._clock = clock
        self._answered = -1e9  # when a watched request last finished with an answer
        self.probes = 0  # probes sent so far (tests read it)

    def last_heard(self) -> float:
        return max(self._heard(), self._answered)

    async def watch(self, request: Awaitable[T]) -> T:
        """The request's result; ServerUnreachable once a probe went unanswered meanwhile.
        The request runs as a task of its own; cancelling the watch cancels it."""
        task = asyncio.ensure_future(request)
        try:
            while True:
                quiet_for = self._clock() - self.last_heard()
                if quiet_for < self.SILENCE:
                    done, _ = await asyncio.wait({task}, timeout=self.SILENCE - quiet_for)
                    if done:
                        break
                    continue
                probe = asyncio.ensure_future(self._probe_once())
                try:
                    # mypy joins Future[T] and Task[None] into a set it then refuses.
                    done, _ = await asyncio.wait({task, probe}, return_when=asyncio.FIRST_COMPLETED)  # type: ignore[arg-type]
                finally:
                    if not probe.done():
                        probe.cancel()
                        await asyncio.gather(probe, return_exceptions=True)
                    elif not probe.cancelled():
                        # Retrieved even when the request answered in the same turn (the probe's
                        # failure is moot then; unretrieved, asyncio logs it as an error).
                        probe.exception()
                if task in done:
                    break
                probe.result()  # raises ServerUnreachable when the probe went unanswered
        finally:
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        result = task.result()
        self._answered = self._clock()
        return result

    async def _probe_once(self) -> None:
        """One check; a check that times out is followed at once by a second one, and only
        both unanswered make a stall: one slow answer (a lost packet on connect, a busy
        server or worker) is no outage worth a reconnect. A refused connection is at once."""
        for attempt in (1, 2):
            self.probes += 1
            try:
                await self._probe(self.PROBE_TIMEOUT)
            except TimeoutError as e:  # (an OSError since 3.10: first)
                if attempt == 1:
                    continue
                raise ServerUnreachable(
                    f"the server {self._homeserver} is not answering (no answer to two checks "
                    f"of {self.PROBE_TIMEOUT:.0f} s each, after {self.SILENCE:.0f} s of silence)"
                ) from e
            except OSError as e:
                raise ServerUnreachable(
                    f"the server {self._homeserver} is unreachable (a check after "
                    f"{self.SILENCE:.0f} s of silence failed: {e})"
                ) from e
            self._answered = max(self._answered, self._clock())
            return
