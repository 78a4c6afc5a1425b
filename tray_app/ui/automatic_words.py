"""What drives automatic presence, in words (Qt-free): "Automatic: Busy (do not disturb)",
"Automatic: Busy — Team sync until 15:00", and the plain word where the account's server has
no Busy for it. The idle and lock lines keep their own words (`AutoPresence.text`)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from tray_app.automatic import Driver, Reason
from tray_app.durations import format_end
from tray_app.translation import translate


def driver_text(driver: Driver, fallback: str, now: datetime | None = None, tz: tzinfo | None = None) -> str:
    """The line for the driver that decides; `fallback` (the idle policy's own line) for the
    desktop's idle and lock, which say it best."""
    state = driver.state.label
    if driver.reason is Reason.DO_NOT_DISTURB:
        return translate("AutoPresence", "Automatic: {state} (do not disturb)").format(state=state)
    if driver.reason is Reason.MEETING:
        what = driver.label or translate("AutoPresence", "in a meeting")
        if driver.until is not None:
            end = format_end(driver.until, now or datetime.now(UTC), tz)
            return translate("AutoPresence", "Automatic: {state} — {what} until {end}").format(
                state=state, what=what, end=end
            )
        return translate("AutoPresence", "Automatic: {state} — {what}").format(state=state, what=what)
    return fallback


def no_busy_note(line: str, skipped: Driver) -> str:
    """The line of an account whose server has no Busy for automatic presence while a source
    asks for Busy: said plainly, after what holds instead."""
    if skipped.reason is Reason.MEETING:
        return translate("AutoPresence", "{automatic} — in a meeting: no Busy here").format(automatic=line)
    return translate("AutoPresence", "{automatic} — do not disturb: no Busy here").format(automatic=line)


def goes_out(line: str) -> str:
    """An account's line while its session holds the change back (one per 30 s per account)."""
    return translate("AutoPresence", "{automatic}, goes out within 30 s").format(automatic=line)


def busy_when_do_not_disturb() -> str:
    return translate("AutoPresence", "When do not disturb is on: Busy")


def idle_or_locked() -> str:
    return translate("AutoPresence", "When I'm idle or locked")


def busy_when_do_not_disturb_not_here(several: bool) -> str:
    """The same choice, greyed, where no signed-in account's server has Busy for it."""
    if several:
        return translate("AutoPresence", "When do not disturb is on: Busy (none of these servers has Busy)")
    return translate("AutoPresence", "When do not disturb is on: Busy (this server has no Busy)")
