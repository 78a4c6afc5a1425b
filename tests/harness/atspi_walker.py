"""What a screen reader sees of an application: its AT-SPI tree (and events), as JSON.

Runs with the *system* Python (`/usr/bin/python3`), which has Debian's python3-pyatspi; the
project's venv cannot import it. Started by tests/harness/atspi.py with the test's private
session bus in DBUS_SESSION_BUS_ADDRESS (the AT-SPI bus is found through it).

    python3 atspi_walker.py tree APP_NAME
        prints {"name", "labelled_by", "role", "description", "states", "children": [...]} of
        the application
    python3 atspi_walker.py listen SECONDS
        prints "ready" once listening, then one JSON line per event:
        {"type", "source_name", "source_role", "detail", "any_data"}
"""

from __future__ import annotations

import json
import sys

import pyatspi  # type: ignore[import-not-found]


def _node(acc, depth: int = 0) -> dict:
    try:
        states = sorted(pyatspi.stateToString(s) for s in acc.getState().getStates())
    except Exception:  # noqa: BLE001 (a node that went away while walking)
        states = []
    labelled_by = []
    try:
        for rel in acc.getRelationSet():
            if rel.getRelationType() == pyatspi.RELATION_LABELLED_BY:
                labelled_by += [rel.getTarget(i).name for i in range(rel.getNTargets())]
    except Exception:  # noqa: BLE001
        pass
    out = {
        "name": acc.name or "",
        "labelled_by": labelled_by,
        "role": acc.getRoleName(),
        "description": acc.description or "",
        "states": states,
        "children": [],
    }
    if depth < 40:
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is not None:
                out["children"].append(_node(child, depth + 1))
    return out


def tree(app_name: str) -> None:
    desktop = pyatspi.Registry.getDesktop(0)
    apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
    found = [a for a in apps if a is not None and a.name == app_name]
    print(json.dumps({"apps": [a.name for a in apps if a is not None], "tree": _node(found[0]) if found else None}))


def listen(seconds: float) -> None:
    from gi.repository import GLib  # type: ignore[import-not-found]

    def on_event(event) -> None:
        try:
            source_name, source_role = event.source.name, event.source.getRoleName()
        except Exception:  # noqa: BLE001
            source_name, source_role = "", ""
        record = {
            "type": str(event.type),
            "source_name": source_name or "",
            "source_role": source_role,
            "detail": [event.detail1, event.detail2],
            "any_data": event.any_data if isinstance(event.any_data, (str, int, float, bool)) else str(event.any_data),
        }
        print(json.dumps(record), flush=True)

    for kind in ("object:", "focus:", "window:"):
        pyatspi.Registry.registerEventListener(on_event, kind)
    GLib.timeout_add(int(seconds * 1000), lambda: pyatspi.Registry.stop() or False)
    GLib.timeout_add(300, lambda: print("ready", flush=True) or False)
    pyatspi.Registry.start()


if __name__ == "__main__":
    if sys.argv[1] == "tree":
        tree(sys.argv[2])
    else:
        listen(float(sys.argv[2]))
