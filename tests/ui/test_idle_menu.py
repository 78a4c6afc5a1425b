"""The automatic-presence line and submenu in the real menu, driven by a fed-in idle source.

The source is a stand-in (its readings are set by the test); the menu, the controller,
the settings file, the session and Synapse are real.
"""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import menu_text, put_override, save_menu_png
from tray_app.idle.automatic import AutomaticPresence
from tray_app.idle.chooser import Sources
from tray_app.settings import Settings

pytestmark = [pytest.mark.ui, pytest.mark.integration]


class FedIdleStandIn:
    """Stand-in idle and lock source: reports what the test sets."""

    name = "fed-in stand-in"

    def __init__(self) -> None:
        self.idle = 3.0
        self.is_locked = False

    async def idle_seconds(self) -> float:
        return self.idle

    async def locked(self) -> bool:
        return self.is_locked

    def on_change(self, callback) -> None:
        pass

    async def close(self) -> None:
        pass


def _settings_prefs(accounts) -> dict:
    return json.loads(accounts.settings.path.read_text()).get("preferences", {})


def test_automatic_line_submenu_and_settings(synapse_override, user_factory, sign_in, applets, make_accounts, qtbot):
    user = user_factory(synapse_override, "idlemenu")
    sign_in(synapse_override, user)
    fed = FedIdleStandIn()

    async def choose() -> Sources:
        return Sources(idle=fed, locks=[fed])

    accounts = make_accounts()
    applet = applets.start(accounts=accounts, idle=AutomaticPresence(accounts.settings, choose=choose))
    qtbot.waitUntil(lambda: menu_text(applet, "idle:line") == "Automatic: Online", timeout=15_000)
    assert applet.tray.toolTip().endswith("Automatic: Online")
    assert menu_text(applet, "idle:after:5") is not None and applet.model.find("idle:after:5").checked
    assert applet.model.find("idle:locked:offline").checked and applet.model.find("idle:enabled").checked

    fed.idle = 7 * 60 + 5
    qtbot.waitUntil(lambda: menu_text(applet, "idle:line") == "Automatic: Away (idle 7 min)", timeout=15_000)
    assert "Automatic: Away (idle 7 min)" in applet.tray.toolTip()
    save_menu_png(applet, "menu-automatic-away")
    sub = applet.menu_view.submenus["idle"]
    sub.ensurePolished()
    sub.adjustSize()
    assert sub.grab().save(str(save_menu_png(applet, "menu-automatic-away").with_name("menu-automatic-submenu.png")))
    put_override(synapse_override, user, "online")
    applet.controller.refresh(None)
    qtbot.waitUntil(
        lambda: menu_text(applet, "idle:line") == "Automatic: Away (idle 7 min) — the override wins", timeout=15_000)

    applet.menu_view.trigger("idle:after:10")  # 7 min idle is no longer away
    qtbot.waitUntil(lambda: menu_text(applet, "idle:line", ) == "Automatic: Online — the override wins", timeout=5_000)
    assert _settings_prefs(accounts)["away_after_minutes"] == 10

    fed.is_locked = True
    qtbot.waitUntil(lambda: (menu_text(applet, "idle:line") or "").startswith("Automatic: Offline (screen locked)"),
                    timeout=15_000)
    applet.menu_view.trigger("idle:locked:none")
    qtbot.waitUntil(lambda: (menu_text(applet, "idle:line") or "").startswith("Automatic: Online"), timeout=5_000)
    assert _settings_prefs(accounts)["when_locked"] == "none"

    applet.menu_view.trigger("idle:enabled")
    qtbot.waitUntil(lambda: menu_text(applet, "idle:line") == "Automatic: off", timeout=5_000)
    assert _settings_prefs(accounts)["auto_presence"] is False
    assert not applet.model.find("idle:after:10").enabled
    # A new start reads the same choices back.
    assert Settings.load(accounts.settings.path).preference("auto_presence") is False


def test_nothing_detected_says_so_once_and_offers_no_submenu(synapse_override, user_factory, sign_in, applets, make_accounts, qtbot):
    user = user_factory(synapse_override, "noidle")
    sign_in(synapse_override, user)

    async def choose() -> Sources:
        return Sources()

    accounts = make_accounts()
    applet = applets.start(accounts=accounts, idle=AutomaticPresence(accounts.settings, choose=choose))
    qtbot.waitUntil(lambda: menu_text(applet, "idle:line") == "Idle detection isn't available on this desktop",
                    timeout=15_000)
    texts = [i.text for i in applet.model.walk()]
    assert texts.count("Idle detection isn't available on this desktop") == 1
    assert menu_text(applet, "idle") is None
    state = applet.controller.sessions[user.user_id].state
    assert state.automatic is None  # neutral, as before


def test_the_no_tray_window_offers_the_same_choices(synapse_override, user_factory, sign_in, applets, make_accounts, qtbot):
    user = user_factory(synapse_override, "idlewin")
    sign_in(synapse_override, user)
    fed = FedIdleStandIn()

    async def choose() -> Sources:
        return Sources(idle=fed, locks=[fed])

    accounts = make_accounts()
    applet = applets.start(use_tray=False, accounts=accounts, idle=AutomaticPresence(accounts.settings, choose=choose))
    qtbot.waitUntil(lambda: "idle:combo" in applet.window.widgets, timeout=15_000)
    combo = applet.window.widgets["idle:combo"]
    index = combo.findData("idle:after:15")
    assert index >= 0
    combo.activated.emit(index)  # as a person picking it
    qtbot.waitUntil(lambda: _settings_prefs(accounts).get("away_after_minutes") == 15, timeout=5_000)
