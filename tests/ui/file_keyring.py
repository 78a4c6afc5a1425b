"""A keyring backend in one JSON file, for tests that share a login between processes.

The pinned in-memory backend (tests/support/memory_keyring.py) lives in one process; the ui and
desktop tests also run `presence-tray` subprocesses (the CLI, the applet under Xvfb) that must
see the same login. The file is in the test's tmp dir and removed with it; never use this
outside tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    ENV = "PRESENCE_TRAY_TEST_KEYRING_FILE"
    priority = 1

    def __init__(self, path: Path | str | None = None) -> None:
        super().__init__()
        p = path or os.environ.get(self.ENV)
        if not p:
            raise RuntimeError(f"FileKeyring needs a path (or ${self.ENV})")
        self.path = Path(p)

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, str]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        try:
            del data[f"{service}\x00{username}"]
        except KeyError:
            raise PasswordDeleteError(username) from None
        self._save(data)
