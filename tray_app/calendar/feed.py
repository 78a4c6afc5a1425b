"""Fetching a calendar feed: a private iCalendar address (https, webcal) or a local .ics file.

The address is a secret: anyone who has it reads the calendar. It lives in the keyring
(tray_app.calendar.store), and nothing here puts it in a log line, an error's text or a repr:
they say `FeedLocation.redacted` ("https://cloud.example.org/…", or a file's name), and a
network library's own exception (whose text may hold the URL) is named by its type only.

Each fetch is conditional: the validators (ETag, Last-Modified) of the last good copy go out as
If-None-Match / If-Modified-Since, and a 304 (or a body or file that is byte for byte the one
kept) is "unchanged". A copy becomes the last good one only when the caller `keep`s it (after
it parsed), so a validator is never sent for something we did not keep. The last good copy is
kept on disk in the user's cache folder (`FeedCache`, files 0600 in a 0700 folder) with a
fingerprint of the address it came from, so after a restart the calendar works before the
first answer, and a failing feed leaves the person with the copy they had.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiohttp
import platformdirs

from tray_app import APP_ID, __version__
from tray_app.errors import PresenceTrayError, UsageError
from tray_app.matrix.homeserver import is_loopback

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


class BadFeedLocation(UsageError):
    """What the person typed is no address or file we can read a calendar from."""


@dataclass(frozen=True)
class FeedLocation:
    """A feed's address (`https://…`, `webcal://…`, `http://` on this machine only) or a local
    file (`file://…`, a path, `~/…`). `text` is the secret as given; repr shows none of it."""

    text: str = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> FeedLocation:
        text = text.strip()
        if not text:
            raise BadFeedLocation("no calendar address given")
        if not _FILE_LIKE.match(text) and "://" not in text:
            text = "https://" + text  # "cloud.example.org/remote.php/…" as typed
        location = cls(text)
        if location.is_file:
            return location
        parts = urlsplit(location.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadFeedLocation(
                "a calendar is read from an https:// (or webcal://) address or from a local .ics file"
            )
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise BadFeedLocation(
                f"refusing plain http:// to {parts.hostname}: the calendar's private address would cross the "
                "network unencrypted. Use https://"
            )
        return location

    @property
    def is_file(self) -> bool:
        return bool(_FILE_LIKE.match(self.text))

    @property
    def path(self) -> Path:
        if self.text.startswith("file://"):
            return Path(unquote(urlsplit(self.text).path))
        return Path(self.text).expanduser()

    @property
    def url(self) -> str:
        """The address to ask (webcal:// is https:// by convention)."""
        if self.text.lower().startswith("webcal://"):
            return "https://" + self.text[len("webcal://") :]
        return self.text

    @property
    def redacted(self) -> str:
        """What may be shown or logged: the scheme and host, or the file's name."""
        if self.is_file:
            return self.path.name or "a local file"
        try:
            parts = urlsplit(self.url)
            host = parts.hostname or "?"
            port = f":{parts.port}" if parts.port else ""
        except ValueError:
            return "a calendar address"
        return f"{parts.scheme}://{host}{port}/…"

    def fingerprint(self) -> str:
        """Names the address in the cache without holding it (a one-way digest)."""
        return hashlib.sha256(self.text.encode()).hexdigest()[:32]


# file://…, /…, ~…, ./… and ../…, C:\… or C:/…
_FILE_LIKE = re.compile(r"(?i)^(file://|/|~|\.\.?[/\\]|[a-z]:[/\\])")


def looks_like_icalendar(data: bytes) -> bool:
    """A cheap first look (a BOM and blank lines allowed before BEGIN:VCALENDAR)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Fetched:
    """A new body, not yet the last good copy (see `Feed.keep`)."""

    body: bytes = field(repr=False)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def digest(self) -> str:
        return _digest(self.body)


@dataclass(frozen=True)
class KeptCopy:
    """The last good copy: its body, its validators, when it was fetched."""

    body: bytes = field(repr=False)
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False)) / "calendar"


class FeedCache:
    """The last good copy on disk: `feed.ics` and `feed.json` (validators, fetch time and the
    address's fingerprint), both 0600, in a 0700 folder. A copy of another address is none."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    @property
    def _body(self) -> Path:
        return self.folder / "feed.ics"

    @property
    def _meta(self) -> Path:
        return self.folder / "feed.json"

    def load(self, location: FeedLocation) -> KeptCopy | None:
        try:
            meta = json.loads(self._meta.read_text(encoding="utf-8"))
            if meta.get("fingerprint") != location.fingerprint():
                return None
            body = self._body.read_bytes()
            if meta.get("digest") != _digest(body):
                return None  # one of the two files was replaced without the other
            return KeptCopy(
                body=body,
                fetched_at=datetime.fromisoformat(meta["fetched_at"]),
                etag=meta.get("etag"),
                last_modified=meta.get("last_modified"),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            log.info("the kept copy of the calendar is unreadable (%s); ignoring it", type(e).__name__)
            return None

    def save(self, location: FeedLocation, copy: KeptCopy) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        meta = {
            "fingerprint": location.fingerprint(),
            "digest": _digest(copy.body),
            "fetched_at": copy.fetched_at.isoformat(),
            "etag": copy.etag,
            "last_modified": copy.last_modified,
        }
        _write_private(self._body, copy.body)
        _write_private(self._meta, json.dumps(meta, indent=1).encode())

    def clear(self) -> None:
        for path in (self._meta, self._body):
            path.unlink(missing_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    """Atomically, readable by the owner only (mkstemp makes the file 0600)."""
    fd, tmp = tempfile.mkstemp(prefix=".feed-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        if kept is not None and fetched.digest == _digest(kept.body):
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
