"""Starting and stopping around sign-ins: a start that fails still takes the tray down, quitting
closes the dialogs before the sessions and never lets a login slip in afterwards, closing the
sign-in dialog mid-sign-in does not cancel the login, and a second launch during the wait for
the tray host does not ask an account that exists to sign in."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.waiting import qt_assert_stays
from tests.ui.conftest import keyring_items, no_override_icon

pytestmark = [pytest.mark.ui, pytest.mark.integration]


def test_a_start_that_fails_still_shuts_down_cleanly(
    synapse_override, user_factory, sign_in, applets, qtbot, aio, make_accounts
):
    from tray_app.ui.applet import Applet
    from tray_app.ui.controller import Controller

    first = user_factory(synapse_override, "startok")
    second = user_factory(synapse_override, "startbad")
    sign_in(synapse_override, first)
    sign_in(synapse_override, second)
    real = make_accounts()
    restored = []

    class Accounts:
        """The settings list two accounts; restoring the second crashes (a bug, not a fault)."""

        def __getattr__(self, name):
            return getattr(real, name)

        async def arestore(self, user_id):
            if user_id == second.user_id:
                raise RuntimeError("a bug in restoring")
            session = await real.arestore(user_id)
            restored.append(session)
            return session

    applet = Applet(Controller(Accounts()), use_tray=True, autostarted=True)
    applets.applets.append(applet)
    with pytest.raises(RuntimeError, match="a bug in restoring"):
        aio.run(applet.run_until_quit())
    # The tray is down (hidden and deleted while the loop ran), and the session made is closed.
    assert applet.tray is None and applet._shut
    assert applet.controller.sessions == {}
    from tray_app.errors import PresenceTrayError

    [session] = restored
    with pytest.raises(PresenceTrayError, match="closed"):
        aio.run(session.refresh())


def test_quitting_mid_sign_in_closes_the_dialog_first_and_keeps_the_login_for_next_time(
    synapse_override, user_factory, applets, qtbot, aio, keyring_file
):
    user = user_factory(synapse_override, "quitting")
    applet = applets.start(autostarted=False)
    dialog = applet.sign_in_dialog
    dialog.user_id.setText(user.user_id)
    dialog.homeserver.setText(synapse_override.base_url)
    dialog.password.setText(user.password)
    dialog.submit()
    aio.run(applet.shutdown())  # Quit while the login is in flight

    from shiboken6 import isValid

    assert applet.sign_in_dialog is None and not (isValid(dialog) and dialog.isVisible())
    # The login was not cut off half-way: it finished and is stored, but added to nothing,
    # since the applet was quitting.
    assert applet.controller.sessions == {}
    assert any(user.user_id in k for k in keyring_items(keyring_file))
    qt_assert_stays(qtbot, lambda: applet.controller.sessions == {}, 0.5, "no session added while quitting")
    # The next start has it.
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    assert applet.menu_view.action_texts()[0] == user.user_id


def test_add_session_after_shutdown_closes_the_session(synapse_override, user_factory, applets, aio, make_accounts):
    from tray_app.errors import PresenceTrayError

    user = user_factory(synapse_override, "late")
    applet = applets.start()
    applets.stop(applet)
    session = aio.run(make_accounts().login_password(user.user_id, user.password, homeserver=synapse_override.base_url))
    aio.run(applet.controller.add_session(session))
    assert applet.controller.sessions == {}
    with pytest.raises(PresenceTrayError, match="closed"):
        aio.run(session.refresh())


def test_closing_the_dialog_mid_sign_in_still_adds_the_account(
    synapse_override, user_factory, applets, qtbot, aio, keyring_file
):
    user = user_factory(synapse_override, "closed")
    applet = applets.start(autostarted=False)
    dialog = applet.sign_in_dialog
    dialog.user_id.setText(user.user_id)
    dialog.homeserver.setText(synapse_override.base_url)
    dialog.password.setText(user.password)
    task = dialog.submit()
    dialog.cancel_button.click()  # closed before the server answered
    assert not dialog.isVisible() and dialog.password.text() == ""
    qtbot.waitUntil(task.done, timeout=5_000)

    # The login was not cut off: it finishes, and the account appears as if the dialog were open.
    qtbot.waitUntil(lambda: applet.menu_view.action_texts()[0] == user.user_id, timeout=20_000)
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    assert any(n.title == "Presence Tray" and f"Signed in as {user.user_id}" in n.text for n in applet.notifications)
    assert any(user.user_id in k for k in keyring_items(keyring_file))


def test_a_second_launch_during_the_wait_for_the_tray_does_not_ask_to_sign_in(
    synapse_override, user_factory, sign_in, applets, qtbot, aio, monkeypatch
):
    from tray_app.ui import applet as applet_mod
    from tray_app.ui.applet import Applet
    from tray_app.ui.controller import Controller

    monkeypatch.setattr(applet_mod, "TRAY_WAIT_AUTOSTART", 1.5)  # 15 s at login in real life
    user = user_factory(synapse_override, "waiting")
    sign_in(synapse_override, user)
    applet = Applet(Controller(applets.make_accounts()), use_tray=None, autostarted=True)
    applets.applets.append(applet)
    start = asyncio.ensure_future(applet.start())
    qt_assert_stays(qtbot, lambda: not start.done(), 0.3, "start() waiting for a tray host (offscreen has none)")
    applet.activate()  # a second launch asks us to show ourselves
    assert applet.sign_in_dialog is None  # the account exists: nothing to sign in to
    aio.wait_task(start)
    assert applet.sign_in_dialog is None
    assert applet.window is not None and applet.window.isVisible()  # shown once it was up
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
