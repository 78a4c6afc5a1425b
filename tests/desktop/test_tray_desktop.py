"""The real thing on a real X server: Xvfb + the `trayer` tray host + xdotool.

The applet runs as its own process (platform xcb) signed in to a real Synapse with the override
module. The test right-clicks the embedded icon, picks Away with the keyboard in the open menu,
and checks both the icon's pixels (blue "no override" → amber "away") and the server's GET.
Screenshots are kept in test-output/desktop/ for a person to look at; the open menu is also saved
as docs/screenshot-menu.png for the README when UPDATE_DOCS_SCREENSHOT=1 is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.desktop.demo_applet import applet_env, start_demo, stop
from tests.ui.conftest import override_value, put_override

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "desktop"
DOCS_SHOT = ROOT / "docs" / "screenshot-menu.png"
# ImageMagick's real tools (docs/testing.md: /usr/local/bin/convert may be a stand-in).
IMPORT = "/usr/bin/import"
CONVERT = "/usr/bin/convert"
TOOLS = ["Xvfb", "trayer", "xdotool", IMPORT, CONVERT, "xwininfo"]


def _need_tools() -> None:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        pytest.fail(
            "desktop tests need " + ", ".join(missing) + " (Debian: xvfb xauth trayer xdotool imagemagick x11-utils; "
            ".ci/run installs them)",
            pytrace=False,
        )


def _wait(what: str, probe, timeout: float, interval: float = 0.1):
    t0 = time.monotonic()
    deadline = t0 + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            print(f"[{time.monotonic() - t0:5.2f}s] {what}")
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


def _start_xvfb(tmp_path: Path, tries: int = 3) -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display number (-displayfd). Two starting at once (another suite, a soak)
    can pick the same number; the loser reports it and exits ("server already running"): then
    start again."""
    for attempt in range(tries):
        r, w = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x600x24", "-nolisten", "tcp"],
            pass_fds=(w,),
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "xvfb.log", "ab"),
            start_new_session=True,
        )
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        time.sleep(0.3)
        if number.isdigit() and xvfb.poll() is None:
            return xvfb, number
        if xvfb.poll() is None:
            xvfb.terminate()
        xvfb.wait(10)
    raise AssertionError(f"Xvfb did not start in {tries} tries: {(tmp_path / 'xvfb.log').read_text()}")


@pytest.fixture
def display(tmp_path):
    """A private Xvfb (free display number via -displayfd) and trayer on it."""
    _need_tools()
    xvfb, number = _start_xvfb(tmp_path)
    try:
        env = dict(os.environ, DISPLAY=f":{number}")
        env.pop("WAYLAND_DISPLAY", None)
        # Not the developer's session bus: the applet's notifications would reach their desktop
        # (on Xvfb, Qt autolaunches a bus of the display's own; tests that need one bring it).
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        tray = subprocess.Popen(
            [
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--widthtype",
                "request",
                "--height",
                "32",
                "--SetDockType",
                "true",
                "--transparent",
                "false",
                "--tint",
                "0xdddddd",
                "--expand",
                "true",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "trayer.log", "wb"),
            start_new_session=True,
        )
        try:
            _wait("the trayer panel", lambda: _xdotool(env, "search", "--class", "trayer"), 30)
            yield env
        finally:
            tray.terminate()
            tray.wait(10)
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def _xdotool(env, *args) -> str:
    p = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=10)
    return p.stdout.strip() if p.returncode == 0 else ""


def _geometry(env, wid: str) -> tuple[int, int, int, int]:
    out = subprocess.run(["xwininfo", "-id", wid], env=env, capture_output=True, text=True, timeout=10).stdout
    val = {}
    for line in out.splitlines():
        line = line.strip()
        for key in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height"):
            if line.startswith(key + ":"):
                val[key] = int(line.split(":")[1])
    return val["Absolute upper-left X"], val["Absolute upper-left Y"], val["Width"], val["Height"]


def _shot(env, name: str, crop: tuple[int, int, int, int] | None = None) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    cmd = [IMPORT, "-silent", "-window", "root"]
    if crop:
        x, y, w, h = crop
        cmd += ["-crop", f"{w}x{h}+{x}+{y}", "+repage"]
    subprocess.run(cmd + [str(path)], env=env, check=True, timeout=20)
    return path


def _colour_counts(png: Path) -> dict[str, int]:
    """Pixels of the "no override" blue and the "away" amber in an icon screenshot."""
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert not img.isNull(), png
    counts = {"blue": 0, "amber": 0, "total": img.width() * img.height()}
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            r, g, b = c.red(), c.green(), c.blue()
            if r < 110 and 100 < g < 175 and b > 200:  # #388bfd
                counts["blue"] += 1
            if r > 190 and 120 < g < 190 and b < 70:  # #e3a008
                counts["amber"] += 1
    return counts


def _point_at(env, x: int, y: int) -> None:
    # Not `mousemove --sync`: it waits forever when the pointer is already there.
    subprocess.run(["xdotool", "mousemove", str(x), str(y)], env=env, check=True, timeout=10)
    time.sleep(0.1)


def _icon_window(env) -> str | None:
    """The embedded tray icon: our only small window of class presence-tray."""
    for wid in _xdotool(env, "search", "--class", "presence-tray").split():
        x, y, w, h = _geometry(env, wid)
        if w <= 64 and h <= 64 and y < 40:
            return wid
    return None


def _menu_window(env) -> str | None:
    for wid in _xdotool(env, "search", "--onlyvisible", "--class", "presence-tray").split():
        if _geometry(env, wid)[3] > 100:
            return wid
    return None


def test_right_click_the_real_icon_and_pick_away(display, synapse_override, user_factory, tmp_path):
    env = applet_env(display, tmp_path)
    user = user_factory(synapse_override, "alex")
    log = tmp_path / "applet.log"
    applet = start_demo(env, synapse_override.base_url, log, user=user)
    try:
        icon = _wait("the icon to embed in trayer", lambda: _icon_window(env), 30)
        ix, iy, iw, ih = _geometry(env, icon)
        # Wait for the confirmed "no override" icon (blue), past the start-up pending mark.
        # The geometry is read again each time: under load trayer may size the icon after embedding.
        before = _wait(
            "the no-override icon",
            lambda: (lambda p: p if _colour_counts(p)["blue"] > 20 else None)(
                _shot(env, "01-icon-before", _geometry(env, icon))
            ),
            30,
            0.5,
        )
        ix, iy, iw, ih = _geometry(env, icon)
        counts = _colour_counts(before)
        assert counts["amber"] == 0, counts
        _shot(env, "01-desktop-before")

        _point_at(env, ix + iw // 2, iy + ih // 2)
        subprocess.run(["xdotool", "click", "3"], env=env, check=True)
        menu = _wait("the menu to open", lambda: _menu_window(env), 10)
        time.sleep(0.5)  # let it paint
        mx, my, mw, mh = _geometry(env, menu)
        height_without_message = mh
        _shot(env, "02-menu-open")

        # Keyboard in the real menu: the first Down lands on "Online" (headers and info lines
        # are disabled, so skipped), the second on "Away".
        for key in ("Down", "Down"):
            subprocess.run(["xdotool", "key", key], env=env, check=True)
            time.sleep(0.2)
        _shot(env, "03-away-highlighted")
        subprocess.run(["xdotool", "key", "Return"], env=env, check=True)

        _wait("the server to say unavailable", lambda: override_value(synapse_override, user) == "unavailable", 15, 0.2)
        after = _wait(
            "the away icon",
            lambda: (lambda p: p if _colour_counts(p)["amber"] > 20 else None)(
                _shot(env, "04-icon-after", (ix, iy, iw, ih))
            ),
            15,
            0.3,
        )
        counts = _colour_counts(after)
        assert counts["blue"] == 0, counts
        _shot(env, "04-desktop-after")

        # A left click opens the same menu; Escape closes it.
        _point_at(env, ix + iw // 2, iy + ih // 2)
        subprocess.run(["xdotool", "click", "1"], env=env, check=True)
        _wait("the menu to open on a left click", lambda: _menu_window(env), 10)
        left_click_open = time.monotonic()
        subprocess.run(["xdotool", "key", "Escape"], env=env, check=True)
        _wait("the menu to close", lambda: _menu_window(env) is None, 10)

        # A status message set from another device; opening the menu re-reads the server (at
        # most every MENU_REFRESH_MIN_INTERVAL seconds: wait that long since the left click's open).
        from tray_app.ui.applet import MENU_REFRESH_MIN_INTERVAL

        put_override(synapse_override, user, "unavailable", status_msg="Lunch, back at 2")
        time.sleep(max(0.0, left_click_open + MENU_REFRESH_MIN_INTERVAL + 0.5 - time.monotonic()))
        _point_at(env, ix + iw // 2, iy + ih // 2)
        subprocess.run(["xdotool", "click", "3"], env=env, check=True)
        menu = _wait("the menu to open again", lambda: _menu_window(env), 10)
        # The re-read lands and the open menu updates in place: the line "Status message: …"
        # appears, the one line this menu did not have at 02 (same items otherwise: no timer,
        # no error), so the real menu grows by one item's height.
        grown = _wait(
            "the status message line in the open menu",
            lambda: (lambda h: h if h > height_without_message else None)(_geometry(env, menu)[3]),
            10,
            0.2,
        )
        assert 10 <= grown - height_without_message <= 60, (height_without_message, grown)
        time.sleep(0.3)  # let it paint
        mx, my, mw, mh = _geometry(env, menu)
        # For the README: the open menu with the icon it belongs to.
        left, top = max(0, min(mx, ix) - 8), max(0, min(my, iy) - 4)
        right, bottom = min(1024, max(mx + mw, ix + iw) + 8), max(my + mh, iy + ih) + 8
        shot = _shot(env, "05-menu-away-cropped", (left, top, right - left, bottom - top))
        if os.environ.get("UPDATE_DOCS_SCREENSHOT"):  # refresh the README's picture on purpose only
            shutil.copyfile(shot, DOCS_SHOT)

        # Quit from the menu: Up with nothing highlighted lands on the last item, "Quit".
        subprocess.run(["xdotool", "key", "Up"], env=env, check=True)
        time.sleep(0.2)
        _shot(env, "06-quit-highlighted")
        subprocess.run(["xdotool", "key", "Return"], env=env, check=True)
        code = applet.wait(timeout=20)
    finally:
        stop(applet, 10)
        shutil.copyfile(log, OUT / "applet.log") if OUT.exists() else None
    text = log.read_text(errors="replace")
    assert code == 0, text  # a clean exit: no segfault at teardown (docs/architecture.md)
    assert "Traceback" not in text, text
    assert override_value(synapse_override, user) == "unavailable"  # quitting leaves the override
