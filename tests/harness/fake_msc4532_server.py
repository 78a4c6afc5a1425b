"""A FAKE homeserver that speaks MSC4532 only: a STAND-IN for Continuwuity (which will have
MSC4532 and no MSC4043), because no server with MSC4532 alone can run here.

It keeps global account data, answers `/versions` with the MSC4532 flag, computes presence
with the proposal's rules for one user (override, else what the devices' syncs say), and
long-polls `/sync` honouring the filter's `account_data.types`, so a session can watch the
event; an initial sync also carries the user's own presence (unless offline, as on Synapse). It logs every request (method, path, body) and every sync filter it was given.

With `offline_timeout` set, the device's presence is no longer `device_presence` but what the
client's own syncs and `PUT .../status` say, with MSC4532's offline decided by the server: the
device is connected while a sync that says a presence runs and for `offline_timeout` seconds
after its last one; a sync or PUT saying `offline` means it is offline (MSC4532's "client
offline"). There is one device: the client under test. (No rate limits.)

As the proposal has it, a device says its own state with MSC4532's client states (`active`,
`idle`, `busy`; prefixed until `stable`, `offline` never) on `/sync?set_presence=` and
`PUT .../status`; the old words (and MSC3026's busy) are still taken from older clients, and
anything else is refused (400 M_INVALID_PARAM), as a real server would. Presence goes out in
the new states, with the `status` object (`…msc4532.status` until `stable`) beside the old
`status_msg`. Inside, states are kept in the old words (`presence()` answers those).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from aiohttp.test_utils import TestServer

PREFIX = "org.continuwuity.presence_v2.msc4532"
UNSTABLE_EVENT = PREFIX + ".presence.persistent"
STABLE_EVENT = "m.presence.persistent"
_KNOWN = {"active": "online", "idle": "unavailable", "busy": "busy", "offline": "offline"}
_NEW_WORDS = {old: new for new, old in _KNOWN.items()}
_OLD_WORDS = {"online": "online", "unavailable": "unavailable", "offline": "offline", "org.matrix.msc3026.busy": "busy"}


def refused(what: str) -> web.Response:
    return web.json_response({"errcode": "M_INVALID_PARAM", "error": f"Invalid presence state: {what}"}, status=400)


@dataclass
class FakeMsc4532Server:
    stable: bool = False  # advertise `….stable` and use m.presence.persistent and unprefixed values
    account_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    device_presence: str = "online"  # what the connected devices' syncs say (rule 3-5 input)
    offline_timeout: float | None = None  # set: the device's presence follows its syncs (above)
    # False: a server that advertises MSC4532 yet refuses its client states with 400, as this
    # project's module did before it took them (a fault for the applet's fallback).
    takes_client_states: bool = True
    log: list[tuple[str, str, Any]] = field(default_factory=list)
    filters: list[Any] = field(default_factory=list)
    sync_since: list[str | None] = field(default_factory=list)  # each sync's `since` (None: initial)
    versions_asked: int = 0
    server: TestServer | None = None
    _position: int = 0
    _changed: asyncio.Condition | None = None
    # position at which each type last changed
    _changed_at: dict[str, int] = field(default_factory=dict)
    _device_said: str = "offline"  # with offline_timeout: what the device last said
    _device_seen: float = -1e9
    _device_syncing: int = 0

    @property
    def event_type(self) -> str:
        return STABLE_EVENT if self.stable else UNSTABLE_EVENT

    @property
    def content(self) -> dict[str, Any]:
        return self.account_data.get(self.event_type, {})

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    def requests(self, method: str | None = None) -> list[tuple[str, str, Any]]:
        return [e for e in self.log if method is None or e[0] == method]

    async def __aenter__(self) -> FakeMsc4532Server:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_get("/_matrix/client/versions", self._versions)
        app.router.add_get("/_matrix/client/v3/user/{user}/account_data/{type}", self._get_data)
        app.router.add_put("/_matrix/client/v3/user/{user}/account_data/{type}", self._put_data)
        app.router.add_get("/_matrix/client/v3/presence/{user}/status", self._get_status)
        app.router.add_put("/_matrix/client/v3/presence/{user}/status", self._put_status)
        app.router.add_get("/_matrix/client/v3/sync", self._sync)
        app.router.add_route("*", "/{tail:.*}", self._unrecognized)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        await self.server.close()

    async def write(self, event_type: str, content: dict[str, Any]) -> None:
        """Another device writes the account data (what its own PUT would do)."""
        assert self._changed is not None
        async with self._changed:
            self.account_data[event_type] = content
            self._position += 1
            self._changed_at[event_type] = self._position
            self._changed.notify_all()

    # -- the rules ------------------------------------------------------------------------

    def device_state(self) -> str:
        if self.offline_timeout is None:
            return self.device_presence
        if self._device_said == "offline":
            return "offline"
        if self._device_syncing == 0 and time.monotonic() - self._device_seen > self.offline_timeout:
            return "offline"
        return self._device_said

    def said(self, presence: str) -> str | None:
        """What a device's `set_presence` / status `presence` means in the old words (None:
        not a state this server knows, in its spelling)."""
        if presence in _OLD_WORDS:
            return _OLD_WORDS[presence]
        if not self.takes_client_states:
            return None
        if self.stable:
            name = presence
        elif presence.startswith(PREFIX + "."):
            name = presence[len(PREFIX) + 1 :]
        else:
            return None  # before `stable`, the client states are the prefixed ones
        return _KNOWN.get(name) if name != "offline" else None  # `offline` is never prefixed

    def on_the_wire(self, presence: str) -> dict[str, Any]:
        """A presence content as the proposal sends it: the new state, the `status` object
        (and `status_msg`, for older clients) from the account data."""
        new = _NEW_WORDS[presence]
        content: dict[str, Any] = {"presence": new if self.stable or new == "offline" else f"{PREFIX}.{new}"}
        status = self.content.get("status")
        msg = status.get("msg") if isinstance(status, dict) else None
        if isinstance(msg, str) and msg.strip():
            content["status" if self.stable else PREFIX + ".status"] = {"msg": msg.strip()}
            content["status_msg"] = msg.strip()
        return content

    def _device_says(self, presence: str) -> None:
        self._device_said = presence
        self._device_seen = time.monotonic()

    def presence(self) -> str:
        """Old-style presence as the proposal's rules decide it (one user)."""
        device = self.device_state()
        if device == "offline":
            return "offline"  # rule 1: the override does not survive going offline
        raw = self.content.get("state_override")
        if isinstance(raw, str):
            name = raw[len(PREFIX) + 1 :] if raw.startswith(PREFIX + ".") and not self.stable else raw
            if name in _KNOWN and (self.stable or name == "offline" or raw.startswith(PREFIX)):
                return _KNOWN[name]
        return device  # unknown values are ignored

    # -- handlers -------------------------------------------------------------------------

    async def _versions(self, request: web.Request) -> web.Response:
        self.versions_asked += 1
        flag = PREFIX + ".stable" if self.stable else PREFIX
        return web.json_response({"versions": ["v1.11"], "unstable_features": {flag: True}})

    async def _get_data(self, request: web.Request) -> web.Response:
        event_type = unquote(request.match_info["type"])
        self.log.append(("GET", request.path, None))
        if event_type not in self.account_data:
            return web.json_response({"errcode": "M_NOT_FOUND", "error": "Account data not found"}, status=404)
        return web.json_response(self.account_data[event_type])

    async def _put_data(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.log.append(("PUT", request.path, body))
        if not isinstance(body, dict):
            return web.json_response({"errcode": "M_NOT_JSON", "error": "not an object"}, status=400)
        await self.write(unquote(request.match_info["type"]), body)
        return web.json_response({})

    async def _get_status(self, request: web.Request) -> web.Response:
        self.log.append(("GET", request.path, None))
        return web.json_response(self.on_the_wire(self.presence()))

    async def _put_status(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.log.append(("PUT", request.path, body))
        raw = body.get("presence") if isinstance(body, dict) else None
        said = self.said(raw) if isinstance(raw, str) else None
        if said is None:
            return refused(repr(raw))
        self._device_says(said)
        return web.json_response({})

    async def _sync(self, request: web.Request) -> web.Response:
        assert self._changed is not None
        raw_filter = request.query.get("filter")
        flt = json.loads(raw_filter) if raw_filter and raw_filter.startswith("{") else raw_filter
        self.filters.append(flt)
        self.log.append(("GET", request.path, request.query.get("set_presence")))
        types = (flt or {}).get("account_data", {}).get("types") if isinstance(flt, dict) else None
        since = request.query.get("since")
        self.sync_since.append(since)
        since_pos = int(since) if since and since.isdigit() else None
        raw = request.query.get("set_presence", "online")
        said = self.said(raw)
        if said is None:
            return refused(repr(raw))
        self._device_says(said)
        counted = said != "offline"
        self._device_syncing += counted
        try:
            return await self._sync_answer(since_pos, request, types, flt)
        finally:
            self._device_syncing -= counted
            if counted:
                self._device_seen = time.monotonic()

    async def _sync_answer(self, since_pos: int | None, request: web.Request, types: Any, flt: Any) -> web.Response:
        if since_pos is not None:
            timeout = min(int(request.query.get("timeout", "0")), 30_000) / 1000
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait_for(lambda: self._position > since_pos), timeout)
                except TimeoutError:
                    pass
        events = [
            {"type": t, "content": c}
            for t, c in self.account_data.items()
            if types is not None and t in types and (since_pos is None or self._changed_at.get(t, 0) > since_pos)
        ]
        answer: dict[str, Any] = {"next_batch": str(self._position)}
        if events:
            answer["account_data"] = {"events": events}
        senders = (flt or {}).get("presence", {}).get("senders") if isinstance(flt, dict) else None
        if self.offline_timeout is not None and since_pos is not None and senders:
            # Synapse sends the user's own presence when it changed since `since`; simpler
            # here: every incremental sync carries it (taking it again changes nothing).
            answer["presence"] = {
                "events": [{"type": "m.presence", "sender": senders[0], "content": self.on_the_wire(self.presence())}]
            }
        if since_pos is None and senders and self.presence() != "offline":
            # Like Synapse: an initial sync carries the user's own presence, unless offline.
            answer["presence"] = {
                "events": [{"type": "m.presence", "sender": senders[0], "content": self.on_the_wire(self.presence())}]
            }
        return web.json_response(answer)

    async def _unrecognized(self, request: web.Request) -> web.Response:
        self.log.append((request.method, request.path, None))
        return web.json_response({"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}, status=404)
