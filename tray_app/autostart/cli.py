"""``presence-tray autostart on|off|status``."""

from __future__ import annotations

import sys
from typing import TextIO

from tray_app.autostart.system import disable, enable, status

USAGE = "usage: presence-tray autostart on|off|status"


def run_cli(action: str, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``presence-tray autostart on|off|status``: 0 on success, 1 on an OS error, 2 on misuse."""
    out = out or sys.stdout
    err = err or sys.stderr
    actions = {"on": enable, "off": disable, "status": None}
    if action not in actions:
        print(USAGE, file=err)
        return 2
    try:
        change = actions[action]
        if change is not None:
            change()
        print(status(), file=out)
    except OSError as exc:
        print(f"autostart {action}: {exc}", file=err)
        return 1
    return 0
