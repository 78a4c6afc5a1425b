"""The running calendar: fetches the feed every few minutes, and says which meeting runs now.

`CalendarSource` is the whole interface the applet needs: `meeting` (the busy stretch running
now, or None), `problem` (the feed failed: one `FeedProblem` until it works again, not one per
try) and `on_change` (called when either changed). The last good copy stays in use while the
feed fails, and is read from disk at start, so a meeting is known before the first answer.

Time is the injected wall clock (`clock`), as for timed overrides (tray_app/session/timed.py):
meetings start at a time of day, and the monotonic clock stops while the machine sleeps. The
loop sleeps until the next moment something can change (an event's start or end, the next
refresh), in steps of at most `check_every` seconds, so a lid closed over a meeting's start is
noticed within one step of waking; a wall clock that jumped further than the loop slept (a
wake, or the clock set) also refreshes the feed at once. A fetch runs beside the loop, so a feed
that takes its whole timeout to fail never holds back a meeting's start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

import icalendar

from tray_app.calendar.feed import Feed, FeedError, FeedNotCalendar, FeedRefused
from tray_app.calendar.problem import FeedProblem, ProblemKind
from tray_app.calendar.schedule import CalendarUnreadable, Meeting, Timeline, parse

log = logging.getLogger(__name__)

REFRESH_SECONDS = 300.0
CHECK_SECONDS = 30.0
WAKE_JUMP_SECONDS = 60.0


def _now() -> datetime:
    return datetime.now(UTC)


def _kind(error: FeedError) -> ProblemKind:
    if isinstance(error, FeedRefused):
        return ProblemKind.REFUSED
    if isinstance(error, FeedNotCalendar):
        return ProblemKind.NOT_CALENDAR
    return ProblemKind.UNREACHABLE  # FeedUnreachable, and any other FeedError


class CalendarSource:
    def __init__(
        self,
        feed: Feed,
        *,
        clock: Callable[[], datetime] = _now,
        local: tzinfo | None = None,
        refresh_every: float = REFRESH_SECONDS,
        check_every: float = CHECK_SECONDS,
        wake_jump: float = WAKE_JUMP_SECONDS,
    ) -> None:
        self.feed = feed
        self._clock = clock
        self._local = local
        self._refresh_every = refresh_every
        self._check_every = check_every
        self._wake_jump = wake_jump
        self._callbacks: list[Callable[[], None]] = []
        self._calendar: icalendar.Calendar | None = None
        self._timeline: Timeline | None = None
        self._meeting: Meeting | None = None
        self._problem: FeedProblem | None = None
        self._next_refresh: datetime | None = None  # None: at once
        self._task: asyncio.Task[None] | None = None
        self._fetching: asyncio.Task[None] | None = None
        self.refreshes = 0  # tries, for the control channel and the bench

    # -- the interface ------------------------------------------------------------------------

    @property
    def meeting(self) -> Meeting | None:
        """The busy stretch running now (as of the last look at the clock)."""
        return self._meeting

    @property
    def problem(self) -> FeedProblem | None:
        return self._problem

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call `callback` when `meeting` or `problem` changed."""
        self._callbacks.append(callback)

    async def start(self) -> None:
        """Use the copy kept from last time, then run (the first fetch at once)."""
        kept = self.feed.kept
        if kept is not None:
            try:
                self._calendar = await asyncio.to_thread(parse, kept.body)
            except CalendarUnreadable:
                log.info("the kept copy of the calendar is unreadable; waiting for the feed")
        await self.update()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="calendar-source")

    async def close(self) -> None:
        for task in (self._task, self._fetching):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._task = self._fetching = None
        await self.feed.close()

    # -- one step each ------------------------------------------------------------------------

    async def refresh(self) -> None:
        """One fetch: a new copy is parsed and kept; a failure keeps the old one."""
        self.refreshes += 1
        now = self._clock()
        self._next_refresh = now + timedelta(seconds=self._refresh_every)
        try:
            fetched = await self.feed.fetch()
            if fetched is None:
                self.feed.touch(now)
            else:
                try:
                    calendar = await asyncio.to_thread(parse, fetched.body)
                except CalendarUnreadable as e:
                    raise FeedNotCalendar(
                        f"the calendar at {self.feed.location.redacted} is not readable ({e})"
                    ) from None
                self.feed.keep(fetched, now)
                self._calendar, self._timeline = calendar, None
        except FeedError as e:
            self._failed(e, now)
        else:
            if self._problem is not None:
                log.info("the calendar at %s works again", self.feed.location.redacted)
                self._problem = None
                self._changed()
        await self.update()

    async def update(self) -> None:
        """Look at the clock: the meeting now (the timeline rebuilt when due)."""
        now = self._clock()
        if self._calendar is None:
            meeting = None
        else:
            if self._timeline is None or not self._timeline.covers(now):
                self._timeline = await asyncio.to_thread(Timeline.build, self._calendar, now, local=self._local)
            meeting = self._timeline.meeting_at(now)
        if meeting != self._meeting:
            self._meeting = meeting
            self._changed()

    def next_wake(self, now: datetime) -> float:
        """Seconds until the loop should look again (a fetch under way is waited for by the
        next step, not by a loop that spins until it ends)."""
        moments = [now + timedelta(seconds=self._check_every)]
        if self._next_refresh is not None and not self._is_fetching():
            moments.append(self._next_refresh)
        if self._timeline is not None and (change := self._timeline.next_change(now)) is not None:
            moments.append(change)
        return max(0.0, (min(moments) - now).total_seconds())

    # -- internals ----------------------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = self._next_refresh is None or self._clock() >= self._next_refresh
            if due and not self._is_fetching():
                # Beside the loop, not in it: a feed that takes its 30 s to fail must not hold
                # back a meeting's start.
                self._fetching = loop.create_task(self._refresh_guarded(), name="calendar-fetch")
            try:
                await self.update()
            except Exception:  # a bug must not end the calendar for the day
                log.exception("the calendar's update failed")
            before_wall, before_mono = self._clock(), loop.time()
            await asyncio.sleep(self.next_wake(before_wall))
            jumped = (self._clock() - before_wall).total_seconds() - (loop.time() - before_mono)
            if jumped > self._wake_jump:
                log.info("the clock moved %.0f s more than the loop slept (a wake?): reading the calendar", jumped)
                self._next_refresh = None
                if self._fetching is not None and self._is_fetching():
                    self._fetching.cancel()  # its connection is from before the sleep

    def _is_fetching(self) -> bool:
        return self._fetching is not None and not self._fetching.done()

    async def _refresh_guarded(self) -> None:
        try:
            await self.refresh()
        except Exception:
            log.exception("the calendar's refresh failed")
            self._next_refresh = self._clock() + timedelta(seconds=self._refresh_every)

    def _failed(self, error: FeedError, now: datetime) -> None:
        kind = _kind(error)
        status = error.status if isinstance(error, FeedRefused) else None
        old = self._problem
        if old is not None and old.kind is kind and old.status == status:
            log.debug("the calendar still fails: %s", error.message)
            return
        kept = self.feed.kept
        self._problem = FeedProblem(kind, now if old is None else old.since, kept.fetched_at if kept else None, status)
        log.warning(
            "calendar: %s; %s",
            error.message,
            "using the copy fetched at " + kept.fetched_at.isoformat(timespec="minutes") if kept else "no copy to use",
        )
        self._changed()

    def _changed(self) -> None:
        for callback in list(self._callbacks):
            try:
                callback()
            except Exception:
                log.exception("a calendar subscriber failed")
