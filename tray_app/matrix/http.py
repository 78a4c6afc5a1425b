"""Raw Matrix requests, and nio's answers, with one error mapping.

nio has no methods for the override endpoints, so they (and the other requests on
the click, start and `status` paths) go through our small keep-alive HTTP client
(`http_connection`), which also spares those paths nio's import. Everything nio
*does* answer (login, sync, logout) is mapped to the same typed errors by
`raise_for_nio`, so callers handle one set of faults. nio and aiohttp are imported
only when a nio client is made.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from tray_app.errors import (
    BadResponse,
    RateLimited,
    ServerRefused,
    ServerUnreachable,
    TokenRejected,
)

if TYPE_CHECKING:
    from nio import AsyncClient

    from tray_app.matrix.http_connection import HttpConnectionPool

# Sync long-polls 30 s; nio adds 15 s on top for the request itself.
REQUEST_TIMEOUT = 30.0

# nio logs whole responses at DEBUG, the login's access token included: never let that
# through, whatever level the root logger is given (-v included).
logging.getLogger("nio").setLevel(logging.WARNING)
# It also warns about every error answer it cannot fit to its schema; we report those ourselves.
logging.getLogger("nio.responses").setLevel(logging.ERROR)


def make_client(homeserver: str, user_id: str = "", device_id: str | None = None) -> AsyncClient:
    """A nio client that never retries by itself: our own backoff decides."""
    from nio import AsyncClient, AsyncClientConfig  # noqa: PLC0415 (0.3 s: only where nio is used)

    config = AsyncClientConfig(
        max_limit_exceeded=0,
        max_timeouts=0,
        request_timeout=REQUEST_TIMEOUT,
        encryption_enabled=False,
        store_sync_tokens=False,
    )
    return AsyncClient(homeserver, user_id, device_id=device_id, config=config)


def user_path(template: str, user_id: str) -> str:
    return template.format(user=quote(user_id, safe=""))


# Network faults of our own HTTP client (ProtocolFault is an OSError).
HTTP_ERRORS = (asyncio.TimeoutError, TimeoutError, OSError)


def network_errors() -> tuple[type[BaseException], ...]:
    """Network faults of nio's calls too (aiohttp's); only called once nio is loaded."""
    import aiohttp  # noqa: PLC0415

    return (aiohttp.ClientError, *HTTP_ERRORS)


def unreachable(client: AsyncClient | HttpConnectionPool, exc: BaseException) -> ServerUnreachable:
    kind = "timed out" if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) else "unreachable"
    detail = str(exc) or type(exc).__name__
    return ServerUnreachable(f"the server {client.homeserver} is {kind} ({detail})")


async def request_json(
    http: HttpConnectionPool,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    access_token: str | None = None,
    timeout: float | None = None,
) -> dict[str, Any]:
    headers = {}
    if access_token:
        headers["Authorization"] = f"Bearer {access_token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        answer = await http.request(method, path, headers=headers, body=data, timeout=timeout or REQUEST_TIMEOUT)
    except HTTP_ERRORS as e:
        raise unreachable(http, e) from e
    text = answer.body.decode("utf-8", errors="replace")
    return parse_matrix_answer(answer.status, text, path, answer.headers.get("retry-after"))


class MatrixRequests:
    """One account's requests outside nio: its server's kept-alive connections and its token."""

    def __init__(self, homeserver: str, access_token: str | None = None) -> None:
        from tray_app.matrix.http_connection import HttpConnectionPool  # noqa: PLC0415

        self.http = HttpConnectionPool(homeserver)
        self.access_token = access_token

    @property
    def homeserver(self) -> str:
        return self.http.homeserver

    async def json(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        return await request_json(self.http, method, path, body, access_token=self.access_token, timeout=timeout)

    async def close(self) -> None:
        await self.http.close()


def parse_matrix_answer(status: int, text: str, what: str, retry_after_header: str | None = None) -> dict[str, Any]:
    """Turn an HTTP answer into its JSON object or a typed error."""
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        if status == 429:
            raise RateLimited("", _header_ms(retry_after_header))
        if 200 <= status < 300:
            raise BadResponse(f"the server answered {what} with something that is not a JSON object", status)
        raise BadResponse(f"the server answered {what} with HTTP {status} and no Matrix error", status)
    if 200 <= status < 300:
        return parsed
    errcode = str(parsed.get("errcode") or "")
    error = str(parsed.get("error") or "")
    if status == 429 or errcode == "M_LIMIT_EXCEEDED":
        ms = parsed.get("retry_after_ms")
        raise RateLimited(error, ms if isinstance(ms, int) else _header_ms(retry_after_header))
    if errcode in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN") or status == 401:
        raise token_rejected(errcode, bool(parsed.get("soft_logout")))
    if not errcode:
        raise BadResponse(f"the server answered {what} with HTTP {status} and no Matrix error", status)
    raise ServerRefused(errcode, error, status)


def token_rejected(errcode: str, soft_logout: bool) -> TokenRejected:
    if soft_logout:
        msg = "your session on the server expired; sign in again"
    elif errcode == "M_MISSING_TOKEN":
        msg = "the server asked for a login; sign in again"
    else:
        msg = "the server no longer accepts this login (signed out elsewhere or revoked); sign in again"
    return TokenRejected(msg, soft_logout=soft_logout)


def raise_for_nio(client: AsyncClient, resp: Any, what: str) -> None:
    """Raise the typed error for a nio ErrorResponse; do nothing for a success."""
    from nio.responses import ErrorResponse  # noqa: PLC0415 (loaded already: resp came from nio)

    if not isinstance(resp, ErrorResponse):
        return
    status = resp.transport_response.status if resp.transport_response is not None else 0
    errcode = str(resp.status_code or "")
    if status == 429 or errcode == "M_LIMIT_EXCEEDED":
        raise RateLimited(resp.message or "", resp.retry_after_ms)
    if errcode in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN") or status == 401:
        raise token_rejected(errcode, bool(resp.soft_logout))
    if not errcode.startswith("M_"):
        # nio could not parse the answer (garbage, HTML error page, 5xx without a body).
        raise BadResponse(f"the server answered {what} with HTTP {status} and no Matrix error", status)
    raise ServerRefused(errcode, resp.message or "", status)


def _header_ms(value: str | None) -> int | None:
    try:
        return int(float(value) * 1000) if value else None
    except (ValueError, OverflowError):
        return None
