"""What every system's entry has in common: its status, and writing or removing a file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Presence Tray"


@dataclass(frozen=True)
class Status:
    enabled: bool
    location: str
    command: str | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.enabled:
            return f"Start on login: on ({self.location})\n  runs: {self.command}"
        why = f": {self.reason}" if self.reason else ""
        return f"Start on login: off{why} ({self.location})"


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
