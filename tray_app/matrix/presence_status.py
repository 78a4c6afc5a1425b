"""The standard `/v3/presence/{userId}/status` endpoint: what others see, and emulated mode's lever."""

from __future__ import annotations

from dataclasses import dataclass

from tray_app.matrix.http import MatrixRequests, user_path
from tray_app.states import PresenceState, presence_from_wire, presence_to_wire

STATUS_PATH = "/_matrix/client/v3/presence/{user}/status"


@dataclass(frozen=True)
class PresenceReading:
    presence: str
    status_msg: str | None = None
    currently_active: bool | None = None


async def get_presence(client: MatrixRequests, user_id: str) -> PresenceReading:
    body = await client.json("GET", user_path(STATUS_PATH, user_id))
    msg = body.get("status_msg")
    active = body.get("currently_active")
    return PresenceReading(
        presence=presence_from_wire(str(body.get("presence") or "offline")),
        status_msg=msg if isinstance(msg, str) and msg else None,
        currently_active=active if isinstance(active, bool) else None,
    )


async def put_presence(
    client: MatrixRequests, user_id: str, state: PresenceState, status_msg: str | None = None
) -> None:
    body: dict[str, str] = {"presence": presence_to_wire(state.value)}
    if status_msg is not None:
        body["status_msg"] = status_msg
    await client.json("PUT", user_path(STATUS_PATH, user_id), body)
