"""The calendar's last good copy on disk, in the user's cache folder: the body and its
validators (ETag, Last-Modified), with a one-way fingerprint of the address it came from, files
0600 in a 0700 folder, written atomically. No network library here."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import platformdirs

from tray_app import APP_ID
from tray_app.calendar.location import FeedLocation

log = logging.getLogger(__name__)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
            if meta.get("digest") != digest(body):
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
            "digest": digest(copy.body),
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
