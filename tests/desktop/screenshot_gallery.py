"""Screenshots of every menu and window state, in English, German and French (issue 19: "look
at the screenshots of every menu and window state in both languages"). Not a test: it draws the
applet's own views (MenuView on a real tray icon, FallbackWindow, the dialogs) from made-up
snapshots, with no server, on a private 1280×800 Xvfb with the `trayer` tray host, opens the menu
with a real right-click (xdotool) and saves test-output/gallery/<lang>-<state>.png.

    python -m tests.desktop.screenshot_gallery [en de fr]      (make gallery)

The driver (this module run as above) starts the X server and one view process per language
(`--views LANG`); the views process walks the states and prints one command a line ("click",
"hover X Y", "shoot NAME", "sleep"); the driver carries it out and answers "done".
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "test-output" / "gallery"
WIDTH, HEIGHT = 1280, 800
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ADA, BO = "@ada:example.org", "@bo:example.org"
HS = "https://example.org"
LANGS = {"en": "C.UTF-8", "de": "de_DE.UTF-8", "fr": "fr_FR.UTF-8"}


# -- the made-up states ---------------------------------------------------------------------


def _account(user: str = ADA, **kw):
    from tray_app.session_state import ApiMode, Connection, SessionState

    base = dict(
        user_id=user,
        homeserver=HS,
        device_id="DEVICEID",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        status_msg_supported=True,
        busy_supported=True,
        automatic_busy=True,
        override=None,
        presence="online",
    )
    base.update(kw)
    return SessionState(**base)  # type: ignore[arg-type]


def states() -> Iterator[tuple[str, object, str | None]]:
    """(name, snapshot, key of a submenu to open or None)."""
    from tray_app.automatic.driver import Driver, Reason
    from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
    from tray_app.session_state import Connection
    from tray_app.states import Override, PresenceState
    from tray_app.ui.view_model import AppSnapshot, CalendarMenuState, IdleMenuState

    away, busy = PresenceState.UNAVAILABLE, PresenceState.BUSY
    idle = IdleMenuState(True, AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE), IdlePolicy(), busy_when_dnd=False)
    cal = CalendarMenuState(False)
    one = dict(autostart=True, idle=idle, pause_banners=False, calendar=cal)
    yield "one-plain", AppSnapshot((_account(),), **one), None
    timed = _account(
        override=Override(away, "unavailable"),
        presence="unavailable",
        override_until=NOW + timedelta(minutes=90),
        override_after=PresenceState.ONLINE,
    )
    yield "one-away-timed", AppSnapshot((timed,), **one), "state"
    yield "one-away-timed-extend", AppSnapshot((timed,), **one), "extend"
    message = _account(
        override=Override(busy, "busy"),
        presence="busy",
        status_msg="In a meeting until 3",
        message_until=NOW + timedelta(hours=3),
    )
    yield "one-busy-message", AppSnapshot((message,), **one), None
    disabled = _account(override=Override(PresenceState.DISABLED, "disabled"), presence=None)
    yield "one-disabled", AppSnapshot((disabled,), **one), None
    yield "one-disconnected", AppSnapshot((_account(connection=Connection.DISCONNECTED),), **one), None
    yield "one-signed-out", AppSnapshot((_account(connection=Connection.SIGNED_OUT),), **one), None
    two = (timed, _account(BO, override=Override(busy, "busy"), presence="busy"))
    yield "two-accounts", AppSnapshot(two, **one), None
    from tests.desktop.many_accounts_views import ten_accounts

    yield "ten-accounts", AppSnapshot(ten_accounts(), autostart=True, idle=idle, calendar=cal), "account"
    dnd = replace(
        idle,
        current=AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE),
        driving=Driver(Reason.DO_NOT_DISTURB, busy),
        driving_without_busy=Driver(Reason.DO_NOT_DISTURB, busy),
        busy_when_dnd=True,
    )
    yield "auto-dnd", AppSnapshot((_account(),), autostart=True, idle=dnd, calendar=cal), "auto"
    meeting = replace(
        idle,
        driving=Driver(Reason.MEETING, busy, until=NOW + timedelta(minutes=45), label="Team sync"),
        driving_without_busy=None,
        busy_when_dnd=True,
    )
    from tray_app.calendar.problem import FeedProblem, ProblemKind
    from tray_app.calendar.words import problem_line

    gone = FeedProblem(
        ProblemKind.UNREACHABLE, since=NOW - timedelta(minutes=20), last_good=NOW - timedelta(minutes=25)
    )
    problem = problem_line(gone, NOW, UTC)
    cal_on = CalendarMenuState(True, problem)
    yield (
        "auto-calendar",
        AppSnapshot((_account(), _account(BO)), autostart=True, idle=meeting, calendar=cal_on),
        "auto",
    )


# -- the views process ----------------------------------------------------------------------


def _submenu_key(view, which: str) -> str | None:
    keys = list(view.submenus)
    if which == "auto":
        keys = [k for k in keys if "idle" in k or "auto" in k]
    elif which == "account":
        keys = [k for k in keys if k.startswith("acct:") and k.count(":") == 2]  # acct:@user0:example.org
    elif which == "extend":
        keys = [k for k in keys if k.endswith(":extend")]
    elif which == "state":
        keys = [k for k in keys if ":state:" in k and view.actions[k].isChecked()]
    return keys[0] if keys else None


def steps(lang: str) -> Iterator[str]:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon

    from tray_app.errors import WrongPassword
    from tray_app.messages import presets
    from tray_app.ui import server_details
    from tray_app.ui.calendar_dialog import CalendarDialog
    from tray_app.ui.error_words import sign_in_error
    from tray_app.ui.icon_state import icon_spec
    from tray_app.ui.icons import IconFactory
    from tray_app.ui.menu import MenuView
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.message_words import dialog_note
    from tray_app.ui.signin import SignInDialog
    from tray_app.ui.status_dialog import StatusMessageDialog
    from tray_app.ui.view_model import icon_key
    from tray_app.ui.window import FallbackWindow

    icons = IconFactory()
    tray = QSystemTrayIcon(icons.app_icon())
    tray.show()
    yield "sleep"
    for name, snap, sub in states():
        model = build_menu(snap, NOW, UTC)  # type: ignore[arg-type]
        key = icon_key(icon_spec(snap.accounts))  # type: ignore[attr-defined]
        menu = QMenu()
        view = MenuView(menu, icons, lambda a: None)
        view.render(model)
        tray.setIcon(icons.icon(key))
        tray.setContextMenu(menu)
        yield "click"
        yield f"shoot {lang}-{name}-menu"
        if sub:
            k = _submenu_key(view, sub)
            if k:
                act = view.actions[k]
                # (a submenu's action belongs to the submenu: find the menu that lists it)
                parent = next(m for m in [menu, *view.submenus.values()] if act in m.actions())
                r = parent.actionGeometry(act)
                p = parent.mapToGlobal(QPoint(r.x() + r.width() // 2, r.y() + r.height() // 2))
                yield f"hover {p.x()} {p.y()}"
                yield f"shoot {lang}-{name}-submenu"
        menu.close()
        yield "key Escape"
        window = FallbackWindow(icons, lambda a: None, forced=True)
        window.render(model)
        window.set_icon(key)
        window.show()
        yield "sleep"
        yield f"shoot {lang}-{name}-window"
        window.close()
        window.deleteLater()
        QApplication.processEvents()

    s = _account(status_msg="In a meeting until 3", override=None)
    status = StatusMessageDialog(ADA, s.status_msg, dialog_note(s), presets(), ["Back at 3"], lambda t, a: None)
    status.show()
    yield "sleep"
    yield f"shoot {lang}-dialog-status-message"
    status.close()
    cal = CalendarDialog(in_use=None, show_titles=False, on_use=lambda loc, t: None, on_stop=lambda: None)
    cal.show()
    yield "sleep"
    yield f"shoot {lang}-dialog-calendar"
    cal.close()
    box = QMessageBox(QMessageBox.Icon.Information, server_details.title(ADA), server_details.as_text(_account()))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.addButton(QMessageBox.StandardButton.Close)
    box.show()
    yield "sleep"
    yield f"shoot {lang}-dialog-server-details"
    box.close()

    async def discover(user_id):
        return HS

    async def flows(hs):
        return ["m.login.password", "m.login.sso"]

    signin = SignInDialog(object(), ADA, discover=discover, flows=flows)
    signin.show_error(sign_in_error(WrongPassword("x"), HS))
    signin.show()
    yield "sleep"
    yield f"shoot {lang}-dialog-sign-in-error"
    signin.close()


def views(lang: str) -> int:
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication

    from tray_app.ui.translations import install_translations

    app = QApplication(sys.argv[:1])
    app.setDesktopFileName("presence-tray")
    app.setApplicationName("presence-tray")
    app.setQuitOnLastWindowClosed(False)
    install_translations(app)
    walk = steps(lang)

    def advance() -> None:
        try:
            print(next(walk), flush=True)
        except StopIteration:
            print("end", flush=True)
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

    def answered() -> None:
        if not sys.stdin.readline():
            app.quit()
            return
        advance()

    notifier.activated.connect(answered)
    advance()
    return app.exec()


# -- the driver -----------------------------------------------------------------------------


def drive(langs: list[str]) -> int:
    from tests.harness.xdesktop import (
        IMPORT,
        geometry,
        icon_window,
        menu_window,
        point_at,
        start_trayer,
        start_xvfb,
        stop_process,
        wait,
        xdotool,
    )

    GALLERY.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="gallery-"))
    xvfb, number = start_xvfb(tmp, screen=f"{WIDTH}x{HEIGHT}x24")
    shots: list[Path] = []
    try:
        env = dict(os.environ, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", XDG_CONFIG_HOME=str(tmp / "config"))
        for k in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
            env.pop(k, None)
        tray = start_trayer(env, tmp / "trayer.log")
        try:
            for lang in langs:
                lenv = dict(env, LANGUAGE=lang, LANG=LANGS.get(lang, "C.UTF-8"), LC_ALL="")
                proc = subprocess.Popen(
                    [sys.executable, "-m", "tests.desktop.screenshot_gallery", "--views", lang],
                    env=lenv,
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                assert proc.stdin is not None and proc.stdout is not None
                try:
                    for line in proc.stdout:
                        cmd = line.split()
                        if not cmd or cmd[0] == "end":
                            break
                        if cmd[0] == "sleep":
                            time.sleep(0.8)
                        elif cmd[0] == "click":
                            icon = wait("the icon", lambda: icon_window(env), 30)
                            ix, iy, iw, ih = geometry(env, icon)
                            point_at(env, ix + iw // 2, iy + ih // 2)
                            subprocess.run(["xdotool", "click", "3"], env=env, check=True, timeout=10)
                            wait("the menu", lambda: menu_window(env), 10)
                            time.sleep(0.6)
                        elif cmd[0] == "hover":
                            point_at(env, int(cmd[1]), int(cmd[2]))
                            time.sleep(1.0)
                        elif cmd[0] == "key":
                            xdotool(env, "key", cmd[1])
                            time.sleep(0.3)
                        elif cmd[0] == "shoot":
                            path = GALLERY / f"{cmd[1]}.png"
                            subprocess.run([IMPORT, "-silent", "-window", "root", str(path)], env=env, check=True)
                            shots.append(path)
                            print(path.relative_to(ROOT), flush=True)
                        proc.stdin.write("done\n")
                        proc.stdin.flush()
                finally:
                    proc.stdin.close()
                    stop_process(proc)
        finally:
            stop_process(tray)
    finally:
        stop_process(xvfb)
    print(f"{len(shots)} screenshots in {GALLERY.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--views":
        sys.exit(views(sys.argv[2]))
    sys.exit(drive(sys.argv[1:] or ["en", "de", "fr"]))
