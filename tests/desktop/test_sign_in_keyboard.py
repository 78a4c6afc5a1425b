"""The sign-in dialog with a real keyboard: Xvfb + trayer, xdotool typing and pressing Return.

A person types a wrong password and presses Return, reads the error, presses Return again: the
dialog must stay, with everything typed still there (it used to close on the second Return, or
on the first Return after a failure, because focus fell on Cancel). Then the right password and
Return sign in, and the tray icon shows the account.
"""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.desktop.demo_applet import applet_env, start_demo, stop
from tests.harness.waiting import assert_stays
from tests.harness.xdesktop import icon_window, shot, wait, xdotool

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

TITLE = "Sign in — Presence Tray"


def _dialog(env) -> str | None:
    found = xdotool(env, "search", "--onlyvisible", "--name", TITLE).split()
    return found[0] if found else None


def _key(env, *keys: str) -> None:
    subprocess.run(["xdotool", "key", "--clearmodifiers", *keys], env=env, check=True, timeout=10)
    time.sleep(0.15)


def _type(env, text: str) -> None:
    subprocess.run(["xdotool", "type", "--delay", "20", "--", text], env=env, check=True, timeout=30)
    time.sleep(0.15)


def test_return_after_a_wrong_password_keeps_the_dialog(display, synapse_override, user_factory, tmp_path):
    env = applet_env(display, tmp_path)
    user = user_factory(synapse_override, "keys")
    log = tmp_path / "applet.log"
    applet = start_demo(env, synapse_override.base_url, log, args=("--signed-out",))
    try:
        dialog = wait("the sign-in dialog", lambda: _dialog(env), 30)
        subprocess.run(["xdotool", "windowfocus", "--sync", dialog], env=env, check=True, timeout=10)
        time.sleep(0.3)
        # The user ID field has the focus; Tab goes on to the homeserver, then the password.
        _type(env, user.user_id)
        _key(env, "Tab")
        _type(env, synapse_override.base_url)
        _key(env, "Tab")
        _type(env, "not-the-password")
        shot(env, "10-sign-in-typed")
        failed = f"Failed password login for user {user.user_id}"
        for attempt in range(3):
            _key(env, "Return")
            # Each Return is a try the server turns down; once it has, the dialog must stay.
            wait(
                f"the server to turn down try {attempt + 1}",
                lambda n=attempt + 1: synapse_override.log_path.read_text(errors="replace").count(failed) >= n,
                20,
                0.1,
            )
            assert_stays(
                lambda: _dialog(env) == dialog,
                1.5,
                f"the dialog open after Return number {attempt + 1}",
                show=lambda: _dialog(env),
                interval=0.1,
            )
            shot(env, f"11-sign-in-after-return-{attempt + 1}")
        # Right password: select what is in the password field, type over it, Return.
        _key(env, "ctrl+a")
        _type(env, user.password)
        _key(env, "Return")
        wait("the dialog to close after signing in", lambda: _dialog(env) is None, 20, 0.2)
        wait("the tray icon", lambda: icon_window(env), 30)
        wait(
            "the applet to connect the account",
            lambda: f"{user.user_id}: connected to" in log.read_text(errors="replace"),
            30,
            0.3,
        )
    finally:
        stop(applet)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text
    assert user.password not in text and "not-the-password" not in text
