"""The no-tray window and the sign-in dialog on a real display, for the AT-SPI test (no server:
the window draws menu models made here, the dialog is shown, never used to sign in).

    python -m tests.harness.a11y_probe_app
prints "ready" once both are shown, then reads commands on stdin, answering "ok" to each:
    away      what others see becomes Away (the labels' texts change)
    two       a second account: one row per account
    error T   the sign-in dialog shows the error T
    focus K   the window's control with object name K takes the focus
    quit
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu_content import build_menu
from tray_app.ui.signin import SignInDialog
from tray_app.ui.view_model import AppSnapshot
from tray_app.ui.window import FallbackWindow

ADA = SessionState(
    "@ada:example.org",
    "https://example.org",
    api=ApiMode.STABLE,
    connection=Connection.CONNECTED,
    busy_supported=True,
    override=Override(PresenceState.ONLINE, "online"),
    presence="online",
)
BOB = SessionState(
    "@bob:example.org", "https://example.org", api=ApiMode.STABLE, connection=Connection.CONNECTED, presence="online"
)


def main() -> None:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("presence-tray-a11y-probe")
    window = FallbackWindow(IconFactory(), lambda action: None, forced=True)
    accounts = [ADA]
    window.render(build_menu(AppSnapshot(tuple(accounts), autostart=False), datetime.now(UTC)))
    window.set_icon("online")
    window.show()
    dialog = SignInDialog(object(), None, discover=lambda u: None, flows=lambda h: None)
    dialog.show()

    def command() -> None:
        line = sys.stdin.readline()
        if not line:
            app.quit()
            return
        word, _, rest = line.strip().partition(" ")
        if word == "away":
            accounts[:] = [s.evolve(presence="unavailable") for s in accounts]
            window.render(build_menu(AppSnapshot(tuple(accounts), autostart=False), datetime.now(UTC)))
        elif word == "two":
            accounts.append(BOB.evolve(presence=accounts[0].presence))
            window.render(build_menu(AppSnapshot(tuple(accounts), autostart=False), datetime.now(UTC)))
        elif word == "error":
            dialog.show_error(rest)
        elif word == "focus":
            window.activateWindow()
            window.widgets[rest].setFocus()
        elif word == "quit":
            app.quit()
        print("ok", flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    print("ready", flush=True)
    app.exec()


if __name__ == "__main__":
    main()
