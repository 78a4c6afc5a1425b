"""No system tray: the window with the same controls; and the real `presence-tray` process
(offscreen has no tray either): it shows the window, quits cleanly on SIGTERM, and a second
launch hands over to the first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton, QToolButton

from tests.ui.conftest import PRESENCE_WRITE_MS, override_value, put_override, save_widget_png

pytestmark = [pytest.mark.ui, pytest.mark.integration]

CLI = str(Path(sys.executable).with_name("presence-tray"))


def test_no_tray_shows_a_window_with_the_same_controls(
    synapse_override, user_factory, sign_in, applets, qtbot, monkeypatch
):
    from tray_app.ui import applet as applet_mod

    monkeypatch.setattr(applet_mod, "TRAY_WAIT_MANUAL", 0.3)
    user = user_factory(synapse_override, "win")
    u = user.user_id
    put_override(synapse_override, user, "online")
    sign_in(synapse_override, user)
    applet = applets.start(use_tray=None, autostarted=False)  # offscreen: no tray on this "desktop"
    assert applet.tray is None
    window = applet.window
    assert window is not None and window.isVisible()
    reason = window.findChild(QLabel, "reason")
    assert "No system tray was found on this desktop" in reason.text()

    radio = lambda key: window.findChild(QRadioButton, f"acct:{u}:state:{key}")  # noqa: E731
    qtbot.waitUntil(lambda: radio("online") is not None and radio("online").isChecked(), timeout=15_000)
    # With their access keys, as in the menu (Alt+letter).
    assert [radio(k).text() for k in ("online", "unavailable", "offline", "disabled", "none")] == [
        "&Online",
        "&Away",
        "O&ffline",
        "&Disabled",
        "&No override (automatic)",
    ]
    assert window.findChild(QLabel, f"acct:{u}:header").text() == u
    assert window.findChild(QPushButton, "quit") is not None
    # Each state offers its durations beside it (the radio button itself sets it until changed).
    assert window.findChild(QToolButton, f"acct:{u}:state:unavailable:for").text() == "For…"

    # On the round indicator, where a person clicks (a radio button ignores clicks past its label).
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(radio("unavailable"), qtbot_left(), pos=QPoint(8, radio("unavailable").height() // 2))
    # The setup's write above used the user's rc_presence window: the click may wait it out.
    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "unavailable", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(lambda: radio("unavailable").isChecked() and not radio("online").isChecked(), timeout=10_000)
    # The top of the window tells the state in words and with its icon.
    qtbot.waitUntil(lambda: window.findChild(QLabel, "state-text").text() == "Away", timeout=10_000)
    assert window.findChild(QLabel, "state-seen").text() == "Others see you as: Away"
    icon = window.findChild(QLabel, "state-icon")
    assert not icon.pixmap().isNull() and icon.accessibleName() == "State: Away"
    # Secondary actions are quiet buttons on the bottom row; the state's own action is not.
    assert window.findChild(QPushButton, f"acct:{u}:signout").isFlat()
    assert window.findChild(QPushButton, "quit").isFlat()
    assert not window.findChild(QPushButton, f"acct:{u}:statusmsg").isFlat()
    # Every control has a name a screen reader reads.
    from PySide6.QtWidgets import QAbstractButton

    for w in window.findChildren(QAbstractButton):
        if w.isVisible():
            assert w.accessibleName() or w.text(), w.objectName()

    # Errors and notices appear in the window, since there are no tray balloons.
    applet.notify(applet_mod.Notification("Server unreachable", "test notice", warning=True))
    assert window.findChild(QLabel, "notice").text() == "Server unreachable: test notice"

    save_widget_png(window, "no-tray-window")
    window.close()  # closing the only visible thing quits the applet
    assert applet.quit_event.is_set()


def test_a_window_asked_for_does_not_claim_there_is_no_tray(synapse_override, user_factory, sign_in, applets, qtbot):
    from tray_app.ui.window import forced_reason

    user = user_factory(synapse_override, "forced")
    sign_in(synapse_override, user)
    applet = applets.start(use_tray=False, autostarted=False)  # `--window`
    window = applet.window
    assert window is not None
    reason = window.findChild(QLabel, "reason").text()
    assert reason == forced_reason() and "No system tray" not in reason
    qtbot.waitUntil(lambda: window.findChild(QLabel, "state-text").text() == "No override (automatic)", timeout=15_000)
    # As tall as its content: no empty band.
    qtbot.waitUntil(lambda: window.height() <= window.layout().totalHeightForWidth(window.width()) + 2, timeout=5_000)
    save_widget_png(window, "window-forced")


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_RUNTIME_DIR=str(tmp_path / "run"),
        PYTHONUNBUFFERED="1",
    )
    (tmp_path / "run").mkdir(mode=0o700, exist_ok=True)
    return env


def _wait_for(path: Path, text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text(errors="replace") if path.exists() else ""
        if text in content:
            return content
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in {path}:\n{content}")


def test_the_real_process_starts_hands_over_and_quits_cleanly(tmp_path):
    env = _env(tmp_path)
    log = tmp_path / "first.log"
    with open(log, "w") as out:
        first = subprocess.Popen(
            [CLI, "--verbose"], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        # No tray offscreen: after a short wait it falls back to the window (logged as a warning).
        _wait_for(log, "no system tray on this desktop; showing a window instead", 20)
        assert first.poll() is None

        t0 = time.monotonic()
        second = subprocess.run([CLI], env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        assert "already running; asked it to show itself" in second.stderr
        assert time.monotonic() - t0 < 10
        assert first.poll() is None  # the first one is still the one

        first.send_signal(signal.SIGTERM)
        code = first.wait(timeout=15)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    text = log.read_text(errors="replace")
    assert code == 0, text
    assert "Traceback" not in text and "Segmentation" not in text, text


def test_an_applet_with_other_settings_runs_beside_the_first(tmp_path):
    """`make demo` beside your own Presence Tray (issue 18): an applet with another settings
    folder is an applet of its own; a launch with the first one's settings still hands over."""
    env = _env(tmp_path)
    other_env = {**env, "XDG_CONFIG_HOME": str(tmp_path / "other-config")}
    logs = [tmp_path / "first.log", tmp_path / "other.log"]
    procs = []
    try:
        for e, log in zip((env, other_env), logs):
            with open(log, "w") as out:
                procs.append(
                    subprocess.Popen(
                        [CLI, "--verbose"], env=e, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
        for log in logs:
            _wait_for(log, "no system tray on this desktop; showing a window instead", 30)
        assert [p.poll() for p in procs] == [None, None]

        again = subprocess.run([CLI], env=env, capture_output=True, text=True, timeout=30)
        assert again.returncode == 0, again.stderr
        assert "already running; asked it to show itself" in again.stderr
        assert [p.poll() for p in procs] == [None, None]

        for p in procs:
            p.send_signal(signal.SIGTERM)
        codes = [p.wait(timeout=15) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    texts = [log.read_text(errors="replace") for log in logs]
    assert codes == [0, 0], texts
    assert "already running" not in texts[1], texts[1]
