"""Issue 19: the status message apart from the state, on a real Synapse with Synapse's DEFAULT
rate limits.

With this project's module (MSC4043 with MSC4532 beside it) the message is kept without an
override (MSC4532's `status.msg` on its own): an observer who shares a room sees it, and it
stays when another device of the user syncs with `set_presence` and when that device PUTs its
presence without a message (which, on stock Synapse, erases the message). It outlives state
changes and a clear of the override, and its "Clear after" ends it on the injected clock. On
stock Synapse (no override API) a message goes with a held state only: without one the session
refuses, which the menu says in plain words.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from tests.support.sessions import signed_in, wait_for
from tray_app.errors import NotOffered
from tray_app.session import SessionTimings
from tray_app.session_state import Connection
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration

ACCOUNT_DATA = "org.continuwuity.presence_v2.msc4532.presence.persistent"


def observer_of(server, user_factory, user):
    """Another user sharing a room with `user`: what they read of `user`'s presence."""
    observer = user_factory(server, "observer")
    room = server.create_room(user.access_token, invite=[observer.user_id])
    server.join_room(observer.access_token, room)
    return lambda: server.get_presence(observer.access_token, user.user_id)


def account_data(server, user) -> dict:
    path = f"/_matrix/client/v3/user/{quote(user.user_id, safe='')}/account_data/{ACCOUNT_DATA}"
    status, body = server.request("GET", path, token=user.access_token)
    return body if status == 200 else {}


def put_account_data(server, user, content) -> None:
    path = f"/_matrix/client/v3/user/{quote(user.user_id, safe='')}/account_data/{ACCOUNT_DATA}"
    status, body = server.request("PUT", path, token=user.access_token, body=content)
    assert status == 200, (status, body)


async def connected(session) -> None:
    await session.start()
    await wait_for(lambda: session.state.connection is Connection.CONNECTED and session.state.api.has_override_api)


def test_a_message_without_a_state_is_seen_and_held_against_another_device(synapse_override, user_factory, tmp_path):
    server = synapse_override
    user = user_factory(server, "msgalone")  # its registration's device is "another device"
    seen = observer_of(server, user_factory, user)

    async def main():
        _, session = await signed_in(server, user, tmp_path)
        try:
            await connected(session)
            assert session.state.message_alone
            state = await session.set_status_message("  In a meeting ")
            assert state.override is None and state.status_msg == "In a meeting"
            assert account_data(server, user).get("status") == {"msg": "In a meeting"}
            assert "state_override" not in account_data(server, user)
            await wait_for(lambda: seen().get("status_msg") == "In a meeting")

            # Another device: a sync saying online, then its presence PUT without a message
            # (stock Synapse would drop the message there: a PUT sets status_msg, None included).
            await asyncio.to_thread(server.sync, user.access_token, None, 0, "online")
            status, body = await asyncio.to_thread(server.set_presence, user.access_token, user.user_id, "online")
            assert status == 200, body
            samples = []
            for _ in range(10):
                samples.append(await asyncio.to_thread(seen))
                await asyncio.sleep(0.2)
            assert [s.get("status_msg") for s in samples] == ["In a meeting"] * 10, samples
            assert samples[-1]["presence"] == "online"  # the other device's presence, with our message
            # The session reads the same (the override GET answers the message on its own too).
            state = await session.refresh()
            assert state.override is None and state.status_msg == "In a meeting"
        finally:
            await session.close()

    asyncio.run(main())


def test_the_message_outlives_state_changes_and_a_clear(synapse_override, user_factory, tmp_path):
    server = synapse_override
    user = user_factory(server, "msgstates")
    seen = observer_of(server, user_factory, user)

    async def main():
        _, session = await signed_in(server, user, tmp_path)
        try:
            await connected(session)
            await session.set_status_message("Commuting")
            state = await session.set_override(PresenceState.UNAVAILABLE)
            assert state.override.state is PresenceState.UNAVAILABLE and state.status_msg == "Commuting"
            await wait_for(lambda: seen() == {**seen(), "presence": "unavailable", "status_msg": "Commuting"})
            state = await session.set_override(None)  # (rc_presence: the session waits out the 429)
            assert state.override is None and state.status_msg == "Commuting"
            assert account_data(server, user).get("status") == {"msg": "Commuting"}
            await wait_for(lambda: seen().get("status_msg") == "Commuting" and seen()["presence"] != "unavailable")
            # Clearing the message leaves the state alone.
            await session.set_override(PresenceState.ONLINE)
            state = await session.set_status_message("")
            assert state.override.state is PresenceState.ONLINE and state.status_msg is None
            await wait_for(lambda: seen()["presence"] == "online" and not seen().get("status_msg"))
            assert session.recent_messages() == ("Commuting",)
        finally:
            await session.close()

    asyncio.run(main())


def test_clear_after_ends_the_message_on_the_injected_clock(synapse_override, user_factory, tmp_path):
    server = synapse_override
    user = user_factory(server, "msgclear")
    seen = observer_of(server, user_factory, user)
    now = [datetime(2026, 12, 7, 9, 0, tzinfo=UTC)]
    timings = SessionTimings(sync_timeout_ms=1000, wall_clock=lambda: now[0], timed_check_every=0.05)

    async def main():
        accounts, session = await signed_in(server, user, tmp_path, timings=timings)
        try:
            await connected(session)
            state = await session.set_status_message("Out sick", until=now[0] + timedelta(minutes=30))
            assert state.message_until == now[0] + timedelta(minutes=30)
            assert accounts.settings.account(user.user_id).timed_message is not None
            await wait_for(lambda: seen().get("status_msg") == "Out sick")
            now[0] += timedelta(minutes=29)
            await asyncio.sleep(0.5)  # several looks at the clock: not yet
            assert session.state.status_msg == "Out sick" and seen().get("status_msg") == "Out sick"

            now[0] += timedelta(minutes=2)
            await wait_for(lambda: session.state.status_msg is None and session.state.message_until is None)
            assert account_data(server, user).get("status", {}).get("msg") is None
            await wait_for(lambda: not seen().get("status_msg"))
            assert accounts.settings.account(user.user_id).timed_message is None

            # A message changed elsewhere meanwhile keeps no end of ours: it stays.
            await session.set_status_message("Focusing", until=now[0] + timedelta(hours=1))
            put_account_data(server, user, {"status": {"msg": "Changed on my phone"}})
            await wait_for(lambda: session.state.status_msg == "Changed on my phone")
            await wait_for(lambda: session.state.message_until is None)
            now[0] += timedelta(hours=2)
            await asyncio.sleep(0.5)
            assert session.state.status_msg == "Changed on my phone"
            assert account_data(server, user).get("status") == {"msg": "Changed on my phone"}
        finally:
            await session.close()

    asyncio.run(main())


def test_stock_synapse_keeps_a_message_only_with_a_state(synapse_stock, user_factory, tmp_path):
    server = synapse_stock
    user = user_factory(server, "msgstock")
    seen = observer_of(server, user_factory, user)

    async def main():
        _, session = await signed_in(server, user, tmp_path)
        try:
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            assert not session.state.message_alone
            with pytest.raises(NotOffered):
                await session.set_status_message("In a meeting")
            await session.set_override(PresenceState.UNAVAILABLE)
            state = await session.set_status_message("In a meeting")
            assert state.override.state is PresenceState.UNAVAILABLE and state.status_msg == "In a meeting"
            await wait_for(lambda: seen().get("status_msg") == "In a meeting")
        finally:
            await session.close()

    asyncio.run(main())
