"""Finding and checking a homeserver before we send it a password."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from tray_app.errors import InsecureHomeserver, UsageError
from tray_app.loopback import is_loopback
from tray_app.matrix.http import make_client, network_errors, raise_for_nio, unreachable

log = logging.getLogger(__name__)


def server_name_of(user_id: str) -> str:
    """`example.org` from `@alice:example.org` (a port stays: `host:8448`)."""
    if not user_id.startswith("@") or ":" not in user_id:
        raise UsageError(f"{user_id!r} is not a Matrix user ID; it looks like @name:example.org")
    localpart, server = user_id[1:].split(":", 1)
    if not localpart or not server:
        raise UsageError(f"{user_id!r} is not a Matrix user ID; it looks like @name:example.org")
    return server


def check_homeserver_url(url: str) -> str:
    """Normalise a homeserver URL; plain http is only allowed to this machine."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        raise UsageError(f"{url!r} is not a homeserver URL; it looks like https://matrix.example.org") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise UsageError(f"{url!r} is not a homeserver URL; it looks like https://matrix.example.org")
    if parts.scheme == "http" and not is_loopback(hostname):
        raise InsecureHomeserver(
            f"refusing plain http:// to {hostname}: your password and login would cross the "
            "network unencrypted. Use https://"
        )
    return url.rstrip("/")


async def discover_homeserver(user_id: str, *, scheme: str = "https") -> str:
    """The client API base URL for a user ID, via `.well-known/matrix/client`.

    Falls back to the server name itself, as the spec says, when there is no
    well-known document. `scheme` exists for tests on loopback.
    """
    server = server_name_of(user_id)
    base = f"{scheme}://{server}"
    from nio.responses import DiscoveryInfoResponse  # noqa: PLC0415 (nio only where it is used)

    client = make_client(base)
    try:
        resp = await client.discovery_info()
    except network_errors() as e:
        log.info("no .well-known for %s (%s); trying the server name itself", server, type(e).__name__)
        return check_homeserver_url(base)
    finally:
        await client.close()
    if isinstance(resp, DiscoveryInfoResponse) and resp.homeserver_url:
        return check_homeserver_url(resp.homeserver_url)
    return check_homeserver_url(base)


async def login_flows(homeserver: str) -> list[str]:
    """The login types the server offers (`m.login.password`, `m.login.sso`, ...)."""
    from nio.responses import LoginInfoResponse  # noqa: PLC0415

    client = make_client(check_homeserver_url(homeserver))
    try:
        resp = await client.login_info()
    except network_errors() as e:
        raise unreachable(client, e) from e
    finally:
        await client.close()
    raise_for_nio(client, resp, "the login-flows request")
    assert isinstance(resp, LoginInfoResponse)
    return list(resp.flows)
