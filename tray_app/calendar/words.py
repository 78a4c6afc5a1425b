"""The calendar's own line in the menu, in words a person understands (Qt-free, translated).

Only a failing feed has a line of its own ("the feed that fails says so once"); what a meeting
makes of presence is said by the menu's "Automatic" part.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from tray_app.calendar.problem import FeedProblem, ProblemKind
from tray_app.durations import format_end
from tray_app.translation import translate


def problem_line(problem: FeedProblem, now: datetime, tz: tzinfo | None = None) -> str:
    """ "Calendar: can't be reached — using the copy from 14:02", and the like."""
    if problem.kind is ProblemKind.REFUSED:
        if problem.status in (401, 403, 404, 410):
            what = translate("Calendar", "its address no longer works (HTTP {status})")
        else:
            what = translate("Calendar", "its server fails (HTTP {status})")
        what = what.format(status=problem.status)
    elif problem.kind is ProblemKind.NOT_CALENDAR:
        what = translate("Calendar", "the answer is not a calendar")
    else:
        what = translate("Calendar", "can't be reached")
    if problem.last_good is None:
        return translate("Calendar", "Calendar: {problem}").format(problem=what)
    return translate("Calendar", "Calendar: {problem} — using the copy from {time}").format(
        problem=what, time=format_end(problem.last_good, now, tz)
    )
