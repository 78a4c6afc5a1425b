"""The "Status message…" dialog with a real keyboard: Xvfb + trayer, the demo applet signed in
on Synapse with the module, xdotool typing and pressing keys.

A person with no state set opens the dialog (the item is there: this server keeps a message on
its own), types a message, picks "Clear after" and presses Return: it is set. Then Return in the
suggestions list only picks one into the text field (the dialog stays, nothing is sent), and a
second Return sets it. Escape cancels: nothing changes. The dialog is opened through the test
control channel's click on the menu item (the menu's own keys are tested elsewhere); every key
in the dialog is a real X key press.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.desktop.demo_applet import applet_env, start_demo, stop
from tests.harness.server_view import get_override
from tests.harness.waiting import assert_stays
from tests.harness.xdesktop import icon_window, shot, wait, xdotool

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

TITLE = "Status message — Presence Tray"


def _dialog(env) -> str | None:
    found = xdotool(env, "search", "--onlyvisible", "--name", TITLE).split()
    return found[0] if found else None


def _key(env, *keys: str) -> None:
    subprocess.run(["xdotool", "key", "--clearmodifiers", *keys], env=env, check=True, timeout=10)
    time.sleep(0.2)


def _type(env, text: str) -> None:
    subprocess.run(["xdotool", "type", "--delay", "20", "--", text], env=env, check=True, timeout=30)
    time.sleep(0.2)


class Control:
    """The applet's test control channel (tray_app/ui/control_channel.py)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sock: socket.socket | None = None

    def __call__(self, **msg) -> dict:
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(20)
            self.sock.connect(self.path)
            self.reader = self.sock.makefile("r")
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        return json.loads(self.reader.readline())

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()


def _open_dialog(env, control: Control, user_id: str) -> str:
    assert control(cmd="click", key=f"acct:{user_id}:statusmsg")["ok"]
    dialog = wait("the status message dialog", lambda: _dialog(env), 15)
    subprocess.run(["xdotool", "windowfocus", "--sync", dialog], env=env, check=True, timeout=10)
    time.sleep(0.3)
    return dialog


def test_typing_and_return_set_the_message_a_list_return_picks_and_escape_cancels(
    display, synapse_override, user_factory, tmp_path
):
    socket_dir = Path(tempfile.mkdtemp(prefix="pt-msg-"))  # a Unix socket path must stay short
    env = applet_env(display, tmp_path, PRESENCE_TRAY_CONTROL_SOCKET=str(socket_dir / "control"))
    user = user_factory(synapse_override, "keysmsg")
    u = user.user_id
    log = tmp_path / "applet.log"
    applet = start_demo(env, synapse_override.base_url, log, user=user)
    control = Control(str(socket_dir / "control"))
    message = lambda: get_override(synapse_override, user).get("status_msg")  # noqa: E731
    try:
        wait("the icon to embed in trayer", lambda: icon_window(env), 30)
        wait("the control channel", lambda: (socket_dir / "control").exists() or None, 30)

        def connected():
            states = control(cmd="state")["accounts"]
            return any(s.get("connection") == "connected" for s in states) or None

        wait("the account to connect", connected, 30, 0.3)

        # No state set: the message on its own. Type it, "Clear after" one step down (30
        # minutes), Return: set.
        dialog = _open_dialog(env, control, u)
        _type(env, "Back at 3")
        _key(env, "alt+a")
        _key(env, "Down")
        shot(env, "msg-01-typed")
        _key(env, "Return")
        wait("the message on the server", lambda: message() == "Back at 3" or None, 15, 0.2)
        wait("the dialog to close", lambda: _dialog(env) is None or None, 10)
        assert get_override(synapse_override, user)["presence_override"] == ""  # no state came with it
        [account] = control(cmd="state")["accounts"]
        assert account["status_msg"] == "Back at 3" and account["message_until"] is not None, account

        # Return in the suggestions list picks one into the field; the dialog stays.
        dialog = _open_dialog(env, control, u)
        _key(env, "alt+u")  # the suggestions; focus lands on the first, "In a meeting"
        _key(env, "Down")  # "Commuting"
        _key(env, "Return")
        shot(env, "msg-02-picked")
        assert_stays(
            lambda: _dialog(env) == dialog and message() == "Back at 3",
            1.5,
            "the dialog stays open and nothing is sent on Return in the list",
        )
        _key(env, "Return")  # the field has the focus now: this Return sets it
        wait("the picked message on the server", lambda: message() == "Commuting" or None, 15, 0.2)
        wait("the dialog to close", lambda: _dialog(env) is None or None, 10)

        # Escape cancels: typed, never sent.
        dialog = _open_dialog(env, control, u)
        _key(env, "ctrl+a")
        _type(env, "Never sent")
        _key(env, "Escape")
        wait("the dialog to close on Escape", lambda: _dialog(env) is None or None, 10)
        assert_stays(lambda: message() == "Commuting", 1.5, "Escape sends nothing")
    finally:
        control.close()
        stop(applet, 10)
        shutil.rmtree(socket_dir, ignore_errors=True)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text
