"""The status message apart from the state, without a server: presets, the recent messages
(kept per account in the settings), when "Clear after" ends, the message's own timer on an
injected wall clock, and what the menu offers per server."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tray_app import translation
from tray_app.messages import (
    RECENT_LIMIT,
    ClearAfter,
    message_until,
    presets,
    recent_choices,
    remember_recent,
)
from tray_app.session import SessionTimings
from tray_app.session.message import StatusMessages
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.settings import AccountSettings, Settings, TimedMessage
from tray_app.states import Override, PresenceState
from tray_app.ui.message_words import message_item, message_line

USER = "@alice:localhost"
BERLIN = ZoneInfo("Europe/Berlin")


# -- presets and recent messages --------------------------------------------------------------


def test_presets_are_a_few_and_go_through_the_translator():
    assert presets() == ("In a meeting", "Commuting", "Out sick", "On holiday", "Focusing")
    seen = []
    translation.install(lambda ctx, src, dis, n: seen.append(ctx) or src.upper())
    try:
        assert presets()[0] == "IN A MEETING"
        assert ClearAfter.TODAY.label == "TODAY"
    finally:
        translation.install(None)
    assert set(seen) == {"Message", "ClearAfter"}


def test_recent_messages_are_newest_first_once_each_and_at_most_five():
    recent: tuple[str, ...] = ()
    for msg in ("a", "b", "  a ", "", "c", "d", "e", "f", "g"):
        recent = remember_recent(recent, msg)
    assert recent == ("g", "f", "e", "d", "c")
    assert len(recent) == RECENT_LIMIT
    assert remember_recent(("x", "y"), "   ") == ("x", "y")  # clearing is not a message to offer


def test_the_dialog_lists_a_preset_once():
    assert recent_choices(("At lunch", "In a meeting", "Back at 3"), presets()) == ("At lunch", "Back at 3")


def test_recent_messages_and_the_running_clear_after_are_kept_in_the_settings(tmp_path):
    settings = Settings.load(tmp_path / "settings.json")
    until = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    settings.update_account(
        USER, lambda a: replace(a, recent_messages=("At lunch",), timed_message=TimedMessage("At lunch", until))
    )
    entry = json.loads((tmp_path / "settings.json").read_text())["account_state"][USER]
    assert entry["recent_messages"] == ["At lunch"]
    assert entry["timed_message"] == {"msg": "At lunch", "until": "2026-12-07T09:30:00+00:00"}
    again = Settings.load(tmp_path / "settings.json").account(USER)
    assert again.recent_messages == ("At lunch",) and again.timed_message == TimedMessage("At lunch", until)
    # A form this version cannot read is dropped, not a crash.
    broken = AccountSettings.from_json({"recent_messages": "no list", "timed_message": {"msg": "x", "until": "9"}})
    assert broken.recent_messages == () and broken.timed_message is None
    assert broken.unreadable == {"recent_messages", "timed_message"}


# -- when "Clear after" ends --------------------------------------------------------------------


def test_clear_after_ends():
    now = datetime(2026, 12, 9, 15, 10, tzinfo=UTC)  # a Wednesday, 16:10 in Berlin
    assert message_until(ClearAfter.NEVER, now, BERLIN) is None
    assert message_until(ClearAfter.MINUTES_30, now, BERLIN) == now + timedelta(minutes=30)
    assert message_until(ClearAfter.HOUR_1, now, BERLIN) == now + timedelta(hours=1)
    # Today: the next local midnight; this week: the midnight that starts Monday.
    assert message_until(ClearAfter.TODAY, now, BERLIN) == datetime(2026, 12, 9, 23, 0, tzinfo=UTC)
    assert message_until(ClearAfter.THIS_WEEK, now, BERLIN) == datetime(2026, 12, 13, 23, 0, tzinfo=UTC)
    sunday_late = datetime(2026, 12, 13, 22, 30, tzinfo=UTC)  # 23:30 on Sunday in Berlin
    assert message_until(ClearAfter.THIS_WEEK, sunday_late, BERLIN) == datetime(2026, 12, 13, 23, 0, tzinfo=UTC)
    monday = datetime(2026, 12, 14, 7, 0, tzinfo=UTC)
    assert message_until(ClearAfter.THIS_WEEK, monday, BERLIN) == datetime(2026, 12, 20, 23, 0, tzinfo=UTC)
    # Across the clocks going forward (29 March 2026 in Berlin): midnight is still midnight.
    assert message_until(ClearAfter.TODAY, datetime(2026, 3, 29, 12, 0, tzinfo=UTC), BERLIN) == datetime(
        2026, 3, 29, 22, 0, tzinfo=UTC
    )
    with pytest.raises(ValueError):
        message_until(ClearAfter.TODAY, datetime(2026, 12, 9, 15, 10))


# -- the message's own timer ------------------------------------------------------------------


class Account:
    """What StatusMessages needs of a session: its state, and a message-only set that records."""

    def __init__(self, tmp_path) -> None:
        self.now = datetime.now(UTC) + timedelta(days=3)  # far from the real clock
        self.settings = Settings.load(tmp_path / "settings.json")
        self.settings.add_account(USER)
        self.state = SessionState(
            user_id=USER, homeserver="http://127.0.0.1:9", connection=Connection.CONNECTED, message_alone=True
        )
        self.sets: list[str] = []
        timings = replace(SessionTimings(), wall_clock=lambda: self.now, timed_check_every=0.001)
        self.messages = StatusMessages(
            USER,
            settings=self.settings,
            timings=timings,
            retry_delay=lambda attempt: 0.0,
            state=lambda: self.state,
            publish=self.publish,
            set_message=self.set_message,
            is_closed=lambda: False,
        )

    def publish(self, **changes) -> None:
        self.state = self.state.evolve(**changes)
        self.messages.follow(self.state)

    async def set_message(self, text: str) -> SessionState:
        self.sets.append(text)
        self.publish(status_msg=text or None)
        return self.state


async def _turns(n: int = 20) -> None:
    for _ in range(n):
        await asyncio.sleep(0.002)


def test_a_message_clears_when_its_time_is_up_and_not_before(tmp_path):
    async def main():
        acct = Account(tmp_path)
        await acct.messages.set("  Out sick ", acct.now + timedelta(minutes=30))
        assert acct.sets == ["Out sick"] and acct.state.message_until is not None
        acct.now += timedelta(minutes=29)
        await _turns()
        assert acct.sets == ["Out sick"]
        acct.now += timedelta(minutes=2)
        await asyncio.wait_for(acct.messages.task, 5)
        assert acct.sets == ["Out sick", ""]
        assert acct.state.status_msg is None and acct.state.message_until is None
        assert acct.settings.account(USER).timed_message is None
        assert acct.messages.recent() == ("Out sick",)

    asyncio.run(main())


def test_a_message_changed_elsewhere_keeps_no_end_of_ours(tmp_path):
    async def main():
        acct = Account(tmp_path)
        await acct.messages.set("Focusing", acct.now + timedelta(hours=1))
        acct.publish(status_msg="Changed on my phone")  # a sync brings another device's message
        assert acct.state.message_until is None and acct.settings.account(USER).timed_message is None
        acct.now += timedelta(hours=2)
        await _turns()
        assert acct.sets == ["Focusing"] and acct.state.status_msg == "Changed on my phone"

    asyncio.run(main())


def test_a_clear_after_that_ran_out_while_closed_clears_at_the_next_start(tmp_path):
    async def main():
        acct = Account(tmp_path)
        until = acct.now - timedelta(minutes=5)
        acct.settings.update_account(USER, lambda a: replace(a, timed_message=TimedMessage("At lunch", until)))
        acct.state = acct.state.evolve(status_msg="At lunch")
        acct.messages.resume()
        await asyncio.wait_for(acct.messages.task, 5)
        assert acct.sets == [""] and acct.state.message_until is None

    asyncio.run(main())


def test_setting_without_an_end_or_clearing_drops_the_end(tmp_path):
    async def main():
        acct = Account(tmp_path)
        await acct.messages.set("Commuting", acct.now + timedelta(minutes=30))
        await acct.messages.set("Commuting", None)
        assert acct.state.message_until is None and acct.settings.account(USER).timed_message is None
        await acct.messages.set("", acct.now + timedelta(minutes=30))  # clearing has no end
        assert acct.state.message_until is None and acct.messages.recent() == ("Commuting",)

    asyncio.run(main())


# -- what the menu offers -----------------------------------------------------------------------


def _state(**kw) -> SessionState:
    base = dict(user_id=USER, homeserver="https://example.org", connection=Connection.CONNECTED)
    base.update(kw)
    return SessionState(**base)


def test_the_menu_offers_a_message_without_a_state_where_the_server_keeps_one():
    alone = _state(api=ApiMode.MSC4532, status_msg_supported=True, message_alone=True)
    assert message_item(alone, held=False) == ("Status message…", True)
    # Stock Synapse (emulated), MSC4043 without MSC4532: said plainly, not offered.
    for api, supported in ((ApiMode.EMULATED, True), (ApiMode.STABLE, True)):
        tied = _state(api=api, status_msg_supported=supported)
        assert message_item(tied, held=False) == ("Status message… (this server keeps one only with a state)", False)
        assert message_item(tied, held=True) == ("Status message…", True)
    none = _state(api=ApiMode.STABLE, status_msg_supported=False)
    assert message_item(none, held=True) == ("Status message… (this server doesn't keep one)", False)
    # Not before the first read.
    assert not message_item(_state(api=ApiMode.UNKNOWN, message_alone=True), held=False)[1]
    assert not message_item(alone.evolve(unconfirmed=True), held=False)[1]


def test_the_message_line_and_the_headline():
    now = datetime(2026, 12, 9, 15, 10, tzinfo=UTC)
    s = _state(
        api=ApiMode.MSC4532,
        override=Override(PresenceState.UNAVAILABLE, "unavailable"),
        status_msg="In a meeting",
        message_until=datetime(2026, 12, 9, 15, 40, tzinfo=UTC),
    )
    assert message_line(s, now, UTC) == "Status message: “In a meeting” — clears at 15:40"
    assert message_line(s.evolve(message_until=None), now, UTC) == "Status message: “In a meeting”"
    assert message_line(s.evolve(status_msg=None), now, UTC) is None


def test_the_menu_of_an_account_with_a_message_and_a_message_on_its_way():
    from tray_app.session_state import Pending
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.tooltip import tooltip
    from tray_app.ui.view_model import AppSnapshot, ClearStatusMessage, EditStatusMessage

    now = datetime(2026, 12, 9, 15, 10, tzinfo=UTC)
    away = Override(PresenceState.UNAVAILABLE, "unavailable")
    s = _state(api=ApiMode.MSC4532, status_msg_supported=True, message_alone=True, status_msg="In a meeting")
    model = build_menu(AppSnapshot((s,), autostart=None), now, UTC)
    p = f"acct:{USER}:"
    assert model.find(p + "statusmsg").enabled and model.find(p + "statusmsg").action == EditStatusMessage(USER)
    clear = model.find(p + "clearmsg")
    assert clear.visible and clear.text == "Clear message" and clear.action == ClearStatusMessage(USER)
    assert model.headline is not None and model.headline.state == "No override (automatic)"  # the message: its own line
    assert (
        not build_menu(AppSnapshot((s.evolve(status_msg=None),), autostart=None), now, UTC).find(p + "clearmsg").visible
    )

    # Only the message on its way: the held state is not "setting…", the tooltip says what is.
    held = s.evolve(override=away, pending=Pending(PresenceState.UNAVAILABLE, "Back soon", message_only=True))
    model = build_menu(AppSnapshot((held,), autostart=None), now, UTC)
    assert model.find(p + "state:unavailable").text == "Away"
    assert "Setting the status message…" in tooltip([held], now, UTC)
    assert "Setting Away…" not in tooltip([held], now, UTC)
