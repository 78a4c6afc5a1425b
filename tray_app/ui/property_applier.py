"""Calls a Qt setter only when its value differs from the last one applied through here.

A render re-states the whole view model (every text, check mark, icon of every account) on
every change and on the tick, but from one render to the next almost nothing differs. Each Qt
call costs work, and with some PySide6 builds a reference to None per call (docs/installing.md, “Supported
Python and PySide6”), so the views send Qt only the differences. The last value is remembered
per object and property, not read back from Qt: reading is a Qt call too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class PropertyApplier:
    def __init__(self) -> None:
        self._last: dict[tuple[int, str], Any] = {}
        self._objects: dict[int, object] = {}  # keeps each id() unique while it is remembered
        self.calls = 0  # setters called, for tests and the soak's counters
        self.skipped = 0

    def set(self, obj: object, prop: str, value: Any, setter: Callable[[Any], Any] | None = None) -> bool:
        """Apply `value` to `obj`'s `prop` unless it is the last value applied there.

        `setter` defaults to `obj.set<Prop>`; give one where the value is a key (e.g. an icon
        name) rather than what Qt takes. Returns whether Qt was called."""
        key = (id(obj), prop)
        if key in self._last and self._last[key] == value:
            self.skipped += 1
            return False
        if setter is None:
            setter = getattr(obj, "set" + prop[0].upper() + prop[1:])
        setter(value)
        self._last[key] = value
        self._objects[id(obj)] = obj
        self.calls += 1
        return True

    def forget_one(self, obj: object, prop: str) -> None:
        """Drop what was remembered for one object's property (a click changed it in Qt)."""
        self._last.pop((id(obj), prop), None)

    def forget(self, prop: str | None = None) -> None:
        """Drop what was remembered (for `prop` only, if given), so the next `set` calls Qt: after
        a rebuild, or after a click changed a widget behind our back (a check mark, a combo)."""
        if prop is None:
            self._last.clear()
            self._objects.clear()
        else:
            for key in [k for k in self._last if k[1] == prop]:
                del self._last[key]
