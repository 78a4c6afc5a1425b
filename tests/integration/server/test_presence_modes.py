"""What clients see with presence disabled or untracked (issue 14): no silent success.

- `presence: enabled: false`: no /versions flags, PUT answers 403 M_FORBIDDEN, GET still
  answers what is stored.
- `presence: enabled: untracked`: flags advertised, the override reaches local users.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.fixtures import UserFactory
from tests.harness.synapse import SynapseOptions, SynapseServer
from tests.integration.server.conftest import MODULE_ENTRY, start_or_fail
from tests.integration.server.helpers import (
    FEATURE_FLAG,
    STATUS_MSG_FLAG,
    get_override,
    put_override,
    status,
    stored,
)

pytestmark = pytest.mark.integration


def _server(tmp_path: Path, enabled: object) -> SynapseServer:
    return SynapseServer(
        tmp_path / f"presence-{enabled}",
        options=SynapseOptions(modules=[MODULE_ENTRY], extra_config={"presence": {"enabled": enabled}}),
    )


def test_presence_disabled_is_said_not_pretended(tmp_path: Path, user_factory: UserFactory) -> None:
    server = _server(tmp_path, False)
    try:
        start_or_fail(server)
        code, body = server.request("GET", "/_matrix/client/versions")
        assert code == 200
        assert FEATURE_FLAG not in body["unstable_features"], body
        assert STATUS_MSG_FLAG not in body["unstable_features"], body
        user = user_factory(server, "nopresence")
        code, body = put_override(server, user.access_token, user.user_id, "unavailable")
        assert (code, body.get("errcode")) == (403, "M_FORBIDDEN"), body
        assert "Presence is disabled" in body.get("error", ""), body
        assert get_override(server, user.access_token, user.user_id) == (200, stored(""))
        log = server.log_path.read_text(errors="replace")
        assert "presence is disabled in homeserver.yaml" in log
    finally:
        server.stop()


def test_presence_untracked_reaches_local_users(tmp_path: Path, user_factory: UserFactory) -> None:
    server = _server(tmp_path, "untracked")
    try:
        start_or_fail(server)
        code, body = server.request("GET", "/_matrix/client/versions")
        assert code == 200 and body["unstable_features"].get(FEATURE_FLAG) is True
        user = user_factory(server, "untracked")
        watcher = user_factory(server, "untracked-watcher")
        room = server.create_room(user.access_token, invite=[watcher.user_id])
        server.join_room(watcher.access_token, room)
        assert put_override(server, user.access_token, user.user_id, "unavailable", status_msg="away") == (
            200,
            stored("unavailable", status_msg="away"),
        )
        seen = status(server, watcher.access_token, user.user_id)
        assert (seen["presence"], seen.get("status_msg")) == ("unavailable", "away"), seen
        log = server.log_path.read_text(errors="replace")
        assert "presence is `untracked`: overrides reach local users only" in log
    finally:
        server.stop()
