"""A reverse proxy in front of a REAL Synapse that records every request it passes on.

Counts are what the request-count tests assert ("a click is one request"): the proxy logs a
request when it arrives, so by the time the client has its answer the entry is there.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

_HOP_BY_HOP = {"host", "connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass
class CountingProxy:
    upstream: str
    log: list[tuple[str, str]] = field(default_factory=list)
    # To make a real server look as if it lacked an API: paths containing one of these answer
    # 404 M_UNRECOGNIZED, and these `unstable_features` are left out of /versions.
    hide_paths: tuple[str, ...] = ()
    hide_flags: tuple[str, ...] = ()
    # Fault injection (a late or lost answer, a dropped sync): `before_forward(method, path)` is
    # awaited before a request goes upstream, `before_answer(method, path)` after upstream
    # answered, before the client hears; an answer either returns is sent instead.
    before_forward: Callable[[str, str], Awaitable[web.StreamResponse | None]] | None = None
    before_answer: Callable[[str, str], Awaitable[web.StreamResponse | None]] | None = None
    server: TestServer | None = None
    _http: aiohttp.ClientSession | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def __aenter__(self) -> CountingProxy:
        self._http = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None and self._http is not None
        await self.server.close()
        await self._http.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        self.log.append((request.method, request.rel_url.raw_path))  # as sent: %-encoded
        if any(h in request.path for h in self.hide_paths):
            return web.json_response({"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}, status=404)
        if self.before_forward is not None:
            instead = await self.before_forward(request.method, request.path)
            if instead is not None:
                return instead
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        async with self._http.request(
            request.method,
            URL(self.upstream + request.raw_path, encoded=True),
            data=await request.read(),
            headers=headers,
        ) as answer:
            body = await answer.read()
            if self.before_answer is not None:
                instead = await self.before_answer(request.method, request.path)
                if instead is not None:
                    return instead
            out = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
            if self.hide_flags and request.path == "/_matrix/client/versions" and answer.status == 200:
                versions = json.loads(body)
                flags = versions.get("unstable_features", {})
                versions["unstable_features"] = {
                    k: v for k, v in flags.items() if not any(k.startswith(f) for f in self.hide_flags)
                }
                body = json.dumps(versions).encode()
            return web.Response(status=answer.status, body=body, headers=out)

    def requests(self, *, without_sync: bool = True) -> list[tuple[str, str]]:
        """What reached the server so far; the long-poll sync left out unless asked for."""
        return [(m, p) for m, p in self.log if not (without_sync and p.endswith("/sync"))]

    def clear(self) -> None:
        self.log.clear()
