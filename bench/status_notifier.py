"""What our own StatusNotifierItem costs the applet, beside the QMenu it renders alongside.

Prints each figure beside its baseline, in one run (offscreen, no bus needed):
- importing the SNI modules (dbus-fast included) in a fresh interpreter that has PySide6 and
  the presenter already, vs. that interpreter alone;
- one render of the dbusmenu exporter (unchanged model: the 30 s tick; changed: a state
  confirmed) vs. the QMenu view's render of the same models;
- drawing the item's pixmaps for one icon key (6 sizes; once per key, then cached) vs. one
  drawing at the tray's 22 px (what the XEmbed tray asks for).
Run: .venv/bin/python bench/status_notifier.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

N = 2000
PRELUDE = "import PySide6.QtWidgets, PySide6.QtSvg; import tray_app.ui.presenter, tray_app.ui.menu"


def _fresh_ms(code: str) -> float:
    """Median wall time (ms) of `code` in a fresh interpreter after PRELUDE, over 5 runs."""
    script = PRELUDE + ";import time;t=time.perf_counter();" + code + ";print((time.perf_counter()-t)*1000)"
    runs = sorted(
        float(
            subprocess.run(
                [sys.executable, "-c", script],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
            ).stdout
        )
        for _ in range(5)
    )
    return runs[2]


def _per_call_us(fn, n: int = N) -> float:
    t = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - t) / n * 1e6


def main() -> int:
    from PySide6.QtWidgets import QApplication, QMenu

    app = QApplication(sys.argv)  # noqa: F841 (kept alive)
    from tray_app.session_state import ApiMode, Connection, SessionState
    from tray_app.states import Override, PresenceState
    from tray_app.ui.icons import IconFactory
    from tray_app.ui.menu import MenuView
    from tray_app.ui.presenter import AppSnapshot, Duration, build_menu

    print(f"{'':52} {'ours':>10} {'baseline':>10}")
    imp = _fresh_ms("import tray_app.ui.status_notifier")
    base = _fresh_ms("pass")
    print(f"{'import the SNI modules (ms) vs. nothing':52} {imp:10.1f} {base:10.1f}")

    from tray_app.ui import dbus_menu, status_notifier

    def model(state):
        acc = SessionState(
            user_id="@ada:example.org",
            homeserver="https://example.org",
            api=ApiMode.STABLE,
            connection=Connection.CONNECTED,
            override=Override(state, state.value),
            presence=state.value,
        )
        return build_menu(AppSnapshot((acc,), Duration.UNTIL_CHANGED, autostart=False), datetime.now(UTC))

    same = [model(PresenceState.UNAVAILABLE), model(PresenceState.UNAVAILABLE)]
    flip = [model(PresenceState.UNAVAILABLE), model(PresenceState.ONLINE)]
    exporter = dbus_menu.DBusMenu(lambda a: None, lambda: None, status_notifier._menu_icon_png)
    view = MenuView(QMenu(), IconFactory(), lambda a: None)
    for models, what in ((same, "unchanged model"), (flip, "a state confirmed")):
        ours = _per_call_us(lambda i: exporter.render(models[i % 2]))
        qmenu = _per_call_us(lambda i: view.render(models[i % 2]))
        print(f"{'render, ' + what + ' (us): dbusmenu vs. QMenu view':52} {ours:10.0f} {qmenu:10.0f}")

    from tray_app.ui.icons import render_image
    from tray_app.ui.presenter import parse_icon_key

    keys = ["away", "online", "offline", "disabled", "none"]
    pix = _per_call_us(lambda i: status_notifier.argb_pixmaps(keys[i % 5] + "+pending"), 200) / 1000
    qt = _per_call_us(lambda i: render_image(parse_icon_key(keys[i % 5] + "+pending"), 22), 200) / 1000
    size = sum(len(p[2]) for p in status_notifier.argb_pixmaps("away"))
    print(f"{'pixmaps of one key, 6 sizes (ms) vs. one 22 px drawing':52} {pix:10.2f} {qt:10.2f}")
    print(f"{'  bytes per icon key on the bus':52} {size:10d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
