"""What a screen reader gets, read over AT-SPI as Orca reads it: the no-tray window and the
sign-in dialog on Xvfb, a private D-Bus session with the AT-SPI bus (Debian's at-spi2-core),
Qt's accessibility on, and Debian's pyatspi walking the tree in a system-Python subprocess
(tests/harness/atspi.py). Names and roles of the controls, a label's name following its text,
the states grouped by account, and the sign-in error announced."""

from __future__ import annotations

import select
import subprocess
import sys

import pytest

from tests.desktop.demo_applet import ROOT, applet_env
from tests.harness import atspi

pytestmark = [pytest.mark.desktop]

APP = "presence-tray-a11y-probe"
ERROR = "The user ID or the password is wrong."


class Probe:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.harness.a11y_probe_app"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.expect("ready")

    def expect(self, word: str) -> None:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        line = self.proc.stdout.readline().strip() if ready else ""
        assert line == word, (word, line, self.proc.poll())

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        self.expect("ok")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _shown(node: dict) -> list[dict]:
    return [n for n in atspi.walk(node) if "showing" in n["states"]]


def _find(node: dict, role: str, name: str | None = None) -> list[dict]:
    return [n for n in _shown(node) if n["role"] == role and (name is None or n["name"] == name)]


def test_window_and_sign_in_dialog_read_as_a_screen_reader_reads_them(display, tmp_path):
    lacking = atspi.missing()
    assert lacking is None, f"the AT-SPI test needs {lacking} (.ci/run installs it)"
    env = applet_env(display, tmp_path)
    with atspi.session_bus(env, tmp_path) as env:
        probe = Probe(env)
        try:
            app = atspi.wait_for_tree(env, APP)
            (window,) = [c for c in app["children"] if c["name"] == "Presence Tray"]
            # A window named as such, not a nameless "filler" described by the whole tooltip.
            assert window["role"] == "frame", window["role"]
            assert window["description"] == ""
            # One account: its states are a group named by the account, holding its radio buttons.
            (group,) = _find(window, "panel", "@ada:example.org")
            names = [n["name"] for n in _find(group, "radio button")]
            assert names == ["Online", "Away", "Busy", "Offline", "Disabled", "No override (automatic)"], names
            assert "checked" in _find(group, "radio button", "Online")[0]["states"]
            assert [n["name"] for n in _find(window, "push button", "For… Away")] == ["For… Away"]
            for role, name in (
                ("push button", "Sign out"),
                ("push button", "Add account…"),
                ("push button", "Quit"),
                ("check box", "Start on login"),
                ("image", "State: Online"),
                ("label", "Online"),  # the headline
                ("label", "Others see you as: Online"),
            ):
                assert _find(window, role, name), (role, name, [(n["role"], n["name"]) for n in _shown(window)])

            # What others see changes: the labels' names follow their texts.
            probe.send("away")
            window = [c for c in atspi.wait_for_tree(env, APP)["children"] if c["name"] == "Presence Tray"][0]
            seen = [n["name"] for n in _find(window, "label") if n["name"].startswith("Others see you as")]
            assert seen == ["Others see you as: Away"], seen

            # Two accounts: a row each, named as it reads, with its "Change…" button named by the
            # account; "Set all accounts" is labelled by its label.
            probe.send("two")
            window = [c for c in atspi.wait_for_tree(env, APP)["children"] if c["name"] == "Presence Tray"][0]
            shown = [(n["role"], n["name"]) for n in _shown(window)]
            for user in ("@ada:example.org", "@bob:example.org"):
                assert any(name.startswith(user + " — ") for _, name in shown), (user, shown)
                assert any(r == "push button" and name.endswith(user) for r, name in shown), (user, shown)
            combos = {n["name"]: n["labelled_by"] for n in _find(window, "combo box")}
            assert combos.get("choose…") == ["Set all accounts:"], combos

            # The sign-in dialog: named fields, their labels, its buttons.
            (dialog,) = [c for c in app["children"] if c["role"] == "dialog"]
            assert dialog["name"] == "Sign in — Presence Tray"
            for role, name in (
                ("text", "User ID"),
                ("text", "Homeserver"),
                ("password text", "Password"),
                ("label", "User ID:"),
                ("label", "Password:"),
                ("push button", "Sign in"),
                ("push button", "Cancel"),
            ):
                assert _find(dialog, role, name), (role, name, [(n["role"], n["name"]) for n in _shown(dialog)])
            assert not [n for n in _find(dialog, "label") if n["name"] == ERROR]

            # A failed sign-in: the error is announced at once and is in the dialog, by name.
            listener = atspi.Listener(env, 4)
            probe.send("error " + ERROR)
            events = listener.events()
            announced = [e for e in events if "announcement" in e["type"].lower()]
            assert [e["any_data"] for e in announced] == [ERROR], events
            dialog = [c for c in atspi.wait_for_tree(env, APP)["children"] if c["role"] == "dialog"][0]
            assert _find(dialog, "label", ERROR), [(n["role"], n["name"]) for n in _shown(dialog)]
        finally:
            probe.stop()
