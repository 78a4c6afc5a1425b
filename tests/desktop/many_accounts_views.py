"""The tray menu (on a real tray icon) or the no-tray window with ten made-up accounts, on the
display in $DISPLAY (xcb), for tests/desktop/test_many_accounts_desktop.py: the same views the
applet draws (MenuView, FallbackWindow, the icon), fed a snapshot instead of sessions.

    python -m tests.desktop.many_accounts_views menu|window
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.icon_state import icon_spec
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu import MenuView
from tray_app.ui.menu_content import build_menu
from tray_app.ui.tooltip import tooltip
from tray_app.ui.translations import install_translations
from tray_app.ui.view_model import AppSnapshot, icon_key
from tray_app.ui.window import FallbackWindow

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
STATES = (PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.BUSY, None)


def ten_accounts() -> tuple[SessionState, ...]:
    out = []
    for i in range(10):
        state = STATES[i % len(STATES)]
        out.append(
            SessionState(
                user_id=f"@user{i}:example.org",
                homeserver="https://example.org",
                api=ApiMode.MSC4532,
                connection=Connection.DISCONNECTED if i == 9 else Connection.CONNECTED,
                busy_supported=True,
                status_msg_supported=True,
                override=Override(state, state.value) if state else None,
                presence=state.value if state else "unavailable",
            )
        )
    return tuple(out)


def main(mode: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setDesktopFileName("presence-tray")
    app.setApplicationName("presence-tray")
    install_translations(app)  # the system's language (LANGUAGE=de for the German screenshots)
    icons = IconFactory()
    accounts = ten_accounts()
    model = build_menu(AppSnapshot(accounts, autostart=False), NOW, UTC)
    key = icon_key(icon_spec(accounts))
    if mode == "menu":
        menu = QMenu()
        MenuView(menu, icons, lambda a: None).render(model)
        tray = QSystemTrayIcon(icons.icon(key))
        tray.setToolTip(tooltip(accounts, NOW, UTC))
        tray.setContextMenu(menu)
        tray.show()
    else:
        window = FallbackWindow(icons, lambda a: None, forced=True)
        window.render(model)
        window.set_icon(key)
        window.show()

        def report() -> None:
            # Where Quit and Add account are, and whether any of them is drawn (scrolled out of the
            # list's view, a widget's visible region is empty).
            for name in ("quit", "signin"):
                w = window.widgets[name]
                top_left = w.mapToGlobal(w.rect().topLeft())
                shown = not w.visibleRegion().isEmpty()
                print(f"{name} {top_left.x()} {top_left.y()} {w.width()} {w.height()} {int(shown)}", flush=True)

        QTimer.singleShot(700, report)  # once the height is fitted (next loop turn) and painted
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "menu"))
