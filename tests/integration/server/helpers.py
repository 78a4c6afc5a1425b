"""Small helpers for the server module's tests (no tokens are ever printed or put in messages)."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from typing import Any

from tests.harness.synapse import PRESENCE_429_RETRIES, SynapseServer, retry_after_seconds

STABLE = "/_matrix/client/v1"
UNSTABLE = "/_matrix/client/unstable/support.feline.msc4043.v1"
FEATURE_FLAG = "support.feline.msc4043.v1"
STATUS_MSG_FLAG = "support.feline.msc4043.v1.status_msg"
MSC4042_DISABLED = "support.feline.msc4042.v1.disabled"
PREFIXES = {"stable": STABLE, "unstable": UNSTABLE}


def q(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


def override_path(prefix: str, user_id: str) -> str:
    return f"{prefix}/presence/{q(user_id)}/override"


def status_path(user_id: str) -> str:
    return f"/_matrix/client/v3/presence/{q(user_id)}/status"


def get_override(server: SynapseServer, token: str, user_id: str, prefix: str = STABLE) -> tuple[int, Any]:
    return server.request("GET", override_path(prefix, user_id), token=token)


def put_override(
    server: SynapseServer,
    token: str,
    user_id: str,
    value: Any,
    prefix: str = STABLE,
    status_msg: Any = None,
    *,
    wait_out_429: bool = True,
) -> tuple[int, Any]:
    """The override PUT shares Synapse's default rc_presence (1 per 10 s per user, its own
    bucket): like a client, a 429 is waited out (``retry_after_ms``) and the PUT sent again;
    ``wait_out_429=False`` returns the first 429 (tests about the limit)."""
    body: dict[str, Any] = {"presence_override": value}
    if status_msg is not None:
        body["status_msg"] = status_msg
    for _ in range(PRESENCE_429_RETRIES):
        code, answer = server.request("PUT", override_path(prefix, user_id), token=token, body=body)
        if code != 429 or not wait_out_429:
            break
        time.sleep(retry_after_seconds(answer))
    return code, answer


def stored(value: str, prefix: str = STABLE, status_msg: str | None = None) -> dict[str, Any]:
    """The body a PUT (and GET) answers: the stored override in the path's spelling."""
    if value in ("disabled", MSC4042_DISABLED):
        value = MSC4042_DISABLED if prefix == UNSTABLE else "disabled"
    body: dict[str, Any] = {"presence_override": value}
    if value and status_msg:
        body["status_msg"] = status_msg
    return body


def status(server: SynapseServer, token: str, user_id: str) -> dict[str, Any]:
    code, body = server.request("GET", status_path(user_id), token=token)
    assert code == 200, (code, body)
    return dict(body)


class KeepAliveClient:
    """One persistent HTTP/1.1 connection: thousands of reads without a TCP setup each."""

    def __init__(self, server: SynapseServer, token: str | None = None) -> None:
        self._host, self._port = "127.0.0.1", server.port
        self._token = token
        self._conn: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | None = None,
        token: str | None = None,
        timeout: float = 30,
    ) -> tuple[int, Any]:
        headers = {}
        tok = token if token is not None else self._token
        if tok:
            headers["Authorization"] = f"Bearer {tok}"
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
            try:
                self._conn.request(method, path, body=data, headers=headers)
                resp = self._conn.getresponse()
                payload = resp.read()
                break
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 2:
                    raise
        text = payload.decode("utf-8", errors="replace")
        try:
            return resp.status, json.loads(text)
        except ValueError:
            return resp.status, text

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def presence_events_for(sync_body: dict[str, Any], user_id: str) -> list[dict[str, Any]]:
    """The `content` of every m.presence event about `user_id` in a /sync answer."""
    events = sync_body.get("presence", {}).get("events", [])
    return [e.get("content", {}) for e in events if e.get("type") == "m.presence" and e.get("sender") == user_id]
