"""What Qt's own tray balloon costs in memory, side by side with a raw baseline in one run.

    .venv/bin/python bench/balloons.py [--count N]

Starts Xvfb and trayer, then one fresh process per row, each with a QSystemTrayIcon embedded in
trayer, calling `showMessage` every 20 ms (Qt's QBalloonTip on an XEmbed tray) N times:

- baseline: the same process and timer, no balloon;
- Qt's default pixmap cache (10 MiB);
- the pixmap cache the applet sets (tray_app.ui.app.PIXMAP_CACHE_KIB).

Prints glibc's bytes in use (mallinfo2) at the start and the end, and per balloon. Why the
applet sends notifications to the desktop's server instead: tray_app/dbus/notifications.py.
Asserts nothing; the figures depend on Qt's version (measured with PySide6 6.11.3).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap, QPixmapCache
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from tray_app.heap import heap_figures, keep_large_blocks_mapped
keep_large_blocks_mapped()
count, balloons, cache_kib = int(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3])
app = QApplication(sys.argv[:1])
if cache_kib:
    QPixmapCache.setCacheLimit(cache_kib)
pm = QPixmap(22, 22)
pm.fill(QColor("green"))
tray = QSystemTrayIcon(QIcon(pm))
tray.show()
out = {}
done = 0
def step():
    global done
    done += 1
    if balloons:
        tray.showMessage("Presence changed elsewhere", f"@user{done % 3}:localhost: now Away.",
                         QSystemTrayIcon.MessageIcon.Information, 10_000)
    if done == 1:
        out["start"] = heap_figures()["heap_used_kib"]
    if done >= count:
        out["end"] = heap_figures()["heap_used_kib"]
        app.quit()
timer = QTimer()
timer.timeout.connect(step)
QTimer.singleShot(500, lambda: timer.start(20))  # after the icon embedded
app.exec()
print(json.dumps(out))
"""


def _desktop() -> tuple[list[subprocess.Popen], dict[str, str]]:
    r, w = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x600x24", "-nolisten", "tcp"],
        pass_fds=(w,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    env = dict(os.environ, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    for key in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(key, None)
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "32"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(1.0)
    return [tray, xvfb], env


def main() -> int:
    from tray_app.ui.app import PIXMAP_CACHE_KIB

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    missing = [t for t in ("Xvfb", "trayer") if not shutil.which(t)]
    if missing:
        print(f"needs {', '.join(missing)} (Debian: xvfb trayer)", file=sys.stderr)
        return 2
    procs, env = _desktop()
    rows = [
        ("baseline: no balloon", "0", 0),
        ("Qt balloons, Qt's 10 MiB pixmap cache", "1", 0),
        (f"Qt balloons, the applet's {PIXMAP_CACHE_KIB} KiB pixmap cache", "1", PIXMAP_CACHE_KIB),
    ]
    try:
        print(f"{args.count} showMessage calls (or timer ticks), one fresh process each, Xvfb + trayer:")
        print(f"{'':52} {'start':>9} {'end':>9} {'growth':>9} {'per call':>9}")
        for label, balloons, cache in rows:
            p = subprocess.run(
                [sys.executable, "-c", CHILD, str(args.count), balloons, str(cache)],
                env=env,
                capture_output=True,
                text=True,
                timeout=60 + args.count * 0.2,
            )
            if p.returncode != 0:
                print(f"{label}: failed: {p.stderr[-500:]}")
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            grown = r["end"] - r["start"]
            print(
                f"{label:52} {r['start'] / 1024:8.1f}M {r['end'] / 1024:8.1f}M {grown / 1024:+8.1f}M "
                f"{grown * 1024 / args.count:7.0f} B"
            )
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
