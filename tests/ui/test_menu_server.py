"""The menu against a real Synapse with the override module: it shows what the server holds, and
clicks reach the server (checked with a raw GET from the user's other device)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import PRESENCE_WRITE_MS, get_override, no_override_icon, override_value, put_override

pytestmark = [pytest.mark.ui, pytest.mark.integration]


def checked_states(applet, user_id: str) -> list[str]:
    m = applet.model
    return [i.text for i in m.walk() if i.key.startswith(f"acct:{user_id}:state:") and i.checked]


def action_for(applet, user_id: str, state: str):
    return applet.menu_view.actions[f"acct:{user_id}:state:{state}"]


def test_menu_reflects_what_the_server_holds(synapse_override, user_factory, sign_in, applets, qtbot):
    user = user_factory(synapse_override, "menu")
    put_override(synapse_override, user, "unavailable")  # set by another device before we start
    sign_in(synapse_override, user)

    applet = applets.start()
    qtbot.waitUntil(
        lambda: checked_states(applet, user.user_id) == ["Away"] and applet.icon_key == "away", timeout=15_000
    )

    texts = applet.menu_view.action_texts()
    assert texts[0] == user.user_id  # the header names the account
    assert "Server override (MSC4043), changes pushed via MSC4532" in texts
    assert [t for t in texts if t.startswith("Others see you as:")] == ["Others see you as: Away"]
    # Exactly one exclusive, checked state, and it is the server's.
    qactions = [action_for(applet, user.user_id, k) for k in ("online", "unavailable", "offline", "disabled", "none")]
    # Each with a keyboard mnemonic of its own.
    assert [a.text() for a in qactions] == ["&Online", "&Away", "O&ffline", "&Disabled", "&No override (automatic)"]
    assert [a.isChecked() for a in qactions] == [False, True, False, False, False]
    assert all(a.actionGroup() is qactions[0].actionGroup() and a.actionGroup().isExclusive() for a in qactions)
    assert applet.icon_key == "away"
    assert applet.tray.toolTip().splitlines()[:3] == ["Presence Tray", user.user_id, "Override: Away"]
    assert "Mode: Server override (MSC4043), changes pushed via MSC4532" in applet.tray.toolTip()
    # Bottom of the menu: the global actions.
    assert texts[-4:] == ["Refresh", "", "Add account…", "Quit"]


def test_clicks_reach_the_server(synapse_override, user_factory, sign_in, applets, qtbot):
    user = user_factory(synapse_override, "click")
    sign_in(synapse_override, user)
    applet = applets.start()
    qtbot.waitUntil(
        lambda: checked_states(applet, user.user_id) == ["No override (automatic)"] and no_override_icon(applet),
        timeout=15_000,
    )

    for key, wire, label, icon in [
        ("online", "online", "Online", "online"),
        ("disabled", "disabled", "Disabled", "disabled"),
        ("unavailable", "unavailable", "Away", "away"),
        ("offline", "offline", "Offline", "offline"),
    ]:
        action_for(applet, user.user_id, key).trigger()  # what a mouse click on the item does
        qtbot.waitUntil(lambda: override_value(synapse_override, user) == wire, timeout=PRESENCE_WRITE_MS)
        qtbot.waitUntil(
            lambda: checked_states(applet, user.user_id) == [label] and applet.icon_key == icon,
            timeout=PRESENCE_WRITE_MS,
        )

    action_for(applet, user.user_id, "none").trigger()
    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(
        lambda: checked_states(applet, user.user_id) == ["No override (automatic)"], timeout=PRESENCE_WRITE_MS
    )
    assert no_override_icon(applet)
    assert get_override(synapse_override, user).get("presence_override", "") == ""


def test_menu_screenshot_for_people(synapse_override, user_factory, sign_in, applets, qtbot):
    from tests.ui.conftest import save_menu_png

    user = user_factory(synapse_override, "shot")
    put_override(synapse_override, user, "unavailable", status_msg="Back at 3")
    sign_in(synapse_override, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=15_000)
    path = save_menu_png(applet, "menu-away")
    assert path.stat().st_size > 1000
