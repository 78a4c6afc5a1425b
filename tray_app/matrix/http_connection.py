"""A small keep-alive HTTP/1.1 client (asyncio streams + h11) for plain JSON requests.

The click, start and `status` paths need only a few JSON requests. nio, with aiohttp
under it, takes ~0.3 s to import; h11 (already here as nio's own dependency) parses
HTTP/1.1 without doing any I/O, so this costs a few milliseconds. nio stays for sync,
login and logout. Connections are kept alive: a click must not pay a TCP (and TLS)
handshake on top of its one round trip.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import h11

_USER_AGENT = "presence-tray"
_tls_context = None


def _tls():
    """Made on first use only: loading the system's CA certificates costs ~30 ms."""
    global _tls_context
    if _tls_context is None:
        import ssl  # noqa: PLC0415

        _tls_context = ssl.create_default_context()
    return _tls_context


class ProtocolFault(ConnectionError):
    """The peer broke HTTP (or hung up mid-answer): a network fault to the caller."""


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(our_role=h11.CLIENT)

    @property
    def reusable(self) -> bool:
        return not self.reader.at_eof() and not self.writer.is_closing()

    def close(self) -> None:
        self.writer.close()


class HttpConnectionPool:
    """Requests to one server (`base_url`), over connections kept for the next request."""

    MAX_IDLE = 4

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.homeserver = base_url
        self._tls = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._tls else 80)
        default_port = parts.port is None or parts.port == (443 if self._tls else 80)
        host = f"[{self._host}]" if ":" in self._host else self._host
        self._host_header = host if default_port else f"{host}:{self._port}"
        self._prefix = parts.path.rstrip("/")
        self._idle: list[_Connection] = []
        self._closed = False
        self.opened = 0  # connections opened so far (the benchmark and tests read it)
        self.last_answer = -1e9  # time.monotonic() when the server last sent us anything

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: float = 30.0,
    ) -> HttpAnswer:
        """Raises OSError (ProtocolFault included) or TimeoutError for network faults.

        Bounded by asyncio.timeout, not asyncio.wait_for: Python 3.11's wait_for, cancelled in
        the moment its request's answer came in, returns the answer and drops the cancellation
        (CPython gh-86296), so a loop reading every few seconds could outlive Session.close()
        (whose wait for it then never ended)."""
        async with asyncio.timeout(timeout):
            return await self._request(method, path, headers or {}, body)

    async def _request(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> HttpAnswer:
        while self._idle:
            conn = self._idle.pop()
            if not conn.reusable:
                conn.close()
                continue
            try:
                return await self._exchange(conn, method, path, headers, body)
            except _StaleConnection:
                # The server closed an idle connection before reading our request (a
                # keep-alive timeout): nothing was done, so a fresh connection may send it.
                continue
        return await self._exchange(await self._open(), method, path, headers, body, fresh=True)

    async def _open(self) -> _Connection:
        if self._tls:
            reader, writer = await asyncio.open_connection(
                self._host, self._port, ssl=_tls(), server_hostname=self._host
            )
        else:
            reader, writer = await asyncio.open_connection(self._host, self._port)
        self.opened += 1
        return _Connection(reader, writer)

    async def _exchange(
        self,
        conn: _Connection,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None,
        *,
        fresh: bool = False,
    ) -> HttpAnswer:
        got_any = False
        try:
            data = body or b""
            wire_headers = [("Host", self._host_header), ("User-Agent", _USER_AGENT)]
            wire_headers += list(headers.items())
            if body is not None or method in ("PUT", "POST"):
                wire_headers.append(("Content-Length", str(len(data))))
            out = conn.h11.send(h11.Request(method=method, target=self._prefix + path, headers=wire_headers))
            if data:
                out += conn.h11.send(h11.Data(data=data))
            out += conn.h11.send(h11.EndOfMessage())
            conn.writer.write(out)
            await conn.writer.drain()
            status, answer_headers, chunks = 0, {}, []
            while True:
                event = conn.h11.next_event()
                if event is h11.NEED_DATA:
                    chunk = await conn.reader.read(65536)
                    if chunk:
                        got_any = True
                        self.last_answer = time.monotonic()
                    conn.h11.receive_data(chunk)
                    if not chunk and not got_any:
                        raise _StaleConnection()
                elif isinstance(event, h11.Response):
                    status = event.status_code
                    answer_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in event.headers}
                elif isinstance(event, h11.Data):
                    chunks.append(bytes(event.data))
                elif isinstance(event, h11.EndOfMessage):
                    break
                elif isinstance(event, h11.ConnectionClosed):
                    raise ProtocolFault("the server closed the connection mid-answer")
        except _StaleConnection:
            conn.close()
            if fresh:
                raise ProtocolFault("the server closed the connection without answering") from None
            raise
        except (ConnectionResetError, BrokenPipeError) as e:
            conn.close()
            if not got_any and not fresh:
                raise _StaleConnection() from e
            raise
        except h11.ProtocolError as e:
            conn.close()
            raise ProtocolFault(f"malformed HTTP answer: {e}") from e
        except BaseException:  # timeouts, cancellation: the connection's state is unknown
            conn.close()
            raise
        self._keep(conn)
        return HttpAnswer(status, answer_headers, b"".join(chunks))

    def _keep(self, conn: _Connection) -> None:
        if (
            not self._closed
            and conn.h11.our_state is h11.DONE
            and conn.h11.their_state is h11.DONE
            and len(self._idle) < self.MAX_IDLE
        ):
            conn.h11.start_next_cycle()
            self._idle.append(conn)
        else:
            conn.close()

    async def close(self) -> None:
        """Closes the idle connections; one in use closes when its answer is in."""
        self._closed = True
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        for conn in idle:
            try:
                await conn.writer.wait_closed()
            except (OSError, asyncio.CancelledError):
                pass


class _StaleConnection(Exception):
    pass
