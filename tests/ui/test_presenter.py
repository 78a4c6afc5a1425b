"""The Qt-free mapping from session state to menu, icon, tooltip and notifications."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tray_app.durations import Duration
from tray_app.session_state import ApiMode, Connection, Pending, SessionEvent, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.presenter import (
    AppSnapshot,
    IconSpec,
    Kind,
    NotificationPolicy,
    SetState,
    build_menu,
    icon_key,
    icon_spec,
    parse_icon_key,
    tooltip,
)

pytestmark = pytest.mark.ui

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
UTC = UTC


def st(user="@a:hs", **kw) -> SessionState:
    base = dict(
        user_id=user,
        homeserver="https://hs",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        status_msg_supported=True,
    )
    base.update(kw)
    return SessionState(**base)


def ov(state: PresenceState) -> Override:
    return Override(state, state.value)


def visible_texts(model) -> list[str]:
    return [i.text for i in model.items if i.visible]


QT_FREE_CHECK = """
import sys
import tray_app.ui.presenter, tray_app.ui.controller, tray_app.durations, tray_app.matrix.sso
import tray_app.session, tray_app.accounts, tray_app.cli
from tray_app import cli
# The command line's commands run without Qt (only the no-command path starts the applet).
codes = [cli.main(argv) for argv in (["status"], ["set", "away"], ["autostart", "status"])]
qt = sorted({m.split(".")[0] for m in sys.modules} & {"PySide6", "shiboken6", "qasync"})
print(codes, qt)
"""


def test_presenter_controller_core_and_cli_import_no_qt(tmp_path):
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))  # no account: the commands stop early
    proc = subprocess.run([sys.executable, "-c", QT_FREE_CHECK], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # status and set: "not signed in" (3), having gone through the command path; autostart status: 0.
    assert proc.stdout.strip().splitlines()[-1] == "[3, 3, 0] []", (proc.stdout, proc.stderr)


def test_the_qt_free_check_would_see_qt():
    code = (
        "import sys, qasync; print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'shiboken6', 'qasync'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['PySide6', 'qasync', 'shiboken6']"


def test_single_account_menu_layout():
    m = build_menu(AppSnapshot((st(override=ov(PresenceState.UNAVAILABLE), presence="unavailable"),)), NOW, UTC)
    assert visible_texts(m) == [
        "@a:hs",
        "Server override (MSC4043)",
        "Others see you as: Away",
        "",
        "Online",
        "Away",
        "Offline",
        "Disabled",
        "No override (automatic)",
        "Status message…",
        "Sign out",
        "",
        "Refresh",
        "",
        "Add account…",
        "Quit",
    ]
    states = [i for i in m.items if i.kind is Kind.CHECK and i.group == "acct:@a:hs:states" and i.visible]
    assert [i.checked for i in states] == [False, True, False, False, False]
    assert states[1].action == SetState("@a:hs", PresenceState.UNAVAILABLE)
    assert states[4].action == SetState("@a:hs", None)
    # Each state offers its durations where it is chosen; clearing has none.
    assert [c.text for c in states[1].children] == [
        "Until I change it",
        "30 minutes",
        "1 hour",
        "4 hours",
        "Until tomorrow morning",
    ]
    assert states[1].children[2].action == SetState("@a:hs", PresenceState.UNAVAILABLE, Duration.HOUR_1)
    assert states[4].children == ()


def test_nothing_checked_before_the_first_read_and_unknown_values_are_shown_verbatim():
    m = build_menu(AppSnapshot((st(api=ApiMode.UNKNOWN, connection=Connection.CONNECTING),)), NOW)
    assert not any(i.checked for i in m.walk() if i.group == "acct:@a:hs:states")
    assert m.find("acct:@a:hs:mode").text == "Checking what the server offers…"
    m = build_menu(AppSnapshot((st(override=Override(None, "org.example.busy")),)), NOW)
    assert not any(i.checked for i in m.walk() if i.group == "acct:@a:hs:states")
    assert m.find("acct:@a:hs:unknown").text == "Server reports an unknown state: “org.example.busy”"


def test_emulated_labels_pending_and_errors():
    s = st(api=ApiMode.EMULATED, override=ov(PresenceState.OFFLINE), pending=Pending(PresenceState.DISABLED))
    m = build_menu(AppSnapshot((s,)), NOW)
    assert m.find("acct:@a:hs:mode").text == "Emulated — this server has no override API"
    assert m.find("acct:@a:hs:state:disabled").text == "Disabled (acts as Offline here) — setting…"
    assert m.find("acct:@a:hs:state:offline").checked
    s = st(override=ov(PresenceState.ONLINE), last_error="x" * 100)
    err = build_menu(AppSnapshot((s,)), NOW).find("acct:@a:hs:error")
    assert (
        err.visible
        and len(err.text) == 64
        and err.text.endswith("…")
        and err.tooltip == "Last change failed: " + "x" * 100
    )


def test_status_message_item_depends_on_state_and_server():
    key = "acct:@a:hs:statusmsg"
    assert not build_menu(AppSnapshot((st(),)), NOW).find(key).enabled
    s = st(override=ov(PresenceState.ONLINE), status_msg_supported=False)
    item = build_menu(AppSnapshot((s,)), NOW).find(key)
    assert not item.enabled and "doesn't keep one" in item.text
    assert build_menu(AppSnapshot((s.evolve(status_msg_supported=True),)), NOW).find(key).enabled
    assert build_menu(AppSnapshot((s.evolve(api=ApiMode.EMULATED),)), NOW).find(key).enabled


def test_structure_is_stable_across_connection_and_timer_changes():
    a = st(override=ov(PresenceState.ONLINE))
    b = a.evolve(
        connection=Connection.DISCONNECTED, status_msg="hi", override_until=NOW + timedelta(minutes=5), contested=True
    )
    ma, mb = build_menu(AppSnapshot((a,)), NOW), build_menu(AppSnapshot((b,)), NOW)
    assert ma.shape() == mb.shape()  # an open menu is updated in place, not rebuilt
    assert mb.find("acct:@a:hs:state:online").text == "Online — until 12:05"
    assert mb.find("acct:@a:hs:then").text == "Then: no override"
    assert mb.find("acct:@a:hs:conn").text == "Can't reach the server — retrying"


def test_signed_out_section_and_no_account():
    s = st(connection=Connection.SIGNED_OUT, last_error="token revoked")
    m = build_menu(AppSnapshot((s,)), NOW)
    assert visible_texts(m)[:4] == ["@a:hs", "Signed out — token revoked", "Sign in again…", "Remove this account"]
    assert "Online" not in visible_texts(m)
    m = build_menu(AppSnapshot(()), NOW)
    assert visible_texts(m) == ["Presence Tray", "Not signed in", "", "Sign in…", "Quit"]
    m = build_menu(AppSnapshot((), autostart=True), NOW)
    assert m.find("autostart").checked and m.find("autostart").kind is Kind.CHECK


def test_several_accounts_and_set_all():
    a = st("@a:hs", override=ov(PresenceState.ONLINE))
    b = st("@b:hs", override=ov(PresenceState.ONLINE))
    m = build_menu(AppSnapshot((a, b)), NOW)
    all_ = m.find("all")
    assert all_.text == "Set all accounts"
    assert [c.action for c in all_.children][1] == SetState(None, PresenceState.UNAVAILABLE)
    assert [c.checked for c in all_.children] == [True, False, False, False, False]
    m = build_menu(AppSnapshot((a, b.evolve(override=None))), NOW)
    assert not any(c.checked for c in m.find("all").children)  # mixed: nothing checked
    assert m.find("refresh").text == "Refresh all"


@pytest.mark.parametrize(
    "states, expected",
    [
        ([], IconSpec("none", "signed-out")),
        ([st(override=ov(PresenceState.ONLINE))], IconSpec("online")),
        (
            [st(override=ov(PresenceState.UNAVAILABLE), pending=Pending(PresenceState.ONLINE))],
            IconSpec("away", "pending"),
        ),
        (
            [st(override=ov(PresenceState.DISABLED), connection=Connection.DISCONNECTED)],
            IconSpec("disabled", "disconnected"),
        ),
        ([st(override=ov(PresenceState.OFFLINE), connection=Connection.SIGNED_OUT)], IconSpec("offline", "signed-out")),
        ([st(connection=Connection.CONNECTING)], IconSpec("none", "pending")),
        # Two accounts: the first live one's state, the most urgent mark of any.
        (
            [
                st("@a:hs", connection=Connection.SIGNED_OUT),
                st("@b:hs", override=ov(PresenceState.ONLINE), connection=Connection.DISCONNECTED),
            ],
            IconSpec("online", "signed-out"),
        ),
        # A click in flight on one account shows, even while another is signed out (pending
        # lasts seconds; the signed-out mark comes back after it).
        (
            [
                st("@a:hs", connection=Connection.SIGNED_OUT),
                st("@b:hs", override=ov(PresenceState.ONLINE), pending=Pending(PresenceState.OFFLINE)),
            ],
            IconSpec("online", "pending"),
        ),
        (
            [
                st("@a:hs", override=ov(PresenceState.ONLINE), pending=Pending(None)),
                st("@b:hs", connection=Connection.SIGNED_OUT),
            ],
            IconSpec("online", "pending"),
        ),
    ],
)
def test_icon_shows_the_confirmed_state_and_the_most_urgent_mark(states, expected):
    assert icon_spec(states) == expected
    assert icon_key(expected).startswith(expected.base)


def test_tooltip():
    s = st(
        override=ov(PresenceState.UNAVAILABLE),
        presence="unavailable",
        status_msg="lunch",
        override_until=NOW + timedelta(minutes=30),
    )
    assert tooltip([s], NOW, UTC).splitlines() == [
        "Presence Tray",
        "@a:hs",
        "Override: Away, ends in 30 min (12:30)",
        "Status message: “lunch”",
        "Others see: Away",
        "Mode: Server override (MSC4043)",
    ]
    assert tooltip([], NOW) == "Presence Tray\nNot signed in — right-click to sign in"


def test_notifications_are_sparing():
    p = NotificationPolicy(quiet_seconds=600, elsewhere_quiet_seconds=30)
    s = st(override=ov(PresenceState.ONLINE))
    n = p.decide("@a:hs", SessionEvent.OVERRIDE_CHANGED_ELSEWHERE, "", s, clock=0)
    assert n.title == "Presence changed elsewhere" and "now Online" in n.text
    assert p.decide("@a:hs", SessionEvent.OVERRIDE_CHANGED_ELSEWHERE, "", s, clock=10) is None
    assert p.decide("@a:hs", SessionEvent.OVERRIDE_CHANGED_ELSEWHERE, "", s, clock=41) is not None
    # Reconnected is only worth saying after unreachable was said.
    assert p.decide("@a:hs", SessionEvent.RECONNECTED, "", s, clock=50) is None
    assert p.decide("@a:hs", SessionEvent.UNREACHABLE_FOR_LONG, "down 5 minutes", s, clock=60).warning
    assert p.decide("@a:hs", SessionEvent.UNREACHABLE_FOR_LONG, "again", s, clock=120) is None
    assert p.decide("@a:hs", SessionEvent.RECONNECTED, "", s, clock=130).title == "Back online"
    # Signing out is always told; other accounts are counted apart.
    assert p.decide("@a:hs", SessionEvent.SIGNED_OUT, "x", s, clock=140).warning
    assert p.decide("@a:hs", SessionEvent.SIGNED_OUT, "x", s, clock=141) is not None
    assert p.decide("@b:hs", SessionEvent.CONTESTED, "", s, clock=1).title == "Another device keeps winning"


def test_remove_from_this_computer_shows_while_the_server_cant_be_reached():
    from tray_app.ui.presenter import Forget

    key = "acct:@a:hs:forget"
    s = st(override=ov(PresenceState.ONLINE))
    assert not build_menu(AppSnapshot((s,)), NOW).find(key).visible
    m = build_menu(AppSnapshot((s.evolve(connection=Connection.DISCONNECTED),)), NOW)
    item = m.find(key)
    assert item.visible and item.text == "Remove from this computer…" and item.action == Forget("@a:hs")
    assert m.shape() == build_menu(AppSnapshot((s,)), NOW).shape()  # an open menu updates in place


def test_the_status_message_goes_with_the_change_in_flight():
    from tray_app.ui.presenter import message_state

    key = "acct:@a:hs:statusmsg"
    s = st(override=ov(PresenceState.ONLINE))
    assert message_state(s) is PresenceState.ONLINE
    assert message_state(s.evolve(pending=Pending(PresenceState.UNAVAILABLE))) is PresenceState.UNAVAILABLE
    # Clearing in flight: nothing to attach a message to.
    cleared = s.evolve(pending=Pending(None))
    assert message_state(cleared) is None and not build_menu(AppSnapshot((cleared,)), NOW).find(key).enabled
    # The first state being set: the message can already go with it.
    first = st(pending=Pending(PresenceState.OFFLINE))
    assert build_menu(AppSnapshot((first,)), NOW).find(key).enabled


def test_a_last_known_override_never_looks_confirmed():
    """Shown at start before this run's first read: its own icon key, no check mark (also not in
    "Set all accounts"), no end time, no status message, the note in menu and tooltip."""
    later = NOW + timedelta(hours=2)
    last = st(
        api=ApiMode.UNKNOWN,
        connection=Connection.CONNECTING,
        override=ov(PresenceState.UNAVAILABLE),
        override_until=later,
        unconfirmed=True,
    )
    other = st("@b:hs", override=ov(PresenceState.UNAVAILABLE))
    assert icon_key(icon_spec([last])) == "away~unconfirmed+pending"
    assert parse_icon_key("away~unconfirmed+pending") == IconSpec("away", "pending", unconfirmed=True)
    assert icon_key(icon_spec([last.evolve(connection=Connection.DISCONNECTED)])) == "away~unconfirmed+disconnected"
    with pytest.raises(ValueError):
        parse_icon_key("away~guessed")
    m = build_menu(AppSnapshot((last, other)), NOW)
    assert not any(
        i.checked for i in m.walk() if i.key.startswith("acct:@a:hs:state:") or i.key.startswith("all:state:")
    )
    assert m.find("acct:@a:hs:lastknown").text == "Away (last known, checking…)"
    assert not m.find("acct:@a:hs:then").visible and not m.find("acct:@a:hs:endnow").visible
    assert not m.find("acct:@a:hs:statusmsg").enabled
    assert m.find("acct:@a:hs").icon == "away~unconfirmed+pending"  # its line, with several accounts
    assert not m.find("acct:@b:hs:lastknown").visible
    tip = tooltip([last.evolve(connection=Connection.DISCONNECTED)], NOW)
    assert "Override: Away (last known, not confirmed)" in tip
    # The menu's structure is the same confirmed or not (an open menu is updated in place).
    confirmed = last.evolve(api=ApiMode.STABLE, connection=Connection.CONNECTED, unconfirmed=False)
    assert build_menu(AppSnapshot((confirmed, other)), NOW).shape() == m.shape()


def test_msc4532_menu_offers_busy_and_says_why_there_is_no_disabled():
    s = st(
        api=ApiMode.MSC4532,
        busy_supported=True,
        disabled_unsupported="not part of MSC4532",
        watching="org.continuwuity.presence_v2.msc4532.presence.persistent",
        override=ov(PresenceState.BUSY),
        presence="busy",
    )
    m = build_menu(AppSnapshot((s,)), NOW, UTC)
    p = "acct:@a:hs:"
    assert m.find(p + "mode").text == "Server override (MSC4532, account data)"
    busy = m.find(p + "state:busy")
    assert busy.visible and busy.enabled and busy.checked and busy.action == SetState("@a:hs", PresenceState.BUSY)
    disabled = m.find(p + "state:disabled")
    assert disabled.visible and not disabled.enabled and disabled.text == "Disabled — not part of MSC4532"
    assert m.find(p + "header").icon == "busy"
    order = [i.text for i in m.items if i.group == p + "states" and i.visible]
    assert order == ["Online", "Away", "Busy", "Offline", "Disabled — not part of MSC4532", "No override (automatic)"]


def test_busy_hidden_where_the_server_has_none_and_api_shown_with_push():
    s = st(watching="org.continuwuity.presence_v2.msc4532.presence.persistent")
    m = build_menu(AppSnapshot((s,)), NOW, UTC)
    assert not m.find("acct:@a:hs:state:busy").visible
    assert m.find("acct:@a:hs:state:disabled").enabled
    assert m.find("acct:@a:hs:mode").text == "Server override (MSC4043), changes pushed via MSC4532"
    # "Set all accounts": only what every account can do.
    a = st("@a:hs", api=ApiMode.MSC4532, busy_supported=True, disabled_unsupported="not part of MSC4532")
    b = st("@b:hs", busy_supported=True)
    keys = [c.key for c in build_menu(AppSnapshot((a, b)), NOW, UTC).find("all").children]
    assert keys == [
        "all:state:online",
        "all:state:unavailable",
        "all:state:busy",
        "all:state:offline",
        "all:state:none",
    ]


def test_unknown_msc4532_value_is_shown_as_unknown():
    s = st(api=ApiMode.MSC4532, override=Override(None, "org.example.gone_fishing"))
    m = build_menu(AppSnapshot((s,)), NOW, UTC)
    assert m.find("acct:@a:hs:unknown").text == "Server reports an unknown state: “org.example.gone_fishing”"
    assert not any(i.checked for i in m.items if i.group == "acct:@a:hs:states")
