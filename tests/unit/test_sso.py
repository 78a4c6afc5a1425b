"""The one-shot loopback redirect of single sign-on (tray_app/matrix/sso.py), without a browser."""

from __future__ import annotations

import asyncio
import logging
import urllib.parse

import aiohttp
import pytest

from tray_app.matrix.sso import LoopbackRedirect, SsoCancelled, SsoError, SsoTimeout, sso_login_token, sso_redirect_url


def test_redirect_url_is_encoded_and_can_name_a_provider():
    url = sso_redirect_url("https://matrix.example.org/", "http://127.0.0.1:5000/sso-callback/abc")
    assert url == (
        "https://matrix.example.org/_matrix/client/v3/login/sso/redirect?"
        "redirectUrl=http%3A%2F%2F127.0.0.1%3A5000%2Fsso-callback%2Fabc"
    )
    url = sso_redirect_url("https://hs", "http://127.0.0.1:1/x", idp_id="oidc-github/1")
    assert url.startswith("https://hs/_matrix/client/v3/login/sso/redirect/oidc-github%2F1?redirectUrl=")


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as s:
        async with s.get(url) as r:
            return r.status, await r.text()


def test_token_arrives_once_and_only_on_the_secret_path(caplog):
    async def main():
        caplog.set_level(logging.DEBUG)
        async with LoopbackRedirect() as lr:
            parts = urllib.parse.urlsplit(lr.url)
            assert parts.hostname == "127.0.0.1" and parts.path.startswith("/sso-callback/")
            assert len(parts.path) > len("/sso-callback/") + 16  # unguessable
            # Another path, even with a token, neither answers nor ends the wait.
            status, _ = await _get(f"http://127.0.0.1:{parts.port}/sso-callback/guess?loginToken=evil")
            assert status == 404
            waiter = asyncio.ensure_future(lr.wait(timeout=5))
            await asyncio.sleep(0.05)
            assert not waiter.done()
            status, body = await _get(lr.url + "?loginToken=secret-token-123")
            assert status == 200 and "You are signed in" in body
            assert await waiter == "secret-token-123"
            status, body = await _get(lr.url + "?loginToken=again")  # replays are refused
            assert status == 410
            assert await lr.wait(timeout=1) == "secret-token-123"
            port = parts.port
        # Closed: nothing listens any more.
        with pytest.raises(aiohttp.ClientConnectionError):
            await _get(f"http://127.0.0.1:{port}/")
        assert "secret-token-123" not in caplog.text  # no access log carries the token

    asyncio.run(main())


def test_browser_coming_back_without_a_token_is_a_cancel():
    async def main():
        async with LoopbackRedirect() as lr:
            status, body = await _get(lr.url + "?error=access_denied")
            assert status == 400 and "did not complete" in body
            with pytest.raises(SsoCancelled):
                await lr.wait(timeout=1)

    asyncio.run(main())


def test_timeout_and_cancel():
    async def main():
        async with LoopbackRedirect() as lr:
            with pytest.raises(SsoTimeout):
                await lr.wait(timeout=0.1)
            lr.cancel()
            with pytest.raises(SsoCancelled):
                await lr.wait(timeout=1)

    asyncio.run(main())


def test_sso_login_token_drives_the_browser_and_returns_the_token():
    async def main():
        opened = []

        async def browser(url: str) -> bool:
            opened.append(url)
            redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirectUrl"][0]
            asyncio.ensure_future(_get(redirect + "?loginToken=tok"))
            return True

        token = await sso_login_token("https://hs.example", browser, timeout=5)
        assert token == "tok"
        assert opened[0].startswith(
            "https://hs.example/_matrix/client/v3/login/sso/redirect?redirectUrl=http%3A%2F%2F127.0.0.1%3A"
        )

        with pytest.raises(SsoError, match="could not open a web browser"):
            await sso_login_token("https://hs.example", lambda url: False, timeout=5)

    asyncio.run(main())
