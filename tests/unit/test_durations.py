"""The end time of a timed override, and the remaining-time text the menu shows."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tray_app.durations import (
    Duration,
    describe_remaining,
    format_end,
    format_remaining,
    next_morning,
    remaining,
    until_for,
)

UTC = UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(tz, *args) -> datetime:
    return datetime(*args, tzinfo=tz)


def test_until_changed_has_no_end():
    assert until_for(Duration.UNTIL_CHANGED, at(UTC, 2025, 3, 1, 12, 0)) is None


@pytest.mark.parametrize(
    "duration, delta",
    [
        (Duration.MINUTES_30, timedelta(minutes=30)),
        (Duration.HOUR_1, timedelta(hours=1)),
        (Duration.HOURS_4, timedelta(hours=4)),
    ],
)
def test_fixed_spans_are_elapsed_time(duration, delta):
    now = at(BERLIN, 2025, 6, 1, 12, 0)
    end = until_for(duration, now, BERLIN)
    assert end - now == delta
    assert end.tzinfo == UTC


def test_one_hour_across_the_spring_forward_is_still_3600_seconds():
    # Berlin, 2025-03-30: 02:00 local jumps to 03:00.
    now = at(BERLIN, 2025, 3, 30, 1, 30)
    end = until_for(Duration.HOUR_1, now, BERLIN)
    assert (end - now).total_seconds() == 3600
    assert end.astimezone(BERLIN).hour == 3  # 01:30 + 1 h of real time shows as 03:30


def test_tomorrow_morning_in_the_evening_is_next_day_eight():
    now = at(BERLIN, 2025, 6, 1, 23, 0)
    end = until_for(Duration.TOMORROW_MORNING, now, BERLIN)
    assert end.astimezone(BERLIN) == at(BERLIN, 2025, 6, 2, 8, 0)
    assert end.tzinfo == UTC


def test_tomorrow_morning_after_midnight_is_the_same_day_eight():
    now = at(BERLIN, 2025, 6, 2, 2, 0)
    assert until_for(Duration.TOMORROW_MORNING, now, BERLIN).astimezone(BERLIN) == at(BERLIN, 2025, 6, 2, 8, 0)


def test_tomorrow_morning_at_eight_sharp_is_the_next_day():
    now = at(BERLIN, 2025, 6, 2, 8, 0)
    assert next_morning(now, BERLIN).astimezone(BERLIN) == at(BERLIN, 2025, 6, 3, 8, 0)


def test_tomorrow_morning_one_minute_before_eight_is_today():
    now = at(BERLIN, 2025, 6, 2, 7, 59)
    assert next_morning(now, BERLIN) - now == timedelta(minutes=1)


def test_tomorrow_morning_across_a_dst_night_is_eight_on_the_wall_clock():
    # The night the clocks go back (Berlin 2025-10-26): 22:00 -> 08:00 is 11 hours of real time.
    now = at(BERLIN, 2025, 10, 25, 22, 0)
    end = next_morning(now, BERLIN)
    assert end.astimezone(BERLIN).time() == time(8, 0)
    assert end - now == timedelta(hours=11)
    # And the night they go forward: 9 hours.
    now = at(BERLIN, 2025, 3, 29, 22, 0)
    assert next_morning(now, BERLIN) - now == timedelta(hours=9)


def test_tomorrow_morning_uses_the_local_date_not_the_utc_date():
    # 21:00 in New York is already the next day in UTC; the answer is still 08:00 New York, next day.
    now = at(NEW_YORK, 2025, 6, 1, 21, 0)
    assert now.astimezone(UTC).day == 2
    assert next_morning(now, NEW_YORK).astimezone(NEW_YORK) == at(NEW_YORK, 2025, 6, 2, 8, 0)
    # The same instant expressed in UTC gives the same answer.
    assert next_morning(now.astimezone(UTC), NEW_YORK) == next_morning(now, NEW_YORK)


def test_system_local_zone_is_used_without_tz(monkeypatch):
    import time as time_mod

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time_mod.tzset()
    try:
        now = at(UTC, 2025, 6, 1, 0, 0)  # 09:00 in Tokyo
        end = until_for(Duration.TOMORROW_MORNING, now)
        assert end == at(UTC, 2025, 6, 1, 23, 0)  # 08:00 Tokyo on 2 June
    finally:
        monkeypatch.undo()
        time_mod.tzset()


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        until_for(Duration.HOUR_1, datetime(2025, 6, 1, 12, 0))


def test_remaining_never_negative_and_none_without_end():
    now = at(UTC, 2025, 6, 1, 12, 0)
    assert remaining(None, now) is None
    assert remaining(now - timedelta(seconds=5), now) == timedelta(0)
    assert remaining(now + timedelta(minutes=7), now) == timedelta(minutes=7)


@pytest.mark.parametrize(
    "left, text",
    [
        (timedelta(0), "less than a minute"),
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(seconds=60), "1 min"),
        (timedelta(seconds=61), "2 min"),
        (timedelta(minutes=23), "23 min"),
        (timedelta(minutes=59, seconds=30), "1 h"),
        (timedelta(hours=1, minutes=5), "1 h 05 min"),
        (timedelta(hours=9), "9 h"),
    ],
)
def test_format_remaining(left, text):
    assert format_remaining(left) == text


def test_format_end_same_day_tomorrow_and_later():
    now = at(BERLIN, 2025, 6, 2, 13, 0)
    assert format_end(at(BERLIN, 2025, 6, 2, 14, 5), now, BERLIN) == "14:05"
    assert format_end(at(BERLIN, 2025, 6, 3, 8, 0), now, BERLIN) == "tomorrow 08:00"
    assert format_end(at(BERLIN, 2025, 6, 9, 9, 30), now, BERLIN) == "Mon 09 Jun 09:30"


def test_describe_remaining():
    now = at(BERLIN, 2025, 6, 2, 13, 0)
    assert describe_remaining(None, now, BERLIN) is None
    until = until_for(Duration.MINUTES_30, now, BERLIN)
    assert describe_remaining(until, now, BERLIN) == "ends in 30 min (13:30)"
