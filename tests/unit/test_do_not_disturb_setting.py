"""The "Pause notifications while Busy" setting: saved, on by default, hidden without a switch,
and the controller's Busy (any account's confirmed override) reaches the switch."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tests.support.memory_switch import MemorySwitch
from tray_app.dnd.chooser import ChosenSwitch
from tray_app.dnd.desktop import DoNotDisturb
from tray_app.session_state import SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.menu_content import build_menu
from tray_app.ui.view_model import AppSnapshot, Kind, TogglePauseBanners


class Preferences:
    def __init__(self) -> None:
        self.saved: dict = {}

    def preference(self, key, default=None):
        return self.saved.get(key, default)

    def set_preference(self, key, value) -> None:
        self.saved[key] = value


class NoBus:
    async def close(self) -> None:
        pass


def _chooser(switch):
    async def choose():
        if switch is None:
            return None
        chosen = ChosenSwitch(switch, None)
        chosen.close = NoBus().close  # type: ignore[method-assign]  # no bus to drop
        return chosen

    return choose


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


def test_on_by_default_saved_when_turned_off_and_busy_reaches_the_switch() -> None:
    async def main() -> None:
        switch, prefs = MemorySwitch(), Preferences()
        dnd = DoNotDisturb(prefs, choose=_chooser(switch))
        await dnd.start(busy=False)
        assert dnd.available and dnd.enabled
        dnd.set_busy(True)
        await _settle()
        assert switch._paused and prefs.saved["banners_paused_by_us"] is True
        dnd.toggle()
        await _settle()
        assert not switch._paused and prefs.saved["pause_banners_while_busy"] is False
        assert not DoNotDisturb(prefs).enabled, "turning it off did not last"
        dnd.toggle()
        await _settle()
        assert switch._paused
        await dnd.close()
        assert not switch._paused and prefs.saved["banners_paused_by_us"] is False

    asyncio.run(main())


def test_no_switch_no_menu_item() -> None:
    async def main() -> None:
        dnd = DoNotDisturb(Preferences(), choose=_chooser(None))
        await dnd.start(busy=True)
        assert dnd.available is False
        dnd.set_busy(False)
        await dnd.close()

    asyncio.run(main())
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    account = SessionState(user_id="@a:hs", homeserver="https://hs", override=Override(PresenceState.BUSY, "busy"))
    hidden = build_menu(AppSnapshot((account,)), now)
    assert "pause-banners" not in [i.key for i in hidden.items]
    shown = {i.key: i for i in build_menu(AppSnapshot((account,), pause_banners=True), now).items}
    item = shown["pause-banners"]
    assert item.kind is Kind.CHECK and item.checked and isinstance(item.action, TogglePauseBanners)
    assert item.text == "Pause notifications while Busy"
