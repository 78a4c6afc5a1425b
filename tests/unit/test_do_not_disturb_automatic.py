"""The person's do-not-disturb as automatic presence (issue 21), wired as the applet wires it
(AutomaticPresence.follow): each session is handed Busy only where its server has Busy for
automatic presence, the rest what the desktop says; the switch "When do not disturb is on" is
saved and on by default; a pause this applet made for a Busy override is never taken as the
person's (no loop); a server that turns out to have Busy is handed it once known."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from tests.support.memory_switch import MemorySwitch
from tray_app.automatic import Reason, Source
from tray_app.dnd.chooser import ChosenSwitch
from tray_app.dnd.desktop import BUSY_WHEN_ON_KEY, DoNotDisturb
from tray_app.idle.automatic import AutomaticPresence
from tray_app.idle.chooser import Sources
from tray_app.states import PresenceState

ONLINE, BUSY = PresenceState.ONLINE, PresenceState.BUSY


class Preferences:
    def __init__(self) -> None:
        self.saved: dict = {}

    def preference(self, key, default=None):
        return self.saved.get(key, default)

    def set_preference(self, key, value) -> None:
        self.saved[key] = value

    def update(self, change) -> None:
        data = {"preferences": self.saved}
        change(data)


class ActiveIdle:
    """A stand-in idle source: always active."""

    name = "stand-in idle"

    async def idle_seconds(self) -> float:
        return 0.0

    async def close(self) -> None:
        pass


@dataclass(frozen=True)
class _State:
    user_id: str
    automatic_busy: bool


class FakeSession:
    def __init__(self, user_id: str, automatic_busy: bool) -> None:
        self.state = _State(user_id, automatic_busy)
        self.handed: list[PresenceState | None] = []

    def set_automatic(self, state: PresenceState | None) -> None:
        self.handed.append(state)

    def last(self) -> PresenceState | None:
        return self.handed[-1] if self.handed else None


def _chooser(switch):
    async def choose():
        chosen = ChosenSwitch(switch, None)

        async def close() -> None:
            pass

        chosen.close = close  # type: ignore[method-assign]  # no bus to drop
        return chosen

    return choose


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def _started(prefs, switch, sessions):
    async def sources() -> Sources:
        return Sources(idle=ActiveIdle())

    automatic = AutomaticPresence(prefs, choose=sources, poll_seconds=3600)
    dnd = DoNotDisturb(prefs, choose=_chooser(switch))
    automatic.follow(dnd)
    await automatic.start(lambda: sessions)
    await _settle()  # the first idle read
    await dnd.start(busy=False)
    await _settle()
    return automatic, dnd


def test_busy_where_the_server_has_it_back_when_off_and_never_elsewhere() -> None:
    async def main() -> None:
        switch, prefs = MemorySwitch(), Preferences()
        has_busy, no_busy = FakeSession("@a:hs", True), FakeSession("@b:hs", False)
        automatic, dnd = await _started(prefs, switch, [has_busy, no_busy])
        try:
            assert has_busy.last() is ONLINE and no_busy.last() is ONLINE
            switch.person_sets(True)
            await _settle()
            assert dnd.person_dnd and has_busy.last() is BUSY
            assert BUSY not in no_busy.handed, "Busy handed to a server that has none"
            assert no_busy.last() is ONLINE
            switch.person_sets(False)
            await _settle()
            assert has_busy.last() is ONLINE and automatic.sources.driver(Source.DO_NOT_DISTURB) is None
        finally:
            await dnd.close()
            await automatic.close()

    asyncio.run(main())


def test_the_switch_is_on_by_default_saved_and_lets_go_at_once() -> None:
    async def main() -> None:
        switch, prefs = MemorySwitch(), Preferences()
        session = FakeSession("@a:hs", True)
        automatic, dnd = await _started(prefs, switch, [session])
        try:
            assert dnd.busy_when_on
            switch.person_sets(True)
            await _settle()
            assert session.last() is BUSY
            dnd.toggle_busy_when_on()
            assert prefs.saved[BUSY_WHEN_ON_KEY] is False and not DoNotDisturb(prefs).busy_when_on
            assert session.last() is ONLINE
            dnd.toggle_busy_when_on()
            assert session.last() is BUSY
        finally:
            await dnd.close()
            await automatic.close()

    asyncio.run(main())


def test_do_not_disturb_already_on_at_start_counts() -> None:
    async def main() -> None:
        switch, prefs = MemorySwitch(paused=True), Preferences()
        session = FakeSession("@a:hs", True)
        automatic, dnd = await _started(prefs, switch, [session])
        try:
            assert session.last() is BUSY
        finally:
            await dnd.close()
            await automatic.close()

    asyncio.run(main())


def test_our_own_pause_for_a_busy_override_is_not_the_persons() -> None:
    async def main() -> None:
        switch, prefs = MemorySwitch(), Preferences()
        session = FakeSession("@a:hs", True)
        automatic, dnd = await _started(prefs, switch, [session])
        offered: list = []
        hub_offer = dnd.offer_driver
        dnd.offer_driver = lambda d: (offered.append(d), hub_offer(d))
        try:
            handed = len(session.handed)
            dnd.set_busy(True)  # a Busy override: "Pause notifications while Busy" pauses
            await _settle()
            assert switch._paused and switch.writes == [True]
            assert not dnd.person_dnd and offered == []
            dnd.set_busy(False)
            await _settle()
            assert not switch._paused and switch.writes == [True, False]
            assert offered == [] and BUSY not in session.handed[handed:]
        finally:
            await dnd.close()
            await automatic.close()

    asyncio.run(main())


def test_a_server_found_to_have_busy_is_handed_it() -> None:
    async def main() -> None:
        switch, prefs = MemorySwitch(paused=True), Preferences()
        session = FakeSession("@a:hs", False)  # not detected yet
        automatic, dnd = await _started(prefs, switch, [session])
        try:
            assert session.last() is ONLINE
            assert automatic.driving(True).reason is Reason.DO_NOT_DISTURB
            n = len(session.handed)
            automatic.server_known(session)  # nothing new about its server: nothing handed
            assert len(session.handed) == n
            session.state = replace(session.state, automatic_busy=True)
            automatic.server_known(session)
            assert session.last() is BUSY
        finally:
            await dnd.close()
            await automatic.close()

    asyncio.run(main())
