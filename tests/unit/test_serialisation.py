"""Several clicks in flight: the last one wins and no older answer overwrites a newer state."""

import asyncio

import pytest

from tests.support.fake_homeserver import FakeHomeserver
from tests.support.sessions import session_for
from tray_app.errors import BadResponse, Superseded
from tray_app.states import PresenceState


def test_last_click_wins(tmp_path):
    async def main():
        async with FakeHomeserver(api="stable", put_delay=0.2) as fake:
            session = session_for(fake.base_url, tmp_path)
            seen = []
            session.subscribe(lambda s: seen.append(s))
            try:
                first = asyncio.create_task(session.set_override(PresenceState.ONLINE))
                await asyncio.sleep(0.05)  # first PUT is in flight
                middle = asyncio.create_task(session.set_override(PresenceState.OFFLINE))
                last = asyncio.create_task(session.set_override(PresenceState.UNAVAILABLE))
                results = await asyncio.gather(first, middle, last, return_exceptions=True)
            finally:
                await session.close()
            return fake, results, seen, session.state

    fake, results, seen, final = asyncio.run(main())
    puts = [b["presence_override"] for m, _, b in fake.log if m == "PUT"]
    assert puts == ["online", "unavailable"]  # the superseded one was never sent
    assert isinstance(results[1], Superseded)
    assert results[2].override.state is PresenceState.UNAVAILABLE
    assert final.override.state is PresenceState.UNAVAILABLE and final.pending is None
    # While the newest was pending, the older confirmation did not clear the pending mark.
    after_first_confirm = [s for s in seen if s.override and s.override.state is PresenceState.ONLINE]
    assert after_first_confirm and all(s.pending is not None for s in after_first_confirm)
    assert fake.override == "unavailable"


def test_failure_returns_to_confirmed_state_with_reason(tmp_path):
    async def main():
        async with FakeHomeserver(api="stable", override="online") as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                await session.refresh()
                fake.faults["/_matrix/client/v1/presence"] = "500"
                with pytest.raises(BadResponse) as e:
                    await session.set_override(PresenceState.OFFLINE)
                return e.value, session.state
            finally:
                await session.close()

    error, state = asyncio.run(main())
    assert state.pending is None
    assert state.override.state is PresenceState.ONLINE
    assert "HTTP 500" in state.last_error and error.exit_code == 5


def test_clicking_the_same_state_twice_clears_the_pending_mark(tmp_path):
    async def main():
        async with FakeHomeserver(api="stable", put_delay=0.2) as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                first = asyncio.create_task(session.set_override(PresenceState.UNAVAILABLE))
                await asyncio.sleep(0.05)
                second = asyncio.create_task(session.set_override(PresenceState.UNAVAILABLE))
                await asyncio.gather(first, second, return_exceptions=True)
                return session.state
            finally:
                await session.close()

    state = asyncio.run(main())
    assert state.override.state is PresenceState.UNAVAILABLE
    assert state.pending is None
