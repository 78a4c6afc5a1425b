"""A click right after this device told its presence meets no rate limit of its own making.

Real Synapse with the module (MSC4043, MSC4532 beside it), Synapse's default rc_presence (one
`PUT …/presence/{me}/status` per 10 s per user). Busy goes through MSC4532, whose rule 1 shows an
override only while a device is connected, so before it lands the applet makes sure this device
counts as connected. It used to say so with a PUT every time: right after the applet had put its
automatic presence (start, return from idle), that PUT met a 429 and the click waited the window
out (up to 10 s of "setting…") under the session's lock. A device that has just said a connected
presence is connected already: the click now goes straight to the override.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.support.counting_proxy import CountingProxy
from tests.support.sessions import session_for, wait_for
from tray_app.session_state import Connection
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration

STATUS = re.compile(r"/presence/[^/]+/status$")


def _status_puts(proxy: CountingProxy) -> int:
    return sum(1 for m, p in proxy.requests() if m == "PUT" and STATUS.search(p))


def _answered_429(server, user_id: str) -> int:
    """Presence writes of this user that Synapse refused (its access log)."""
    quoted = user_id.replace("@", "%40").replace(":", "%3A")
    return sum(
        1
        for line in server.log_path.read_text(errors="replace").splitlines()
        if f"{{{user_id}}}" in line and " 429 " in line and f"/presence/{quoted}/" in line
    )


def test_busy_right_after_this_device_put_its_presence_waits_for_nothing(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "busyclick")

    async def main() -> tuple[int, int, PresenceState | None]:
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = session_for(
                proxy.base_url, tmp_path, user_id=user.user_id, device_id=user.device_id, token=user.access_token
            )
            try:
                await session.start()
                await wait_for(lambda: session.state.connection is Connection.CONNECTED, 60, 0.05)
                session.set_automatic(PresenceState.ONLINE)  # at the keyboard: put at once
                await wait_for(lambda: _status_puts(proxy) >= 1, 30, 0.02)
                before = _status_puts(proxy)
                # Within rc_presence's window of that PUT (which answers in milliseconds here).
                await session.set_override(PresenceState.BUSY)
                return (
                    _status_puts(proxy) - before,
                    _answered_429(synapse_override, user.user_id),
                    (session.state.override.state if session.state.override else None),
                )
            finally:
                await session.close()

    puts, refused, held = asyncio.run(main())
    assert held is PresenceState.BUSY
    assert puts == 0, f"the click put this device's presence again ({puts} PUTs)"
    assert refused == 0, f"Synapse refused {refused} presence writes of this user"
