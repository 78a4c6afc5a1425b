"""The server's view of a user's presence, as the user's other device (not the applet) reads and
sets it: the ui and desktop tests check what the applet did against it."""

from __future__ import annotations

import urllib.parse

from tests.harness.synapse import PRESENCE_429_RETRIES, RegisteredUser, SynapseServer, retry_after_seconds

OVERRIDE_PATH = "/_matrix/client/v1/presence/{}/override"
STATUS_PATH = "/_matrix/client/v3/presence/{}/status"


def q(user_id: str) -> str:
    return urllib.parse.quote(user_id, safe="")


def get_override(server: SynapseServer, user: RegisteredUser) -> dict:
    """A raw GET on the override, with the user's other device (not the applet's)."""
    status, body = server.request("GET", OVERRIDE_PATH.format(q(user.user_id)), token=user.access_token)
    assert status == 200, (status, body)
    return body


def put_override(server: SynapseServer, user: RegisteredUser, value: str, **extra) -> None:
    """The user's other device sets the override. It shares the user's rc_presence budget with
    the applet (Synapse's default: 1 per 10 s), so like a real client it waits out a 429."""
    for _ in range(PRESENCE_429_RETRIES):
        status, body = server.request(
            "PUT",
            OVERRIDE_PATH.format(q(user.user_id)),
            token=user.access_token,
            body={"presence_override": value, **extra},
        )
        if status != 429:
            break
        _wait_with_qt_running(retry_after_seconds(body))
    assert status == 200, (status, body)


def _wait_with_qt_running(seconds: float) -> None:
    """Sleep while Qt (and so the applet's asyncio loop) keeps running, as a real second
    device's wait would leave the applet running."""
    from PySide6.QtTest import QTest

    QTest.qWait(int(seconds * 1000))


def get_presence(server: SynapseServer, user: RegisteredUser) -> dict:
    status, body = server.request("GET", STATUS_PATH.format(q(user.user_id)), token=user.access_token)
    assert status == 200, (status, body)
    return body


def override_value(server: SynapseServer, user: RegisteredUser) -> str:
    return get_override(server, user).get("presence_override", "")
