"""`presence-tray` with no command: start the applet.

One QApplication, one qasync loop; `main()` awaits the applet's quit event
(docs/architecture.md: never stop a qasync app with app.quit()), and the tray is taken down
before the loop ends.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from typing import Any

log = logging.getLogger(__name__)

# Set (to anything) for `make bench`: one stderr line when the icon first shows the last known
# state (unconfirmed), and one when it first shows a confirmed state.
REPORT_CONFIRMED_ENV = "PRESENCE_TRAY_REPORT_CONFIRMED"
CONFIRMED_LINE = "presence-tray: confirmed state shown"
UNCONFIRMED_LINE = "presence-tray: last known state shown, unconfirmed"


def _report_first_confirmed(applet: Any) -> None:
    """Measuring start-up needs the moment the icon shows the server's state (not a pending
    or connecting mark): wrap the applet's render to say so once, after it rendered."""
    from tray_app.session_state import Connection  # noqa: PLC0415

    render = applet.render
    done = False
    told_unconfirmed = False

    def render_and_report() -> None:
        nonlocal done, told_unconfirmed
        render()
        if done:
            return
        accounts = applet.controller.snapshot().accounts
        if not told_unconfirmed and any(s.unconfirmed for s in accounts):
            told_unconfirmed = True
            print(f"{UNCONFIRMED_LINE}: {applet.icon_key}", file=sys.stderr, flush=True)
        if accounts and all(
            s.connection is Connection.CONNECTED and s.pending is None and not s.unconfirmed for s in accounts
        ):
            done = True
            print(f"{CONFIRMED_LINE}: {applet.icon_key}", file=sys.stderr, flush=True)

    applet.render = render_and_report


def _install_signal_wakeup(applet: Any) -> Any:
    """Ctrl-C / SIGTERM quit cleanly: a wakeup fd wakes Qt's loop so Python runs the handler."""
    if sys.platform == "win32":
        return None
    from PySide6.QtCore import QSocketNotifier  # noqa: PLC0415

    rsock, wsock = socket.socketpair()
    rsock.setblocking(False)
    wsock.setblocking(False)
    old_fd = signal.set_wakeup_fd(wsock.fileno())

    def handler(signum, frame) -> None:
        log.info("signal %s: quitting", signum)
        applet.request_quit()

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:
        try:
            while rsock.recv(64):
                pass
        except BlockingIOError:
            pass

    notifier.activated.connect(drain)

    def restore() -> None:
        notifier.setEnabled(False)
        signal.set_wakeup_fd(old_fd)
        for s, h in old.items():
            signal.signal(s, h)
        rsock.close()
        wsock.close()

    return restore


PIXMAP_CACHE_KIB = 1024


def run(args: Any, *, accounts: Any = None, instance_name: str | None = None) -> int:
    """Start the applet and block until it quits. Returns the process exit code.

    `args` needs `autostarted` (bool); `window` (bool, optional) forces the no-tray window.
    `accounts` (tests, the demo) replaces the default `tray_app.accounts.Accounts()`;
    `instance_name` (the demo) names its single-instance lock apart from the real applet's (which
    its own settings folder already does).
    """
    from tray_app.heap import keep_large_blocks_mapped  # noqa: PLC0415

    keep_large_blocks_mapped()  # before Qt allocates its first window buffers
    if accounts is None:
        # First of all, before asyncio, the sessions and Qt are imported: reading the logins
        # from the keyring (its imports and D-Bus round trips; on Linux in a forked child
        # process, elsewhere in a worker thread) then overlaps with those imports instead of
        # following them.
        from tray_app.credentials import CredentialStore  # noqa: PLC0415
        from tray_app.settings import KEYRING_BACKEND_KEY, Settings  # noqa: PLC0415

        try:
            settings = Settings.load()
            store = CredentialStore(remembered=settings.preference(KEYRING_BACKEND_KEY))
            store.prefetch(settings.accounts)
            from tray_app.accounts import Accounts  # noqa: PLC0415

            accounts = Accounts(store, settings)
        except Exception as e:  # settings unreadable etc.: say so instead of a traceback
            print(f"presence-tray: cannot start: {e}", file=sys.stderr)
            return 1

    import qasync  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from tray_app import (  # noqa: PLC0415
        APP_ID,
        __version__,
        autostart,  # noqa: PLC0415
    )
    from tray_app.ui import control_channel  # noqa: PLC0415
    from tray_app.ui.applet import Applet  # noqa: PLC0415
    from tray_app.ui.controller import Controller  # noqa: PLC0415
    from tray_app.ui.icons import IconFactory  # noqa: PLC0415
    from tray_app.ui.single_instance import SingleInstance  # noqa: PLC0415

    autostarted = bool(getattr(args, "autostarted", False))
    force_window = bool(getattr(args, "window", False))

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName("Presence Tray")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setQuitOnLastWindowClosed(False)  # a tray app lives on without windows
    from PySide6.QtGui import QPixmapCache  # noqa: PLC0415

    # Qt's default 10 MiB is for apps that draw much; it fills up with pixmaps that are never
    # asked for again (Qt's tray balloon adds ~7 KB under a fresh key each time:
    # tray_app/dbus/notifications.py), and malloc in use grows by ~17 MiB before it is full.
    QPixmapCache.setCacheLimit(PIXMAP_CACHE_KIB)
    from tray_app.ui.translations import install_translations  # noqa: PLC0415

    install_translations(app)  # the system's language, where we have it
    icons = IconFactory()
    app.setWindowIcon(icons.app_icon())

    # One applet per settings profile: an applet with other settings (the demo's) runs beside it.
    instance = SingleInstance(instance_name or APP_ID, profile=accounts.settings.path.parent)
    try:
        owner = instance.try_acquire()
    except OSError as e:
        print(f"presence-tray: cannot check for a running applet: {e}", file=sys.stderr)
        return 1
    if not owner:
        if instance.notify_running():
            print("Presence Tray is already running; asked it to show itself.", file=sys.stderr)
            return 0
        print("Presence Tray seems to be running but does not answer.", file=sys.stderr)
        return 1

    result = {"code": 0}

    async def main() -> None:
        import asyncio  # noqa: PLC0415 (after the keyring read has begun, see above)
        import concurrent.futures  # noqa: PLC0415

        from tray_app.calendar.link import CalendarLink  # noqa: PLC0415
        from tray_app.calendar.store import CalendarStore  # noqa: PLC0415
        from tray_app.dnd.desktop import DoNotDisturb  # noqa: PLC0415
        from tray_app.idle.automatic import AutomaticPresence  # noqa: PLC0415

        # Keyring calls (and host name lookups) run in the loop's default executor. qasync's own
        # starts 10 QThreads at its first use and keeps them, each with its own malloc arena (the
        # soak saw +10 threads, ~1 MiB, at the first sign-in); these are started as needed.
        asyncio.get_running_loop().set_default_executor(
            concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="presence-tray-worker")
        )

        controller = Controller(
            accounts,
            autostart=autostart,
            idle=AutomaticPresence(accounts.settings),
            dnd=DoNotDisturb(accounts.settings),
            calendar=CalendarLink(CalendarStore(accounts.settings, accounts.store)),
        )
        applet = Applet(controller, icons=icons, use_tray=False if force_window else None, autostarted=autostarted)
        instance.activated.connect(applet.activate)
        if os.environ.get(REPORT_CONFIRMED_ENV):
            _report_first_confirmed(applet)
        restore_signals = _install_signal_wakeup(applet)
        control = None
        if control_channel.requested():  # tests and the soak benchmark only
            control = control_channel.ControlChannel(applet)
            control_channel.apply_intervals(applet)
            await control.start(control_channel.requested())
        try:
            await applet.run_until_quit()
        finally:
            if control is not None:
                await control.close()
            if restore_signals is not None:
                restore_signals()

    try:
        qasync.run(main())
    except KeyboardInterrupt:
        result["code"] = 130
    finally:
        instance.release()
    return result["code"]
