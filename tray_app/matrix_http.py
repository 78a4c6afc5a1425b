"""Raw Matrix requests through matrix-nio's transport, with one error mapping.

nio has no methods for the override endpoints, so they go through its raw
`send`. Everything nio *does* answer (login, sync, logout) is mapped to the
same typed errors by `raise_for_nio`, so callers handle one set of faults.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import quote

import aiohttp
from nio import AsyncClient, AsyncClientConfig
from nio.responses import ErrorResponse

from tray_app.errors import (
    BadResponse,
    RateLimited,
    ServerRefused,
    ServerUnreachable,
    TokenRejected,
)

# Sync long-polls 30 s; nio adds 15 s on top for the request itself.
REQUEST_TIMEOUT = 30.0

# nio logs whole responses at DEBUG, the login's access token included: never let that
# through, whatever level the root logger is given (-v included).
logging.getLogger("nio").setLevel(logging.WARNING)
# It also warns about every error answer it cannot fit to its schema; we report those ourselves.
logging.getLogger("nio.responses").setLevel(logging.ERROR)


def make_client(homeserver: str, user_id: str = "", device_id: str | None = None) -> AsyncClient:
    """A nio client that never retries by itself: our own backoff decides."""
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


NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, TimeoutError, OSError)


def unreachable(client: AsyncClient, exc: BaseException) -> ServerUnreachable:
    kind = "timed out" if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) else "unreachable"
    detail = str(exc) or type(exc).__name__
    return ServerUnreachable(f"the server {client.homeserver} is {kind} ({detail})")


async def request_json(
    client: AsyncClient,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    timeout: float | None = None,
) -> dict[str, Any]:
    headers = {}
    if client.access_token:
        headers["Authorization"] = f"Bearer {client.access_token}"
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    try:
        resp = await client.send(method, path, data, headers, timeout=timeout)
        try:
            raw = await resp.read()
        finally:
            resp.release()
    except NETWORK_ERRORS as e:
        raise unreachable(client, e) from e
    text = raw.decode("utf-8", errors="replace")
    retry_after_header = resp.headers.get("Retry-After")
    return parse_matrix_answer(resp.status, text, path, retry_after_header)


def parse_matrix_answer(
    status: int, text: str, what: str, retry_after_header: str | None = None
) -> dict[str, Any]:
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
