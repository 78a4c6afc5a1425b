"""tray_app.calendar.feed and .source against a real aiohttp server on loopback that serves the
weekly Berlin meeting across the DST change (tests/support/calendar_feeds.py).

What is checked: conditional requests (the server counts If-None-Match and its 304s), a failing
feed is one problem (not one per try) and the last good copy stays in use, a body that is no
calendar is said plainly and never replaces the copy, the copy survives a restart (0600), and
the address's secret token appears in no log line, error text, repr or file."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.calendar_feeds import MOVED, SECRET_TOKEN, WEEKLY, CalendarServer, calendar
from tray_app.calendar.cache import FeedCache
from tray_app.calendar.feed import Feed, FeedNotCalendar, FeedRefused, FeedUnreachable
from tray_app.calendar.location import FeedLocation
from tray_app.calendar.problem import ProblemKind
from tray_app.calendar.source import CalendarSource
from tray_app.calendar.words import problem_line

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 28 Oct 2026, after the change to CET: the meeting is 14:00-15:00 Berlin, 13:00-14:00 UTC.
IN_MEETING = datetime(2026, 10, 28, 13, 30, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def run(coro):
    return asyncio.run(coro)


async def until(condition, what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never: {what}")


async def served(body: bytes | None = None) -> CalendarServer:
    return await CalendarServer(body or calendar(WEEKLY, MOVED)).start()


def test_the_second_fetch_is_conditional_and_the_server_answers_304(tmp_path: Path) -> None:
    async def main() -> None:
        server = await served()
        feed = Feed(FeedLocation.parse(server.url), FeedCache(tmp_path))
        try:
            first = await feed.fetch()
            assert first is not None and first.etag == server.etag
            feed.keep(first, IN_MEETING)
            assert await feed.fetch() is None  # unchanged
            assert (server.requests, server.conditional, server.not_modified) == (2, 1, 1)
            # A new version is fetched whole; until it is kept, the old validators go out.
            server.publish(calendar(WEEKLY), datetime(2026, 10, 27, tzinfo=UTC))
            second = await feed.fetch()
            assert second is not None and second.body == calendar(WEEKLY)
            assert (server.requests, server.conditional, server.not_modified) == (3, 2, 1)
        finally:
            await feed.close()
            await server.close()

    run(main())


def test_a_source_finds_the_meeting_after_the_dst_change_and_refreshes_with_304s(tmp_path: Path) -> None:
    async def main() -> None:
        server = await served()
        clock = FakeClock(IN_MEETING)
        source = CalendarSource(Feed(FeedLocation.parse(server.url), FeedCache(tmp_path)), clock=clock, local=BERLIN)
        changes: list[object] = []
        source.on_change(lambda: changes.append(source.meeting))
        try:
            await source.refresh()
            assert source.meeting is not None and source.meeting.title == "Team sync"
            assert source.meeting.end == datetime(2026, 10, 28, 14, 0, tzinfo=UTC)
            clock.now += timedelta(minutes=5)
            await source.refresh()
            clock.now = datetime(2026, 10, 28, 14, 0, tzinfo=UTC)  # the meeting's end
            await source.refresh()
            assert source.meeting is None
            assert (server.requests, server.not_modified) == (3, 2)
            assert len(changes) == 2  # the meeting, then none; the 304s changed nothing
        finally:
            await source.close()
            await server.close()

    run(main())


def test_a_failing_feed_is_one_problem_and_the_last_good_copy_stays_in_use(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)

    async def main() -> None:
        server = await served()
        clock = FakeClock(IN_MEETING - timedelta(hours=1))
        source = CalendarSource(Feed(FeedLocation.parse(server.url), FeedCache(tmp_path)), clock=clock, local=BERLIN)
        problems: list[object] = []
        source.on_change(
            lambda: problems.append(source.problem) if source.problem != (problems or [None])[-1] else None
        )
        try:
            await source.refresh()
            assert source.problem is None
            server.mode = "error"
            for _ in range(3):
                clock.now += timedelta(minutes=5)
                await source.refresh()
            problem = source.problem
            assert problem is not None and problem.kind is ProblemKind.REFUSED and problem.status == 500
            assert problem.last_good == IN_MEETING - timedelta(hours=1)
            assert problem.since == IN_MEETING - timedelta(minutes=55)  # the first failure
            assert len(problems) == 1  # said once, not once per try
            warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("tray_app")]
            assert len(warnings) == 1
            # The copy from before the failure still knows the meeting.
            clock.now = IN_MEETING
            await source.refresh()
            assert source.meeting is not None and source.meeting.title == "Team sync"
            assert "HTTP 500" in problem_line(source.problem, clock.now, BERLIN)
            # Working again: the problem goes (one more change), and the 304 confirms the copy.
            server.mode = "ok"
            await source.refresh()
            assert source.problem is None
            assert server.not_modified == 1
        finally:
            await source.close()
            await server.close()

    run(main())


def test_a_body_that_is_no_calendar_is_a_clear_error_and_never_replaces_the_copy(tmp_path: Path) -> None:
    async def main() -> None:
        server = await served()
        feed = Feed(FeedLocation.parse(server.url), FeedCache(tmp_path))
        source = CalendarSource(feed, clock=FakeClock(IN_MEETING), local=BERLIN)
        try:
            await source.refresh()
            good = feed.kept
            server.mode = "garbage"
            with pytest.raises(FeedNotCalendar, match="not an iCalendar file"):
                await feed.fetch()
            await source.refresh()
            assert source.problem is not None and source.problem.kind is ProblemKind.NOT_CALENDAR
            assert feed.kept == good
            assert FeedCache(tmp_path).load(feed.location) == good
            assert source.meeting is not None
            # A body that starts like a calendar but is broken inside: the same, from the parser.
            server.mode = "ok"
            server.publish(b"BEGIN:VCALENDAR\r\nno content line here\r\n", datetime(2026, 10, 27, tzinfo=UTC))
            await source.refresh()
            assert source.problem is not None and source.problem.kind is ProblemKind.NOT_CALENDAR
            assert feed.kept == good
        finally:
            await source.close()
            await server.close()

    run(main())


def test_the_kept_copy_is_private_and_used_at_the_next_start_before_any_answer(tmp_path: Path) -> None:
    async def main() -> None:
        server = await served()
        location = FeedLocation.parse(server.url)
        first = CalendarSource(Feed(location, FeedCache(tmp_path)), clock=FakeClock(IN_MEETING), local=BERLIN)
        await first.refresh()
        await first.close()
        await server.close()  # the feed is gone at the next start
        for path in [tmp_path, *tmp_path.iterdir()]:
            mode = stat.S_IMODE(os.stat(path).st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
        second = CalendarSource(Feed(location, FeedCache(tmp_path)), clock=FakeClock(IN_MEETING), local=BERLIN)
        await second.start()
        try:
            assert second.meeting is not None  # before any answer
            await until(lambda: second.problem is not None, "the first fetch failed")
            assert second.meeting is not None and second.meeting.title == "Team sync"
            assert second.problem is not None and second.problem.kind is ProblemKind.UNREACHABLE
            # Another address does not get this address's copy.
            other = Feed(FeedLocation.parse(server.url + "&other"), FeedCache(tmp_path))
            assert other.kept is None
        finally:
            await second.close()

    run(main())


def test_the_address_never_appears_in_logs_errors_or_files(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []

    async def main() -> None:
        server = await served()
        location = FeedLocation.parse(server.url)
        source = CalendarSource(Feed(location, FeedCache(tmp_path)), clock=FakeClock(IN_MEETING), local=BERLIN)
        try:
            await source.refresh()
            for mode in ("error", "garbage"):
                server.mode = mode
                await source.refresh()
                try:
                    await source.feed.fetch()
                except (FeedRefused, FeedNotCalendar) as e:
                    seen.extend([str(e), repr(e)])
            seen.extend([repr(location), repr(source.feed.kept), repr(source.problem)])
            seen.append(problem_line(source.problem, IN_MEETING))
        finally:
            await source.close()
            await server.close()
        # Nobody answers now (the port is closed): the network error's text holds the URL.
        gone = CalendarSource(Feed(location, FeedCache(tmp_path)), clock=FakeClock(IN_MEETING), local=BERLIN)
        try:
            await gone.refresh()
            with pytest.raises(FeedUnreachable) as caught:
                await gone.feed.fetch()
            seen.extend([str(caught.value), repr(caught.value), repr(caught.value.__cause__)])
            assert caught.value.__cause__ is None and caught.value.__suppress_context__
        finally:
            await gone.close()

    run(main())
    assert caplog.records, "the paths above log something"
    assert SECRET_TOKEN not in caplog.text
    for text in seen:
        assert SECRET_TOKEN not in text, text
    for path in tmp_path.rglob("*"):
        assert SECRET_TOKEN.encode() not in path.read_bytes(), path


def test_a_local_file_is_read_and_an_unchanged_one_is_not_parsed_again(tmp_path: Path) -> None:
    async def main() -> None:
        path = tmp_path / "My calendar.ics"
        path.write_bytes(calendar(WEEKLY, MOVED))
        for text in (str(path), path.as_uri()):
            feed = Feed(FeedLocation.parse(text))
            fetched = await feed.fetch()
            assert fetched is not None
            feed.keep(fetched, IN_MEETING)
            assert await feed.fetch() is None
            assert feed.location.redacted == "My calendar.ics"
        path.unlink()
        with pytest.raises(FeedUnreachable, match="is not there"):
            await Feed(FeedLocation.parse(str(path))).fetch()

    run(main())


def test_the_loop_wakes_at_the_meetings_start_by_the_injected_clock(tmp_path: Path) -> None:
    """No refresh is due (an hour apart): the meeting is found by the timer to the next event
    boundary alone, and a wall clock that jumps (a wake from sleep) fetches at once."""

    async def main() -> None:
        server = await served()
        clock = FakeClock(IN_MEETING - timedelta(minutes=31))
        source = CalendarSource(
            Feed(FeedLocation.parse(server.url), FeedCache(tmp_path)),
            clock=clock,
            local=BERLIN,
            refresh_every=3600,
            check_every=0.01,
            wake_jump=3600,
        )
        began = asyncio.Event()
        source.on_change(lambda: began.set() if source.meeting else None)
        try:
            await source.start()
            await until(lambda: source.refreshes == 1 and source.feed.kept is not None, "the first fetch")
            assert source.meeting is None and server.requests == 1
            clock.now += timedelta(minutes=30)  # 14:29 Berlin: the meeting runs
            await asyncio.wait_for(began.wait(), 10)
            assert source.meeting is not None and source.meeting.title == "Team sync"
            assert server.requests == 1
            clock.now += timedelta(hours=2)  # "the lid was closed for two hours"
            for _ in range(500):
                if server.requests == 2:
                    break
                await asyncio.sleep(0.01)
            assert server.requests == 2
        finally:
            await source.close()
            await server.close()

    run(main())


def test_a_slow_feed_never_holds_back_a_meetings_start(tmp_path: Path) -> None:
    async def main() -> None:
        server = await served()
        clock = FakeClock(IN_MEETING - timedelta(minutes=60))
        source = CalendarSource(
            Feed(FeedLocation.parse(server.url), FeedCache(tmp_path)),
            clock=clock,
            local=BERLIN,
            refresh_every=60,
            check_every=0.01,
            wake_jump=24 * 3600,
        )
        try:
            await source.start()
            await until(lambda: source.feed.kept is not None, "the first fetch")
            server.delay = 30.0  # every answer from now on takes 30 s
            clock.now = IN_MEETING  # a refresh is due, and the meeting runs
            await until(lambda: source.meeting is not None, "the meeting, while the fetch hangs")
            assert (server.requests, server.answered) == (2, 1)
        finally:
            await source.close()
            await server.close()

    run(main())


def test_a_wake_during_a_hung_fetch_starts_a_new_one_and_the_loop_never_spins(tmp_path: Path) -> None:
    async def main() -> None:
        server = await served()
        clock = FakeClock(IN_MEETING - timedelta(hours=5))
        source = CalendarSource(
            Feed(FeedLocation.parse(server.url), FeedCache(tmp_path)),
            clock=clock,
            local=BERLIN,
            refresh_every=60,
            check_every=0.05,
            wake_jump=3600,
        )
        looks = 0
        real_update = source.update

        async def counted_update() -> None:
            nonlocal looks
            looks += 1
            await real_update()

        source.update = counted_update  # type: ignore[method-assign]
        try:
            await source.start()
            await until(lambda: source.feed.kept is not None, "the first fetch")
            server.delay = 30.0
            clock.now += timedelta(minutes=2)  # a refresh is due: its answer hangs
            await until(lambda: server.requests == 2, "the second fetch")
            clock.now += timedelta(hours=2)  # the lid was closed meanwhile
            await until(lambda: server.requests == 3, "a fetch after the wake")
            looks_before = looks
            await asyncio.sleep(0.5)
            # One look per check (0.05 s), not a loop that spins while the fetch hangs.
            assert looks - looks_before < 30, looks - looks_before
        finally:
            await source.close()
            await server.close()

    run(main())


def test_the_same_body_under_a_new_etag_takes_the_new_etag(tmp_path: Path) -> None:
    async def main() -> None:
        server = await served()
        feed = Feed(FeedLocation.parse(server.url), FeedCache(tmp_path))
        try:
            first = await feed.fetch()
            assert first is not None
            feed.keep(first, IN_MEETING)
            server.etag_salt = "2"  # the same calendar, a new ETag (and the old one no longer matches)
            assert await feed.fetch() is None  # unchanged: not parsed again
            assert await feed.fetch() is None
            assert (server.requests, server.not_modified) == (3, 1)  # the third was a 304
            assert FeedCache(tmp_path).load(feed.location).etag == server.etag
        finally:
            await feed.close()
            await server.close()

    run(main())
