"""One account's section of the menu (Qt-free): what is known of it, its states to choose from,
its status message and its own actions, and the shared parts of a state item (order, key, icon).
With one account the section is in the menu inline; with several, in the submenu of the
account's line (menu_content.py puts it there). Apart from menu_content.py so each reads on
its own: the section here, the menu as a whole there, the durations in menu_durations.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from tray_app.durations import format_end
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.icon_state import icon_key_for, state_base
from tray_app.ui.idle_menu import account_line
from tray_app.ui.labels import (
    connection_line,
    disabled_not_offered,
    for_a_while,
    last_known_line,
    mode_line,
    seen_line,
    server_details_item,
    setting_suffix,
    state_item_label,
    state_label,
    then_line,
    with_end,
)
from tray_app.ui.menu_durations import duration_choices, extend_item
from tray_app.ui.message_words import clear_message_item, message_item, message_line
from tray_app.ui.view_model import (
    ClearStatusMessage,
    EditStatusMessage,
    EndNow,
    Forget,
    IconSpec,
    IdleMenuState,
    Kind,
    MenuItem,
    Placement,
    Refresh,
    SetState,
    ShowServerDetails,
    SignIn,
    SignOut,
    icon_key,
)

# The order of the exclusive state items.
STATE_ORDER: tuple[PresenceState | None, ...] = (
    PresenceState.ONLINE,
    PresenceState.UNAVAILABLE,
    PresenceState.BUSY,
    PresenceState.OFFLINE,
    PresenceState.DISABLED,
    None,
)


def state_key(state: PresenceState | None) -> str:
    return state.value if state else "none"


def message_state(s: SessionState) -> PresenceState | None:
    """The state a status message goes with: the change in flight if there is one (so editing
    the message never undoes it), else the confirmed override. None: no state to attach it to."""
    if s.pending is not None:
        return s.pending.state
    if s.unconfirmed:
        return None  # a message must not go with a state the server has not confirmed this run
    return s.override.state if s.override is not None else None


INFO_MAX = 64


def info(key: str, text: str | None, account: str | None = None) -> MenuItem:
    """A greyed line (hidden when `text` is empty); long ones are shortened, the whole text
    becoming the item's tooltip."""
    if not text:
        return MenuItem(key, Kind.INFO, "", enabled=False, visible=False, account=account)
    if len(text) <= INFO_MAX:
        return MenuItem(key, Kind.INFO, text, enabled=False, account=account)
    short = text[: INFO_MAX - 1].rstrip() + "…"
    return MenuItem(key, Kind.INFO, short, enabled=False, tooltip=text, account=account)


@dataclass
class AccountSection:
    """An account's items and what the window's headline takes from them."""

    items: list[MenuItem]
    chosen: str | None = None  # the checked state's name (without " — setting…" and the like)
    presence: MenuItem | None = None  # "Others see you as: …"


def account_section(
    s: SessionState, now: datetime, tz: tzinfo | None, multi: bool, idle: IdleMenuState | None = None
) -> AccountSection:
    u = s.user_id
    p = f"acct:{u}:"
    # With several accounts the section is the submenu of the account's line, which names it.
    items = [] if multi else [MenuItem(p + "header", Kind.HEADER, u, enabled=False, icon=icon_key_for(s), account=u)]
    section = AccountSection(items)
    quiet = Placement.QUIET
    signed_out = s.connection is Connection.SIGNED_OUT
    if signed_out:
        items.append(info(p + "conn", connection_line(s) or "", u))
        items.append(
            MenuItem(p + "signin", Kind.ACTION, translate("Menu", "Sign in again…"), action=SignIn(u), account=u)
        )
        items.append(
            MenuItem(
                p + "signout",
                Kind.ACTION,
                translate("Menu", "Remove this account"),
                action=SignOut(u),
                account=u,
                placement=quiet,
                access="forget",
            )
        )
        return section

    items.append(info(p + "lastknown", last_known_line(s), u))
    items.append(info(p + "mode", mode_line(s), u))
    items.append(info(p + "conn", connection_line(s), u))
    contested = translate("Menu", "Another device keeps winning — not fighting it") if s.contested else None
    items.append(info(p + "contested", contested, u))
    section.presence = info(p + "presence", seen_line(s), u)
    items.append(section.presence)
    if multi and idle is not None:  # each account's automatic presence (one account: one line below)
        items.append(info(p + "auto", account_line(idle, s, now, tz), u))
    items.append(info(p + "msg", message_line(s, now, tz), u))
    error = s.last_error if s.last_error and s.connection is Connection.CONNECTED and not s.contested else None
    failed = translate("Menu", "Last change failed: {error}").format(error=error) if error else None
    items.append(info(p + "error", failed, u))
    items.append(MenuItem(p + "sep1", Kind.SEPARATOR, account=u))

    confirmed = s.override.state if s.override else None
    unknown_override = s.override is not None and s.override.state is None
    pending = s.pending
    # A timed state runs (confirmed this run): its end, what comes after, End now and Extend show.
    timed = s.override_until is not None and s.override is not None and not s.unconfirmed
    for st in STATE_ORDER:
        name = state_label(st, s.api)
        text = state_item_label(st, s.api)
        if pending is not None and pending.state == st and not pending.message_only:
            text += setting_suffix()
        enabled, visible = True, True
        if st is PresenceState.BUSY:
            visible = s.busy_supported  # only where the server has it
        elif st is PresenceState.DISABLED and s.disabled_unsupported:
            # Not faked: shown, greyed (why: in the server details).
            enabled = confirmed is PresenceState.DISABLED
            name = PresenceState.DISABLED.label
            text = disabled_not_offered()
        # Nothing is checked until the first read tells us what the server holds.
        checked = s.api is not ApiMode.UNKNOWN and not s.unconfirmed and not unknown_override and confirmed == st
        if (
            checked
            and timed
            and s.override_until is not None
            and (pending is None or pending.message_only or pending.state != st)
        ):
            name = with_end(name, format_end(s.override_until, now, tz))  # the window's headline too
            text = with_end(text, format_end(s.override_until, now, tz))
        if checked and section.chosen is None:
            # The window's headline: the state and its end; the message has its own line below.
            section.chosen = name
        key = p + "state:" + state_key(st)
        items.append(
            MenuItem(
                key,
                Kind.CHECK,
                text,
                checked=checked,
                group=p + "states",
                action=SetState(u, st),
                enabled=enabled,
                visible=visible,
                account=u,
                icon=state_icon(st),
                children=duration_choices(key, u, st),
                children_label=for_a_while() if st is not None else None,
            )
        )
    unknown = (
        translate("Menu", "Server reports an unknown state: “{state}”").format(state=s.override.raw)
        if unknown_override and s.override is not None
        else None
    )
    items.append(info(p + "unknown", unknown, u))
    items.append(info(p + "then", then_line(s.override_after) if timed else None, u))
    items.append(
        MenuItem(
            p + "endnow",
            Kind.ACTION,
            translate("Menu", "End now"),
            action=EndNow(u),
            visible=timed,
            account=u,
        )
    )
    items.append(extend_item(p + "extend", s, now, tz, timed))

    msg_text, msg_enabled = message_item(s, message_state(s) is not None)
    items.append(
        MenuItem(p + "statusmsg", Kind.ACTION, msg_text, enabled=msg_enabled, action=EditStatusMessage(u), account=u)
    )
    items.append(
        MenuItem(
            p + "clearmsg",
            Kind.ACTION,
            clear_message_item(),
            action=ClearStatusMessage(u),
            visible=msg_enabled and bool(s.status_msg),
            account=u,
        )
    )
    items.append(
        MenuItem(
            p + "details",
            Kind.ACTION,
            server_details_item(),
            action=ShowServerDetails(u),
            account=u,
            placement=quiet,
        )
    )
    if multi:
        items.append(
            MenuItem(
                p + "refresh", Kind.ACTION, translate("Menu", "Refresh"), action=Refresh(u), account=u, placement=quiet
            )
        )
    items.append(
        MenuItem(
            p + "signout", Kind.ACTION, translate("Menu", "Sign out"), action=SignOut(u), account=u, placement=quiet
        )
    )
    # Signing out needs the server; one that is gone for good must not pin the account here.
    items.append(
        MenuItem(
            p + "forget",
            Kind.ACTION,
            translate("Menu", "Remove from this computer…"),
            action=Forget(u),
            visible=s.connection is Connection.DISCONNECTED,
            account=u,
            placement=quiet,
        )
    )
    return section


def state_icon(st: PresenceState | None) -> str:
    """The icon beside a state in the menu and the window (the tray's base for it)."""
    return icon_key(IconSpec(state_base(st)))
