"""Non-secret settings: which accounts are signed in, preferences, timed overrides.

A JSON file under the platform config dir (platformdirs honours XDG_CONFIG_HOME).
The CLI and the tray may both write it, so every change re-reads the file first
and writes it atomically. Secrets never go here; they live in the keyring.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs

from tray_app import APP_ID

log = logging.getLogger(__name__)

# Preference: the keyring backend (`module.Class`) that holds the logins.
KEYRING_BACKEND_KEY = "keyring_backend"

# Keys that must never be written here, as a last line of defence.
_FORBIDDEN_KEYS = {"access_token", "password", "token"}


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def settings_path() -> Path:
    return config_dir() / "settings.json"


class Settings:
    def __init__(self, path: Path, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self._data: dict[str, Any] = data or {}

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        return cls(path, _read(path))

    # -- accounts ---------------------------------------------------------------

    @property
    def accounts(self) -> list[str]:
        return list(self._data.get("accounts", []))

    def add_account(self, user_id: str) -> None:
        def change(data: dict[str, Any]) -> None:
            accounts = data.setdefault("accounts", [])
            if user_id not in accounts:
                accounts.append(user_id)

        self.update(change)

    def remove_account(self, user_id: str) -> None:
        def change(data: dict[str, Any]) -> None:
            data["accounts"] = [a for a in data.get("accounts", []) if a != user_id]
            data.get("account_state", {}).pop(user_id, None)

        self.update(change)

    # -- per-account state (timed override, emulated hold) ------------------------

    def account_state(self, user_id: str) -> dict[str, Any]:
        self.reload()
        return dict(self._data.get("account_state", {}).get(user_id, {}))

    def set_account_value(self, user_id: str, key: str, value: Any) -> None:
        """Set one per-account value; None removes it."""

        def change(data: dict[str, Any]) -> None:
            entry = data.setdefault("account_state", {}).setdefault(user_id, {})
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value

        self.update(change)

    # -- preferences ------------------------------------------------------------

    def preference(self, key: str, default: Any = None) -> Any:
        return self._data.get("preferences", {}).get(key, default)

    def set_preference(self, key: str, value: Any) -> None:
        self.update(lambda data: data.setdefault("preferences", {}).__setitem__(key, value))

    # -- storage ------------------------------------------------------------------

    def reload(self) -> None:
        self._data = _read(self.path)

    def update(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Read-modify-write, so a change by another process is not lost."""
        data = _read(self.path)
        change(data)
        _check_no_secrets(data)
        _write(self.path, data)
        self._data = data


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # Keep the broken file for the user to look at; start from defaults.
        backup = path.with_suffix(".json.broken")
        log.warning("settings file %s is not valid JSON; moved it to %s", path, backup)
        os.replace(path, backup)
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_no_secrets(data: Any) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _FORBIDDEN_KEYS:
                raise ValueError(f"refusing to write secret-looking key {key!r} to the settings file")
            _check_no_secrets(value)
    elif isinstance(data, list):
        for item in data:
            _check_no_secrets(item)
