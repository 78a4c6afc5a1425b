"""Where a calendar is read from: a private iCalendar address (`https://`, `webcal://`, plain
`http://` to this machine only) or a local `.ics` file. The address is a secret: `FeedLocation`
shows none of it in its repr, and `redacted` is what may be logged or shown (the scheme and host,
or the file's name). No network library here: the applet builds these at start."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tray_app.errors import UsageError
from tray_app.loopback import is_loopback


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
