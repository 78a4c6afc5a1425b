"""tray_app.calendar.schedule: which meeting makes the person busy at a moment.

The calendar is written here as a Nextcloud or Thunderbird export would have it: a VTIMEZONE for
Europe/Berlin, a weekly meeting across the last Sunday of October (CEST → CET on 2026-10-25),
one instance excluded (EXDATE), one moved (RECURRENCE-ID), and events that must not count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.calendar_feeds import MOVED, WEEKLY, calendar
from tray_app.calendar.schedule import CalendarUnreadable, Meeting, Timeline, parse

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def meeting_at(data: bytes, when: datetime) -> Meeting | None:
    return Timeline.build(parse(data), when.astimezone(UTC), local=BERLIN).meeting_at(when.astimezone(UTC))


def test_a_weekly_meeting_is_busy_at_its_local_time_on_both_sides_of_the_dst_change() -> None:
    data = calendar(WEEKLY, MOVED)
    # Before the change (CEST, UTC+2) 14:00 Berlin is 12:00 UTC; after it (CET, UTC+1), 13:00 UTC.
    before = meeting_at(data, berlin(2026, 10, 14, 14, 30))
    after = meeting_at(data, berlin(2026, 10, 28, 14, 30))
    assert before == Meeting(
        datetime(2026, 10, 14, 12, 0, tzinfo=UTC), datetime(2026, 10, 14, 13, 0, tzinfo=UTC), "Team sync"
    )
    assert after == Meeting(
        datetime(2026, 10, 28, 13, 0, tzinfo=UTC), datetime(2026, 10, 28, 14, 0, tzinfo=UTC), "Team sync"
    )
    # Hand-made UTC arithmetic (the first instance's UTC time plus whole weeks) would say 12:00
    # UTC after the change: that is 13:00 Berlin, when the person is free.
    assert meeting_at(data, berlin(2026, 10, 28, 13, 30)) is None
    assert meeting_at(data, datetime(2026, 10, 28, 12, 30, tzinfo=UTC)) is None


def test_an_excluded_instance_is_free_and_a_moved_one_is_busy_at_its_new_time() -> None:
    data = calendar(WEEKLY, MOVED)
    assert meeting_at(data, berlin(2026, 10, 21, 14, 30)) is None  # EXDATE
    assert meeting_at(data, berlin(2026, 11, 4, 14, 30)) is None  # moved away from here …
    moved = meeting_at(data, berlin(2026, 11, 4, 16, 30))  # … to here, with its own title
    assert moved is not None and moved.title == "Team sync (moved)"
    assert moved.end == berlin(2026, 11, 4, 17, 0)
    assert meeting_at(data, berlin(2026, 11, 11, 14, 30)) is not None  # the series goes on
    assert meeting_at(data, berlin(2026, 11, 25, 14, 30)) is None  # COUNT=6 ended it on 18 Nov


def test_all_day_events_are_free_unless_they_say_opaque_themselves() -> None:
    data = calendar(
        "UID:holiday@test\nDTSTAMP:20261001T000000Z\nDTSTART;VALUE=DATE:20261029\nSUMMARY:Holiday",
        "UID:conf@test\nDTSTAMP:20261001T000000Z\nDTSTART;VALUE=DATE:20261030\nDTEND;VALUE=DATE:20261031\n"
        "TRANSP:OPAQUE\nSUMMARY:Conference",
    )
    assert meeting_at(data, berlin(2026, 10, 29, 11, 0)) is None
    conference = meeting_at(data, berlin(2026, 10, 30, 11, 0))
    # A date is the person's local day: midnight to midnight in Berlin.
    assert conference == Meeting(berlin(2026, 10, 30, 0, 0), berlin(2026, 10, 31, 0, 0), "Conference")


def test_cancelled_transparent_and_outlook_free_events_are_not_busy() -> None:
    data = calendar(
        "UID:c@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T100000\n"
        "DTEND;TZID=Europe/Berlin:20261029T110000\nSTATUS:CANCELLED\nSUMMARY:Called off",
        "UID:t@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T120000\n"
        "DTEND;TZID=Europe/Berlin:20261029T130000\nTRANSP:TRANSPARENT\nSUMMARY:Lunch (free)",
        "UID:o@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T150000\n"
        "DTEND;TZID=Europe/Berlin:20261029T160000\nTRANSP:OPAQUE\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\nSUMMARY:FYI",
        "UID:b@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T170000\n"
        "DTEND;TZID=Europe/Berlin:20261029T180000\nSTATUS:TENTATIVE\nSUMMARY:Maybe",
    )
    assert meeting_at(data, berlin(2026, 10, 29, 10, 30)) is None
    assert meeting_at(data, berlin(2026, 10, 29, 12, 30)) is None
    assert meeting_at(data, berlin(2026, 10, 29, 15, 30)) is None
    tentative = meeting_at(data, berlin(2026, 10, 29, 17, 30))
    assert tentative is not None and tentative.title == "Maybe"


def test_a_cancelled_instance_of_a_series_is_free() -> None:
    cancelled = MOVED.replace("SUMMARY:Team sync (moved)", "SUMMARY:Team sync\nSTATUS:CANCELLED")
    data = calendar(WEEKLY, cancelled)
    assert meeting_at(data, berlin(2026, 11, 4, 16, 30)) is None
    assert meeting_at(data, berlin(2026, 11, 4, 14, 30)) is None


def test_overlapping_and_touching_meetings_are_one_stretch_until_the_last_end() -> None:
    data = calendar(
        "UID:a@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T140000\n"
        "DTEND;TZID=Europe/Berlin:20261029T143000\nSUMMARY:Standup",
        "UID:b@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T143000\n"
        "DTEND;TZID=Europe/Berlin:20261029T150000\nSUMMARY:Review",
        "UID:c@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T144500\n"
        "DTEND;TZID=Europe/Berlin:20261029T153000\nSUMMARY:Interview",
        "UID:d@test\nDTSTAMP:20261001T000000Z\nDTSTART;TZID=Europe/Berlin:20261029T160000\n"
        "DTEND;TZID=Europe/Berlin:20261029T163000\nSUMMARY:Later",
    )
    stretch_end = berlin(2026, 10, 29, 15, 30)
    first = meeting_at(data, berlin(2026, 10, 29, 14, 10))
    assert first == Meeting(berlin(2026, 10, 29, 14, 0), stretch_end, "Standup")
    # The title is the meeting begun last of those running; the stretch stays one.
    assert meeting_at(data, berlin(2026, 10, 29, 14, 40)) == Meeting(berlin(2026, 10, 29, 14, 0), stretch_end, "Review")
    assert meeting_at(data, berlin(2026, 10, 29, 14, 50)) == Meeting(
        berlin(2026, 10, 29, 14, 0), stretch_end, "Interview"
    )
    assert meeting_at(data, berlin(2026, 10, 29, 15, 45)) is None  # the gap before "Later" is free


def test_next_change_is_the_next_event_boundary() -> None:
    data = calendar(WEEKLY, MOVED)
    now = berlin(2026, 10, 28, 10, 0).astimezone(UTC)
    timeline = Timeline.build(parse(data), now, local=BERLIN)
    start = timeline.next_change(now)
    assert start == berlin(2026, 10, 28, 14, 0)
    assert timeline.next_change(start + timedelta(minutes=1)) == berlin(2026, 10, 28, 15, 0)
    assert timeline.next_change(berlin(2026, 10, 28, 15, 0)) is None  # nothing more within the window


def test_a_floating_time_is_the_persons_local_time() -> None:
    data = calendar(
        "UID:f@test\nDTSTAMP:20261001T000000Z\nDTSTART:20261029T090000\nDTEND:20261029T100000\nSUMMARY:Float"
    )
    assert meeting_at(data, berlin(2026, 10, 29, 9, 30)) is not None
    assert meeting_at(data, datetime(2026, 10, 29, 9, 30, tzinfo=UTC)) is None  # 10:30 in Berlin


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><body>Sign in</body></html>",
        b'{"error": "not found"}',
        b"",
        b"BEGIN:VCALENDAR\r\nthis is no content line\r\n",
    ],
)
def test_what_is_no_calendar_is_said_plainly(body: bytes) -> None:
    with pytest.raises(CalendarUnreadable):
        parse(body)


def test_a_google_style_feed_keeps_its_local_time_by_x_wr_timezone() -> None:
    """Google writes UTC times and names the calendar's zone in X-WR-TIMEZONE: a weekly 14:00
    Berlin meeting stays at 14:00 Berlin after the DST change (13:00 UTC, not 12:00)."""
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/Berlin\r\nBEGIN:VEVENT\r\nUID:g@test\r\n"
        b"DTSTAMP:20261001T000000Z\r\nDTSTART:20261014T120000Z\r\nDTEND:20261014T130000Z\r\n"
        b"RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert meeting_at(data, datetime(2026, 10, 28, 12, 30, tzinfo=UTC)) is None
    assert meeting_at(data, datetime(2026, 10, 28, 13, 30, tzinfo=UTC)) is not None
