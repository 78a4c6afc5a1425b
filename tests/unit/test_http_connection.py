"""The small keep-alive HTTP client, against tiny local servers that misbehave on purpose."""

import asyncio

import pytest

from tray_app.matrix.http_connection import HttpConnectionPool, ProtocolFault

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


async def serve(handler):
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def read_request(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    body = await reader.readexactly(length) if length else b""
    return head, body


def test_one_connection_is_kept_for_the_next_requests():
    seen = []

    async def handler(reader, writer):
        while True:
            try:
                head, body = await read_request(reader)
            except asyncio.IncompleteReadError:
                writer.close()
                return
            seen.append((head.split(b"\r\n")[0], body))
            writer.write(ANSWER)

    async def main():
        server, url = await serve(handler)
        pool = HttpConnectionPool(url + "/base")
        try:
            for _ in range(3):
                answer = await pool.request("PUT", "/x", body=b'{"a": 1}')
                assert (answer.status, answer.body) == (200, b"{}")
            return pool.opened
        finally:
            await pool.close()
            server.close()

    assert asyncio.run(main()) == 1
    assert seen == [(b"PUT /base/x HTTP/1.1", b'{"a": 1}')] * 3


@pytest.mark.parametrize("close_while_idle", [True, False])
def test_a_connection_the_server_dropped_is_replaced_without_an_error(close_while_idle):
    """A keep-alive timeout: the server closes an idle connection, seen before sending, or
    only once the next request went out on it (the race): nothing was done, so it is resent."""

    async def handler(reader, writer):
        await read_request(reader)
        writer.write(ANSWER)  # says nothing of closing...
        await writer.drain()
        if not close_while_idle:
            await read_request(reader)  # ...takes the next request, and hangs up unanswered
        writer.close()

    async def main():
        server, url = await serve(handler)
        pool = HttpConnectionPool(url)
        try:
            first = await pool.request("GET", "/a")
            if close_while_idle:
                await asyncio.sleep(0.05)  # the close arrives while the connection is idle
            second = await pool.request("GET", "/b")
            return first.status, second.status, pool.opened
        finally:
            await pool.close()
            server.close()

    assert asyncio.run(main()) == (200, 200, 2)


@pytest.mark.parametrize("reply", [b"", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", b"garbage\r\n\r\n"])
def test_a_server_that_hangs_up_or_talks_garbage_is_a_network_fault(reply):
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(reply)
        await writer.drain()
        writer.close()

    async def main():
        server, url = await serve(handler)
        pool = HttpConnectionPool(url)
        try:
            with pytest.raises(ProtocolFault):
                await pool.request("GET", "/a")
        finally:
            await pool.close()
            server.close()

    asyncio.run(main())
