"""The client core against a real Synapse: emulated mode on stock Synapse, the real API with the module."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.harness.synapse import SynapseOptions
from tests.harness.waiting import assert_stays_async
from tests.support.sessions import SHORT_POLL, accounts_for, signed_in, wait_for
from tray_app.backends import emulated as emulated_backend
from tray_app.backoff import Backoff
from tray_app.emulation import FightTracker
from tray_app.errors import RateLimited, WrongPassword
from tray_app.session_state import ApiMode, Connection, SessionEvent
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration


def events_of(session):
    seen: list[tuple[SessionEvent, str]] = []
    session.subscribe_events(lambda e, m: seen.append((e, m)))
    return seen


def presence_of(server, user) -> str:
    return server.get_presence(user.access_token, user.user_id)["presence"]


# -- signing in and out ---------------------------------------------------------------


def test_login_restore_logout(synapse_stock, user_factory, tmp_path):
    user = user_factory(synapse_stock, "login")

    async def main():
        accounts, session = await signed_in(synapse_stock, user, tmp_path)
        await session.close()
        assert accounts.signed_in() == [user.user_id]
        stored = accounts.store.load(user.user_id)
        assert stored.homeserver == synapse_stock.base_url and stored.device_id

        restored = accounts.restore(user.user_id)
        state = await restored.refresh()
        assert state.api is ApiMode.EMULATED and state.connection is Connection.CONNECTED
        await accounts.logout(restored)
        return accounts, stored

    accounts, stored = asyncio.run(main())
    assert accounts.store.load(user.user_id) is None
    assert accounts.signed_in() == []
    status, body = synapse_stock.request("GET", "/_matrix/client/v3/account/whoami", token=stored.access_token)
    assert status == 401 and body["errcode"] == "M_UNKNOWN_TOKEN"


def test_wrong_password_stores_nothing(synapse_stock, user_factory, tmp_path):
    user = user_factory(synapse_stock, "wrongpw")
    accounts = accounts_for(tmp_path)

    async def main():
        with pytest.raises(WrongPassword, match="wrong user ID or password"):
            await accounts.login_password(user.user_id, "not-it", homeserver=synapse_stock.base_url)

    asyncio.run(main())
    assert accounts.signed_in() == [] and accounts.store.load(user.user_id) is None


def test_signing_in_again_keeps_the_device(synapse_stock, user_factory, tmp_path):
    user = user_factory(synapse_stock, "again")

    async def main():
        accounts, first = await signed_in(synapse_stock, user, tmp_path)
        await first.close()
        second = await accounts.login_password(user.user_id, user.password, homeserver=synapse_stock.base_url)
        await second.close()
        return first.state.device_id, second.state.device_id

    a, b = asyncio.run(main())
    assert a == b


# -- emulated mode (stock Synapse) -------------------------------------------------------


def test_emulated_set_and_clear(synapse_stock, user_factory, tmp_path):
    user = user_factory(synapse_stock, "emu")

    async def main():
        _, session = await signed_in(synapse_stock, user, tmp_path)
        try:
            state = await session.set_override(PresenceState.UNAVAILABLE, "in a meeting")
            assert state.api is ApiMode.EMULATED
            assert presence_of(synapse_stock, user) == "unavailable"
            status = synapse_stock.get_presence(user.access_token, user.user_id)
            assert status["status_msg"] == "in a meeting"

            state = await session.set_override(PresenceState.DISABLED)
            assert state.override.state is PresenceState.DISABLED  # what we hold
            assert state.presence == "offline"  # what it really is on this server
            assert presence_of(synapse_stock, user) == "offline"

            state = await session.set_override(None)
            assert state.override is None
        finally:
            await session.close()

    asyncio.run(main())


def test_emulated_hold_survives_a_new_session(synapse_stock, user_factory, tmp_path):
    user = user_factory(synapse_stock, "hold")

    async def main():
        accounts, session = await signed_in(synapse_stock, user, tmp_path)
        await session.set_override(PresenceState.UNAVAILABLE)
        await session.close()
        ours = accounts.store.load(user.user_id)
        synapse_stock.set_presence(ours.access_token, user.user_id, "online")  # drifted meanwhile
        again = accounts.restore(user.user_id)
        try:
            await again.start()  # connecting takes the hold up again on the server
            await wait_for(lambda: again.state.connection is Connection.CONNECTED)
            # The drift's PUT was just now: putting the hold back waits out rc_presence's window.
            await wait_for(
                lambda: presence_of(synapse_stock, user) == "unavailable" and again.state.presence == "unavailable",
                timeout=40,
                interval=0.5,
            )
            return again.state
        finally:
            await again.close()

    state = asyncio.run(main())
    assert state.override.state is PresenceState.UNAVAILABLE
    assert presence_of(synapse_stock, user) == "unavailable" == state.presence


def test_another_device_wins_and_we_stop_fighting(synapse_stock, user_factory, tmp_path, monkeypatch):
    user = user_factory(synapse_stock, "fight")
    other = synapse_stock.login(user.user_id, user.password)
    puts: list[str] = []
    real_put = emulated_backend.put_presence

    async def counting_put(client, user_id, state, status_msg=None):
        await real_put(client, user_id, state, status_msg)
        # Counted once the server took it: on Synapse's default rc_presence a re-assert may
        # first meet a 429 and be sent again after retry_after (one re-assert, two requests).
        puts.append(state.value)

    monkeypatch.setattr(emulated_backend, "put_presence", counting_put)
    stop = threading.Event()

    def other_device_syncs():
        since = None
        while not stop.is_set():
            since = synapse_stock.sync(other.access_token, since=since, set_presence="online")["next_batch"]
            time.sleep(0.2)

    async def main():
        fight = FightTracker(max_reasserts=3, backoff=Backoff(base=0.2, cap=1, jitter=0))
        _, session = await signed_in(synapse_stock, user, tmp_path)
        session._link.fight = fight  # taken by the emulated backend when it is detected
        seen = events_of(session)
        try:
            await session.set_override(PresenceState.UNAVAILABLE)
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            thread = threading.Thread(target=other_device_syncs, daemon=True)
            thread.start()
            # Each re-assert may wait out rc_presence's 429 (10 s) first: three of them and
            # the other device's online counted take over a minute on a loaded machine.
            await wait_for(lambda: session.state.contested, timeout=150)
            puts_when_gave_up = len(puts)
            await assert_stays_async(
                lambda: len(puts) == puts_when_gave_up,
                2,
                "no more re-asserts after giving up",
                show=lambda: puts[puts_when_gave_up:],
            )
            return session.state, seen
        finally:
            stop.set()
            await session.close()

    state, seen = asyncio.run(main())
    assert state.contested and "another device keeps you online" in state.last_error
    assert [e for e, _ in seen].count(SessionEvent.CONTESTED) == 1
    # one set, one re-assert on connect, then at most three re-asserts in the fight
    assert 3 <= len(puts) <= 1 + 1 + 3, puts
    assert presence_of(synapse_stock, user) == "online"


# -- faults on a real server -----------------------------------------------------------------


def test_token_revoked_from_another_session(synapse_stock, user_factory, tmp_path):
    user = user_factory(synapse_stock, "revoked")

    async def main():
        _, session = await signed_in(synapse_stock, user, tmp_path)
        seen = events_of(session)
        try:
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            other = synapse_stock.login(user.user_id, user.password)
            await asyncio.to_thread(
                synapse_stock.request, "POST", "/_matrix/client/v3/logout/all", other.access_token, {}
            )
            await wait_for(lambda: session.state.connection is Connection.SIGNED_OUT)
            return session.state, seen
        finally:
            await session.close()

    state, seen = asyncio.run(main())
    assert "sign in again" in state.last_error
    assert [e for e, _ in seen] == [SessionEvent.SIGNED_OUT]


def test_server_restart_mid_session_recovers_by_itself(synapse_factory, user_factory, tmp_path):
    server = synapse_factory.make(name="restart")
    user = user_factory(server, "restart")

    async def main():
        _, session = await signed_in(server, user, tmp_path, timings=replace(SHORT_POLL, unreachable_notice_after=0))
        seen = events_of(session)
        try:
            await session.set_override(PresenceState.UNAVAILABLE)
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            await asyncio.to_thread(server.stop)
            await wait_for(lambda: session.state.connection is Connection.DISCONNECTED)
            assert "unreachable" in session.state.last_error
            await asyncio.to_thread(server.start)
            await wait_for(lambda: session.state.connection is Connection.CONNECTED, timeout=60)
            state = await session.set_override(PresenceState.ONLINE)
            return state, seen
        finally:
            await session.close()

    state, seen = asyncio.run(main())
    assert state.override.state is PresenceState.ONLINE and state.last_error is None
    # told once that the server is unreachable, and once that it is back
    assert [e for e, _ in seen] == [SessionEvent.UNREACHABLE_FOR_LONG, SessionEvent.RECONNECTED]
    assert presence_of(server, user) == "online" == state.presence


def test_default_presence_rate_limit_429_is_waited_out(synapse_factory, user_factory, tmp_path, monkeypatch):
    server = synapse_factory.make(SynapseOptions(relaxed_rate_limits=False), name="ratelimit")
    user = user_factory(server, "limited")
    limited: list[int | None] = []
    real_put = emulated_backend.put_presence

    async def recording_put(client, user_id, state, status_msg=None):
        try:
            await real_put(client, user_id, state, status_msg)
        except RateLimited as e:
            limited.append(e.retry_after_ms)
            raise

    monkeypatch.setattr(emulated_backend, "put_presence", recording_put)

    async def main():
        _, session = await signed_in(server, user, tmp_path)
        try:
            await session.set_override(PresenceState.UNAVAILABLE)
            return await session.set_override(PresenceState.OFFLINE)  # inside rc_presence's window
        finally:
            await session.close()

    state = asyncio.run(main())
    assert limited and all(ms and ms > 0 for ms in limited)
    assert state.override.state is PresenceState.OFFLINE and state.last_error is None
    assert presence_of(server, user) == "offline"


# -- the real override API (the project's Synapse module) --------------------------------------


def raw_override(server, user) -> str:
    status, body = server.request(
        "GET", f"/_matrix/client/v1/presence/{user.user_id}/override", token=user.access_token
    )
    assert status == 200, body
    return body["presence_override"]


def test_stable_api_set_clear_disabled(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "stable")

    async def main():
        _, session = await signed_in(synapse_override, user, tmp_path)
        try:
            state = await session.refresh()
            assert state.api is ApiMode.STABLE
            state = await session.set_override(PresenceState.UNAVAILABLE, "at lunch")
            assert raw_override(synapse_override, user) == "unavailable"
            assert state.presence == "unavailable"
            assert state.status_msg_supported and state.status_msg == "at lunch"
            state = await session.set_override(PresenceState.DISABLED)
            assert raw_override(synapse_override, user) == "disabled"
            assert state.override.state is PresenceState.DISABLED and state.presence == "offline"
            state = await session.set_override(None)
            assert raw_override(synapse_override, user) == "" and state.override is None
        finally:
            await session.close()

    asyncio.run(main())


def test_change_made_elsewhere_is_seen_by_the_poll(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "elsewhere")

    async def main():
        _, session = await signed_in(synapse_override, user, tmp_path, timings=replace(SHORT_POLL, poll_interval=0.5))
        seen = events_of(session)
        try:
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            status, _ = await asyncio.to_thread(
                synapse_override.request,
                "PUT",
                f"/_matrix/client/v1/presence/{user.user_id}/override",
                user.access_token,
                {"presence_override": "offline"},
            )
            assert status == 200
            await wait_for(lambda: session.state.override is not None)
            return session.state, seen
        finally:
            await session.close()

    state, seen = asyncio.run(main())
    assert state.override.state is PresenceState.OFFLINE
    assert [e for e, _ in seen] == [SessionEvent.OVERRIDE_CHANGED_ELSEWHERE]


def test_timed_override_ends_and_returns_to_the_previous_one(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "timed")

    async def main():
        _, session = await signed_in(synapse_override, user, tmp_path)
        seen = events_of(session)
        try:
            await session.start()
            await session.set_override(PresenceState.ONLINE)
            until = datetime.now(UTC) + timedelta(seconds=1)
            state = await session.set_override(PresenceState.UNAVAILABLE, until=until)
            assert state.override_until == until
            await wait_for(lambda: session.state.override.state is PresenceState.ONLINE)
            return session.state, seen
        finally:
            await session.close()

    state, seen = asyncio.run(main())
    assert state.override_until is None
    assert raw_override(synapse_override, user) == "online"
    assert SessionEvent.TIMED_OVERRIDE_ENDED in [e for e, _ in seen]


def test_timed_override_that_expired_while_not_running_is_cleared_at_start(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "expired")

    async def main():
        accounts, session = await signed_in(synapse_override, user, tmp_path)
        await session.set_override(PresenceState.OFFLINE, until=datetime.now(UTC) + timedelta(seconds=0.5))
        await session.close()  # the applet quits before the end
        await asyncio.sleep(1.0)
        again = accounts.restore(user.user_id)
        try:
            await again.start()
            await wait_for(lambda: again.state.connection is Connection.CONNECTED)
            await wait_for(lambda: again.state.override is None)
            return accounts
        finally:
            await again.close()

    accounts = asyncio.run(main())
    assert raw_override(synapse_override, user) == ""
    assert accounts.settings.account(user.user_id).timed is None


def test_a_cli_set_is_not_undone_by_a_running_tray(synapse_stock, user_factory, tmp_path):
    """Emulated mode: the CLI and the tray share the device and the settings file."""
    user = user_factory(synapse_stock, "clitray")

    async def main():
        accounts, tray = await signed_in(synapse_stock, user, tmp_path, timings=replace(SHORT_POLL, poll_interval=0.5))
        seen = events_of(tray)
        try:
            await tray.set_override(PresenceState.ONLINE)
            await tray.start()
            await wait_for(lambda: tray.state.connection is Connection.CONNECTED)
            cli = accounts.restore(user.user_id)  # what `presence-tray set away` does
            await cli.set_override(PresenceState.UNAVAILABLE)
            await cli.close()
            await wait_for(lambda: tray.state.override.state is PresenceState.UNAVAILABLE)
            syncs = []
            real_sync = tray._client.sync

            async def counting_sync(*args, **kwargs):
                syncs.append(kwargs.get("set_presence"))
                return await real_sync(*args, **kwargs)

            tray._client.sync = counting_sync
            await wait_for(lambda: len(syncs) >= 3, 45)  # the tray's own syncs go on meanwhile (12 s apart)
            assert set(syncs) == {"unavailable"}
            return tray.state, seen
        finally:
            await tray.close()

    state, seen = asyncio.run(main())
    assert presence_of(synapse_stock, user) == "unavailable"
    assert SessionEvent.OVERRIDE_CHANGED_ELSEWHERE in [e for e, _ in seen]


def test_api_is_checked_again_after_a_reconnect(synapse_factory, user_factory, tmp_path):
    """The admin installs the module and restarts Synapse: the running session moves to the real API."""
    server = synapse_factory.make(name="upgrade")
    user = user_factory(server, "upgrade")

    async def main():
        _, session = await signed_in(server, user, tmp_path)
        try:
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            assert session.state.api is ApiMode.EMULATED
            await asyncio.to_thread(server.stop)
            server.options.modules = [{"module": "synapse_presence_override.PresenceOverrideModule", "config": {}}]
            await wait_for(lambda: session.state.connection is Connection.DISCONNECTED)
            await asyncio.to_thread(server.start)
            await wait_for(lambda: session.state.api is ApiMode.STABLE, timeout=60)
            return await session.set_override(PresenceState.DISABLED)
        finally:
            await session.close()

    state = asyncio.run(main())
    assert state.api is ApiMode.STABLE and raw_override(server, user) == "disabled"
