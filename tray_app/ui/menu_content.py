"""The menu's content (Qt-free): each account's section, the global actions and the window's
headline, as a `MenuModel` (the QMenu, the StatusNotifierItem menu and the window draw it).

One account: its section inline. Several: "Set all accounts" first, then one line per account
(its icon, its ID and its state in a few words) whose submenu holds that account's section, then
the global items; the menu stays one short column whatever the number of accounts
(docs/behaviour.md, "Many accounts").
One account's section is built in menu_account.py, the durations offered with a state in
menu_durations.py; this module puts the menu together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from tray_app.durations import format_end
from tray_app.session_state import Connection, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.accounts_summary import account_line as account_summary_line
from tray_app.ui.accounts_summary import summary_line, trouble_lines
from tray_app.ui.calendar_menu import calendar_items
from tray_app.ui.icon_state import icon_key_for
from tray_app.ui.idle_menu import idle_items
from tray_app.ui.labels import field_label, state_item_label
from tray_app.ui.menu_account import INFO_MAX as INFO_MAX  # re-exported: its home was here
from tray_app.ui.menu_account import STATE_ORDER, AccountSection, account_section, state_icon, state_key
from tray_app.ui.menu_account import info as info  # re-exported: its home was here
from tray_app.ui.menu_account import message_state as message_state  # re-exported: its home was here
from tray_app.ui.menu_durations import duration_choices
from tray_app.ui.view_model import (
    APP_NAME,
    AppSnapshot,
    Headline,
    IconSpec,
    Kind,
    MenuItem,
    MenuModel,
    Placement,
    Quit,
    Refresh,
    SetState,
    SignIn,
    ToggleAutostart,
    TogglePauseBanners,
    icon_key,
)


def _headline(sections: Sequence[AccountSection], accounts: Sequence[SessionState]) -> Headline:
    """The first account's chosen state (else its last known one, else the connection) and what
    others see (or that the server can't be reached)."""
    presence = next((sec.presence for sec in sections if sec.presence is not None), None)
    seen = presence.text if presence is not None else ""
    repeats = presence.key if presence is not None else None
    # The server can't be reached: said under the state (the badge alone did not say it), and
    # what others saw stays under the account.
    for s, sec in zip(accounts, sections, strict=True):
        conn = next((i for i in sec.items if i.key.endswith(":conn") and i.visible), None)
        if s.connection is Connection.DISCONNECTED and conn is not None:
            seen, repeats = conn.tooltip or conn.text, conn.key
            break
    chosen = next((sec.chosen for sec in sections if sec.chosen is not None), None)
    if chosen is not None:
        return Headline(chosen, seen, repeats)
    for suffix in (":lastknown", ":conn"):  # the last known state (unconfirmed) first, else the connection
        for sec in sections:
            line = next((i for i in sec.items if i.key.endswith(suffix) and i.visible), None)
            if line is not None:
                # The whole line, not shortened; signed out (nothing seen), the line it repeats.
                return Headline(line.tooltip or line.text, seen, repeats if presence is not None else line.key)
    if sections:
        return Headline(translate("Window", "Checking…"), seen, repeats)
    return Headline(translate("Window", "Not signed in"))


def _multi_headline(accounts: Sequence[SessionState]) -> Headline:
    """Several accounts: what others see of all of them in counts ("10 accounts: 3 Online, 5 Away,
    2 Busy"), and what needs the person."""
    return Headline(summary_line(accounts), "\n".join(trouble_lines(accounts)))


def _account_item(s: SessionState, section: AccountSection, now: datetime, tz: tzinfo | None) -> MenuItem:
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
    sections = [account_section(s, now, tz, multi, snap.idle) for s in snap.accounts]
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
    headline = _multi_headline(snap.accounts) if multi else _headline(sections, snap.accounts)
    return MenuModel(tuple(items), headline)


def _every_account_offers(accounts: Sequence[SessionState], st: PresenceState | None) -> bool:
    if st is PresenceState.BUSY:
        return all(s.busy_supported for s in accounts)
    if st is PresenceState.DISABLED:
        return not any(s.disabled_unsupported for s in accounts)
    return True
