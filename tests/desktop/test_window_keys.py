"""The no-tray window with a real keyboard: xdotool key presses on Xvfb, against a real Synapse
(default rate limits). The arrows move through the states without sending anything (Qt's radio
buttons sent each state they passed: Down, Down sent Busy, then Offline), Space and Return
send the focused one. Which control has the focus is read over AT-SPI, as a screen reader
reads it (tests/harness/atspi.py), and each step is a screenshot."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.desktop.demo_applet import applet_env, start_demo, stop
from tests.harness import atspi
from tests.harness.server_view import override_value
from tests.harness.waiting import assert_stays
from tests.harness.xdesktop import shot, wait, xdotool
from tray_app import APP_ID

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

OVERRIDE_PUT = '"PUT /_matrix/client/v1/presence/'  # any try (a 429 is tried again)
OVERRIDE_SET = ' 200 "PUT /_matrix/client/v1/presence/'  # one that took


def _key(env, key: str) -> None:
    subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=env, check=True, timeout=10)
    time.sleep(0.2)


def _focused(env) -> tuple[str, str] | None:
    app = atspi.tree(env, APP_ID)["tree"]
    if app is None:
        return None
    # Not a combo box's list: a hidden one (Extend) keeps "focused" for its own popup window.
    found = [
        (n["role"], n["name"])
        for n in atspi.walk(app)
        if "focused" in n["states"] and n["role"] not in ("list item", "list")
    ]
    return found[0] if found else None


def _puts(server, what: str = OVERRIDE_PUT) -> int:
    return server.log_path.read_text(errors="replace").count(what)


def test_arrows_move_and_space_or_return_sends(display, synapse_override, user_factory, tmp_path):
    lacking = atspi.missing()
    assert lacking is None, f"this test reads the focus over AT-SPI and needs {lacking} (.ci/run installs it)"
    user = user_factory(synapse_override, "winkeys")
    log = tmp_path / "applet.log"
    with atspi.session_bus(applet_env(display, tmp_path), tmp_path) as env:
        applet = start_demo(env, synapse_override.base_url, log, user=user, args=("--window",))
        try:
            try:
                wait(
                    "the applet to connect the account",
                    lambda: f"{user.user_id}: connected to" in log.read_text(errors="replace"),
                    90,
                    0.3,
                )
            except AssertionError as e:  # say where it stood
                raise AssertionError(f"{e}\napplet log:\n{log.read_text(errors='replace')[-4000:]}") from None
            found = xdotool(env, "search", "--onlyvisible", "--name", "^Presence Tray$").split()
            assert found, "the window"
            subprocess.run(["xdotool", "windowfocus", "--sync", found[0]], env=env, check=True, timeout=10)
            # Tab until a state has the focus: Tab enters the states at the checked one.
            for _ in range(30):
                if (_focused(env) or ("", ""))[0] == "radio button":
                    break
                _key(env, "Tab")
            assert _focused(env) == ("radio button", "No override (automatic)"), _focused(env)
            shot(env, "40-window-keys-start")
            before, before_set = _puts(synapse_override), _puts(synapse_override, OVERRIDE_SET)
            # Round the end to Online, on to Away, and over it and back: four moves, nothing sent.
            moves = [("Down", "Online"), ("Down", "Away"), ("Down", None), ("Up", "Away")]
            for key, expected in moves:
                _key(env, key)
                role, name = _focused(env) or ("", "")
                assert role == "radio button", (key, role, name)
                if expected is not None:
                    assert name == expected, (key, name)
            shot(env, "41-window-keys-moved-to-away")
            assert_stays(
                lambda: _puts(synapse_override) == before and override_value(synapse_override, user) == "",
                2.0,
                "nothing sent while the arrows move",
                show=lambda: (_puts(synapse_override) - before, override_value(synapse_override, user)),
                interval=0.2,
            )
            _key(env, "space")  # commits the focused state
            wait("Away on the server", lambda: override_value(synapse_override, user) == "unavailable", 30, 0.2)
            shot(env, "42-window-keys-space-sent-away")
            _key(env, "Up")  # to Online, not sent
            assert _focused(env) == ("radio button", "Online")
            assert_stays(
                lambda: override_value(synapse_override, user) == "unavailable",
                1.0,
                "Away kept while the focus moved",
                show=lambda: override_value(synapse_override, user),
                interval=0.2,
            )
            _key(env, "Return")  # commits too (Synapse's rate limit may delay it ~10 s)
            wait("Online on the server", lambda: override_value(synapse_override, user) == "online", 40, 0.2)
            shot(env, "43-window-keys-return-sent-online")
            assert _puts(synapse_override, OVERRIDE_SET) - before_set == 2  # exactly the two commits
            # Tab round the window: every stop seen with its focus ring (the screenshots).
            visited, tries = [], _puts(synapse_override)
            for n in range(40):  # round the window, back to the checked state
                _key(env, "Tab")
                visited.append(_focused(env))
                shot(env, f"44-window-focus-{n:02d}")
                if visited[-1] == ("radio button", "Online"):
                    break
            names = {name for _, name in filter(None, visited)}
            assert {"Online", "For… Online", "For… Away", "Sign out", "Refresh", "Quit"} <= names, visited
            assert _puts(synapse_override) == tries  # Tab sends nothing
            assert override_value(synapse_override, user) == "online"
        finally:
            stop(applet)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text
