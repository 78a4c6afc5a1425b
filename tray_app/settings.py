"""Non-secret settings: which accounts are signed in, preferences, per-account state.

A JSON file under the platform config dir (platformdirs honours XDG_CONFIG_HOME).
The CLI and the tray may both write it, so every change re-reads the file first
and writes it atomically. Secrets never go here; they live in the keyring.

What is kept per account is one typed record, `AccountSettings`, read by `Settings.account`
and written by `Settings.update_account`; its JSON form is `account_state.<user id>` with one
key per field (docs/configuration.md).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import platformdirs

from tray_app import APP_ID
from tray_app.states import PresenceState

log = logging.getLogger(__name__)

# Preference: the keyring backend (`module.Class`) that holds the logins.
KEYRING_BACKEND_KEY = "keyring_backend"

# Keys that must never be written here, as a last line of defence.
_FORBIDDEN_KEYS = {"access_token", "password", "token"}

# The JSON keys of an account's entry, by AccountSettings field.
_TIMED = "timed"
_EMULATED_HOLD = "emulated_hold"
_EMULATED_STATUS_MSG = "emulated_status_msg"
_LAST_KNOWN = "last_known_override"
_TIMED_MESSAGE = "timed_message"
_RECENT_MESSAGES = "recent_messages"
_KEYS = {
    "timed": _TIMED,
    "emulated_hold": _EMULATED_HOLD,
    "emulated_status_msg": _EMULATED_STATUS_MSG,
    "last_known": _LAST_KNOWN,
    "timed_message": _TIMED_MESSAGE,
    "recent_messages": _RECENT_MESSAGES,
}


@dataclass(frozen=True)
class TimedOverride:
    """A running timed override: `state` until `until` (time-zone aware), then `previous`
    (None: no override)."""

    state: PresenceState
    until: datetime
    previous: PresenceState | None = None


@dataclass(frozen=True)
class TimedMessage:
    """A status message that clears itself ("Clear after"): `msg` until `until` (aware)."""

    msg: str
    until: datetime


@dataclass(frozen=True)
class LastKnownOverride:
    """The override the server last confirmed, shown unconfirmed at the next start:
    its wire value ("" for none; kept as the server spelled it) and the homeserver."""

    override: str
    homeserver: str = ""


@dataclass(frozen=True)
class AccountSettings:
    """What is kept for one account. A stored value in a form this version cannot read is
    absent here and named in `unreadable`; the account's next write drops it. Keys this
    version does not know (a newer one wrote them) are kept as they are."""

    timed: TimedOverride | None = None
    # Emulated mode (no override API): the state this device holds, and its status message.
    emulated_hold: PresenceState | None = None
    emulated_status_msg: str | None = None
    last_known: LastKnownOverride | None = None
    timed_message: TimedMessage | None = None
    # The status messages set last, newest first (tray_app.messages.remember_recent).
    recent_messages: tuple[str, ...] = ()
    unreadable: frozenset[str] = frozenset()
    other: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_json(cls, entry: object) -> AccountSettings:
        if not isinstance(entry, dict):
            return cls()
        unreadable: set[str] = set()
        values: dict[str, Any] = {}
        for name, key in _KEYS.items():
            if entry.get(key) is None:
                continue
            try:
                values[name] = _READERS[name](entry[key])
            except (KeyError, TypeError, ValueError):
                unreadable.add(name)
        other = {k: v for k, v in entry.items() if k not in _KEYS.values()}
        return cls(**values, unreadable=frozenset(unreadable), other=MappingProxyType(other))

    def to_json(self) -> dict[str, Any]:
        out = dict(self.other)
        if self.timed is not None:
            t = self.timed
            out[_TIMED] = {
                "state": t.state.value,
                "previous": t.previous.value if t.previous else None,
                "until": t.until.isoformat(),
            }
        if self.emulated_hold is not None:
            out[_EMULATED_HOLD] = self.emulated_hold.value
        if self.emulated_status_msg is not None:
            out[_EMULATED_STATUS_MSG] = self.emulated_status_msg
        if self.last_known is not None:
            out[_LAST_KNOWN] = {"override": self.last_known.override, "homeserver": self.last_known.homeserver}
        if self.timed_message is not None:
            out[_TIMED_MESSAGE] = {"msg": self.timed_message.msg, "until": self.timed_message.until.isoformat()}
        if self.recent_messages:
            out[_RECENT_MESSAGES] = list(self.recent_messages)
        return out


def _read_timed(value: Any) -> TimedOverride:
    until = datetime.fromisoformat(value["until"])
    if until.tzinfo is None:
        raise ValueError("no time zone")
    previous = value.get("previous")
    return TimedOverride(
        state=PresenceState(value["state"]),
        until=until,
        previous=PresenceState(previous) if previous is not None else None,
    )


def _read_last_known(value: Any) -> LastKnownOverride:
    override, homeserver = value["override"], value.get("homeserver", "")
    if not isinstance(override, str) or not isinstance(homeserver, str):
        raise TypeError("not a string")
    return LastKnownOverride(override, homeserver)


def _read_timed_message(value: Any) -> TimedMessage:
    until = datetime.fromisoformat(value["until"])
    if until.tzinfo is None:
        raise ValueError("no time zone")
    return TimedMessage(_read_str(value["msg"]), until)


def _read_recent(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return tuple(_read_str(v) for v in value)


def _read_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


_READERS: dict[str, Callable[[Any], Any]] = {
    "timed": _read_timed,
    "emulated_hold": PresenceState,
    "emulated_status_msg": _read_str,
    "last_known": _read_last_known,
    "timed_message": _read_timed_message,
    "recent_messages": _read_recent,
}


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

    # -- per-account state (AccountSettings) ----------------------------------------

    def account(self, user_id: str) -> AccountSettings:
        """The account's record as the file has it now (another process may have written it)."""
        self.reload()
        return AccountSettings.from_json(self._data.get("account_state", {}).get(user_id))

    def update_account(self, user_id: str, change: Callable[[AccountSettings], AccountSettings]) -> None:
        """Read-modify-write of one account's record, e.g.
        `update_account(u, lambda a: dataclasses.replace(a, timed=None))`."""

        def apply(data: dict[str, Any]) -> None:
            states = data.setdefault("account_state", {})
            entry = change(AccountSettings.from_json(states.get(user_id))).to_json()
            if entry:
                states[user_id] = entry
            else:
                states.pop(user_id, None)

        self.update(apply)

    # -- preferences ------------------------------------------------------------

    @property
    def keyring_backend(self) -> str | None:
        """The keyring backend (`module.Class`) that held the logins last time."""
        name = self.preference(KEYRING_BACKEND_KEY)
        return name if isinstance(name, str) else None

    def set_keyring_backend(self, name: str) -> None:
        self.set_preference(KEYRING_BACKEND_KEY, name)

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
