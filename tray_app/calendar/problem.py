"""A failing calendar feed, as the menu says it: what kind of failure, since when, and when the
copy still in use was fetched. Plain data (the applet reads it at start, before any network
library is loaded)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class ProblemKind(enum.Enum):
    UNREACHABLE = "unreachable"  # no answer, or the file is missing or unreadable
    REFUSED = "refused"  # an HTTP error (404: the address may have been revoked)
    NOT_CALENDAR = "not_calendar"  # the answer is no (readable) iCalendar file


@dataclass(frozen=True)
class FeedProblem:
    """The feed fails since `since`; `status` is the HTTP status for REFUSED; `last_good` is
    when the copy still in use was fetched (None: there is none)."""

    kind: ProblemKind
    since: datetime
    last_good: datetime | None
    status: int | None = None
