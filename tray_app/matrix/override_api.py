"""The MSC4043 override endpoints, and which of them a server has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tray_app.errors import BadResponse, ServerRefused
from tray_app.matrix.http import MatrixRequests, user_path
from tray_app.session_state import ApiMode
from tray_app.states import Override, PresenceState, from_wire, to_wire

STABLE_PATH = "/_matrix/client/v1/presence/{user}/override"
UNSTABLE_PATH = "/_matrix/client/unstable/support.feline.msc4043.v1/presence/{user}/override"
UNSTABLE_FLAG = "support.feline.msc4043.v1"
# The project's server module accepts `status_msg` with the override and says so here.
STATUS_MSG_FLAG = "support.feline.msc4043.v1.status_msg"
# ... and keeps a message without an override: GET answers it, a clear carrying one keeps it.
STATUS_MSG_ALONE_FLAG = "support.feline.msc4043.v1.status_msg_alone"


@dataclass(frozen=True)
class ApiChoice:
    mode: ApiMode
    status_msg: bool = False

    @property
    def path_template(self) -> str:
        return STABLE_PATH if self.mode is ApiMode.STABLE else UNSTABLE_PATH


@dataclass(frozen=True)
class OverrideReading:
    override: Override | None
    status_msg: str | None = None


def _reading(body: dict[str, Any]) -> OverrideReading:
    msg = body.get("status_msg")
    return OverrideReading(from_wire(body.get("presence_override")), msg if isinstance(msg, str) and msg else None)


async def read_if_there(client: MatrixRequests, template: str, user_id: str) -> OverrideReading | None:
    """The override if the path exists, else None; a 404/405 is "not there", with or without
    a Matrix body (reverse proxies answer plain HTML for paths they do not route)."""
    try:
        body = await client.json("GET", user_path(template, user_id))
    except ServerRefused as e:
        if e.status in (404, 405) or e.errcode == "M_UNRECOGNIZED":
            return None
        raise
    except BadResponse as e:
        if e.status in (404, 405):
            return None
        raise
    return _reading(body)


async def get_override(client: MatrixRequests, user_id: str, api: ApiChoice) -> OverrideReading:
    return _reading(await client.json("GET", user_path(api.path_template, user_id)))


async def put_override(
    client: MatrixRequests,
    user_id: str,
    api: ApiChoice,
    state: PresenceState | None,
    status_msg: str | None = None,
    *,
    message_alone: bool = False,
) -> OverrideReading:
    """PUT the override; its 2xx is the confirmation. Returns what the server stored: its
    answer's `presence_override` (and `status_msg`) where it sends them (the project's module
    does), else what was sent. `message_alone`: a clear that keeps `status_msg` on its own
    (only where the server has STATUS_MSG_ALONE_FLAG)."""
    body: dict[str, str] = {"presence_override": to_wire(state, unstable=api.mode is ApiMode.UNSTABLE)}
    if api.status_msg and (state is not None or message_alone) and status_msg is not None:
        body["status_msg"] = status_msg
    answer = await client.json("PUT", user_path(api.path_template, user_id), body)
    if "presence_override" in answer:
        return _reading(answer)
    return _reading(body)
