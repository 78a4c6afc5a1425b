"""The one state object that the command line and the tray both render.

It is an immutable snapshot: the session publishes a new one on every change,
so a renderer never sees a half-updated state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tray_app.states import Override, PresenceState
from tray_app.translation import translate


class ApiMode(enum.Enum):
    UNKNOWN = "unknown"  # not checked yet (or not reachable)
    STABLE = "stable"  # /_matrix/client/v1/presence/{userId}/override
    UNSTABLE = "unstable"  # support.feline.msc4043.v1
    MSC4532 = "msc4532"  # org.continuwuity.presence_v2.msc4532: the override in account data
    EMULATED = "emulated"  # no override API: we hold our own device's presence

    @property
    def has_override_api(self) -> bool:
        return self in (ApiMode.STABLE, ApiMode.UNSTABLE, ApiMode.MSC4532)

    @property
    def label(self) -> str:
        """What the server offers, in the words the menu and the CLI use."""
        return _API_LABELS[self]()


_API_LABELS = {
    ApiMode.STABLE: lambda: translate("Mode", "Server override (MSC4043)"),
    ApiMode.UNSTABLE: lambda: translate("Mode", "Server override (unstable MSC4043)"),
    ApiMode.MSC4532: lambda: translate("Mode", "Server override (MSC4532, account data)"),
    ApiMode.EMULATED: lambda: translate("Mode", "Emulated — this server has no override API"),
    ApiMode.UNKNOWN: lambda: translate("Mode", "Checking what the server offers…"),
}


class Connection(enum.Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"  # network fault; the session retries by itself
    SIGNED_OUT = "signed_out"  # token rejected or logged out; needs the user


@dataclass(frozen=True)
class Pending:
    """A change the user asked for that the server has not confirmed yet."""

    state: PresenceState | None  # None: clear the override
    status_msg: str | None = None
    # Only the status message changes (the override stays as it is; `state` is the one held).
    message_only: bool = False


@dataclass(frozen=True)
class SessionState:
    user_id: str
    homeserver: str
    device_id: str | None = None
    api: ApiMode = ApiMode.UNKNOWN
    status_msg_supported: bool = False
    # The server keeps a status message without an override (else it goes with the override).
    message_alone: bool = False
    # Busy is offered only where the server has it (MSC4532, or MSC3026's busy presence).
    busy_supported: bool = False
    # Busy as this device's own (automatic) presence shows as Busy to others here
    # (PresenceBackend.automatic_busy): do-not-disturb and meetings may make it Busy.
    automatic_busy: bool = False
    # Set where `disabled` cannot be set (MSC4532 has none): why, for the menu and the CLI.
    disabled_unsupported: str | None = None
    # The account-data event that pushes changes made elsewhere (None: polled only).
    watching: str | None = None
    # What the server confirmed (override API), or what this device holds (emulated).
    override: Override | None = None
    status_msg: str | None = None
    # When the status message is cleared by itself ("Clear after"; aware UTC), else None.
    message_until: datetime | None = None
    # When a timed override we set ends (aware UTC datetime), else None.
    override_until: datetime | None = None
    # What the override goes back to when `override_until` passes (None: no override).
    override_after: PresenceState | None = None
    # What other users see, as far as we know it (None: not known yet).
    presence: str | None = None
    connection: Connection = Connection.CONNECTING
    pending: Pending | None = None
    last_error: str | None = None
    # Emulated mode only: another device keeps winning and we stopped re-asserting.
    contested: bool = False
    # What this device reports by itself while no override is set (idle/lock, tray_app.idle);
    # None: neutral, the device leaves presence to the others.
    automatic: PresenceState | None = None
    # The applet only: `override` is the last one a server confirmed in an earlier run, shown
    # while this run's first read is still out (or failed); it must not look confirmed.
    unconfirmed: bool = False

    @property
    def api_label(self) -> str:
        """The API in use, for the menu header, the tooltip and the CLI."""
        if self.watching and self.api in (ApiMode.STABLE, ApiMode.UNSTABLE):
            return translate("Mode", "{mode}, changes pushed via MSC4532").format(mode=self.api.label)
        return self.api.label

    def evolve(self, **changes: Any) -> SessionState:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The `status --json` shape; also handy for logs (holds no secret)."""
        return {
            "user_id": self.user_id,
            "homeserver": self.homeserver,
            "device_id": self.device_id,
            "api": self.api.value,
            "busy_supported": self.busy_supported,
            "watching": self.watching,
            "override": self.override.name if self.override else None,
            "status_msg": self.status_msg,
            "message_alone": self.message_alone,
            "presence": self.presence,
            "connection": self.connection.value,
            "pending": ((self.pending.state.value if self.pending.state else None) if self.pending else None),
            "override_until": self.override_until.isoformat() if self.override_until else None,
            "contested": self.contested,
            "automatic": self.automatic.value if self.automatic else None,
            "last_error": self.last_error,
        }


class SessionEvent(enum.Enum):
    """Things worth telling the user once (the tray turns them into notifications)."""

    OVERRIDE_CHANGED_ELSEWHERE = "override_changed_elsewhere"
    SIGNED_OUT = "signed_out"
    UNREACHABLE_FOR_LONG = "unreachable_for_long"
    RECONNECTED = "reconnected"
    CONTESTED = "contested"
    TIMED_OVERRIDE_ENDED = "timed_override_ended"
