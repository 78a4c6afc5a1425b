"""The no-tray window must not grow while it lives through the soak's faults (docs/performance.md, "The soak").

What made it grow, or could: widgets left alive by a rebuild (a sign-out, a sign-in), layout
items that PySide6 never frees (`QLayout.takeAt`, ~4-5 KB per rebuild), and glibc's heap keeping
the holes the window's backing store leaves each time its height changes (`tray_app/heap.py`).
The first is counted in this process; the others need a fresh process (the allocator's state is
per process) and are read from glibc's own figures: bytes in use and bytes free inside the heap,
not time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.render_stub import BASE, StubController, make_applet
from tests.ui.window_heap_probe import USERS, accounts, play_round, settle
from tray_app.session_state import Connection

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 40
HEAP_ROUNDS = 40  # of the probe: each signs one account out and in (two rebuilds)
HEAP_WARM_UP = 5


def _alive(applet) -> dict[str, int]:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    return {
        "widgets": len(QApplication.allWidgets()),
        "window's QObjects": len(applet.window.findChildren(QObject)),
        "applet's QObjects": len(applet.findChildren(QObject)),
    }


def test_window_rebuilds_leave_no_widgets_behind(aio):
    controller = StubController(accounts(), BASE)
    applet = make_applet(controller)
    try:
        applet.window.show()
        play_round(applet, controller)  # warm-up: every line and notice shown once
        before = _alive(applet)
        rebuilds = applet.window.rebuilds
        for _ in range(ROUNDS):
            play_round(applet, controller)
        after = _alive(applet)
        # Each round signs one account out and back in: two rebuilds of the window.
        assert applet.window.rebuilds - rebuilds >= 2 * ROUNDS
        assert after == before, f"after {applet.window.rebuilds - rebuilds} rebuilds: {before} -> {after}"
    finally:
        aio.run(applet.shutdown())


def _qobjects_by_class(window) -> dict[str, int]:
    from PySide6.QtCore import QObject

    counts: dict[str, int] = {}
    for o in [window, *window.findChildren(QObject)]:
        name = o.metaObject().className()
        counts[name] = counts.get(name, 0) + 1
    return counts


def test_a_fault_makes_no_qobjects_that_stay(aio):
    """The window's QObjects depend on its lines, not on what they have shown. An account's
    connection line is empty while connected; Qt made its (selectable) label a text control (a
    QWidgetTextControl, its QTextDocument, QTextDocumentLayout, QTextFrame, QTextImageHandler)
    the first time it showed text, at a fault, and kept it: the full soak's window grew in steps
    of 5 (1427 -> 1467), one per account whose line showed for the first time. A server's error
    text that looks like HTML made the notice a text control as well."""
    from tray_app.ui.presenter import Notification

    controller = StubController(accounts(), BASE)
    applet = make_applet(controller)
    try:
        window = applet.window
        window.show()
        applet.render()
        settle()
        before = _qobjects_by_class(window)
        rebuilds = window.rebuilds
        controller.accounts = accounts(Connection.DISCONNECTED, error="connection refused")
        applet.notify(
            Notification("Can't reach the server", "<html><title>502 Bad Gateway</title></html>", warning=True)
        )
        applet.render()
        settle()
        during = _qobjects_by_class(window)
        controller.accounts = accounts()
        applet.notify(Notification("Back online", "the server can be reached again."))
        applet.render()
        settle()
        after = _qobjects_by_class(window)
        assert window.rebuilds == rebuilds  # the same lines throughout, shown or hidden
        grown = {
            k: (before.get(k, 0), during.get(k, 0), after.get(k, 0))
            for k in before.keys() | during.keys() | after.keys()
            if before.get(k, 0) != after.get(k, 0)
        }
        assert not grown, f"QObjects by class (before, during, after a fault): {grown}"
        # While the fault showed, text controls only for the lines with text in them, not the
        # notice (plain text, even when it looks like HTML); with several accounts the
        # connection lines are in each account row's menu (QActions), so none.
        controls = during.get("QWidgetTextControl", 0) - before.get("QWidgetTextControl", 0)
        assert controls == (len(USERS) if len(USERS) == 1 else 0), during
        assert during.get("QLabel") == before.get("QLabel")
    finally:
        aio.run(applet.shutdown())


def _glibc() -> bool:
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):
        return False


@pytest.mark.skipif(not _glibc(), reason="the heap figures are glibc's (mallinfo2)")
def test_window_rebuilds_and_size_changes_keep_the_heap_flat():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui.window_heap_probe", "--rounds", str(HEAP_ROUNDS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["pinned"], "tray_app.heap did not pin glibc's mmap threshold"
    rounds = out["rounds"]
    warm = rounds[HEAP_WARM_UP - 1]
    later = rounds[HEAP_WARM_UP:]
    rebuilds = later[-1]["rebuilds"] - warm["rebuilds"]
    assert rebuilds >= 2 * len(later)
    # Bytes in use stay put: with QLayout.takeAt (PySide6 never frees the item it hands over)
    # each rebuild kept ~4 KB: ~290 KiB over these rebuilds.
    grown = max(r["used_kib"] for r in later) - warm["used_kib"]
    assert grown < 100, f"{grown} KiB more in use after {rebuilds} rebuilds: {rounds}"
    # So do the bytes free inside the heap: unpinned, each new window size left a backing
    # store's hole the heap could not give back (+5 MiB steps, ~10 MiB after two rounds).
    holes = max(r["free_kib"] for r in rounds[1:]) - rounds[0]["free_kib"]
    assert holes < 2048, f"{holes} KiB more free (unusable) inside the heap: {rounds}"


def test_many_accounts_keep_the_window_narrow(aio):
    """Each account's quiet buttons stay under it: in one bottom row, 20 accounts made the window
    7,700 px wide and its backing store (width × height × 4 bytes) ~150 MiB."""
    from tests.ui.render_stub import _override, _state
    from tests.ui.window_heap_probe import settle
    from tray_app.session_state import Connection
    from tray_app.states import PresenceState
    from tray_app.ui.window import WINDOW_WIDTH

    users = [f"@user{n}:hs.example" for n in range(20)]
    controller = StubController(
        tuple(
            _state(
                u, override=_override(PresenceState.ONLINE), connection=Connection.DISCONNECTED, last_error="refused"
            )
            for u in users
        ),
        BASE,
    )
    applet = make_applet(controller)
    try:
        applet.window.show()
        applet.render()
        settle()
        applet.render()
        settle()
        window = applet.window
        # The account's "Remove from this computer…" shows, in its row's menu.
        assert window.account_rows[f"acct:{users[-1]}"].menu_view.actions[f"acct:{users[-1]}:forget"].isVisible()
        assert window.width() <= 1.5 * WINDOW_WIDTH, window.width()
    finally:
        aio.run(applet.shutdown())


def test_the_applet_keeps_only_its_latest_notifications(aio):
    """It runs for weeks: what it has shown is counted, and only the latest are kept."""
    from tray_app.ui.applet import NOTIFICATIONS_KEPT
    from tray_app.ui.presenter import Notification

    controller = StubController(accounts(), BASE)
    applet = make_applet(controller)
    try:
        shown = 3 * NOTIFICATIONS_KEPT
        for i in range(shown):
            applet.notify(Notification("Server unreachable", f"notification {i}"))
        assert applet.notified == shown
        assert len(applet.notifications) == NOTIFICATIONS_KEPT
        assert applet.notifications[-1].text == f"notification {shown - 1}"
        assert applet.window.notice.text() == f"Server unreachable: notification {shown - 1}"
    finally:
        aio.run(applet.shutdown())
