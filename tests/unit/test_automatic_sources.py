"""The rules that combine automatic sources (tray_app.automatic), on a fake clock: meeting >
locked > do not disturb > idle > active; Busy skipped where the server has none; a driver past
its end skipped; the hub re-decides at the earliest end by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tray_app.automatic import AutomaticSources, Driver, Reason, Source, combine, skipped_busy
from tray_app.states import PresenceState

ONLINE, AWAY, OFFLINE, BUSY = (
    PresenceState.ONLINE,
    PresenceState.UNAVAILABLE,
    PresenceState.OFFLINE,
    PresenceState.BUSY,
)
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

MEETING = Driver(Reason.MEETING, BUSY, until=T0 + timedelta(hours=1), label="Team sync")
LOCKED = Driver(Reason.LOCKED, OFFLINE, idle_seconds=600)
DND = Driver(Reason.DO_NOT_DISTURB, BUSY)
IDLE = Driver(Reason.IDLE, AWAY, idle_seconds=420)
ACTIVE = Driver(Reason.ACTIVE, ONLINE, idle_seconds=3)


class FakeClock:
    def __init__(self) -> None:
        self.now = T0
        self.timers: list[tuple[float, object]] = []

    def __call__(self) -> datetime:
        return self.now

    def schedule(self, delay, callback):
        timer = _Timer(delay, callback)
        self.timers.append((delay, timer))
        return timer

    def fire(self) -> None:
        """Run the timers that are due at `now` (delays measured from when they were set)."""
        for _, timer in list(self.timers):
            if not timer.cancelled:
                timer.cancelled = True
                timer.callback()


class _Timer:
    def __init__(self, delay, callback) -> None:
        self.delay = delay
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@pytest.mark.parametrize(
    ("drivers", "expected"),
    [
        ((ACTIVE,), ACTIVE),
        ((ACTIVE, IDLE), IDLE),  # (one source never offers both; the rank decides anyway)
        ((IDLE, DND), DND),
        ((DND, IDLE), DND),
        ((LOCKED, DND), LOCKED),  # do not disturb left on over a locked screen: not Busy
        ((DND, LOCKED, MEETING), MEETING),  # a meeting is Busy even with the laptop locked
        ((MEETING, ACTIVE), MEETING),
        ((), None),
        ((None, None), None),
    ],
)
def test_priority_where_the_server_has_busy(drivers, expected) -> None:
    assert combine(drivers, busy=True, now=T0) == expected


@pytest.mark.parametrize(
    ("drivers", "expected"),
    [
        ((DND, IDLE), IDLE),
        ((DND, ACTIVE), ACTIVE),
        ((DND,), None),  # nothing else: neutral, never a state the server would show otherwise
        ((MEETING, DND, LOCKED), LOCKED),
    ],
)
def test_busy_is_skipped_where_the_server_has_none(drivers, expected) -> None:
    assert combine(drivers, busy=False, now=T0) == expected
    assert skipped_busy(drivers, now=T0) in (MEETING, DND)


def test_nothing_skipped_when_busy_would_not_decide() -> None:
    assert skipped_busy((LOCKED, DND), now=T0) is None
    assert skipped_busy((IDLE,), now=T0) is None


def test_a_driver_past_its_end_no_longer_decides() -> None:
    drivers = (MEETING, IDLE)
    assert combine(drivers, busy=True, now=T0 + timedelta(minutes=59)) == MEETING
    assert combine(drivers, busy=True, now=T0 + timedelta(hours=1)) == IDLE
    assert skipped_busy(drivers, now=T0 + timedelta(hours=1)) is None


def test_each_reason_has_its_source_and_a_source_offers_only_its_own() -> None:
    assert {r: Driver(r, ONLINE).source for r in Reason} == {
        Reason.MEETING: Source.CALENDAR,
        Reason.LOCKED: Source.DESKTOP,
        Reason.DO_NOT_DISTURB: Source.DO_NOT_DISTURB,
        Reason.IDLE: Source.DESKTOP,
        Reason.ACTIVE: Source.DESKTOP,
    }
    hub = AutomaticSources(clock=FakeClock())
    with pytest.raises(ValueError):
        hub.offer(Source.CALENDAR, DND)


def test_the_hub_tells_changes_once_and_decides_per_server() -> None:
    clock = FakeClock()
    hub = AutomaticSources(clock=clock, schedule=clock.schedule)
    told: list[int] = []
    hub.on_change = lambda: told.append(1)
    hub.offer(Source.DESKTOP, IDLE)
    hub.offer(Source.DESKTOP, IDLE)  # the same again: nothing to tell
    hub.offer(Source.DO_NOT_DISTURB, DND)
    assert len(told) == 2
    assert hub.driving(busy=True) == DND
    assert hub.driving(busy=False) == IDLE
    assert hub.skipped_busy() == DND
    hub.offer(Source.DO_NOT_DISTURB, None)
    assert len(told) == 3
    assert hub.driving(busy=True) == IDLE
    assert hub.driver(Source.DO_NOT_DISTURB) is None


def test_the_hub_re_decides_at_a_meetings_end_by_itself() -> None:
    clock = FakeClock()
    hub = AutomaticSources(clock=clock, schedule=clock.schedule)
    told: list[Reason | None] = []
    hub.on_change = lambda: told.append(getattr(hub.driving(busy=True), "reason", None))
    hub.offer(Source.DESKTOP, ACTIVE)
    hub.offer(Source.CALENDAR, MEETING)
    assert [delay for delay, _ in clock.timers] == [3600.0]  # armed for the meeting's end
    clock.now = T0 + timedelta(hours=1)
    clock.fire()
    assert told == [Reason.ACTIVE, Reason.MEETING, Reason.ACTIVE]
    assert hub.driver(Source.CALENDAR) == MEETING  # kept until its source offers the next one
    hub.close()


def test_a_new_offer_moves_the_wake_up() -> None:
    clock = FakeClock()
    hub = AutomaticSources(clock=clock, schedule=clock.schedule)
    hub.offer(Source.CALENDAR, MEETING)
    later = Driver(Reason.MEETING, BUSY, until=T0 + timedelta(hours=2))
    hub.offer(Source.CALENDAR, later)
    live = [delay for delay, timer in clock.timers if not timer.cancelled]
    assert live == [7200.0]
    hub.offer(Source.CALENDAR, None)
    assert all(timer.cancelled for _, timer in clock.timers)
