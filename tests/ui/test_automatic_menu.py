"""The menu's Automatic part says what drives automatic presence now (issue 21): do not disturb
as Busy where the account's server has Busy for it, plainly where it has none; a meeting with
its end; each source switchable ("When I'm idle or locked", "When do not disturb is on: Busy"),
the latter greyed with a plain line where no signed-in account's server has Busy."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tray_app.automatic import Driver, Reason
from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.ui.idle_menu import IdleMenuState, automatic_lines
from tray_app.ui.presenter import AppSnapshot, build_menu
from tray_app.ui.view_model import ToggleBusyWhenDoNotDisturb

NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
ONLINE, AWAY, BUSY = PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.BUSY
ACTIVE_NOW = AutoPresence(ONLINE, AutoReason.ACTIVE, 3)
IDLE_7 = AutoPresence(AWAY, AutoReason.IDLE, 7 * 60 + 5)
DND = Driver(Reason.DO_NOT_DISTURB, BUSY)


def _st(user: str, **kw) -> SessionState:
    return SessionState(
        **{"user_id": user, "homeserver": "https://hs", "api": ApiMode.STABLE, "connection": Connection.CONNECTED, **kw}
    )


def _visible(model, key: str) -> str | None:
    item = model.find(key)
    return item.text if item.visible else None


def _with_dnd(current: AutoPresence = ACTIVE_NOW, busy_when_dnd: bool | None = True) -> IdleMenuState:
    desktop = Driver(Reason.ACTIVE if current.reason is AutoReason.ACTIVE else Reason.IDLE, current.state)
    return IdleMenuState(
        True, current, IdlePolicy(), driving=DND, driving_without_busy=desktop, busy_when_dnd=busy_when_dnd
    )


def test_do_not_disturb_says_busy_where_the_server_has_it_and_plainly_where_not():
    busy_here = _st("@ada:hs", automatic_busy=True, automatic=BUSY)
    no_busy = _st("@bob:hs", automatic_busy=False, automatic=AWAY)
    model = build_menu(AppSnapshot((busy_here, no_busy), idle=_with_dnd(IDLE_7)), NOW)
    assert _visible(model, "acct:@ada:hs:auto") == "Automatic: Busy (do not disturb)"
    assert _visible(model, "acct:@bob:hs:auto") == "Automatic: Away (idle 7 min) — do not disturb: no Busy here"
    # One account: one line (here while its session still holds the change back).
    line, per = automatic_lines(_with_dnd(), (busy_here,))
    assert line == "Automatic: Busy (do not disturb)" and per == {}
    held_back = _st("@ada:hs", automatic_busy=True, automatic=ONLINE)
    assert automatic_lines(_with_dnd(), (held_back,))[0] == "Automatic: Busy (do not disturb), goes out within 30 s"


def test_an_account_still_connecting_is_not_said_to_lack_busy():
    connecting = _st("@ada:hs", api=ApiMode.UNKNOWN, connection=Connection.CONNECTING, automatic=ONLINE)
    line, _ = automatic_lines(_with_dnd(), (connecting,))
    assert line == "Automatic: Online"


def test_do_not_disturb_alone_drives_where_idle_detection_is_off():
    off = AutoPresence(None, AutoReason.OFF)
    idle = IdleMenuState(True, off, IdlePolicy(enabled=False), driving=DND, busy_when_dnd=True)
    ada = _st("@ada:hs", automatic_busy=True, automatic=BUSY)
    bob = _st("@bob:hs", automatic_busy=False)
    model = build_menu(AppSnapshot((ada, bob), idle=idle), NOW)
    assert _visible(model, "acct:@ada:hs:auto") == "Automatic: Busy (do not disturb)"
    assert _visible(model, "acct:@bob:hs:auto") == "Automatic: off — do not disturb: no Busy here"
    # Nothing drives at all: said once for all, as before.
    quiet = IdleMenuState(True, off, IdlePolicy(enabled=False), busy_when_dnd=True)
    assert automatic_lines(quiet, (ada, bob)) == ("Automatic: off", {})


def test_a_meeting_says_its_title_and_end():
    meeting = Driver(Reason.MEETING, BUSY, until=NOW + timedelta(hours=2), label="Team sync")
    idle = IdleMenuState(True, ACTIVE_NOW, IdlePolicy(), driving=meeting, driving_without_busy=None)
    ada = _st("@ada:hs", automatic_busy=True, automatic=BUSY)
    line, _ = automatic_lines(idle, (ada,), NOW, UTC)
    assert line == "Automatic: Busy — Team sync until 15:00"
    untitled = IdleMenuState(True, ACTIVE_NOW, IdlePolicy(), driving=Driver(Reason.MEETING, BUSY, until=meeting.until))
    assert automatic_lines(untitled, (ada,), NOW, UTC)[0] == "Automatic: Busy — in a meeting until 15:00"
    bob = _st("@bob:hs", automatic_busy=False, automatic=ONLINE)
    assert automatic_lines(idle, (bob,), NOW, UTC)[0] == ("Automatic: Online — in a meeting: no Busy here")


def test_each_source_is_switchable():
    ada = _st("@ada:hs", automatic_busy=True)
    model = build_menu(AppSnapshot((ada,), idle=_with_dnd(busy_when_dnd=True)), NOW)
    idle_item, dnd_item = model.find("idle:enabled"), model.find("idle:dnd")
    assert idle_item.text == "When I'm idle or locked" and idle_item.checked
    assert dnd_item.text == "When do not disturb is on: Busy" and dnd_item.checked and dnd_item.enabled
    assert dnd_item.action == ToggleBusyWhenDoNotDisturb()
    off = build_menu(AppSnapshot((ada,), idle=_with_dnd(busy_when_dnd=False)), NOW)
    assert not off.find("idle:dnd").checked
    # No do-not-disturb switch on this desktop: the choice is not offered at all.
    none = build_menu(AppSnapshot((ada,), idle=_with_dnd(busy_when_dnd=None)), NOW)
    assert not any(i.key.startswith("idle:dnd") for i in none.walk())


def test_no_busy_on_any_server_greys_the_choice_and_says_why():
    bob = _st("@bob:hs", automatic_busy=False)
    model = build_menu(AppSnapshot((bob,), idle=_with_dnd()), NOW)
    item = model.find("idle:dnd")
    assert not item.enabled and not item.checked and item.action is None  # nothing broken offered
    assert item.text == "When do not disturb is on: Busy (this server has no Busy)"
    two = build_menu(AppSnapshot((bob, _st("@cy:hs")), idle=_with_dnd()), NOW)
    assert two.find("idle:dnd").text == "When do not disturb is on: Busy (none of these servers has Busy)"
    # One of them has it: offered (each account's line says what it does there).
    mixed = build_menu(AppSnapshot((bob, _st("@cy:hs", automatic_busy=True)), idle=_with_dnd()), NOW)
    assert mixed.find("idle:dnd").enabled and mixed.find("idle:dnd").text == "When do not disturb is on: Busy"


def test_do_not_disturb_is_offered_where_idle_detection_is_not():
    unavailable = AutoPresence(None, AutoReason.UNAVAILABLE)
    idle = IdleMenuState(False, unavailable, IdlePolicy(), busy_when_dnd=True)
    model = build_menu(AppSnapshot((_st("@ada:hs", automatic_busy=True),), idle=idle), NOW)
    children = [i.key for i in model.find("idle").children]
    assert children == ["idle:dnd"]
    assert _visible(model, "idle:line") == "Idle detection isn't available on this desktop"


# -- the controller wires do-not-disturb to automatic presence ------------------------------


class _Prefs:
    def __init__(self) -> None:
        self.saved: dict = {}

    def preference(self, key, default=None):
        return self.saved.get(key, default)

    def set_preference(self, key, value) -> None:
        self.saved[key] = value

    def update(self, change) -> None:
        change({"preferences": self.saved})


class _ActiveIdle:
    """A stand-in idle source: always active."""

    name = "stand-in idle"

    async def idle_seconds(self) -> float:
        return 0.0

    async def close(self) -> None:
        pass


class _Session:
    def __init__(self, state: SessionState) -> None:
        self.state = state
        self.handed: list = []
        self._subs: list = []

    def subscribe(self, cb):
        self._subs.append(cb)
        return lambda: self._subs.remove(cb)

    def subscribe_events(self, cb):
        return lambda: None

    def publish(self, **changes) -> None:
        self.state = self.state.evolve(**changes)
        for cb in list(self._subs):
            cb(self.state)

    def set_automatic(self, state) -> None:
        self.handed.append(state)

    def presence_moved(self, state) -> bool:
        return False

    async def close(self) -> None:
        pass


class _NoAccounts:
    def signed_in(self) -> list[str]:
        return []


def test_the_controller_hands_do_not_disturb_to_automatic_presence(aio):
    from tests.support.memory_switch import MemorySwitch
    from tray_app.dnd.chooser import ChosenSwitch
    from tray_app.dnd.desktop import DoNotDisturb
    from tray_app.idle.automatic import AutomaticPresence
    from tray_app.idle.chooser import Sources
    from tray_app.states import Override
    from tray_app.ui.controller import Controller

    switch, prefs = MemorySwitch(), _Prefs()

    async def sources() -> Sources:
        return Sources(idle=_ActiveIdle())

    async def choose():
        chosen = ChosenSwitch(switch, None)

        async def close() -> None:
            pass

        chosen.close = close  # type: ignore[method-assign]  # no bus to drop
        return chosen

    idle = AutomaticPresence(prefs, choose=sources, poll_seconds=3600)
    dnd = DoNotDisturb(prefs, choose=choose)
    c = Controller(_NoAccounts(), clock=lambda: NOW, tz=UTC, idle=idle, dnd=dnd)
    session = _Session(_st("@ada:hs", api=ApiMode.UNKNOWN, connection=Connection.CONNECTING))
    c._attach(session)

    async def started() -> None:
        await idle.start(lambda: list(c.sessions.values()))
        await asyncio.sleep(0.05)
        await dnd.start(c._any_busy())
        await asyncio.sleep(0.05)

    async def settle() -> None:
        await asyncio.sleep(0.05)

    try:
        aio.run(started())
        assert session.handed[-1] is ONLINE
        switch.person_sets(True)
        aio.run(settle())
        assert BUSY not in session.handed  # its server is not known yet: no Busy
        session.publish(api=ApiMode.STABLE, connection=Connection.CONNECTED, automatic_busy=True)
        assert session.handed[-1] is BUSY  # known to have Busy: handed at once
        session.publish(automatic=BUSY)
        line, _ = automatic_lines(c.snapshot().idle, (session.state,))
        assert line == "Automatic: Busy (do not disturb)"
        c.toggle_busy_when_dnd()
        assert session.handed[-1] is ONLINE and prefs.saved["busy_when_do_not_disturb"] is False
        c.toggle_busy_when_dnd()
        assert session.handed[-1] is BUSY
        switch.person_sets(False)
        aio.run(settle())
        assert session.handed[-1] is ONLINE
        # A Busy override pauses the banners ("Pause notifications while Busy"): our pause,
        # never the person's do-not-disturb, so automatic presence stays as it was.
        n = len(session.handed)
        session.publish(override=Override(BUSY, "busy"))
        aio.run(settle())
        assert switch._paused and not dnd.person_dnd
        session.publish(override=None)
        aio.run(settle())
        assert not switch._paused and BUSY not in session.handed[n:]
    finally:
        aio.run(c.shutdown())
