"""Ten accounts on a real 1280×800 X server with the `trayer` tray host (issue 19: three accounts
wrapped the menu into two columns there, and the window showed 2.5 of 7 accounts with Quit at
the end of the scrolling list). The views are the applet's, fed made-up accounts
(tests/desktop/many_accounts_views.py); screenshots in test-output/desktop/."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.desktop.demo_applet import applet_env
from tests.harness.xdesktop import (
    geometry,
    icon_window,
    menu_window,
    need_tools,
    point_at,
    shot,
    start_trayer,
    start_xvfb,
    stop_process,
    wait,
    xdotool,
)

pytestmark = [pytest.mark.desktop]

WIDTH, HEIGHT = 1280, 800
PANEL = 32  # trayer's height (tests/harness/xdesktop.py)


@pytest.fixture
def screen_1280(tmp_path):
    need_tools()
    xvfb, number = start_xvfb(tmp_path, screen=f"{WIDTH}x{HEIGHT}x24")
    try:
        env = {k: v for k, v in applet_env({"DISPLAY": f":{number}"}, tmp_path).items()}
        import os

        env = dict(os.environ, **env)
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        tray = start_trayer(env, tmp_path / "trayer.log")
        try:
            yield env
        finally:
            stop_process(tray)
    finally:
        stop_process(xvfb)


def _views(env, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.desktop.many_accounts_views", mode],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_ten_accounts_menu_is_one_column_on_1280x800(screen_1280, language):
    env = dict(screen_1280, LANGUAGE=language, LANG="de_DE.UTF-8" if language == "de" else "C.UTF-8")
    proc = _views(env, "menu")
    try:
        icon = wait("the icon to embed in trayer", lambda: icon_window(env), 30)
        ix, iy, iw, ih = geometry(env, icon)
        point_at(env, ix + iw // 2, iy + ih // 2)
        subprocess.run(["xdotool", "click", "3"], env=env, check=True)
        menu = wait("the menu to open", lambda: menu_window(env), 10)
        time.sleep(0.5)  # let it paint
        mx, my, mw, mh = geometry(env, menu)
        shot(env, f"many-accounts-01-menu-{language}")
        # One column: as tall as its items need, well inside the screen, and narrow (two columns
        # of account lines were ~2 × 330 px wide).
        assert my + mh <= HEIGHT and mh <= HEIGHT - PANEL, (mx, my, mw, mh)
        assert mw < 500, (mx, my, mw, mh)
        # Set all accounts, the first account, the second: its line opens its own submenu (its
        # states and actions), beside the menu.
        subprocess.run(["xdotool", "key", "Down", "Down", "Down", "Right"], env=env, check=True)
        time.sleep(0.6)
        shot(env, f"many-accounts-02-account-submenu-{language}")
        found = xdotool(env, "search", "--onlyvisible", "--class", "presence-tray").split()
        subs = [geometry(env, w) for w in found if w != menu]
        assert any(h > 100 and (x + w <= mx + 10 or x >= mx + mw - 10) for x, y, w, h in subs), subs
    finally:
        stop_process(proc)


@pytest.mark.parametrize("language", ["en", "de"])
def test_ten_accounts_window_fits_and_keeps_quit_in_view(screen_1280, language):
    env = dict(screen_1280, LANGUAGE=language, LANG="de_DE.UTF-8" if language == "de" else "C.UTF-8")
    proc = _views(env, "window")
    try:
        wid = wait("the window", lambda: xdotool(env, "search", "--onlyvisible", "--name", "^Presence Tray$"), 30)
        wid = wid.split()[0]
        assert proc.stdout is not None
        lines = [proc.stdout.readline().split() for _ in range(3)]  # "ready", then Quit and Add account
        x, y, w, h = geometry(env, wid)
        shot(env, f"many-accounts-03-window-{language}")
        assert y + h <= HEIGHT, (x, y, w, h)
        # Quit and Add account are drawn, inside the window (not scrolled away at the list's end).
        for name, bx, by, bw, bh, shown in (line for line in lines if line and line[0] != "ready"):
            assert shown == "1", name
            assert x <= int(bx) and int(bx) + int(bw) <= x + w and y <= int(by) and int(by) + int(bh) <= y + h, (
                name,
                (bx, by, bw, bh),
                (x, y, w, h),
            )
    finally:
        stop_process(proc)
