"""The last override each server confirmed, kept in the settings for the next start.

At start the controller shows it (marked unconfirmed) until this run's first read answers, so
the icon is right at once; it is written only when a confirmed override changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tray_app.session_state import Connection, SessionState
from tray_app.settings import LastKnownOverride
from tray_app.states import from_wire

log = logging.getLogger(__name__)


class LastKnownOverrides:
    def __init__(self, settings: Callable[[], Any], listed: Callable[[], list[str]]) -> None:
        self._settings = settings  # the accounts' settings (AccountSettings), or None
        self._listed = listed
        # Last confirmed overrides from the settings (AccountSettings.last_known), by account.
        self._known: dict[str, dict[str, str]] = self._load()

    def _load(self) -> dict[str, dict[str, str]]:
        settings = self._settings()
        if settings is None:
            return {}
        out = {}
        try:
            for u in self._listed():
                known = settings.account(u).last_known
                if known is not None:
                    out[u] = {"override": known.override, "homeserver": known.homeserver}
        except Exception as e:  # an unreadable settings file only costs the early display
            log.info("last known overrides not read: %s", e)
        return out

    def homeserver(self, user_id: str) -> str:
        return self._known.get(user_id, {}).get("homeserver", "")

    def shown(self, state: SessionState, connected_once: bool) -> SessionState:
        """`state`, or (no read yet this run) with the last confirmed override, unconfirmed."""
        if connected_once or state.connection in (Connection.CONNECTED, Connection.SIGNED_OUT):
            return state
        last = self._known.get(state.user_id)
        if last is None:
            return state
        return state.evolve(override=from_wire(last["override"]), unconfirmed=True)

    def remember(self, state: SessionState) -> None:
        """Keep the override the server confirmed for the next start (written only on change)."""
        if state.connection is not Connection.CONNECTED or state.pending is not None:
            return
        entry = {"override": state.override.raw if state.override is not None else "", "homeserver": state.homeserver}
        if self._known.get(state.user_id) == entry:
            return
        self._known[state.user_id] = entry
        settings = self._settings()
        if settings is None or state.user_id not in self._listed():
            return
        try:
            known = LastKnownOverride(**entry)
            settings.update_account(state.user_id, lambda a: replace(a, last_known=known))
        except Exception as e:  # unwritable settings: only the next start shows less
            log.info("last known override not saved: %s", e)

    def drop(self, user_id: str) -> None:
        self._known.pop(user_id, None)  # a new login starts from its own first read
