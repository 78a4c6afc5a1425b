"""Calendar feeds for tests: iCalendar text as Nextcloud or Thunderbird write it, and a real
aiohttp HTTP server on loopback that serves it with ETag / Last-Modified and answers
If-None-Match / If-Modified-Since with 304, counting what it was asked.

`mode` makes it fail the way a real calendar server does: "error" answers 500, "garbage" an
HTML sign-in page with 200 (what a revoked share or a captive portal gives)."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from aiohttp import web
from aiohttp.test_utils import TestServer

BERLIN_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

# Wednesdays 14:00-15:00 Berlin time from 14 Oct 2026, six times; 21 Oct left out; 4 Nov moved
# to 16:00-17:00 and renamed.
WEEKLY = """
UID:weekly@test
DTSTAMP:20261001T000000Z
DTSTART;TZID=Europe/Berlin:20261014T140000
DTEND;TZID=Europe/Berlin:20261014T150000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Berlin:20261021T140000
SUMMARY:Team sync
"""
MOVED = """
UID:weekly@test
DTSTAMP:20261001T000000Z
RECURRENCE-ID;TZID=Europe/Berlin:20261104T140000
DTSTART;TZID=Europe/Berlin:20261104T160000
DTEND;TZID=Europe/Berlin:20261104T170000
SUMMARY:Team sync (moved)
"""

# A token of the kind a private calendar address carries: tests assert it is never logged.
SECRET_TOKEN = "s3cr3t-T0KEN-4f9a2c7e1b"


def calendar(*events: str) -> bytes:
    """A VCALENDAR (CRLF lines) with Europe/Berlin's VTIMEZONE and these VEVENT bodies."""
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//presence-tray tests//EN\n" + BERLIN_VTIMEZONE
    for event in events:
        body += "BEGIN:VEVENT\n" + event.strip() + "\nEND:VEVENT\n"
    body += "END:VCALENDAR\n"
    return body.replace("\n", "\r\n").encode()


def utc_stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(uid: str, start: datetime, end: datetime, summary: str, *extra: str) -> str:
    """One VEVENT body with UTC times."""
    lines = [f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"DTSTART:{utc_stamp(start)}", f"DTEND:{utc_stamp(end)}"]
    return "\n".join([*lines, f"SUMMARY:{summary}", *extra])


GARBAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>"


@dataclass
class CalendarServer:
    body: bytes
    mode: str = "ok"  # "ok", "error" (500), "garbage" (200 with an HTML page)
    requests: int = 0
    conditional: int = 0  # requests that carried If-None-Match or If-Modified-Since
    not_modified: int = 0  # of those, answered 304
    answered: int = 0
    delay: float = 0.0  # seconds before each answer (a slow calendar server)
    etag_salt: str = ""  # changes the ETag of the same body (a server whose ETags are not stable)
    modified_at: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    server: TestServer | None = None

    @property
    def path(self) -> str:
        return f"/remote.php/dav/public-calendars/{SECRET_TOKEN}?export"

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}{self.path}"

    def publish(self, body: bytes, modified_at: datetime) -> None:
        self.body, self.modified_at = body, modified_at

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body + self.etag_salt.encode()).hexdigest()[:16] + '"'

    async def _serve(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        response = self._answer(request)
        self.answered += 1
        return response

    def _answer(self, request: web.Request) -> web.Response:
        if self.mode == "error":
            return web.Response(status=500, text="Internal Server Error")
        if self.mode == "garbage":
            return web.Response(body=GARBAGE, content_type="text/html")
        if_none_match = request.headers.get("If-None-Match")
        if_modified = request.headers.get("If-Modified-Since")
        last_modified = format_datetime(self.modified_at, usegmt=True)
        if if_none_match or if_modified:
            self.conditional += 1
            if (if_none_match == self.etag) if if_none_match else (if_modified == last_modified):
                self.not_modified += 1
                return web.Response(status=304, headers={"ETag": self.etag})
        return web.Response(
            body=self.body,
            content_type="text/calendar",
            headers={"ETag": self.etag, "Last-Modified": last_modified},
        )

    async def start(self) -> CalendarServer:
        app = web.Application()
        app.router.add_get("/remote.php/dav/public-calendars/{token}", self._serve)
        # No access log: it would print the secret address (the server's side, not the applet's).
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server(access_log=None)
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()
