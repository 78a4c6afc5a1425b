"""Fetching a calendar feed: a private iCalendar address (https, webcal) or a local .ics file.

The address is a secret: anyone who has it reads the calendar. It lives in the keyring
(tray_app.calendar.store), and nothing here puts it in a log line, an error's text or a repr:
they say `FeedLocation.redacted` ("https://cloud.example.org/…", or a file's name), and a
network library's own exception (whose text may hold the URL) is named by its type only.

Each fetch is conditional: the validators (ETag, Last-Modified) of the last good copy go out as
If-None-Match / If-Modified-Since, and a 304 (or a body or file that is byte for byte the one
kept) is "unchanged". A copy becomes the last good one only when the caller `keep`s it (after
it parsed), so a validator is never sent for something we did not keep. The last good copy is
kept on disk in the user's cache folder (`cache.FeedCache`, files 0600 in a 0700 folder) with a
fingerprint of the address it came from, so after a restart the calendar works before the
first answer, and a failing feed leaves the person with the copy they had.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp

from tray_app import __version__
from tray_app.calendar.cache import FeedCache, KeptCopy, digest
from tray_app.calendar.location import FeedLocation
from tray_app.errors import PresenceTrayError

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30.0
MAX_BYTES = 20 * 1024 * 1024  # a busy calendar of many years is a few MB


class FeedError(PresenceTrayError):
    """A fetch that gave no calendar. The message never holds the address."""


class FeedUnreachable(FeedError):
    """No answer: DNS, refused, TLS, timeout; or the local file is missing or unreadable."""


class FeedRefused(FeedError):
    """The server answered with an HTTP error (404: the address was revoked; 5xx: its fault)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class FeedNotCalendar(FeedError):
    """The answer is not an iCalendar file (an HTML login page, JSON, garbage) or is too big."""


def looks_like_icalendar(data: bytes) -> bool:
    """A cheap first look (a BOM and blank lines allowed before BEGIN:VCALENDAR)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"


@dataclass(frozen=True)
class Fetched:
    """A new body, not yet the last good copy (see `Feed.keep`)."""

    body: bytes = field(repr=False)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def digest(self) -> str:
        return digest(self.body)


class Feed:
    """One feed: `fetch` asks for what changed since the copy kept, `keep` adopts a body."""

    def __init__(
        self,
        location: FeedLocation,
        cache: FeedCache | None = None,
        *,
        timeout: float = TIMEOUT_SECONDS,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.location = location
        self._cache = cache
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._http: aiohttp.ClientSession | None = None
        self._kept: KeptCopy | None = cache.load(location) if cache is not None else None

    @property
    def kept(self) -> KeptCopy | None:
        """The last good copy (from disk at first, then the last one kept)."""
        return self._kept

    def keep(self, fetched: Fetched, at: datetime) -> None:
        """Adopt `fetched` as the last good copy; its validators go out with the next fetch.
        A failure to write the disk copy is logged: the copy is still used in memory."""
        copy = KeptCopy(fetched.body, at, fetched.etag, fetched.last_modified)
        self._kept = copy
        if self._cache is None:
            return
        try:
            self._cache.save(self.location, copy)
        except OSError as e:
            log.warning("could not keep a copy of the calendar on disk (%s)", type(e).__name__)

    def touch(self, at: datetime) -> None:
        """The feed confirmed the kept copy (304): it is as fresh as `at` (in memory only: no
        disk write every few minutes for nothing)."""
        if self._kept is not None:
            self._kept = KeptCopy(self._kept.body, at, self._kept.etag, self._kept.last_modified)

    async def fetch(self) -> Fetched | None:
        """A new body, or None when it is the one kept. Raises a `FeedError`."""
        fetched = await (self._read_file() if self.location.is_file else self._get())
        if fetched is None:
            return None
        if not looks_like_icalendar(fetched.body):
            raise FeedNotCalendar(f"the calendar at {self.location.redacted} is not an iCalendar file")
        kept = self._kept
        if kept is not None and fetched.digest == digest(kept.body):
            if (fetched.etag, fetched.last_modified) != (kept.etag, kept.last_modified):
                self.keep(fetched, kept.fetched_at)  # the same body under new validators
            return None
        return fetched

    async def _read_file(self) -> Fetched | None:
        path = self.location.path
        try:
            size = await asyncio.to_thread(lambda: path.stat().st_size)
            if size > self._max_bytes:
                raise FeedNotCalendar(f"the calendar file {self.location.redacted} is too large")
            body = await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise FeedUnreachable(f"the calendar file {self.location.redacted} is not there") from None
        except OSError as e:
            raise FeedUnreachable(
                f"the calendar file {self.location.redacted} cannot be read ({type(e).__name__})"
            ) from None
        return Fetched(body)

    async def _get(self) -> Fetched | None:
        headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": f"presence-tray/{__version__}"}
        kept = self._kept
        if kept is not None and kept.etag:
            headers["If-None-Match"] = kept.etag
        if kept is not None and kept.last_modified:
            headers["If-Modified-Since"] = kept.last_modified
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        where = self.location.redacted
        # `from None` throughout: aiohttp's exceptions and their causes print the URL.
        try:
            async with self._http.get(self.location.url, headers=headers) as resp:
                if resp.status == 304 and kept is not None:
                    return None
                if resp.status != 200:
                    raise FeedRefused(f"the calendar at {where} answered HTTP {resp.status}", resp.status)
                body = bytearray()
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > self._max_bytes:
                        raise FeedNotCalendar(f"the calendar at {where} is too large")
                return Fetched(bytes(body), resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
        except FeedError:
            raise
        except TimeoutError:
            raise FeedUnreachable(f"the calendar at {where} did not answer in {self._timeout:.0f} s") from None
        except (aiohttp.ClientError, OSError, ValueError) as e:
            raise FeedUnreachable(f"the calendar at {where} cannot be reached ({type(e).__name__})") from None

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None
