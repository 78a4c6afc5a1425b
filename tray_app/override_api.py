"""The MSC4043 override endpoints, and which of them a server has."""

from __future__ import annotations

from dataclasses import dataclass

from nio import AsyncClient

from tray_app.errors import BadResponse, ServerRefused
from tray_app.matrix_http import request_json, user_path
from tray_app.session_state import ApiMode
from tray_app.states import Override, PresenceState, from_wire, to_wire

STABLE_PATH = "/_matrix/client/v1/presence/{user}/override"
UNSTABLE_PATH = "/_matrix/client/unstable/support.feline.msc4043.v1/presence/{user}/override"
UNSTABLE_FLAG = "support.feline.msc4043.v1"
# The project's server module accepts `status_msg` with the override and says so here.
STATUS_MSG_FLAG = "support.feline.msc4043.v1.status_msg"


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


async def _answers(client: AsyncClient, template: str, user_id: str) -> bool:
    """Whether the path exists; a 404/405 is "not there", with or without a Matrix body
    (reverse proxies answer plain HTML for paths they do not route)."""
    try:
        await request_json(client, "GET", user_path(template, user_id))
    except ServerRefused as e:
        if e.status in (404, 405) or e.errcode == "M_UNRECOGNIZED":
            return False
        raise
    except BadResponse as e:
        if e.status in (404, 405):
            return False
        raise
    return True


async def detect_api(client: AsyncClient, user_id: str) -> ApiChoice:
    """Stable if its GET answers; else unstable if advertised or answering; else emulated."""
    versions = await request_json(client, "GET", "/_matrix/client/versions")
    features = versions.get("unstable_features")
    features = features if isinstance(features, dict) else {}
    status_msg = features.get(STATUS_MSG_FLAG) is True
    if await _answers(client, STABLE_PATH, user_id):
        return ApiChoice(ApiMode.STABLE, status_msg)
    if features.get(UNSTABLE_FLAG) is True or await _answers(client, UNSTABLE_PATH, user_id):
        return ApiChoice(ApiMode.UNSTABLE, status_msg)
    return ApiChoice(ApiMode.EMULATED, False)


async def get_override(client: AsyncClient, user_id: str, api: ApiChoice) -> OverrideReading:
    body = await request_json(client, "GET", user_path(api.path_template, user_id))
    msg = body.get("status_msg")
    return OverrideReading(from_wire(body.get("presence_override")), msg if isinstance(msg, str) and msg else None)


async def put_override(
    client: AsyncClient,
    user_id: str,
    api: ApiChoice,
    state: PresenceState | None,
    status_msg: str | None = None,
) -> None:
    body: dict[str, str] = {
        "presence_override": to_wire(state, unstable=api.mode is ApiMode.UNSTABLE)
    }
    if api.status_msg and state is not None and status_msg is not None:
        body["status_msg"] = status_msg
    await request_json(client, "PUT", user_path(api.path_template, user_id), body)
