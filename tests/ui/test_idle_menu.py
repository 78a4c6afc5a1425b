"""The automatic-presence line and submenu in the real menu, driven by a fed-in idle source.

The source is a stand-in (its readings are set by the test); the menu, the controller,
the settings file, the session and Synapse are real.
"""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import get_override, menu_text, put_override, save_menu_png
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
    # The session may hold the change back first (one per 30 s): "…, goes out within 30 s".
    qtbot.waitUntil(
        lambda: (menu_text(applet, "idle:line") or "").startswith("Automatic: Away (idle 7 min)"), timeout=15_000
    )
    assert "Automatic: Away (idle 7 min)" in applet.tray.toolTip()
    save_menu_png(applet, "menu-automatic-away")
    sub = applet.menu_view.submenus["idle"]
    sub.ensurePolished()
    sub.adjustSize()
    assert sub.grab().save(str(save_menu_png(applet, "menu-automatic-away").with_name("menu-automatic-submenu.png")))
    put_override(synapse_override, user, "online")
    applet.controller.refresh(None)
    qtbot.waitUntil(
        lambda: menu_text(applet, "idle:line") == "Automatic: Away (idle 7 min) — the override wins", timeout=15_000
    )

    applet.menu_view.trigger("idle:after:10")  # 7 min idle is no longer away
    qtbot.waitUntil(
        lambda: (
            menu_text(
                applet,
                "idle:line",
            )
            == "Automatic: Online — the override wins"
        ),
        timeout=5_000,
    )
    assert _settings_prefs(accounts)["away_after_minutes"] == 10

    fed.is_locked = True
    qtbot.waitUntil(
        lambda: (menu_text(applet, "idle:line") or "").startswith("Automatic: Offline (screen locked)"), timeout=15_000
    )
    applet.menu_view.trigger("idle:locked:none")
    qtbot.waitUntil(lambda: (menu_text(applet, "idle:line") or "").startswith("Automatic: Online"), timeout=5_000)
    assert _settings_prefs(accounts)["when_locked"] == "none"

    applet.menu_view.trigger("idle:enabled")
    qtbot.waitUntil(lambda: menu_text(applet, "idle:line") == "Automatic: off", timeout=5_000)
    assert _settings_prefs(accounts)["auto_presence"] is False
    assert not applet.model.find("idle:after:10").enabled
    # A new start reads the same choices back.
    assert Settings.load(accounts.settings.path).preference("auto_presence") is False


def test_nothing_detected_says_so_once_and_offers_no_submenu(
    synapse_override, user_factory, sign_in, applets, make_accounts, qtbot
):
    user = user_factory(synapse_override, "noidle")
    sign_in(synapse_override, user)

    async def choose() -> Sources:
        return Sources()

    accounts = make_accounts()
    applet = applets.start(accounts=accounts, idle=AutomaticPresence(accounts.settings, choose=choose))
    qtbot.waitUntil(
        lambda: menu_text(applet, "idle:line") == "Idle detection isn't available on this desktop", timeout=15_000
    )
    texts = [i.text for i in applet.model.walk()]
    assert texts.count("Idle detection isn't available on this desktop") == 1
    assert menu_text(applet, "idle") is None
    state = applet.controller.sessions[user.user_id].state
    assert state.automatic is None  # neutral, as before


def test_the_no_tray_window_offers_the_same_choices(
    synapse_override, user_factory, sign_in, applets, make_accounts, qtbot
):
    user = user_factory(synapse_override, "idlewin")
    sign_in(synapse_override, user)
    fed = FedIdleStandIn()

    async def choose() -> Sources:
        return Sources(idle=fed, locks=[fed])

    accounts = make_accounts()
    applet = applets.start(use_tray=False, accounts=accounts, idle=AutomaticPresence(accounts.settings, choose=choose))
    # A check box and one combo box per choice (the threshold, the lock), each showing its choice.
    qtbot.waitUntil(lambda: "idle:idle:after:combo" in applet.window.widgets, timeout=15_000)
    combo = applet.window.widgets["idle:idle:after:combo"]
    assert combo.currentText() == "Set me away after 5 min idle"
    index = combo.findData("idle:after:15")
    assert index >= 0
    combo.activated.emit(index)  # as a person picking it
    qtbot.waitUntil(lambda: _settings_prefs(accounts).get("away_after_minutes") == 15, timeout=5_000)
    qtbot.waitUntil(lambda: combo.currentText() == "Set me away after 15 min idle", timeout=5_000)


# -- several accounts: each has its own automatic presence ---------------------------------------

from datetime import UTC, datetime  # noqa: E402

from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy  # noqa: E402
from tray_app.session_state import ApiMode, Connection, SessionState  # noqa: E402
from tray_app.states import Override, PresenceState  # noqa: E402
from tray_app.ui.idle_menu import IdleMenuState, automatic_lines  # noqa: E402
from tray_app.ui.presenter import AppSnapshot, build_menu, tooltip  # noqa: E402

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
AWAY = PresenceState.UNAVAILABLE
IDLE_7 = AutoPresence(AWAY, AutoReason.IDLE, 7 * 60 + 5)


def _st(user: str, **kw) -> SessionState:
    return SessionState(
        **{"user_id": user, "homeserver": "https://hs", "api": ApiMode.STABLE, "connection": Connection.CONNECTED, **kw}
    )


def _visible(model, key: str) -> str | None:
    item = model.find(key)
    return item.text if item.visible else None


def test_each_account_shows_its_own_automatic_presence():
    ada = _st("@ada:hs", override=Override(PresenceState.ONLINE, "online"), automatic=AWAY)  # the override wins
    bob = _st("@bob:hs", automatic=AWAY)  # carried
    cy = _st("@cy:hs", automatic=PresenceState.ONLINE)  # its session holds the change back (30 s)
    gone = _st("@gone:hs", connection=Connection.SIGNED_OUT)
    idle = IdleMenuState(True, IDLE_7, IdlePolicy())
    model = build_menu(AppSnapshot((ada, bob, cy, gone), idle=idle), NOW)
    assert _visible(model, "acct:@ada:hs:auto") == "Automatic: Away (idle 7 min) — the override wins"
    assert _visible(model, "acct:@bob:hs:auto") == "Automatic: Away (idle 7 min)"
    assert _visible(model, "acct:@cy:hs:auto") == "Automatic: Away (idle 7 min), goes out within 30 s"
    assert not any(i.key == "acct:@gone:hs:auto" for i in model.walk())  # signed out: says nothing
    assert _visible(model, "idle:line") is None  # said per account, not once more
    # Each under its own account (in its submenu): right after "Others see you as".
    keys = [i.key for i in model.find("acct:@bob:hs").children]
    assert keys.index("acct:@bob:hs:auto") == keys.index("acct:@bob:hs:presence") + 1

    # The tooltip sums several accounts up in a few lines; each one's line is in its submenu.
    tip = tooltip((ada, bob, cy), NOW, None, *automatic_lines(idle, (ada, bob, cy)))
    assert len(tip.splitlines()) <= 5 and "idle 7 min" not in tip, tip


def test_an_account_left_out_says_so_and_the_submenu_lists_accounts():
    work = _st("@w:hs", automatic=None)
    held = _st("@h:hs", automatic=AWAY)  # just left out; its session has not let go yet
    home = _st("@p:hs", automatic=AWAY)
    idle = IdleMenuState(True, IDLE_7, IdlePolicy(off_for=frozenset({"@w:hs", "@h:hs"})))
    model = build_menu(AppSnapshot((work, held, home), idle=idle), NOW)
    assert _visible(model, "acct:@w:hs:auto") == "Automatic: off for this account"
    assert _visible(model, "acct:@h:hs:auto") == "Automatic: off for this account, goes out within 30 s"
    assert _visible(model, "acct:@p:hs:auto") == "Automatic: Away (idle 7 min)"
    items = {k: model.find(f"idle:account:{k}") for k in ("@w:hs", "@h:hs", "@p:hs")}
    assert [i.checked for i in items.values()] == [False, False, True]
    assert items["@w:hs"].text == "Apply to @w:hs"
    assert items["@w:hs"].action.policy.off_for == frozenset({"@h:hs"})  # a click lets it in again
    assert items["@p:hs"].action.policy.off_for == frozenset({"@w:hs", "@h:hs", "@p:hs"})
    # One account: no list, unless that one was left out (so it can be let in again).
    assert not any(i.key.startswith("idle:account:") for i in build_menu(AppSnapshot((home,), idle=idle), NOW).walk())
    alone = build_menu(AppSnapshot((work,), idle=idle), NOW)
    assert not alone.find("idle:account:@w:hs").checked
    assert _visible(alone, "idle:line") == "Automatic: off for this account"


def test_what_holds_for_all_accounts_is_said_once():
    a, b = _st("@a:hs", automatic=None), _st("@b:hs", override=Override(AWAY, "unavailable"))
    for current, text in (
        (AutoPresence(None, AutoReason.OFF), "Automatic: off"),
        (AutoPresence(None, AutoReason.UNAVAILABLE), "Idle detection isn't available on this desktop"),
    ):
        idle = IdleMenuState(current.reason is not AutoReason.UNAVAILABLE, current, IdlePolicy())
        model = build_menu(AppSnapshot((a, b), idle=idle), NOW)
        assert _visible(model, "idle:line") == text
        assert _visible(model, "acct:@a:hs:auto") is None and _visible(model, "acct:@b:hs:auto") is None
        assert [i.text for i in model.walk()].count(text) == 1
        assert tooltip((a, b), NOW, None, *automatic_lines(idle, (a, b))).endswith("\n" + text)
    # Still looking for sources: nothing said at all.
    looking = IdleMenuState(None, AutoPresence(None, AutoReason.OFF), IdlePolicy())
    assert automatic_lines(looking, (a, b)) == (None, {})


def test_one_account_one_line():
    ada = _st("@ada:hs", override=Override(PresenceState.ONLINE, "online"), automatic=AWAY)
    idle = IdleMenuState(True, IDLE_7, IdlePolicy())
    model = build_menu(AppSnapshot((ada,), idle=idle), NOW)
    assert _visible(model, "idle:line") == "Automatic: Away (idle 7 min) — the override wins"
    assert not any(i.key.endswith(":auto") for i in model.walk())
    assert tooltip((ada,), NOW, None, *automatic_lines(idle, (ada,))).endswith(
        "\n\nAutomatic: Away (idle 7 min) — the override wins"
    )


def test_two_accounts_in_the_real_menu_one_overridden(
    synapse_override, user_factory, sign_in, applets, make_accounts, qtbot
):
    """Two accounts on a real Synapse: the one with an override says the override wins, the
    other carries automatic presence, each in its own section of the menu and the tooltip."""
    held = user_factory(synapse_override, "idle2-held")
    free = user_factory(synapse_override, "idle2-free")
    put_override(synapse_override, held, "online")
    sign_in(synapse_override, held)
    sign_in(synapse_override, free)
    fed = FedIdleStandIn()

    async def choose() -> Sources:
        return Sources(idle=fed, locks=[fed])

    accounts = make_accounts()
    applet = applets.start(accounts=accounts, idle=AutomaticPresence(accounts.settings, choose=choose))
    held_key, free_key = f"acct:{held.user_id}:auto", f"acct:{free.user_id}:auto"
    qtbot.waitUntil(
        lambda: (
            menu_text(applet, held_key) == "Automatic: Online — the override wins"
            and menu_text(applet, free_key) == "Automatic: Online"
        ),
        timeout=15_000,
    )
    assert menu_text(applet, "idle:line") is None
    # Each account's line is in its own submenu; the tooltip sums the accounts up in a few lines.
    for user, key in ((held, held_key), (free, free_key)):
        assert key in {i.key for i in applet.model.find(f"acct:{user.user_id}").children}
    assert len(applet.tray.toolTip().splitlines()) <= 5, applet.tray.toolTip()
    states = lambda: [applet.controller.sessions[u.user_id].state for u in (held, free)]  # noqa: E731
    assert [s.automatic for s in states()] == [
        PresenceState.ONLINE
    ] * 2  # both carry it; the override wins at the server

    fed.is_locked = True
    qtbot.waitUntil(
        lambda: (
            menu_text(applet, held_key) == "Automatic: Offline (screen locked) — the override wins"
            and (menu_text(applet, free_key) or "").startswith("Automatic: Offline (screen locked)")
        ),
        timeout=15_000,
    )
    save_menu_png(applet, "menu-automatic-two-accounts")
    # The override still wins for the one: nothing others see changed.
    assert get_override(synapse_override, held)["presence_override"] == "online"


def test_one_account_left_out_by_key_press(synapse_override, user_factory, sign_in, applets, make_accounts, qtbot):
    """With several accounts the submenu lists each one: unchecking one (by the arrow keys and
    Return, as a keyboard user would) leaves that account neutral while the other keeps following."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    keep = user_factory(synapse_override, "idlek-keep")
    out = user_factory(synapse_override, "idlek-out")
    sign_in(synapse_override, keep)
    sign_in(synapse_override, out)
    fed = FedIdleStandIn()

    async def choose() -> Sources:
        return Sources(idle=fed, locks=[fed])

    accounts = make_accounts()
    applet = applets.start(accounts=accounts, idle=AutomaticPresence(accounts.settings, choose=choose))
    out_item = f"idle:account:{out.user_id}"
    qtbot.waitUntil(lambda: menu_text(applet, out_item) is not None, timeout=15_000)
    assert applet.model.find(out_item).checked and applet.model.find(f"idle:account:{keep.user_id}").checked

    sub = applet.menu_view.submenus["idle"]
    sub.popup(QPoint(0, 0))
    qtbot.waitUntil(sub.isVisible, timeout=5_000)
    act = applet.menu_view.actions[out_item]
    # One item per account: no access key (it would differ with the accounts); the arrows reach it.
    assert "&" not in act.text().replace("&&", ""), act.text()
    for _ in range(len(sub.actions())):
        if sub.activeAction() is act:
            break
        QTest.keyClick(sub, Qt.Key.Key_Down)
    assert sub.activeAction() is act
    QTest.keyClick(sub, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _settings_prefs(accounts).get("auto_presence_off_for") == [out.user_id], timeout=5_000)
    qtbot.waitUntil(lambda: not applet.model.find(out_item).checked, timeout=5_000)
    assert (menu_text(applet, f"acct:{out.user_id}:auto") or "").startswith("Automatic: off for this account")
    assert menu_text(applet, f"acct:{keep.user_id}:auto") == "Automatic: Online"
    assert applet.controller.sessions[keep.user_id].state.automatic is PresenceState.ONLINE
    # A new start reads the choice back.
    assert Settings.load(accounts.settings.path).preference("auto_presence_off_for") == [out.user_id]
