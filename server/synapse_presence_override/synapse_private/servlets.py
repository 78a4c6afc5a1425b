"""The servlet class the module's endpoints are registered with (Synapse's `RestServlet`)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any


def make_servlet_class() -> type:
    from synapse.http.servlet import RestServlet

    class PresenceOverrideServlet(RestServlet):
        CATEGORY = "Client API requests"

        def __init__(
            self,
            pattern: str,
            on_get: Callable[[Any, str], Awaitable[tuple[int, Any]]],
            on_put: Callable[[Any, str], Awaitable[tuple[int, Any]]],
        ):
            super().__init__()
            self.PATTERNS = [re.compile(pattern)]
            self._on_get = on_get
            self._on_put = on_put

        async def on_GET(self, request: Any, user_id: str) -> tuple[int, Any]:
            return await self._on_get(request, user_id)

        async def on_PUT(self, request: Any, user_id: str) -> tuple[int, Any]:
            return await self._on_put(request, user_id)

    return PresenceOverrideServlet
