import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from tray_app.errors import InsecureHomeserver, UsageError
from tray_app.matrix.homeserver import check_homeserver_url, discover_homeserver, server_name_of


def test_server_name():
    assert server_name_of("@alice:example.org") == "example.org"
    assert server_name_of("@a:host:8448") == "host:8448"
    for bad in ("alice", "@alice", "@:x", "alice:example.org"):
        with pytest.raises(UsageError):
            server_name_of(bad)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("matrix.example.org", "https://matrix.example.org"),
        ("https://matrix.example.org/", "https://matrix.example.org"),
        ("http://127.0.0.1:8008", "http://127.0.0.1:8008"),
        ("http://localhost:8008/", "http://localhost:8008"),
        ("http://[::1]:8008", "http://[::1]:8008"),
    ],
)
def test_urls_accepted(url, expected):
    assert check_homeserver_url(url) == expected


@pytest.mark.parametrize("url", ["http://matrix.example.org", "http://192.168.1.5:8008", "http://10.0.0.1"])
def test_plain_http_refused_off_loopback(url):
    with pytest.raises(InsecureHomeserver, match="https://"):
        check_homeserver_url(url)


def test_not_a_url():
    with pytest.raises(UsageError):
        check_homeserver_url("ftp://example.org")


def _run_discovery(handler):
    async def main():
        app = web.Application()
        app.router.add_get("/.well-known/matrix/client", handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        try:
            return await discover_homeserver(f"@a:127.0.0.1:{server.port}", scheme="http"), server.port
        finally:
            await server.close()

    return asyncio.run(main())


def test_well_known_is_followed():
    async def well_known(request):
        return web.json_response({"m.homeserver": {"base_url": "http://localhost:9999/"}})

    url, _ = _run_discovery(well_known)
    assert url == "http://localhost:9999"


def test_no_well_known_falls_back_to_server_name():
    async def missing(request):
        return web.Response(status=404)

    url, port = _run_discovery(missing)
    assert url == f"http://127.0.0.1:{port}"


def test_well_known_pointing_at_plain_http_elsewhere_is_refused():
    async def insecure(request):
        return web.json_response({"m.homeserver": {"base_url": "http://evil.example.org"}})

    with pytest.raises(InsecureHomeserver):
        _run_discovery(insecure)
