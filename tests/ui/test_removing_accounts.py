"""Removing an account when signing out can't finish: a server that is gone (remove the login from
this computer only, after asking), and a sign-out the server accepted but whose keyring item
could not be deleted (the account goes anyway, and the user is told about the item)."""

from __future__ import annotations

import json

import pytest

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions
from tests.harness.waiting import qt_assert_stays
from tests.ui.conftest import account_in_menu, keyring_items, menu_text, no_override_icon
from tests.ui.file_keyring import FileKeyring

pytestmark = [pytest.mark.ui, pytest.mark.integration]


@pytest.fixture
def own_server(synapse_factory):
    """A server of this test's own: it is stopped for good here."""
    return synapse_factory(SynapseOptions(modules=[{"module": OVERRIDE_MODULE, "config": {}}]))


def token_of(keyring_file, user_id):
    from tray_app.credentials import StoredCredentials

    return next(
        StoredCredentials.from_secret(v).access_token for k, v in keyring_items(keyring_file).items() if user_id in k
    )


def listed(settings_path):
    return json.loads(settings_path.read_text()).get("accounts", [])


def click(box, text):
    from tray_app.ui.menu import plain_text

    [button] = [b for b in box.buttons() if plain_text(b.text()) == text]
    button.click()


def test_a_server_that_is_gone_can_still_be_removed(
    own_server, user_factory, sign_in, applets, qtbot, keyring_file, settings_path
):
    a = user_factory(own_server, "gone-a")  # removed through the failed sign-out's follow-up
    b = user_factory(own_server, "gone-b")  # removed with the menu item
    c = user_factory(own_server, "gone-c")  # signed out by the server before it went away
    for user in (a, b, c):
        sign_in(own_server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    for user in (a, b):
        assert menu_text(applet, f"acct:{user.user_id}:forget") is None  # only while the server can't be reached
    own_server.logout(token_of(keyring_file, c.user_id))
    applet.menu_view.trigger("refresh")
    qtbot.waitUntil(lambda: menu_text(applet, f"acct:{c.user_id}:signin") == "Sign in again…", timeout=15_000)

    own_server.stop()  # gone for good
    applet.menu_view.trigger("refresh")
    qtbot.waitUntil(
        lambda: all(menu_text(applet, f"acct:{u.user_id}:conn") == "Can't reach the server — retrying" for u in (a, b)),
        timeout=15_000,
    )
    assert menu_text(applet, f"acct:{a.user_id}:forget") == "Remove from this computer…"

    # Signing out needs the server: it fails, says why, and offers removing the login here.
    applet.menu_view.trigger(f"acct:{a.user_id}:signout")
    click(applet.confirm_box, "Sign out")
    qtbot.waitUntil(lambda: any(n.title == "Couldn't sign out" for n in applet.notifications), timeout=15_000)
    note = next(n for n in applet.notifications if n.title == "Couldn't sign out")
    assert "can't reach the server" in note.text and "Remove from this computer…" in note.text
    qtbot.waitUntil(lambda: applet.confirm_box is not None and applet.confirm_box.isVisible(), timeout=5_000)
    box = applet.confirm_box
    assert f"Couldn't sign out {a.user_id}" in box.text() and "from this computer only" in box.text()
    assert account_in_menu(applet, a.user_id)  # nothing removed before the answer
    click(box, "Remove from this computer")
    qtbot.waitUntil(lambda: not account_in_menu(applet, a.user_id), timeout=10_000)
    # The keyring item goes after the account entry (off the loop): wait for it, then it must be gone.
    qtbot.waitUntil(lambda: not any(a.user_id in k for k in keyring_items(keyring_file)), timeout=10_000)
    assert a.user_id not in listed(settings_path)

    # The menu item does the same, after asking; Cancel keeps the account.
    applet.menu_view.trigger(f"acct:{b.user_id}:forget")
    box = applet.confirm_box
    assert box.isVisible() and f"Remove {b.user_id} from this computer only?" in box.text()
    click(box, "Cancel")
    qt_assert_stays(qtbot, lambda: account_in_menu(applet, b.user_id), 0.2, f"{b.user_id} kept after Cancel")
    applet.menu_view.trigger(f"acct:{b.user_id}:forget")
    click(applet.confirm_box, "Remove from this computer")
    qtbot.waitUntil(lambda: not account_in_menu(applet, b.user_id), timeout=10_000)
    # The keyring item goes after the account entry (off the loop): wait for it, then it must be gone.
    qtbot.waitUntil(lambda: not any(b.user_id in k for k in keyring_items(keyring_file)), timeout=10_000)

    # A login the server already rejected: "Remove this account" needs no server at all.
    applet.menu_view.trigger(f"acct:{c.user_id}:signout")
    click(applet.confirm_box, "Remove")
    qtbot.waitUntil(lambda: not account_in_menu(applet, c.user_id), timeout=10_000)
    # As above: the keyring item goes after the account entry (CI once read it in between). Keys
    # only in the message: the items hold access tokens.
    qtbot.waitUntil(lambda: not keyring_items(keyring_file), timeout=10_000)
    assert list(keyring_items(keyring_file)) == [] and listed(settings_path) == []
    assert applet.menu_view.action_texts()[:2] == ["Presence Tray", "Not signed in"]
    assert not any(n.title in ("Couldn't remove the account", "Keyring item not removed") for n in applet.notifications)


class DeleteFailsKeyring(FileKeyring):
    """A keyring that stores and reads, but fails to delete (a D-Bus fault, a locked item)."""

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.Secret.Error.IsLocked")


def test_sign_out_that_can_not_delete_the_keyring_item_still_removes_the_account(
    synapse_override, user_factory, sign_in, applets, qtbot, keyring_file, settings_path
):
    from tray_app.accounts import Accounts
    from tray_app.credentials import CredentialStore
    from tray_app.settings import Settings

    user = user_factory(synapse_override, "halfout")
    u = user.user_id
    sign_in(synapse_override, user)
    token = token_of(keyring_file, u)
    accounts = Accounts(CredentialStore(DeleteFailsKeyring(keyring_file)), Settings.load(settings_path))
    applet = applets.start(accounts=accounts)
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    applet.menu_view.trigger(f"acct:{u}:signout")
    click(applet.confirm_box, "Sign out")
    qtbot.waitUntil(lambda: any(n.title == "Keyring item not removed" for n in applet.notifications), timeout=15_000)
    # Signed out on the server...
    status, body = synapse_override.request("GET", "/_matrix/client/v3/account/whoami", token=token)
    assert status == 401, body
    # ...so the account is gone from the applet, not left half-dead in the menu.
    qtbot.waitUntil(lambda: applet.menu_view.action_texts()[:2] == ["Presence Tray", "Not signed in"], timeout=10_000)
    assert u not in applet.controller.sessions and u not in listed(settings_path)
    # What the notification says is true: the item is still there, and it says how to remove it.
    assert any(u in k for k in keyring_items(keyring_file))
    note = next(n for n in applet.notifications if n.title == "Keyring item not removed")
    assert note.warning and u in note.text and "keyring" in note.text and "presence-tray" in note.text
    assert not any(n.title == "Couldn't sign out" for n in applet.notifications)
