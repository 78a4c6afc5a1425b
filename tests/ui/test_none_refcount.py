"""The applet must not lose references to None while it renders.

PySide6-Essentials 6.12.0 on CPython < 3.12 drops one reference to None on every Qt call that
returns nothing; once None's count reaches zero the process aborts (`none_dealloc`). The
dependency bounds keep that pair out (docs/installing.md: “Supported Python and PySide6”); this test fails if
the pair comes back: thousands of renders of the tray menu, the tray's icon and tooltip and the
no-tray window, each one changing something, and None's reference count afterwards.
On Python ≥ 3.12 None is immortal and its count is constant, so the test passes trivially there.
"""

from __future__ import annotations

import gc
import sys

import pytest

from tests.ui.render_stub import CYCLE, StubController, make_applet, qt_setter_calls, states_at

pytestmark = pytest.mark.ui

RENDERS = 2_100  # a multiple of CYCLE: the last render shows the same snapshot as the first


def _settle() -> int:
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
    return sys.getrefcount(None)


def test_thousands_of_renders_keep_nones_reference_count(aio):
    controller = StubController()
    applet = make_applet(controller)
    try:
        applet.window.show()
        for step in range(CYCLE + 1):  # warm-up: icons made, every item built once
            controller.accounts, controller.now = states_at(step)
            applet.render()
        calls_before = qt_setter_calls(applet)
        before = _settle()
        for step in range(CYCLE + 1, CYCLE + 1 + RENDERS):
            controller.accounts, controller.now = states_at(step)
            applet.render()
            if step % CYCLE == 0:
                # Checked every cycle (same snapshot each time), so that the broken pair fails
                # here, before None's count reaches zero and the process aborts.
                after = _settle()
                calls = qt_setter_calls(applet) - calls_before
                assert after >= before, (
                    f"None lost {before - after} references in {step - CYCLE} renders ({calls} Qt calls)"
                )
        calls = qt_setter_calls(applet) - calls_before
        # The renders really reached Qt (several calls each, menu rebuilds included).
        assert calls >= 2 * RENDERS, calls
        assert applet.menu_view.rebuilds > RENDERS // 10
    finally:
        aio.run(applet.shutdown())
