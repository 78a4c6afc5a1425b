"""The window's headline and the greyed lines say each thing once, plainly (issue 19's
screenshot review), built from SessionState snapshots, offscreen, no server."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.menu_content import build_menu
from tray_app.ui.view_model import AppSnapshot, MenuModel

pytestmark = pytest.mark.ui

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
ADA = SessionState(
    user_id="@ada:example.org",
    homeserver="https://example.org",
    api=ApiMode.STABLE,
    connection=Connection.CONNECTED,
    status_msg_supported=True,
    override=Override(PresenceState.BUSY, "busy"),
    presence="busy",
)


def _menu(*accounts: SessionState) -> MenuModel:
    return build_menu(AppSnapshot(accounts, autostart=False), NOW, UTC)


def _shown(model: MenuModel) -> list[str]:
    """The texts the window shows below its headline (the line the headline repeats left out)."""
    assert model.headline is not None
    return [i.text for i in model.walk() if i.visible and i.text and i.key != model.headline.repeats]


def test_the_headline_says_the_state_and_its_end_the_message_has_its_own_line():
    busy = dataclasses.replace(
        ADA, status_msg="In a meeting until 3", override_until=NOW + timedelta(hours=3), message_until=None
    )
    model = _menu(busy)
    assert model.headline is not None
    assert model.headline.state == "Busy — until 15:00"
    said = [model.headline.state, model.headline.seen, *_shown(model)]
    assert sum("In a meeting until 3" in t for t in said) == 1, said


def test_a_signed_out_account_is_said_once():
    model = _menu(dataclasses.replace(ADA, connection=Connection.SIGNED_OUT))
    assert model.headline is not None
    assert model.headline.state == "Signed out — sign in again"
    assert "Signed out — sign in again" not in _shown(model)


def test_several_accounts_are_counted_by_what_others_see():
    """ "10 accounts: 3 Online, 5 Away, 2 Busy": automatic merged into its state (each account's
    line keeps "(automatic)"), each state once, the number of accounts said."""
    states = [PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.BUSY] * 3
    accounts = [
        dataclasses.replace(ADA, user_id=f"@u{i}:example.org", override=Override(st, st.value), presence=st.value)
        for i, st in enumerate(states)
    ]
    accounts[4] = dataclasses.replace(accounts[4], override=None, presence="unavailable")  # Away (automatic)
    accounts.append(dataclasses.replace(ADA, user_id="@u9:example.org", override=None, presence="unavailable"))
    model = _menu(*accounts)
    assert model.headline is not None
    assert model.headline.state == "10 accounts: 3 Online, 4 Away, 3 Busy"
    assert model.find("acct:@u9:example.org").text == "@u9:example.org — Away (automatic)"


def test_disabled_says_nothing_is_shared():
    model = _menu(dataclasses.replace(ADA, override=Override(PresenceState.DISABLED, "disabled"), presence=None))
    assert model.headline is not None
    assert (model.headline.state, model.headline.seen) == ("Disabled", "Others see no presence")


def test_an_unreachable_server_is_said_in_the_headline():
    model = _menu(dataclasses.replace(ADA, override=None, presence="online", connection=Connection.DISCONNECTED))
    assert model.headline is not None
    assert model.headline.state == "No override (automatic)"
    assert model.headline.seen.startswith("Can't reach the server")
    shown = _shown(model)
    assert not any(t.startswith("Can't reach the server") for t in shown), shown  # said once
    assert "Others see you as: Online" in shown  # (what others saw: under the account)


def test_the_pending_automatic_change_is_said_plainly_and_not_while_unreachable():
    from tray_app.automatic import Driver, Reason
    from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
    from tray_app.ui.idle_menu import IdleMenuState, automatic_lines

    active = AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE, 3)
    dnd = IdleMenuState(
        True,
        active,
        IdlePolicy(),
        driving=Driver(Reason.DO_NOT_DISTURB, PresenceState.BUSY),
        driving_without_busy=Driver(Reason.ACTIVE, PresenceState.ONLINE),
        busy_when_dnd=True,
    )
    held_back = dataclasses.replace(ADA, override=None, automatic_busy=True, automatic=PresenceState.ONLINE)
    line = automatic_lines(dnd, (held_back,))[0]
    assert line == "Automatic: Busy (do not disturb), goes out within 30 s"
    unreachable = dataclasses.replace(held_back, connection=Connection.DISCONNECTED, automatic=None)
    plain = IdleMenuState(True, active, IdlePolicy())
    assert automatic_lines(plain, (unreachable,))[0] == "Automatic: Online"  # no send it cannot make
