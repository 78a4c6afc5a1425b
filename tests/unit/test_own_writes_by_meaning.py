"""Our own change read back in another spelling is no change: "changed elsewhere" compares
meaning, not spelling (issue 18, item 1). No server: a stub backend hands the session readings."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC

import pytest

from tests.support.sessions import session_for
from tray_app.backends.base import OverrideReading, PresenceBackend, ServerFeatures
from tray_app.backends.msc4532 import PREFIX, Msc4532Backend
from tray_app.session_state import SessionEvent
from tray_app.settings import TimedOverride
from tray_app.states import UNSTABLE_DISABLED, Override, PresenceState, from_wire, same_override

UNSTABLE_V2 = Msc4532Backend(None, "@a:localhost", ServerFeatures({PREFIX: True}))  # type: ignore[arg-type]
STABLE_V2 = Msc4532Backend(None, "@a:localhost", ServerFeatures({PREFIX + ".stable": True}))  # type: ignore[arg-type]


def v2(backend: Msc4532Backend, state: PresenceState) -> Override | None:
    """A state as MSC4532's account data spells it, read the way the session reads it."""
    return backend.parse({"state_override": backend.wire_value(state)}).override


def test_busy_written_through_msc4532_is_busy_read_through_msc4043():
    msc4043 = from_wire("busy")  # the module's MSC4043 GET answers `busy` for either spelling
    assert v2(UNSTABLE_V2, PresenceState.BUSY).raw == PREFIX + ".busy"  # spellings differ ...
    assert same_override(v2(UNSTABLE_V2, PresenceState.BUSY), msc4043)  # ... the meaning does not
    assert same_override(v2(STABLE_V2, PresenceState.BUSY), msc4043)
    assert same_override(msc4043, v2(UNSTABLE_V2, PresenceState.BUSY))


@pytest.mark.parametrize("state", [PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.OFFLINE])
def test_every_msc4532_spelling_of_a_state_is_the_msc4043_one(state):
    for backend in (UNSTABLE_V2, STABLE_V2):
        assert same_override(v2(backend, state), from_wire(state.value))


def test_stable_and_unstable_disabled_are_one():
    assert from_wire("disabled").raw != from_wire(UNSTABLE_DISABLED).raw
    assert same_override(from_wire("disabled"), from_wire(UNSTABLE_DISABLED))


def test_different_meanings_stay_different():
    assert not same_override(from_wire("busy"), from_wire("unavailable"))
    assert not same_override(v2(UNSTABLE_V2, PresenceState.BUSY), v2(UNSTABLE_V2, PresenceState.UNAVAILABLE))
    assert not same_override(None, from_wire("online"))
    assert not same_override(from_wire("offline"), None)
    assert same_override(None, None)
    # Values we do not know are compared as sent.
    assert same_override(from_wire("gone_fishing"), from_wire("gone_fishing"))
    assert not same_override(from_wire("gone_fishing"), from_wire("out_to_lunch"))


class ReadsBack(PresenceBackend):
    """Answers `read` with whatever the test puts in `reading`."""

    def __init__(self) -> None:
        super().__init__(None, "@alice:localhost", ServerFeatures({}))  # type: ignore[arg-type]
        self.reading = OverrideReading(None)

    async def read(self) -> OverrideReading:
        return self.reading

    async def set(self, state, status_msg):  # pragma: no cover - not used
        raise AssertionError

    async def clear(self):  # pragma: no cover - not used
        raise AssertionError


@pytest.mark.parametrize(
    "ours, read_back",
    [
        pytest.param(v2(UNSTABLE_V2, PresenceState.BUSY), from_wire("busy"), id="msc4532-busy-read-by-msc4043"),
        pytest.param(from_wire("busy"), v2(UNSTABLE_V2, PresenceState.BUSY), id="msc4043-busy-read-by-msc4532"),
        pytest.param(from_wire(UNSTABLE_DISABLED), from_wire("disabled"), id="unstable-disabled-read-stable"),
        pytest.param(from_wire("disabled"), from_wire(UNSTABLE_DISABLED), id="stable-disabled-read-unstable"),
    ],
)
def test_a_poll_reading_another_spelling_is_not_elsewhere_and_keeps_the_timer(tmp_path, ours, read_back):
    from datetime import datetime, timedelta

    async def main():
        session = session_for("http://127.0.0.1:9", tmp_path)
        seen: list[SessionEvent] = []
        session.subscribe_events(lambda e, m: seen.append(e))
        backend = ReadsBack()
        session._api = backend
        session._have_read = True
        until = datetime.now(UTC) + timedelta(hours=1)
        # What our own (timed) change stored, as its answer spelled it.
        session._publish(override=ours, override_until=until)
        timed = TimedOverride(state=ours.state, until=until)
        session._settings.update_account(session.user_id, lambda a: replace(a, timed=timed))
        backend.reading = OverrideReading(read_back)
        try:
            async with session._lock:
                await session._read_locked(by_sync=True)  # the poll (by_sync: no presence request)
            return seen, session.state, session._settings.account(session.user_id).timed
        finally:
            await session.close()

    seen, state, timed = asyncio.run(main())
    assert seen == []
    assert state.override.state is ours.state
    assert state.override_until is not None and timed is not None


def test_a_poll_reading_another_meaning_is_elsewhere(tmp_path):
    """The other side of it: Busy read back where we wrote Away is news, and ends our timer."""

    async def main():
        from datetime import datetime, timedelta

        session = session_for("http://127.0.0.1:9", tmp_path)
        seen: list[SessionEvent] = []
        session.subscribe_events(lambda e, m: seen.append(e))
        backend = ReadsBack()
        session._api = backend
        session._have_read = True
        session._publish(override=from_wire("unavailable"), override_until=datetime.now(UTC) + timedelta(hours=1))
        backend.reading = OverrideReading(v2(UNSTABLE_V2, PresenceState.BUSY))
        try:
            async with session._lock:
                await session._read_locked(by_sync=True)
            return seen, session.state
        finally:
            await session.close()

    seen, state = asyncio.run(main())
    assert seen == [SessionEvent.OVERRIDE_CHANGED_ELSEWHERE]
    assert state.override.state is PresenceState.BUSY and state.override_until is None


class WatchesToo(ReadsBack):
    watch_types = ("m.presence.persistent",)

    def watch(self, event_type, content):
        return OverrideReading(from_wire(content["override"]))


def test_a_sync_event_that_waited_for_our_click_is_read_again_not_taken(tmp_path):
    """The sync brings an event (Away) while a click of ours holds the lock; the click (Online)
    is answered first. The event is older than the click: what holds is read again, and
    nothing is announced."""

    async def main():
        session = session_for("http://127.0.0.1:9", tmp_path)
        seen: list[SessionEvent] = []
        session.subscribe_events(lambda e, m: seen.append(e))
        backend = WatchesToo()
        session._api = backend
        session._have_read = True
        try:
            await session._lock.acquire()  # our click is being sent
            event = asyncio.ensure_future(
                session._on_watched(backend, "m.presence.persistent", {"override": "unavailable"}, False)
            )
            for _ in range(5):
                await asyncio.sleep(0)  # it runs up to the lock (no I/O before it)
            assert not event.done()  # and waits there for the click
            # The click is answered: what it stored is what the server holds.
            session._generation += 1
            session._publish(override=from_wire("online"))
            backend.reading = OverrideReading(from_wire("online"))
            session._lock.release()
            await event
            return seen, session.state
        finally:
            await session.close()

    seen, state = asyncio.run(main())
    assert seen == []
    assert state.override.state is PresenceState.ONLINE
