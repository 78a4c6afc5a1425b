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
from tests.harness.server_view import override_value, put_override
from tests.harness.xdesktop import (
    OUT,
    colour_counts,
    geometry,
    icon_window,
    menu_window,
    point_at,
    shot,
    wait,
)

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
DOCS_SHOT = ROOT / "docs" / "screenshot-menu.png"


def test_right_click_the_real_icon_and_pick_away(display, synapse_override, user_factory, tmp_path):
    env = applet_env(display, tmp_path)
    user = user_factory(synapse_override, "alex")
    log = tmp_path / "applet.log"
    applet = start_demo(env, synapse_override.base_url, log, user=user)
    try:
        icon = wait("the icon to embed in trayer", lambda: icon_window(env), 30)
        ix, iy, iw, ih = geometry(env, icon)
        # Wait for the confirmed "no override" icon (blue), past the start-up pending mark.
        # The geometry is read again each time: under load trayer may size the icon after embedding.
        before = wait(
            "the no-override icon",
            lambda: (lambda p: p if colour_counts(p)["blue"] > 20 else None)(
                shot(env, "01-icon-before", geometry(env, icon))
            ),
            30,
            0.5,
        )
        ix, iy, iw, ih = geometry(env, icon)
        counts = colour_counts(before)
        assert counts["amber"] == 0, counts
        shot(env, "01-desktop-before")

        point_at(env, ix + iw // 2, iy + ih // 2)
        subprocess.run(["xdotool", "click", "3"], env=env, check=True)
        menu = wait("the menu to open", lambda: menu_window(env), 10)
        time.sleep(0.5)  # let it paint
        mx, my, mw, mh = geometry(env, menu)
        height_without_message = mh
        shot(env, "02-menu-open")

        # Keyboard in the real menu: the first Down lands on "Online" (headers and info lines
        # are disabled, so skipped), the second on "Away".
        for key in ("Down", "Down"):
            subprocess.run(["xdotool", "key", key], env=env, check=True)
            time.sleep(0.2)
        shot(env, "03-away-highlighted")
        subprocess.run(["xdotool", "key", "Return"], env=env, check=True)

        wait("the server to say unavailable", lambda: override_value(synapse_override, user) == "unavailable", 15, 0.2)
        after = wait(
            "the away icon",
            lambda: (lambda p: p if colour_counts(p)["amber"] > 20 else None)(
                shot(env, "04-icon-after", (ix, iy, iw, ih))
            ),
            15,
            0.3,
        )
        counts = colour_counts(after)
        assert counts["blue"] == 0, counts
        shot(env, "04-desktop-after")

        # A left click opens the same menu; Escape closes it.
        point_at(env, ix + iw // 2, iy + ih // 2)
        subprocess.run(["xdotool", "click", "1"], env=env, check=True)
        wait("the menu to open on a left click", lambda: menu_window(env), 10)
        left_click_open = time.monotonic()
        subprocess.run(["xdotool", "key", "Escape"], env=env, check=True)
        wait("the menu to close", lambda: menu_window(env) is None, 10)

        # A status message set from another device; opening the menu re-reads the server (at
        # most every MENU_REFRESH_MIN_INTERVAL seconds: wait that long since the left click's open).
        from tray_app.ui.applet import MENU_REFRESH_MIN_INTERVAL

        put_override(synapse_override, user, "unavailable", status_msg="Lunch, back at 2")
        time.sleep(max(0.0, left_click_open + MENU_REFRESH_MIN_INTERVAL + 0.5 - time.monotonic()))
        point_at(env, ix + iw // 2, iy + ih // 2)
        subprocess.run(["xdotool", "click", "3"], env=env, check=True)
        menu = wait("the menu to open again", lambda: menu_window(env), 10)
        # The re-read lands and the open menu updates in place: the line "Status message: …"
        # appears, the one line this menu did not have at 02 (same items otherwise: no timer,
        # no error), so the real menu grows by one item's height.
        grown = wait(
            "the status message line in the open menu",
            lambda: (lambda h: h if h > height_without_message else None)(geometry(env, menu)[3]),
            10,
            0.2,
        )
        assert 10 <= grown - height_without_message <= 60, (height_without_message, grown)
        time.sleep(0.3)  # let it paint
        mx, my, mw, mh = geometry(env, menu)
        # For the README: the open menu with the icon it belongs to.
        left, top = max(0, min(mx, ix) - 8), max(0, min(my, iy) - 4)
        right, bottom = min(1024, max(mx + mw, ix + iw) + 8), max(my + mh, iy + ih) + 8
        cropped = shot(env, "05-menu-away-cropped", (left, top, right - left, bottom - top))
        if os.environ.get("UPDATE_DOCS_SCREENSHOT"):  # refresh the README's picture on purpose only
            shutil.copyfile(cropped, DOCS_SHOT)

        # Quit from the menu: Up with nothing highlighted lands on the last item, "Quit".
        subprocess.run(["xdotool", "key", "Up"], env=env, check=True)
        time.sleep(0.2)
        shot(env, "06-quit-highlighted")
        subprocess.run(["xdotool", "key", "Return"], env=env, check=True)
        code = applet.wait(timeout=20)
    finally:
        stop(applet, 10)
        shutil.copyfile(log, OUT / "applet.log") if OUT.exists() else None
    text = log.read_text(errors="replace")
    assert code == 0, text  # a clean exit: no segfault at teardown (docs/architecture.md)
    assert "Traceback" not in text, text
    assert override_value(synapse_override, user) == "unavailable"  # quitting leaves the override
