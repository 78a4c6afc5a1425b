"""Emulated mode's honest labels, several accounts (one section each, "Set all accounts",
signing one out), the status message dialog, and "Start on login"."""

from __future__ import annotations

import pytest

from tests.ui.conftest import (
    PRESENCE_WRITE_MS,
    account_in_menu,
    checked_states,
    get_override,
    get_presence,
    keyring_items,
    menu_text,
    no_override_icon,
    override_value,
    put_override,
    save_menu_png,
)


def session_state(applet, user_id: str):
    return applet.controller.sessions[user_id].state


pytestmark = [pytest.mark.ui, pytest.mark.integration]


def test_emulated_mode_says_what_states_really_do(synapse_stock, user_factory, sign_in, applets, qtbot):
    user = user_factory(synapse_stock, "emu")
    u = user.user_id
    sign_in(synapse_stock, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    assert menu_text(applet, f"acct:{u}:mode") == "This computer holds your choice; other devices can outvote it"
    assert menu_text(applet, f"acct:{u}:state:disabled") == "Disabled (acts as Offline here)"
    assert "This computer holds your choice; other devices can outvote it" in applet.tray.toolTip()

    applet.menu_view.trigger(f"acct:{u}:state:disabled")
    qtbot.waitUntil(lambda: checked_states(applet, u) == ["Disabled (acts as Offline here)"], timeout=PRESENCE_WRITE_MS)
    assert get_presence(synapse_stock, user)["presence"] == "offline"  # what Disabled really is here
    qtbot.waitUntil(lambda: applet.icon_key == "disabled", timeout=PRESENCE_WRITE_MS)
    save_menu_png(applet, "menu-emulated")

    applet.menu_view.trigger(f"acct:{u}:state:unavailable")
    qtbot.waitUntil(lambda: get_presence(synapse_stock, user)["presence"] == "unavailable", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(
        lambda: menu_text(applet, f"acct:{u}:presence") == "Others see you as: Away", timeout=PRESENCE_WRITE_MS
    )


def test_several_accounts_one_section_each_and_set_all(
    synapse_override, synapse_stock, user_factory, sign_in, applets, qtbot, keyring_file
):
    a = user_factory(synapse_override, "multi-a")
    b = user_factory(synapse_stock, "multi-b")  # a second account on a server without the API
    put_override(synapse_override, a, "online")
    sign_in(synapse_override, a)
    sign_in(synapse_stock, b)
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=15_000)
    qtbot.waitUntil(lambda: menu_text(applet, f"acct:{b.user_id}:mode").startswith("This computer"), timeout=15_000)

    texts = applet.menu_view.action_texts()
    assert texts[0] == "Set all accounts" and "Refresh all" in texts
    # One line per account, in sign-in order; each account's states and actions in its submenu.
    assert [t.split(" — ")[0] for t in texts if t.startswith("@")] == [a.user_id, b.user_id]
    assert "Online" not in texts and "Sign out" not in texts
    for user in (a, b):
        under = {i.key for i in applet.model.find(f"acct:{user.user_id}").children}
        assert {f"acct:{user.user_id}:state:online", f"acct:{user.user_id}:signout"} <= under
    assert menu_text(applet, f"acct:{a.user_id}:mode") == "Your server holds your choice for all your devices"

    applet.menu_view.trigger("all:state:unavailable")
    qtbot.waitUntil(lambda: override_value(synapse_override, a) == "unavailable", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(lambda: get_presence(synapse_stock, b)["presence"] == "unavailable", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(lambda: applet.model.find("all:state:unavailable").checked, timeout=PRESENCE_WRITE_MS)
    assert checked_states(applet, a.user_id) == ["Away"] and checked_states(applet, b.user_id) == ["Away"]
    save_menu_png(applet, "menu-two-accounts")

    # Signing one out asks first, then revokes its login on the server and forgets it here.
    applet.menu_view.trigger(f"acct:{b.user_id}:signout")
    box = applet.confirm_box
    assert box is not None and box.isVisible() and b.user_id in box.text()
    [sign_out_button] = [x for x in box.buttons() if x.text() == "&Sign out"]
    from tray_app.credentials import StoredCredentials

    token_b = next(
        StoredCredentials.from_secret(v).access_token for k, v in keyring_items(keyring_file).items() if b.user_id in k
    )
    sign_out_button.click()
    qtbot.waitUntil(lambda: not account_in_menu(applet, b.user_id), timeout=PRESENCE_WRITE_MS)
    assert not any(b.user_id in k for k in keyring_items(keyring_file))
    status, body = synapse_stock.request("GET", "/_matrix/client/v3/account/whoami", token=token_b)
    assert status == 401, body  # the applet's device for b is gone on the server
    texts = applet.menu_view.action_texts()
    assert "Set all accounts" not in texts and texts.count("Online") == 1


def test_status_message_dialog(synapse_override, user_factory, sign_in, applets, qtbot):
    """On a server that keeps a message on its own (this project's module), the message is set
    without a state, stays through state changes and a clear of the override, and goes with
    "Clear message"."""
    user = user_factory(synapse_override, "msg")
    u = user.user_id
    sign_in(synapse_override, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    # No state needed: the item is there, and no "Clear message" while there is none.
    assert applet.model.find(f"acct:{u}:statusmsg").enabled
    assert menu_text(applet, f"acct:{u}:statusmsg") == "Status message…"
    assert menu_text(applet, f"acct:{u}:clearmsg") is None

    applet.menu_view.trigger(f"acct:{u}:statusmsg")
    dialog = applet.status_dialog
    assert dialog is not None and dialog.isVisible() and dialog.edit.text() == ""
    assert [dialog.presets.item(i).text() for i in range(dialog.presets.count())][:2] == ["In a meeting", "Commuting"]
    dialog.edit.setText("  In a meeting until 3  ")
    dialog.set_button.click()
    qtbot.waitUntil(
        lambda: get_override(synapse_override, user).get("status_msg") == "In a meeting until 3",
        timeout=PRESENCE_WRITE_MS,
    )
    assert override_value(synapse_override, user) == ""  # no state was set with it
    qtbot.waitUntil(
        lambda: menu_text(applet, f"acct:{u}:msg") == "Status message: “In a meeting until 3”",
        timeout=PRESENCE_WRITE_MS,
    )
    assert menu_text(applet, f"acct:{u}:clearmsg") == "Clear message"
    assert applet.model.headline.state == "No override (automatic)"  # the message: its own line

    # Changing the state keeps the message, and so does clearing the override.
    applet.menu_view.trigger(f"acct:{u}:state:unavailable")
    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "unavailable", timeout=PRESENCE_WRITE_MS)
    assert get_override(synapse_override, user).get("status_msg") == "In a meeting until 3"
    applet.menu_view.trigger(f"acct:{u}:state:none")
    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "", timeout=PRESENCE_WRITE_MS)
    assert get_override(synapse_override, user).get("status_msg") == "In a meeting until 3"
    qtbot.waitUntil(lambda: session_state(applet, u).pending is None, timeout=PRESENCE_WRITE_MS)
    assert session_state(applet, u).status_msg == "In a meeting until 3"

    # The dialog offers it as a recent message now; "Clear message" removes it.
    applet.menu_view.trigger(f"acct:{u}:statusmsg")
    dialog = applet.status_dialog
    assert dialog.edit.text() == "In a meeting until 3"
    assert [dialog.recent.item(i).text() for i in range(dialog.recent.count())] == ["In a meeting until 3"]
    dialog.reject()
    applet.menu_view.trigger(f"acct:{u}:clearmsg")
    qtbot.waitUntil(lambda: not get_override(synapse_override, user).get("status_msg"), timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(lambda: menu_text(applet, f"acct:{u}:msg") is None, timeout=PRESENCE_WRITE_MS)
    assert menu_text(applet, f"acct:{u}:clearmsg") is None


def test_a_message_needs_a_state_where_the_server_ties_them(synapse_stock, user_factory, sign_in, applets, qtbot):
    """Stock Synapse (emulated): the message goes with this device's held state, so without one
    the item says plainly that this server keeps a message only with a state."""
    user = user_factory(synapse_stock, "msgemu")
    u = user.user_id
    sign_in(synapse_stock, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    item = applet.model.find(f"acct:{u}:statusmsg")
    assert not item.enabled and item.text == "Status message… (this server keeps one only with a state)"
    applet.menu_view.trigger(f"acct:{u}:state:unavailable")
    qtbot.waitUntil(lambda: applet.model.find(f"acct:{u}:statusmsg").enabled, timeout=PRESENCE_WRITE_MS)
    applet.menu_view.trigger(f"acct:{u}:statusmsg")
    dialog = applet.status_dialog
    assert dialog is not None and "only together with a state" in dialog.note.text()
    dialog.reject()


def test_start_on_login_item(applets, qtbot, tmp_path, monkeypatch):
    from tray_app import autostart

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    applet = applets.start(autostart=autostart)
    assert menu_text(applet, "autostart") == "Start on login"
    assert applet.menu_view.actions["autostart"].isCheckable()
    assert not applet.menu_view.actions["autostart"].isChecked()

    applet.menu_view.trigger("autostart")
    assert autostart.is_enabled()
    entry = tmp_path / "xdg" / "autostart" / "presence-tray.desktop"
    assert entry.exists() and "--autostarted" in entry.read_text()
    assert applet.menu_view.actions["autostart"].isChecked()

    applet.menu_view.trigger("autostart")
    assert not autostart.is_enabled()
    assert not applet.menu_view.actions["autostart"].isChecked()


def test_emulated_mode_stops_fighting_another_device_and_says_so(
    synapse_factory, user_factory, sign_in, applets, qtbot
):
    import threading

    server = synapse_factory()  # stock Synapse of its own: another device will keep syncing on it
    user = user_factory(server, "fight")
    u = user.user_id
    sign_in(server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    applet.menu_view.trigger(f"acct:{u}:state:unavailable")
    qtbot.waitUntil(lambda: get_presence(server, user)["presence"] == "unavailable", timeout=PRESENCE_WRITE_MS)

    stop = threading.Event()

    def other_device() -> None:  # e.g. a phone app that keeps saying "online"
        while not stop.is_set():
            server.sync(user.access_token, set_presence="online")
            stop.wait(0.5)

    t = threading.Thread(target=other_device, daemon=True)
    t.start()
    try:
        qtbot.waitUntil(
            lambda: any(n.title == "Another device keeps winning" for n in applet.notifications), timeout=90_000
        )
    finally:
        stop.set()
        t.join(10)
    qtbot.waitUntil(
        lambda: menu_text(applet, f"acct:{u}:contested") == "Another device keeps winning — not fighting it",
        timeout=5_000,
    )
    assert checked_states(applet, u) == ["Away"]  # what this device holds, honestly labelled
    assert "Another device keeps winning; not fighting it" in applet.tray.toolTip()
    save_menu_png(applet, "menu-contested")
