"""The client-API helpers of the test Synapse (tests/harness/synapse.py's SynapseServer):
register, log in, rooms, /sync and presence, as plain urllib requests on loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RegisteredUser:
    """A logged-in device. Password and token are kept out of ``repr`` so logs never show them."""

    user_id: str
    password: str = field(repr=False)
    access_token: str = field(repr=False)
    device_id: str

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]


class MatrixRequestError(RuntimeError):
    """A helper got a non-2xx answer. ``status``/``body`` are the server's (never the token)."""

    def __init__(self, method: str, path: str, status: int, body: Any) -> None:
        self.method, self.path, self.status, self.body = method, path, status, body
        super().__init__(f"{method} {path} -> {status}: {body}")


class ClientAPI:
    """The client-API calls of a server at ``base_url`` (mixed into SynapseServer, which
    holds the registration secret)."""

    base_url: str
    server_name: str

    def _secrets(self) -> dict[str, str]:
        raise NotImplementedError

    # -- HTTP --------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        query: Mapping[str, Any] | None = None,
        timeout: float = 30,
    ) -> tuple[int, Any]:
        """One client-API call. Returns (status, parsed JSON or text); never raises on 4xx/5xx."""
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        text = raw.decode("utf-8", errors="replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def _ok(self, method: str, path: str, **kw: Any) -> Any:
        status, body = self.request(method, path, **kw)
        if not 200 <= status < 300:
            raise MatrixRequestError(method, path, status, body)
        return body

    # -- client helpers ----------------------------------------------------------------------

    def user_id(self, localpart: str) -> str:
        return f"@{localpart}:{self.server_name}"

    def register_user(self, localpart: str, password: str, admin: bool = False) -> RegisteredUser:
        """Shared-secret registration (admin API): no rate limits, no UIA, works with any flow."""
        path = "/_synapse/admin/v1/register"
        nonce = self._ok("GET", path)["nonce"]
        signed = "\x00".join([nonce, localpart, password, "admin" if admin else "notadmin"])
        mac = hmac.new(self._secrets()["registration_shared_secret"].encode(), signed.encode("utf8"), hashlib.sha1)
        body = self._ok(
            "POST",
            path,
            body={
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )
        return RegisteredUser(body["user_id"], password, body["access_token"], body["device_id"])

    def login(self, user: str, password: str, device_id: str | None = None) -> RegisteredUser:
        """Password login for a new (or the given) device; ``user`` is an MXID or a localpart."""
        req: dict[str, Any] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": password,
        }
        if device_id is not None:
            req["device_id"] = device_id
        body = self._ok("POST", "/_matrix/client/v3/login", body=req)
        return RegisteredUser(body["user_id"], password, body["access_token"], body["device_id"])

    def logout(self, token: str) -> None:
        self._ok("POST", "/_matrix/client/v3/logout", token=token, body={})

    def create_room(self, token: str, invite: Iterable[str] = (), is_public: bool = False) -> str:
        body: dict[str, Any] = {"invite": list(invite), "preset": "public_chat" if is_public else "private_chat"}
        if is_public:
            body["visibility"] = "public"
        return str(self._ok("POST", "/_matrix/client/v3/createRoom", token=token, body=body)["room_id"])

    def join_room(self, token: str, room_id: str) -> None:
        self._ok("POST", f"/_matrix/client/v3/join/{_q(room_id)}", token=token, body={})

    def send_message(self, token: str, room_id: str, text: str) -> str:
        """Returns the event id."""
        txn = secrets.token_hex(8)
        return str(
            self._ok(
                "PUT",
                f"/_matrix/client/v3/rooms/{_q(room_id)}/send/m.room.message/{txn}",
                token=token,
                body={"msgtype": "m.text", "body": text},
            )["event_id"]
        )

    def sync(
        self,
        token: str,
        since: str | None = None,
        timeout_ms: int = 0,
        set_presence: str | None = None,
        filter: str | Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        if filter is not None and not isinstance(filter, str):
            filter = json.dumps(filter)
        query = {"since": since, "timeout": timeout_ms, "set_presence": set_presence, "filter": filter}
        return dict(
            self._ok("GET", "/_matrix/client/v3/sync", token=token, query=query, timeout=timeout_ms / 1000 + 30)
        )

    def get_presence(self, token: str, user_id: str) -> dict[str, Any]:
        return dict(self._ok("GET", f"/_matrix/client/v3/presence/{_q(user_id)}/status", token=token))

    def set_presence(
        self, token: str, user_id: str, presence: str, status_msg: str | None = None, *, wait_out_429: bool = True
    ) -> tuple[int, Any]:
        """Returns (status, body) rather than raising: tests look at 400s and 429s.

        Synapse's default rc_presence (0.1/s, burst 1) answers a second PUT within 10 s with
        429 and ``retry_after_ms``. Like a real client, this waits that long and sends again
        (a few times at most), so a test's own device never loses its write to the limit.
        ``wait_out_429=False`` returns the first 429 (tests about the limit itself).
        """
        body: dict[str, Any] = {"presence": presence}
        if status_msg is not None:
            body["status_msg"] = status_msg
        path = f"/_matrix/client/v3/presence/{_q(user_id)}/status"
        for _ in range(PRESENCE_429_RETRIES):
            status, answer = self.request("PUT", path, token=token, body=body)
            if status != 429 or not wait_out_429:
                break
            time.sleep(retry_after_seconds(answer))
        return status, answer


# Synapse's default rc_presence.per_user is 0.1/s, burst 1: one presence write per 10 s.
RC_PRESENCE_PERIOD = 10.0

# Waits a 429 on PUT /presence/status at most this many times (each one ~10 s at the default).
PRESENCE_429_RETRIES = 4


def retry_after_seconds(body: Any) -> float:
    """The 429's retry_after_ms plus a margin (Synapse's bucket drains by the clock; a retry
    sent exactly at the edge can still meet the limit), or 10 s (the default's period)."""
    ms = body.get("retry_after_ms") if isinstance(body, dict) else None
    return (ms / 1000 if isinstance(ms, int) and ms >= 0 else 10.0) + 0.2


def _q(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")
