"""tray_app.session.timed: a timed override ends by the injected wall clock, not by waiting.

The clock here is a fake one days away from the real one, so a timed override that ends by
the real clock would not end within these tests at all."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tray_app.session import SessionTimings
from tray_app.session.timed import TimedOverrides
from tray_app.session_state import SessionEvent, SessionState
from tray_app.settings import Settings, TimedOverride
from tray_app.states import Override, PresenceState

USER = "@alice:localhost"
AWAY = PresenceState.UNAVAILABLE


class FakeWallClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC) + timedelta(days=3)

    def __call__(self) -> datetime:
        return self.now


class Account:
    """What TimedOverrides needs of a session: its state, and a set_override that records."""

    def __init__(self, tmp_path, clock: FakeWallClock) -> None:
        self.settings = Settings.load(tmp_path / "settings.json")
        self.settings.add_account(USER)
        self.state = SessionState(user_id=USER, homeserver="http://127.0.0.1:9", device_id="D")
        self.set_calls: list[PresenceState | None] = []
        self.events: list[SessionEvent] = []
        self.changed = asyncio.Event()
        timings = replace(SessionTimings(), wall_clock=clock, timed_check_every=0.001)
        self.timed = TimedOverrides(
            USER,
            settings=self.settings,
            timings=timings,
            retry_delay=lambda attempt: 0.0,
            state=lambda: self.state,
            publish=self.publish,
            emit=lambda event, message: self.events.append(event),
            set_override=self.set_override,
            is_closed=lambda: False,
        )

    def publish(self, **changes) -> None:
        self.state = self.state.evolve(**changes)

    async def set_override(self, state: PresenceState | None) -> SessionState:
        self.set_calls.append(state)
        self.publish(override=Override(state, state.value) if state else None)
        self.changed.set()
        return self.state


def test_a_timed_override_ends_once_the_injected_clock_passes_its_end(tmp_path):
    clock = FakeWallClock()

    async def main():
        account = Account(tmp_path, clock)
        account.publish(override=Override(AWAY, AWAY.value))
        account.timed.remember(AWAY, clock.now + timedelta(minutes=30), None)
        for _ in range(50):  # the timer looks at the clock many times: it has not moved
            await asyncio.sleep(0)
        calls_before = list(account.set_calls)
        clock.now += timedelta(minutes=31)
        await asyncio.wait_for(account.changed.wait(), 30)
        await account.timed.task
        return account, calls_before

    account, calls_before = asyncio.run(main())
    assert calls_before == []
    assert account.set_calls == [None]  # back to what was there before: no override
    assert account.events == [SessionEvent.TIMED_OVERRIDE_ENDED]


def test_one_that_ran_out_meanwhile_ends_at_once_when_resumed(tmp_path):
    """Stored with an end that the real clock has not reached and the injected one has."""
    clock = FakeWallClock()

    async def main():
        account = Account(tmp_path, clock)
        until = datetime.now(UTC) + timedelta(days=1)
        timed = TimedOverride(state=AWAY, until=until, previous=PresenceState.ONLINE)
        account.settings.update_account(USER, lambda a: replace(a, timed=timed))
        account.publish(override=Override(AWAY, AWAY.value))
        account.timed.resume()
        assert account.state.override_until == until
        await asyncio.wait_for(account.changed.wait(), 30)
        await account.timed.task
        return account

    account = asyncio.run(main())
    assert account.set_calls == [PresenceState.ONLINE]
    assert account.events == [SessionEvent.TIMED_OVERRIDE_ENDED]


def test_one_stored_in_a_form_we_do_not_know_is_dropped_when_resumed(tmp_path):
    clock = FakeWallClock()

    async def main():
        account = Account(tmp_path, clock)
        data = json.loads(account.settings.path.read_text())
        data["account_state"] = {USER: {"timed": {"state": AWAY.value, "until": "not a time"}}}
        account.settings.path.write_text(json.dumps(data))
        account.timed.resume()
        return account

    account = asyncio.run(main())
    assert account.timed.task is None and account.set_calls == []
    assert json.loads(account.settings.path.read_text())["account_state"] == {}


class Changing(Account):
    """As the session's set_override does after a change worked: remember it (an untimed one
    drops the timer)."""

    async def set_override(self, state: PresenceState | None) -> SessionState:
        before = self.state.override.state if self.state.override else None
        await super().set_override(state)
        self.timed.remember(state, None, before)
        return self.state


def test_the_state_says_what_a_running_timed_override_goes_back_to(tmp_path):
    clock = FakeWallClock()

    async def main():
        account = Changing(tmp_path, clock)
        account.publish(override=Override(AWAY, AWAY.value))
        account.timed.remember(AWAY, clock.now + timedelta(minutes=30), PresenceState.ONLINE)
        first = account.state.override_after
        # A timed one over a timed one goes back to what was there first.
        account.timed.remember(PresenceState.OFFLINE, clock.now + timedelta(hours=1), AWAY)
        second = account.state.override_after
        account.timed.drop()
        return first, second, account.state

    first, second, state = asyncio.run(main())
    assert (first, second) == (PresenceState.ONLINE, PresenceState.ONLINE)
    assert state.override_after is None and state.override_until is None


def test_end_now_does_at_once_what_the_end_would_and_does_not_announce_it(tmp_path):
    clock = FakeWallClock()

    async def main():
        account = Changing(tmp_path, clock)
        account.publish(override=Override(AWAY, AWAY.value))
        account.timed.remember(AWAY, clock.now + timedelta(minutes=30), PresenceState.ONLINE)
        timer = account.timed.task
        await account.timed.end_now()  # the clock has not moved
        await asyncio.sleep(0)
        return account, timer

    account, timer = asyncio.run(main())
    assert account.set_calls == [PresenceState.ONLINE]  # back to what was there before
    assert account.events == []  # the person did it: nothing to tell
    assert timer.cancelled() and account.timed.task is None
    assert account.settings.account(USER).timed is None
    assert account.state.override_until is None and account.state.override_after is None


def test_end_now_after_a_change_elsewhere_keeps_theirs(tmp_path):
    clock = FakeWallClock()

    async def main():
        account = Changing(tmp_path, clock)
        account.publish(override=Override(AWAY, AWAY.value))
        account.timed.remember(AWAY, clock.now + timedelta(minutes=30), PresenceState.ONLINE)
        account.publish(override=Override(PresenceState.OFFLINE, "offline"))  # another device
        await account.timed.end_now()
        return account

    account = asyncio.run(main())
    assert account.set_calls == []  # as the end would: theirs stands
    assert account.settings.account(USER).timed is None and account.state.override_until is None
