"""Every period and limit a session runs by, in one value passed to it.

Production values are the defaults; a test or the soak's control channel passes its own
(`dataclasses.replace(SessionTimings(), poll_interval=1.0)`) instead of changing attributes
of a class that every other session shares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tray_app.matrix.liveness import Liveness


def _wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SessionTimings:
    poll_interval: float = 60.0
    """Seconds between reads of the override: no event announces one changed elsewhere."""
    sync_timeout_ms: int = 30_000
    """The long poll's timeout."""
    unreachable_notice_after: float = 300.0
    """Seconds of outage before the user is told the server has been unreachable for long."""
    set_rate_limit_tries: int = 3
    """Tries of one change that meets 429s before its error is raised."""
    presence_sync_spacing: float = 12.0
    """Seconds between sync starts. Synapse counts every sync (whatever its set_presence)
    against rc_presence, default one per 10 s per user, and a sync that comes sooner is denied:
    its set_presence is ignored and the device does not count as syncing while it runs. Hence
    Synapse's 10 s and a margin for the time between our start and the server's check, which a
    loaded machine or a new TLS connection may stretch for one request and not the next (syncs
    begun 9.84-9.96 s apart were denied)."""
    unanswered_keep: float = 600.0
    """How long a change whose answer never came may still land as ours (a server stalled and
    resumed works through what it had received at once)."""
    liveness_silence: float = Liveness.SILENCE
    """Seconds without an answer during a long poll before the server is probed."""
    liveness_probe_timeout: float = Liveness.PROBE_TIMEOUT
    """Seconds a liveness probe may take."""
    wall_clock: Callable[[], datetime] = _wall_clock
    """Now, aware, for timed overrides: they end at a time of day, so the wall clock, not the
    monotonic one (which stops while the machine is suspended)."""
    timed_check_every: float = 30.0
    """The longest sleep between two looks at `wall_clock` while a timed override runs: a lid
    closed over lunch must not stretch "30 minutes"."""
