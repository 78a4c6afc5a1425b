"""The menu's content (Qt-free): each account's section, the global actions and the window's
headline, as a `MenuModel` (the QMenu, the StatusNotifierItem menu and the window draw it).

One account: its section inline. Several: "Set all accounts" first, then one line per account
(its icon, its ID and its state in a few words) whose submenu holds that account's section, then
the global items; the menu stays one short column whatever the number of accounts
(docs/behaviour.md, "Many accounts")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from tray_app.durations import Duration, format_end, next_morning
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.accounts_summary import account_line as account_summary_line
from tray_app.ui.accounts_summary import state_counts, trouble_lines
from tray_app.ui.calendar_menu import calendar_items
from tray_app.ui.icon_state import icon_key_for, state_base
from tray_app.ui.idle_menu import account_line, idle_items
from tray_app.ui.labels import (
    connection_line,
    disabled_not_offered,
    field_label,
    for_a_while,
    last_known_line,
    mode_line,
    presence_label,
    server_details_item,
    setting_suffix,
    state_item_label,
    state_label,
    then_line,
    with_end,
)
from tray_app.ui.message_words import clear_message_item, message_item, message_line, with_message
from tray_app.ui.view_model import (
    APP_NAME,
    AppSnapshot,
    ClearStatusMessage,
    EditStatusMessage,
    EndNow,
    Extend,
    Forget,
    Headline,
    IconSpec,
    IdleMenuState,
    Kind,
    MenuItem,
    MenuModel,
    Placement,
    Quit,
    Refresh,
    SetState,
    ShowServerDetails,
    SignIn,
    SignOut,
    ToggleAutostart,
    TogglePauseBanners,
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
class _Section:
    """An account's items and what the window's headline takes from them."""

    items: list[MenuItem]
    chosen: str | None = None  # the checked state's name (without " — setting…" and the like)
    presence: MenuItem | None = None  # "Others see you as: …"


def _account_section(
    s: SessionState, now: datetime, tz: tzinfo | None, multi: bool, idle: IdleMenuState | None = None
) -> _Section:
    u = s.user_id
    p = f"acct:{u}:"
    # With several accounts the section is the submenu of the account's line, which names it.
    items = [] if multi else [MenuItem(p + "header", Kind.HEADER, u, enabled=False, icon=icon_key_for(s), account=u)]
    section = _Section(items)
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
    seen = translate("Menu", "Others see you as: {presence}").format(presence=presence_label(s.presence))
    section.presence = info(p + "presence", seen, u)
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
            # The window's headline: the state and the message ("Away — “In a meeting”"); in the
            # menu the message has its own line under the account.
            section.chosen = with_message(name, s.status_msg)
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
    items.append(_extend_item(p + "extend", s, now, tz, timed))

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


def _headline(sections: Sequence[_Section]) -> Headline:
    """The first account's chosen state (else its last known one, else the connection) and what
    others see."""
    presence = next((sec.presence for sec in sections if sec.presence is not None), None)
    seen = presence.text if presence is not None else ""
    repeats = presence.key if presence is not None else None
    chosen = next((sec.chosen for sec in sections if sec.chosen is not None), None)
    if chosen is not None:
        return Headline(chosen, seen, repeats)
    for suffix in (":lastknown", ":conn"):  # the last known state (unconfirmed) first, else the connection
        for sec in sections:
            line = next((i for i in sec.items if i.key.endswith(suffix) and i.visible), None)
            if line is not None:
                return Headline(line.tooltip or line.text, seen, repeats)  # the whole line, not shortened
    if sections:
        return Headline(translate("Window", "Checking…"), seen, repeats)
    return Headline(translate("Window", "Not signed in"))


def _multi_headline(accounts: Sequence[SessionState]) -> Headline:
    """Several accounts: what others see of all of them in counts, and what needs the person."""
    return Headline(state_counts(accounts), "\n".join(trouble_lines(accounts)))


def _account_item(s: SessionState, section: _Section, now: datetime, tz: tzinfo | None) -> MenuItem:
    """An account's one line when there are several: its submenu holds its section."""
    u = s.user_id
    timed = s.override_until is not None and s.override is not None and not s.unconfirmed
    end = format_end(s.override_until, now, tz) if timed and s.override_until is not None else None
    return MenuItem(
        f"acct:{u}",
        Kind.SUBMENU,
        account_summary_line(s, end),
        icon=icon_key_for(s),
        children=tuple(section.items),
        account=u,
        placement=Placement.ACCOUNT,
        label=u,
    )


def _set_all(live: Sequence[SessionState]) -> MenuItem:
    all_states = {s.override.state if s.override else None for s in live}
    same = all_states.pop() if len(all_states) == 1 and not any(s.unconfirmed for s in live) else "mixed"
    children = tuple(
        MenuItem(
            "all:state:" + state_key(st),
            Kind.CHECK,
            state_item_label(st),
            checked=(same == st),
            group="all:states",
            icon=state_icon(st),
            action=SetState(None, st),
            children=duration_choices("all:state:" + state_key(st), None, st),
        )
        for st in STATE_ORDER
        if _every_account_offers(live, st)
    )
    title = translate("Menu", "Set all accounts")
    return MenuItem(
        "all",
        Kind.SUBMENU,
        title,
        children=children,
        label=field_label(title),
        prompt=translate("Window", "choose…"),
    )


def build_menu(snap: AppSnapshot, now: datetime, tz: tzinfo | None = None) -> MenuModel:
    items: list[MenuItem] = []
    multi = len(snap.accounts) > 1
    if not snap.accounts:
        items.append(
            MenuItem("app:header", Kind.HEADER, APP_NAME, enabled=False, icon=icon_key(IconSpec("none", "signed-out")))
        )
        items.append(MenuItem("app:notsigned", Kind.INFO, translate("Menu", "Not signed in"), enabled=False))
    sections = [_account_section(s, now, tz, multi, snap.idle) for s in snap.accounts]
    live = [s for s in snap.accounts if s.connection is not Connection.SIGNED_OUT]
    if multi:
        if len(live) > 1:
            items.append(_set_all(live))
            items.append(MenuItem("sep:all", Kind.SEPARATOR))
        items.extend(_account_item(s, sec, now, tz) for s, sec in zip(snap.accounts, sections, strict=True))
    else:
        for section in sections:
            items.extend(section.items)
    automatic = idle_items(snap.idle, snap.accounts, now, tz) if snap.accounts else []
    if multi and automatic:
        items.append(MenuItem("sep:accounts", Kind.SEPARATOR))
    items.extend(automatic)
    items.append(MenuItem("sep:global", Kind.SEPARATOR))
    if snap.busy:
        items.append(MenuItem("app:busy", Kind.INFO, snap.busy, enabled=False))
    if live:
        items.append(
            MenuItem(
                "refresh",
                Kind.ACTION,
                translate("Menu", "Refresh") if not multi else translate("Menu", "Refresh all"),
                action=Refresh(None),
                placement=Placement.QUIET,
            )
        )
        items.append(MenuItem("sep:bottom", Kind.SEPARATOR))
    items.append(
        MenuItem(
            "signin",
            Kind.ACTION,
            translate("Menu", "Sign in…") if not snap.accounts else translate("Menu", "Add account…"),
            action=SignIn(None),
            placement=Placement.QUIET,
            access="signin" if not snap.accounts else "add-account",
        )
    )
    if snap.autostart is not None:
        items.append(
            MenuItem(
                "autostart",
                Kind.CHECK,
                translate("Menu", "Start on login"),
                checked=snap.autostart,
                action=ToggleAutostart(),
            )
        )
    if snap.pause_banners is not None:
        items.append(
            MenuItem(
                "pause-banners",
                Kind.CHECK,
                translate("Menu", "Pause notifications while Busy"),
                checked=snap.pause_banners,
                action=TogglePauseBanners(),
            )
        )
    items += calendar_items(snap.calendar)
    items.append(MenuItem("quit", Kind.ACTION, translate("Menu", "Quit"), action=Quit(), placement=Placement.QUIET_END))
    headline = _multi_headline(snap.accounts) if multi else _headline(sections)
    return MenuModel(tuple(items), headline)


def state_icon(st: PresenceState | None) -> str:
    """The icon beside a state in the menu and the window (the tray's base for it)."""
    return icon_key(IconSpec(state_base(st)))


def duration_choices(key: str, user_id: str | None, st: PresenceState | None) -> tuple[MenuItem, ...]:
    """A state's durations, offered where the state is chosen ("Until I change it" first: a
    menu whose parent item cannot be clicked needs it). Clearing has none: nothing to end."""
    if st is None:
        return ()
    return tuple(
        MenuItem(key + ":for:" + d.value, Kind.ACTION, d.label, action=SetState(user_id, st, d), account=user_id)
        for d in Duration
    )


# "Extend": a fixed span more than the current end, tomorrow morning, or until changed.
EXTEND_BY = (Duration.MINUTES_30, Duration.HOUR_1, Duration.HOURS_4, Duration.TOMORROW_MORNING, Duration.UNTIL_CHANGED)


def _extend_item(key: str, s: SessionState, now: datetime, tz: tzinfo | None, timed: bool) -> MenuItem:
    until = s.override_until
    children = []
    for d in EXTEND_BY:
        visible = True
        if d is Duration.TOMORROW_MORNING:
            # Only where it is later than the end already set.
            visible = until is not None and next_morning(now, tz) > until
        children.append(
            MenuItem(
                key + ":" + d.value,
                Kind.ACTION,
                extend_label(d),
                action=Extend(s.user_id, d),
                visible=visible,
                account=s.user_id,
            )
        )
    title = translate("Menu", "Extend")
    return MenuItem(
        key,
        Kind.SUBMENU,
        title,
        children=tuple(children),
        visible=timed,
        account=s.user_id,
        label=title,
        prompt=translate("Window", "choose…"),
    )


def extend_label(d: Duration) -> str:
    if d is Duration.MINUTES_30:
        return translate("Extend", "%n more minute(s)", None, 30)
    if d is Duration.HOUR_1:
        return translate("Extend", "%n more hour(s)", None, 1)
    if d is Duration.HOURS_4:
        return translate("Extend", "%n more hour(s)", None, 4)
    return d.label  # "Until tomorrow morning", "Until I change it"


def _every_account_offers(accounts: Sequence[SessionState], st: PresenceState | None) -> bool:
    if st is PresenceState.BUSY:
        return all(s.busy_supported for s in accounts)
    if st is PresenceState.DISABLED:
        return not any(s.disabled_unsupported for s in accounts)
    return True
