"""Single sign-on: the one-shot loopback redirect that brings the login token back.

The flow (Matrix client-server API, "SSO client login"):

1. start a listener on 127.0.0.1 on a free port, with a random path;
2. open the system browser at
   `{homeserver}/_matrix/client/v3/login/sso/redirect?redirectUrl=http://127.0.0.1:PORT/PATH`;
3. after the person signs in, the homeserver redirects the browser to that URL with
   `?loginToken=...` appended;
4. the listener answers one page ("you can close this tab"), hands the token over and stops;
5. the caller exchanges it with `POST /login {"type": "m.login.token"}` (the core's `login_token`).

Only the exact random path is answered; anything else gets a 404 and does not end the wait, so
another local process cannot guess its way in or make the wait fail. Qt-free; the token is never
logged.
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
import socket
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    from aiohttp import web

from tray_app.errors import PresenceTrayError

log = logging.getLogger(__name__)

SSO_REDIRECT_PATH = "/_matrix/client/v3/login/sso/redirect"
DEFAULT_TIMEOUT = 300.0  # seconds a person has to finish signing in in the browser

_DONE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:32em;margin:4em auto;line-height:1.5}}</style>
</head><body><h1>{title}</h1><p>{body}</p></body></html>
"""


class SsoError(PresenceTrayError):
    """Single sign-on did not complete; the message says why, for a person."""


class SsoCancelled(SsoError):
    pass


class SsoTimeout(SsoError):
    pass


def sso_redirect_url(homeserver: str, redirect_url: str, idp_id: str | None = None) -> str:
    """The URL to open in the browser (optionally straight to one identity provider)."""
    base = homeserver.rstrip("/") + SSO_REDIRECT_PATH
    if idp_id:
        base += "/" + quote(idp_id, safe="")
    return base + "?" + urlencode({"redirectUrl": redirect_url})


class LoopbackRedirect:
    """A one-shot HTTP listener on the loopback interface that receives `loginToken`.

    Use as an async context manager::

        async with LoopbackRedirect() as redirect:
            open_browser(sso_redirect_url(hs, redirect.url))
            token = await redirect.wait(timeout=300)
    """

    def __init__(self, host: str = "127.0.0.1", app_name: str = "Presence Tray") -> None:
        self._host = host
        self._app_name = app_name
        self._path = "/sso-callback/" + secrets.token_urlsafe(16)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._token: asyncio.Future[str] | None = None

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("LoopbackRedirect not started")
        return f"http://{self._host}:{self._port}{self._path}"

    async def start(self) -> str:
        from aiohttp import web  # noqa: PLC0415 (0.15 s to import: only when signing in by SSO)

        self._token = asyncio.get_running_loop().create_future()
        app = web.Application()
        app.router.add_get(self._path, self._handle)
        # Access logs would contain the query string, i.e. the login token: switch them off.
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self._host, 0))
        self._port = sock.getsockname()[1]
        site = web.SockSite(self._runner, sock)
        await site.start()
        return self.url

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.query.get("loginToken")
        assert self._token is not None
        if not token:
            # The homeserver sends people back without a token when they cancel or it fails.
            body = "Signing in did not complete. You can close this tab and try again from the app."
            if not self._token.done():
                self._token.set_exception(SsoCancelled("single sign-on was cancelled or failed in the browser"))
            return self._page("Not signed in", body, status=400)
        if self._token.done():
            return self._page("Already done", "This sign-in link was already used. You can close this tab.", 410)
        self._token.set_result(token)
        return self._page(
            "Signed in",
            f"You are signed in to {self._app_name}. You can close this tab and return to the app.",
        )

    def _page(self, title: str, body: str, status: int = 200) -> web.Response:
        from aiohttp import web  # noqa: PLC0415 (loaded by start())

        text = _DONE_PAGE.format(title=html.escape(title), body=html.escape(body))
        return web.Response(
            text=text,
            status=status,
            content_type="text/html",
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    async def wait(self, timeout: float = DEFAULT_TIMEOUT) -> str:
        """The login token, once the browser comes back. Raises SsoTimeout / SsoCancelled."""
        if self._token is None:
            raise RuntimeError("LoopbackRedirect not started")
        try:
            async with asyncio.timeout(timeout):  # (not wait_for: gh-86296)
                return await asyncio.shield(self._token)
        except TimeoutError:
            raise SsoTimeout(
                f"no answer from the browser within {int(timeout // 60) or 1} minutes; try again"
            ) from None

    def cancel(self) -> None:
        if self._token is not None and not self._token.done():
            self._token.set_exception(SsoCancelled("single sign-on was cancelled"))

    async def close(self) -> None:
        if self._token is not None and not self._token.done():
            self._token.cancel()
        if self._token is not None and self._token.done() and not self._token.cancelled():
            self._token.exception()  # mark retrieved: no "exception was never retrieved" noise
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> LoopbackRedirect:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def sso_login_token(
    homeserver: str,
    open_browser: Callable[[str], bool | None | Awaitable[bool | None]],
    *,
    idp_id: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    on_listening: Callable[[LoopbackRedirect], None] | None = None,
) -> str:
    """Run the browser round trip and return the login token (for `m.login.token`).

    `open_browser(url)` opens the system browser (the tray passes QDesktopServices.openUrl);
    returning False means it could not. `on_listening` gets the listener, e.g. so a Cancel
    button can call `.cancel()`.
    """
    async with LoopbackRedirect() as redirect:
        if on_listening is not None:
            on_listening(redirect)
        url = sso_redirect_url(homeserver, redirect.url, idp_id)
        opened = open_browser(url)
        if asyncio.iscoroutine(opened) or isinstance(opened, asyncio.Future):
            opened = await opened
        if opened is False:
            raise SsoError("could not open a web browser for single sign-on")
        log.info("waiting for the single sign-on redirect on the loopback interface")
        return await redirect.wait(timeout)
