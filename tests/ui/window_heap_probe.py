"""The soak's faults as the no-tray window sees them, without a server: every account connected,
then unreachable (a warning line, taller window), back, one signed out (a rebuild, shorter
window), signed in again (another rebuild). `FAULT_ROUND` is one such round; the window's size
changes at almost every step, which is what reallocates its backing store.

Run as a program (`python -m tests.ui.window_heap_probe [--rounds N] [--no-pin]`, offscreen) it
prints, as JSON, glibc's heap figures (bytes in use, bytes free inside the heap) and RSS after
each round, in a fresh process: tests/ui/test_window_memory.py reads them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
from pathlib import Path

from tests.ui.render_stub import BASE, _override, _state
from tray_app.session_state import Connection
from tray_app.states import PresenceState

USERS = ("@alice:hs.example", "@bob:hs.example", "@carol:hs.example")


def accounts(conn: Connection = Connection.CONNECTED, signed_out: str | None = None, error: str | None = None):
    return tuple(
        _state(
            u,
            override=_override(PresenceState.ONLINE),
            connection=Connection.SIGNED_OUT if u == signed_out else conn,
            last_error="token revoked" if u == signed_out else error,
        )
        for u in USERS
    )


def fault_round():
    """(name, accounts, notification or None) for one round of faults."""
    from tray_app.ui.presenter import Notification

    return [
        ("connected", accounts(), None),
        (
            "unreachable",
            accounts(Connection.DISCONNECTED, error="connection refused"),
            Notification("Can't reach the server", f"{USERS[0]}: connection refused", warning=True),
        ),
        ("back", accounts(), Notification("Back online", f"{USERS[0]}: the server can be reached again.")),
        (
            "signed out",
            accounts(signed_out=USERS[0]),
            Notification("Sign in again", f"{USERS[0]}: revoked", warning=True),
        ),
        ("signed in", accounts(), Notification("Presence Tray", f"Signed in as {USERS[0]}.")),
    ]


def settle() -> None:
    """Let Qt run what a shown window does on its own: deferred deletes, layout, paint."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def play_round(applet, controller) -> None:
    for _name, accts, note in fault_round():
        controller.accounts = accts
        if note is not None:
            applet.notify(note)
        applet.render()
        settle()
        for _ in range(5):  # the ticks that follow
            applet.render()
            settle()


def heap() -> dict[str, int]:
    from tray_app.heap import heap_figures

    with open("/proc/self/status", encoding="ascii") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    figures = heap_figures()
    return {"used_kib": figures["heap_used_kib"], "free_kib": figures["heap_free_kib"], "rss_kib": rss}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--no-pin", action="store_true", help="leave glibc's dynamic mmap threshold alone")
    args = p.parse_args(argv)
    from tray_app.heap import keep_large_blocks_mapped

    pinned = False if args.no_pin else keep_large_blocks_mapped()
    config = None
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        # A screen taller than the window at its tallest: on offscreen's own 800x800 screen the
        # window's height is capped (its list scrolls) and most of the size changes this probe
        # is about would not happen.
        config = Path(tempfile.mkdtemp(prefix="window-heap-probe-")) / "screen.json"
        config.write_text(json.dumps({"screens": [{"name": "tall", "x": 0, "y": 0, "width": 1600, "height": 4000}]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    from PySide6.QtWidgets import QApplication

    from tests.ui.render_stub import UTC, StubController
    from tray_app.ui.applet import Applet
    from tray_app.ui.window import FallbackWindow

    app = QApplication(sys.argv[:1])
    if config is not None:  # read by now
        config.unlink()
        config.parent.rmdir()
    controller = StubController(accounts(), BASE)
    applet = Applet(controller, use_tray=False, clock=lambda: controller.now, tz=UTC)  # type: ignore[arg-type]
    applet.attach_window(FallbackWindow(applet.icons, applet.on_action, forced=True))
    applet.window.show()
    rounds = []
    for _ in range(args.rounds):
        play_round(applet, controller)
        gc.collect()
        rounds.append(dict(heap(), rebuilds=applet.window.rebuilds))
    print(json.dumps({"pinned": pinned, "rounds": rounds}))
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
