"""MSC4532's client states from the applet's session on a real Synapse with the module, which
advertises MSC4532 beside MSC4043 (issue 21): automatic presence goes out as `…active` /
`…idle` (the proposal's unstable spelling) on PUT status and in every sync's set_presence, the
module takes them, and another user sees Synapse's `online` / `unavailable`. Synapse's DEFAULT
rate limits (rc_presence: one PUT and one counted sync per 10 s per user); the idle gate is
shortened, nothing else.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.support.sessions import signed_in, wait_for
from tray_app.idle.policy import PresenceGate
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration

P = "org.continuwuity.presence_v2.msc4532."
ONLINE, AWAY = PresenceState.ONLINE, PresenceState.UNAVAILABLE


def test_the_applet_says_active_and_idle_to_the_module(synapse_override, user_factory, tmp_path):
    server = synapse_override
    user = user_factory(server, "states")
    watcher = user_factory(server, "watcher")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)

    def others_see() -> str:
        return str(server.get_presence(watcher.access_token, user.user_id)["presence"])

    async def main() -> tuple[list[Any], list[Any], list[str]]:
        _, session = await signed_in(server, user, tmp_path, _auto_gate=PresenceGate(spacing=1.0))
        puts: list[Any] = []
        syncs: list[Any] = []
        real_json, real_sync = session._requests.json, session._client.sync

        async def recording_json(method, path, body=None, **kw):
            if method == "PUT" and path.endswith("/status"):
                puts.append((body or {}).get("presence"))
            return await real_json(method, path, body, **kw)

        async def recording_sync(*args, **kwargs):
            syncs.append(kwargs.get("set_presence"))
            return await real_sync(*args, **kwargs)

        session._requests.json = recording_json
        session._client.sync = recording_sync
        seen: list[str] = []
        try:
            await session.start()
            await wait_for(lambda: session.state.api is not ApiMode.UNKNOWN and session.state.presence is not None)
            assert session.state.watching is not None  # MSC4532 beside MSC4043
            for state, shown in ((ONLINE, "online"), (AWAY, "unavailable"), (ONLINE, "online")):
                session.set_automatic(state)
                await wait_for(lambda shown=shown: others_see() == shown, 60, 0.2)
                await wait_for(lambda shown=shown: session.state.presence == shown, 60, 0.2)
                seen.append(others_see())
            # A sync after the last change carries it too (and is answered: never refused).
            n = len(syncs)
            await wait_for(lambda: len(syncs) >= n + 2, 3 * session.timings.presence_sync_spacing + 30, 0.1)
            assert session.state.last_error is None, session.state.last_error
        finally:
            await session.close()
        return puts, syncs, seen

    puts, syncs, seen = asyncio.run(main())
    assert seen == ["online", "unavailable", "online"]
    # One PUT per change, in MSC4532's words (429s waited out would repeat one: none expected
    # of distinct values out of order).
    assert [p for i, p in enumerate(puts) if i == 0 or puts[i - 1] != p] == [P + "active", P + "idle", P + "active"]
    # `offline` (neutral: no automatic presence yet, no override) as it is; never the old words.
    assert syncs and set(syncs) <= {"offline", P + "active", P + "idle"}, syncs
    assert syncs[-1] == P + "active"
