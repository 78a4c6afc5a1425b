"""A FAKE homeserver (aiohttp), for what a real Synapse cannot do on demand.

Used only for: garbage JSON, a 500, slow answers (to test serialised sets), and
servers that offer only the stable or only the unstable override path. Every
behaviour a real Synapse can show is tested against a real Synapse instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tray_app.states import emulated_presence, from_wire

UNSTABLE = "/_matrix/client/unstable/support.feline.msc4043.v1/presence/{user_id}/override"
STABLE = "/_matrix/client/v1/presence/{user_id}/override"


@dataclass
class FakeHomeserver:
    api: str = "stable"  # "stable", "unstable", "unstable-unadvertised" or "none"
    status_msg_flag: bool = False
    override: str = ""
    status_msg: str | None = None
    presence: str = "offline"
    put_delay: float = 0.0
    # What a PUT answers: {} (a plain MSC4043 server), or the stored override as the project's
    # module answers it, or a different value than was sent (a server that rewrote it).
    put_answer: str = "empty"  # "empty" | "stored" | "other"
    # path prefix -> "garbage" | "500" | "html" ; applies to any method
    faults: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, str, Any]] = field(default_factory=list)
    syncs: int = 0
    server: TestServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def __aenter__(self) -> FakeHomeserver:
        app = web.Application(middlewares=[self._faults])
        app.router.add_get("/_matrix/client/versions", self._versions)
        if self.api == "stable":
            self._add_override(app, STABLE, unstable=False)
        if self.api in ("unstable", "unstable-unadvertised"):
            self._add_override(app, UNSTABLE, unstable=True)
        app.router.add_get("/_matrix/client/v3/presence/{user_id}/status", self._get_status)
        app.router.add_put("/_matrix/client/v3/presence/{user_id}/status", self._put_status)
        app.router.add_get("/_matrix/client/v3/sync", self._sync)
        app.router.add_route("*", "/{tail:.*}", self._unrecognized)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        await self.server.close()

    def _add_override(self, app: web.Application, path: str, *, unstable: bool) -> None:
        async def get(request: web.Request) -> web.Response:
            self.log.append(("GET", request.path, None))
            body: dict[str, Any] = {"presence_override": self._spell(self.override, unstable)}
            if self.status_msg:
                body["status_msg"] = self.status_msg
            return web.json_response(body)

        async def put(request: web.Request) -> web.Response:
            body = await request.json()
            self.log.append(("PUT", request.path, body))
            if self.put_delay:
                await asyncio.sleep(self.put_delay)
            value = body["presence_override"]
            if value not in ("", "online", "unavailable", "offline", "disabled", "support.feline.msc4042.v1.disabled"):
                return web.json_response({"errcode": "M_INVALID_PARAM", "error": "bad value"}, status=400)
            self.override = "disabled" if value.endswith(".disabled") else value
            self.status_msg = body.get("status_msg") if value else None
            if self.put_answer == "other":
                return web.json_response({"presence_override": "online" if value != "online" else "offline"})
            if self.put_answer == "stored":
                answer: dict[str, Any] = {"presence_override": self._spell(self.override, unstable)}
                if self.status_msg:
                    answer["status_msg"] = self.status_msg
                return web.json_response(answer)
            return web.json_response({})

        app.router.add_get(path, get)
        app.router.add_put(path, put)

    @staticmethod
    def _spell(value: str, unstable: bool) -> str:
        return "support.feline.msc4042.v1.disabled" if unstable and value == "disabled" else value

    @web.middleware
    async def _faults(self, request: web.Request, handler):
        for prefix, kind in self.faults.items():
            if request.path.startswith(prefix):
                self.log.append((request.method, request.path, kind))
                if kind == "garbage":
                    return web.Response(text="{not json", content_type="application/json")
                if kind == "badutf8":
                    return web.Response(body=b'{"presence_override": "\xff\xfe"}', content_type="application/json")
                if kind == "html":
                    return web.Response(text="<html>502 Bad Gateway</html>", status=502, content_type="text/html")
                return web.Response(text="Internal Server Error", status=int(kind))
        return await handler(request)

    async def _versions(self, request: web.Request) -> web.Response:
        features: dict[str, bool] = {}
        if self.api == "unstable":
            features["support.feline.msc4043.v1"] = True
        if self.status_msg_flag:
            features["support.feline.msc4043.v1.status_msg"] = True
        return web.json_response({"versions": ["v1.11"], "unstable_features": features})

    async def _get_status(self, request: web.Request) -> web.Response:
        self.log.append(("GET", request.path, None))
        # What others see, as a server with the override shows it (`disabled` shows as offline).
        override = from_wire(self.override) if self.override else None
        shown = emulated_presence(override.state).value if override and override.state else self.presence
        return web.json_response({"presence": shown})

    async def _put_status(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.log.append(("PUT", request.path, body))
        self.presence = body["presence"]
        return web.json_response({})

    async def _sync(self, request: web.Request) -> web.Response:
        """An empty sync that long-polls a little, so a session can sit connected."""
        self.syncs += 1
        if request.query.get("since"):
            await asyncio.sleep(min(int(request.query.get("timeout", "0")) / 1000, 0.2))
        return web.json_response({"next_batch": f"s{self.syncs}"})

    async def _unrecognized(self, request: web.Request) -> web.Response:
        return web.json_response({"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}, status=404)
