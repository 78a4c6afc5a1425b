"""What the tray shows, as plain data: menu, icon, tooltip, notification texts.

Qt-free on purpose (this module imports nothing from Qt), so the mapping from
session state to what a person sees is unit-tested without a screen. The Qt
views in this package only draw these models and forward clicks as `Action`s.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from tray_app.durations import Duration, describe_remaining
from tray_app.session_state import ApiMode, Connection, SessionEvent, SessionState
from tray_app.states import PresenceState, emulated_presence
from tray_app.translation import translate

APP_NAME = "Presence Tray"

# ---------------------------------------------------------------------------------------------
# Actions: what a click asks for. The controller executes them.


@dataclass(frozen=True)
class SetState:
    user_id: str | None  # None: every signed-in account
    state: PresenceState | None  # None: clear the override ("No override (automatic)")


@dataclass(frozen=True)
class EditStatusMessage:
    user_id: str


@dataclass(frozen=True)
class ChooseDuration:
    duration: Duration


@dataclass(frozen=True)
class Refresh:
    user_id: str | None = None  # None: all accounts


@dataclass(frozen=True)
class SignIn:
    user_id: str | None = None  # prefill (signing in again); None: a new account


@dataclass(frozen=True)
class SignOut:
    user_id: str


@dataclass(frozen=True)
class Forget:
    """Remove the account from this computer only (the server can't be reached to sign out)."""

    user_id: str


@dataclass(frozen=True)
class ToggleAutostart:
    pass


@dataclass(frozen=True)
class Quit:
    pass


Action = SetState | EditStatusMessage | ChooseDuration | Refresh | SignIn | SignOut | Forget | ToggleAutostart | Quit

# ---------------------------------------------------------------------------------------------
# The menu model.


class Kind(enum.Enum):
    HEADER = "header"  # bold, not clickable (the account)
    INFO = "info"  # greyed text line
    ACTION = "action"
    CHECK = "check"  # checkable; `group` makes it exclusive
    SEPARATOR = "separator"
    SUBMENU = "submenu"


@dataclass(frozen=True)
class MenuItem:
    key: str  # stable across renders, so a view can update an open menu in place
    kind: Kind
    text: str = ""
    enabled: bool = True
    checked: bool = False
    group: str | None = None
    action: Action | None = None
    icon: str | None = None  # an IconSpec key (see icon_key), for headers
    tooltip: str | None = None  # the full text where `text` was shortened
    # Lines that come and go (connection trouble, a status message, a running timer) stay in the
    # model hidden, so the menu's structure is stable and an open menu is updated in place.
    visible: bool = True
    children: tuple[MenuItem, ...] = ()

    def shape(self) -> tuple:
        """What must match for an in-place update (texts and states may differ)."""
        return (self.key, self.kind, self.group, tuple(c.shape() for c in self.children))


@dataclass(frozen=True)
class MenuModel:
    items: tuple[MenuItem, ...]

    def shape(self) -> tuple:
        return tuple(i.shape() for i in self.items)

    def walk(self):
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.children))

    def find(self, key: str) -> MenuItem:
        for item in self.walk():
            if item.key == key:
                return item
        raise KeyError(key)

    def visible_keys(self) -> set[str]:
        return {i.key for i in self.walk() if i.visible}


@dataclass(frozen=True)
class AppSnapshot:
    """Everything the presenter needs, at one moment."""

    accounts: tuple[SessionState, ...]
    duration: Duration = Duration.UNTIL_CHANGED
    autostart: bool | None = None  # None: autostart not available on this system
    busy: str | None = None  # e.g. "Signing out…"
    idle: Any = None  # tray_app.ui.idle_menu.IdleMenuState; None: no automatic presence


# The order of the exclusive state items.
STATE_ORDER: tuple[PresenceState | None, ...] = (
    PresenceState.ONLINE,
    PresenceState.UNAVAILABLE,
    PresenceState.BUSY,
    PresenceState.OFFLINE,
    PresenceState.DISABLED,
    None,
)


def no_override_label() -> str:
    return translate("Menu", "No override (automatic)")


def state_key(state: PresenceState | None) -> str:
    return state.value if state else "none"


def state_label(state: PresenceState | None, api: ApiMode = ApiMode.STABLE) -> str:
    """The menu label of a state; in emulated mode it says what the state really does."""
    if state is None:
        return no_override_label()
    if api is ApiMode.EMULATED and state is PresenceState.DISABLED:
        return translate("Menu", "Disabled (acts as Offline here)")
    return state.label


def presence_label(presence: str | None) -> str:
    if presence is None:
        return translate("Menu", "not known yet")
    try:
        return PresenceState(presence).label
    except ValueError:
        return presence


def message_state(s: SessionState) -> PresenceState | None:
    """The state a status message goes with: the change in flight if there is one (so editing
    the message never undoes it), else the confirmed override. None: no state to attach it to."""
    if s.pending is not None:
        return s.pending.state
    if s.unconfirmed:
        return None  # a message must not go with a state the server has not confirmed this run
    return s.override.state if s.override is not None else None


def override_text(s: SessionState) -> str:
    if s.override is None:
        return no_override_label()
    if s.override.state is None:
        return translate("Menu", "unknown state “{state}”").format(state=s.override.raw)
    return state_label(s.override.state, s.api)


def last_known_note(s: SessionState) -> str:
    """How an unconfirmed (last known) override is qualified wherever it is shown."""
    if s.connection is Connection.CONNECTING:
        return translate("Menu", "last known, checking…")
    return translate("Menu", "last known, not confirmed")


def last_known_line(s: SessionState) -> str | None:
    if not s.unconfirmed:
        return None
    return f"{override_text(s)} ({last_known_note(s)})"  # "Away (last known, checking…)"


def connection_line(s: SessionState) -> str | None:
    if s.connection is Connection.SIGNED_OUT:
        return translate("Menu", "Signed out — {reason}").format(
            reason=s.last_error or translate("Menu", "sign in again")
        )
    if s.connection is Connection.DISCONNECTED:
        return translate("Menu", "Can't reach the server — retrying")
    if s.connection is Connection.CONNECTING:
        return translate("Menu", "Connecting…")
    return None


INFO_MAX = 64


def info(key: str, text: str | None) -> MenuItem:
    """A greyed line (hidden when `text` is empty); long ones are shortened, the whole text
    becoming the item's tooltip."""
    if not text:
        return MenuItem(key, Kind.INFO, "", enabled=False, visible=False)
    if len(text) <= INFO_MAX:
        return MenuItem(key, Kind.INFO, text, enabled=False)
    return MenuItem(key, Kind.INFO, text[: INFO_MAX - 1].rstrip() + "…", enabled=False, tooltip=text)


def _account_items(s: SessionState, now: datetime, tz: tzinfo | None, multi: bool, idle: Any = None) -> list[MenuItem]:
    u = s.user_id
    p = f"acct:{u}:"
    items = [MenuItem(p + "header", Kind.HEADER, u, enabled=False, icon=icon_key_for(s))]
    signed_out = s.connection is Connection.SIGNED_OUT
    if signed_out:
        items.append(info(p + "conn", connection_line(s) or ""))
        items.append(MenuItem(p + "signin", Kind.ACTION, translate("Menu", "Sign in again…"), action=SignIn(u)))
        items.append(MenuItem(p + "signout", Kind.ACTION, translate("Menu", "Remove this account"), action=SignOut(u)))
        return items

    items.append(info(p + "lastknown", last_known_line(s)))
    items.append(info(p + "mode", s.api_label))
    items.append(info(p + "conn", connection_line(s)))
    items.append(
        info(
            p + "contested",
            translate("Menu", "Another device keeps winning — not fighting it") if s.contested else None,
        )
    )
    items.append(
        info(
            p + "presence",
            translate("Menu", "Others see you as: {presence}").format(presence=presence_label(s.presence)),
        )
    )
    if multi and idle is not None:  # each account's automatic presence (one account: one line below)
        items.append(info(p + "auto", idle.account_line(s)))
    items.append(
        info(
            p + "msg",
            translate("Menu", "Status message: “{message}”").format(message=s.status_msg) if s.status_msg else None,
        )
    )
    error = s.last_error if s.last_error and s.connection is Connection.CONNECTED and not s.contested else None
    items.append(
        info(p + "error", translate("Menu", "Last change failed: {error}").format(error=error) if error else None)
    )
    items.append(MenuItem(p + "sep1", Kind.SEPARATOR))

    confirmed = s.override.state if s.override else None
    unknown_override = s.override is not None and s.override.state is None
    pending = s.pending
    for st in STATE_ORDER:
        text = state_label(st, s.api)
        if pending is not None and pending.state == st:
            text += translate("Menu", " — setting…")
        enabled, visible = True, True
        if st is PresenceState.BUSY:
            visible = s.busy_supported  # only where the server has it
        elif st is PresenceState.DISABLED and s.disabled_unsupported:
            # Not faked: shown, greyed, with the reason (MSC4532 has no `disabled`).
            enabled = confirmed is PresenceState.DISABLED
            text = (
                translate("Menu", "Disabled — not part of MSC4532")
                if s.api is ApiMode.MSC4532
                else translate("Menu", "Disabled — {reason}").format(reason=s.disabled_unsupported)
            )
        # Nothing is checked until the first read tells us what the server holds.
        checked = s.api is not ApiMode.UNKNOWN and not s.unconfirmed and not unknown_override and confirmed == st
        items.append(
            MenuItem(
                p + "state:" + state_key(st),
                Kind.CHECK,
                text,
                checked=checked,
                group=p + "states",
                action=SetState(u, st),
                enabled=enabled,
                visible=visible,
            )
        )
    items.append(
        info(
            p + "unknown",
            translate("Menu", "Server reports an unknown state: “{state}”").format(state=s.override.raw)
            if unknown_override
            else None,
        )
    )
    ends = describe_remaining(s.override_until, now, tz) if s.override is not None and not s.unconfirmed else None
    items.append(info(p + "until", f"{override_text(s)} {ends}" if ends else None))

    if message_state(s) is None:
        msg_text, msg_enabled = translate("Menu", "Status message… (choose a state first)"), False
    elif s.api.has_override_api and not s.status_msg_supported:
        msg_text, msg_enabled = translate("Menu", "Status message… (this server doesn't keep one)"), False
    else:
        msg_text, msg_enabled = translate("Menu", "Status message…"), True
    items.append(MenuItem(p + "statusmsg", Kind.ACTION, msg_text, enabled=msg_enabled, action=EditStatusMessage(u)))
    if multi:
        items.append(MenuItem(p + "refresh", Kind.ACTION, translate("Menu", "Refresh"), action=Refresh(u)))
    items.append(MenuItem(p + "signout", Kind.ACTION, translate("Menu", "Sign out"), action=SignOut(u)))
    # Signing out needs the server; one that is gone for good must not pin the account here.
    items.append(
        MenuItem(
            p + "forget",
            Kind.ACTION,
            translate("Menu", "Remove from this computer…"),
            action=Forget(u),
            visible=s.connection is Connection.DISCONNECTED,
        )
    )
    return items


def build_menu(snap: AppSnapshot, now: datetime, tz: tzinfo | None = None) -> MenuModel:
    items: list[MenuItem] = []
    multi = len(snap.accounts) > 1
    if not snap.accounts:
        items.append(
            MenuItem("app:header", Kind.HEADER, APP_NAME, enabled=False, icon=icon_key(IconSpec("none", "signed-out")))
        )
        items.append(MenuItem("app:notsigned", Kind.INFO, translate("Menu", "Not signed in"), enabled=False))
    for n, s in enumerate(snap.accounts):
        if n:
            items.append(MenuItem(f"sep:acct{n}", Kind.SEPARATOR))
        items.extend(_account_items(s, now, tz, multi, snap.idle))
    if snap.accounts:
        from tray_app.ui.idle_menu import idle_items  # noqa: PLC0415 (it builds on this module)

        items.extend(idle_items(snap.idle, snap.accounts))
    items.append(MenuItem("sep:global", Kind.SEPARATOR))
    if snap.busy:
        items.append(MenuItem("app:busy", Kind.INFO, snap.busy, enabled=False))

    live = [s for s in snap.accounts if s.connection is not Connection.SIGNED_OUT]
    if len(live) > 1:
        all_states = {s.override.state if s.override else None for s in live}
        same = all_states.pop() if len(all_states) == 1 and not any(s.unconfirmed for s in live) else "mixed"
        children = tuple(
            MenuItem(
                "all:state:" + state_key(st),
                Kind.CHECK,
                state_label(st),
                checked=(same == st),
                group="all:states",
                action=SetState(None, st),
            )
            for st in STATE_ORDER
            if _every_account_offers(live, st)
        )
        items.append(MenuItem("all", Kind.SUBMENU, translate("Menu", "Set all accounts"), children=children))
    if live:
        children = tuple(
            MenuItem(
                "dur:" + d.value,
                Kind.CHECK,
                d.label,
                checked=(d is snap.duration),
                group="dur",
                action=ChooseDuration(d),
            )
            for d in Duration
        )
        label = snap.duration.label
        items.append(
            MenuItem(
                "dur",
                Kind.SUBMENU,
                translate("Menu", "Next change lasts: {duration}").format(duration=label[0].lower() + label[1:]),
                children=children,
            )
        )
        items.append(
            MenuItem(
                "refresh",
                Kind.ACTION,
                translate("Menu", "Refresh") if not multi else translate("Menu", "Refresh all"),
                action=Refresh(None),
            )
        )
        items.append(MenuItem("sep:bottom", Kind.SEPARATOR))
    items.append(
        MenuItem(
            "signin",
            Kind.ACTION,
            translate("Menu", "Sign in…") if not snap.accounts else translate("Menu", "Add account…"),
            action=SignIn(None),
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
    items.append(MenuItem("quit", Kind.ACTION, translate("Menu", "Quit"), action=Quit()))
    return MenuModel(tuple(items))


def _every_account_offers(accounts: Sequence[SessionState], st: PresenceState | None) -> bool:
    if st is PresenceState.BUSY:
        return all(s.busy_supported for s in accounts)
    if st is PresenceState.DISABLED:
        return not any(s.disabled_unsupported for s in accounts)
    return True


# ---------------------------------------------------------------------------------------------
# The icon.

BASES = ("online", "away", "busy", "offline", "disabled", "none")
MARKS = ("pending", "disconnected", "signed-out", "overruled")


# Marks the base of a last known, unconfirmed override (drawn dimmed): "away~unconfirmed+pending".
UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class IconSpec:
    base: str  # one of BASES
    mark: str | None = None  # one of MARKS
    unconfirmed: bool = False  # the base is the last known override, not confirmed this run


def icon_key(spec: IconSpec) -> str:
    return spec.base + ("~" + UNCONFIRMED if spec.unconfirmed else "") + (("+" + spec.mark) if spec.mark else "")


def parse_icon_key(key: str) -> IconSpec:
    base, _, mark = key.partition("+")
    base, _, flag = base.partition("~")
    if flag not in ("", UNCONFIRMED):
        raise ValueError(f"no icon for {key!r}")
    return IconSpec(base, mark or None, flag == UNCONFIRMED)


_BASE_OF = {
    PresenceState.ONLINE: "online",
    PresenceState.UNAVAILABLE: "away",
    PresenceState.OFFLINE: "offline",
    PresenceState.DISABLED: "disabled",
    PresenceState.BUSY: "busy",
}


def overruled(s: SessionState) -> PresenceState | None:
    """Emulated mode: what everyone sees when it is not what this device holds (another device
    wins), else None. Only this device's state is "held" there; nothing confirms it."""
    if s.api is not ApiMode.EMULATED or s.override is None or s.override.state is None:
        return None
    if s.pending is not None or s.presence is None or s.connection is not Connection.CONNECTED:
        return None
    if s.presence == emulated_presence(s.override.state).value:
        return None
    try:
        return PresenceState(s.presence)
    except ValueError:
        return None


def base_for(s: SessionState) -> str:
    """The server-confirmed override, never the pending one; in emulated mode, what everyone
    sees when another device wins over what this device holds."""
    seen = overruled(s)
    if seen is not None:
        return _BASE_OF[seen]
    if s.override is None or s.override.state is None:
        return "none"
    return _BASE_OF[s.override.state]


def mark_for(s: SessionState) -> str | None:
    if s.connection is Connection.SIGNED_OUT:
        return "signed-out"
    if s.pending is not None or s.connection is Connection.CONNECTING:
        return "pending"
    if s.connection is Connection.DISCONNECTED:
        return "disconnected"
    if overruled(s) is not None:
        return "overruled"
    return None


def icon_key_for(s: SessionState) -> str:
    return icon_key(IconSpec(base_for(s), mark_for(s), s.unconfirmed))


# Pending first: it answers the click just made and lasts seconds, after which a signed-out
# account's mark (which lasts until the person acts) shows again; signed-out before disconnected
# (which heals by itself).
_MARK_RANK = {"pending": 4, "signed-out": 3, "overruled": 2, "disconnected": 1, None: 0}


def icon_spec(accounts: Sequence[SessionState]) -> IconSpec:
    """One icon for all accounts: the first live account's override, the most urgent mark
    (see _MARK_RANK)."""
    if not accounts:
        return IconSpec("none", "signed-out")
    live = [s for s in accounts if s.connection is not Connection.SIGNED_OUT] or list(accounts)
    base = base_for(live[0])
    mark = max((mark_for(s) for s in accounts), key=lambda m: _MARK_RANK[m])
    return IconSpec(base, mark, live[0].unconfirmed)


# ---------------------------------------------------------------------------------------------
# The tooltip.


def _account_tooltip(s: SessionState, now: datetime, tz: tzinfo | None, automatic: str | None = None) -> str:
    lines = [s.user_id]
    if s.connection is Connection.SIGNED_OUT:
        lines.append(connection_line(s) or translate("Tooltip", "Signed out"))
        return "\n".join(lines)
    override = override_text(s)
    if s.unconfirmed:
        override += f" ({last_known_note(s)})"
    ends = describe_remaining(s.override_until, now, tz) if s.override is not None and not s.unconfirmed else None
    lines.append(translate("Tooltip", "Override: {override}").format(override=override) + (f", {ends}" if ends else ""))
    if s.status_msg:
        lines.append(translate("Tooltip", "Status message: “{message}”").format(message=s.status_msg))
    lines.append(translate("Tooltip", "Others see: {presence}").format(presence=presence_label(s.presence)))
    if automatic:
        lines.append(automatic)
    lines.append(translate("Tooltip", "Mode: {mode}").format(mode=s.api_label))
    if s.pending is not None:
        lines.append(translate("Tooltip", "Setting {state}…").format(state=state_label(s.pending.state, s.api)))
    line = connection_line(s)
    if line:
        lines.append(line)
    if s.contested:
        lines.append(translate("Tooltip", "Another device keeps winning; not fighting it"))
    elif overruled(s) is not None:
        lines.append(translate("Tooltip", "Another device is winning for now; setting it back"))
    return "\n".join(lines)


def tooltip_parts(
    accounts: Sequence[SessionState],
    now: datetime,
    tz: tzinfo | None = None,
    automatic: str | None = None,
    automatic_by_account: dict[str, str] | None = None,
) -> tuple[str, str]:
    """The tooltip as title and description (a StatusNotifierItem shows them apart).
    `automatic`: the one idle line ("Automatic: Away (idle 7 min)"), shown last;
    `automatic_by_account`: each account's own line, in its part (see idle_menu.automatic_lines)."""
    if not accounts:
        return APP_NAME, translate("Tooltip", "Not signed in — right-click to sign in")
    per = automatic_by_account or {}
    return APP_NAME, "\n\n".join(_account_tooltip(s, now, tz, per.get(s.user_id)) for s in accounts) + (
        f"\n\n{automatic}" if automatic else ""
    )


def tooltip(
    accounts: Sequence[SessionState],
    now: datetime,
    tz: tzinfo | None = None,
    automatic: str | None = None,
    automatic_by_account: dict[str, str] | None = None,
) -> str:
    """The tooltip as one text (QSystemTrayIcon): title, then description."""
    return "\n".join(tooltip_parts(accounts, now, tz, automatic, automatic_by_account))


# ---------------------------------------------------------------------------------------------
# Notifications: few, and never twice in a row for the same thing.


@dataclass(frozen=True)
class Notification:
    title: str
    text: str
    warning: bool = False
    # The session event it tells of, if any (the view holds some back while the menu shows them).
    event: SessionEvent | None = None


@dataclass
class NotificationPolicy:
    """Turns session events into notifications, sparingly.

    A kind of event for an account is shown at most once per `quiet_seconds`
    (changes made elsewhere, which a person wants to know about each time, use
    a shorter gap). "Reconnected" is only shown after "unreachable" was.
    """

    quiet_seconds: float = 600.0
    elsewhere_quiet_seconds: float = 30.0
    _last: dict[tuple[str, SessionEvent], float] = field(default_factory=dict)
    _told_unreachable: set[str] = field(default_factory=set)

    def decide(
        self, user_id: str, event: SessionEvent, message: str, state: SessionState | None, clock: float
    ) -> Notification | None:
        gap = self.elsewhere_quiet_seconds if event is SessionEvent.OVERRIDE_CHANGED_ELSEWHERE else self.quiet_seconds
        if event is SessionEvent.RECONNECTED:
            if user_id not in self._told_unreachable:
                return None
            self._told_unreachable.discard(user_id)
            self._last.pop((user_id, SessionEvent.UNREACHABLE_FOR_LONG), None)
            return Notification(
                translate("Notification", "Back online"),
                translate("Notification", "{user}: the server can be reached again.").format(user=user_id),
            )
        last = self._last.get((user_id, event))
        if last is not None and clock - last < gap and event is not SessionEvent.SIGNED_OUT:
            return None
        self._last[(user_id, event)] = clock
        detail = message.strip()
        if event is SessionEvent.OVERRIDE_CHANGED_ELSEWHERE:
            # Said once: the session's message tells the same thing in other words.
            now_text = override_text(state) if state is not None else "changed"
            return Notification(
                translate("Notification", "Presence changed elsewhere"),
                translate("Notification", "{user}: now {state}.").format(user=user_id, state=now_text),
                event=event,
            )
        if event is SessionEvent.TIMED_OVERRIDE_ENDED:
            return Notification(
                translate("Notification", "Timed override ended"),
                f"{user_id}: " + (detail or "your timed override ended."),
            )
        if event is SessionEvent.SIGNED_OUT:
            return Notification(
                translate("Notification", "Sign in again"),
                f"{user_id}: "
                + (detail or "the server signed you out.")
                + " "
                + translate("Notification", "Use “Sign in again…” in the menu."),
                warning=True,
            )
        if event is SessionEvent.UNREACHABLE_FOR_LONG:
            self._told_unreachable.add(user_id)
            return Notification(
                translate("Notification", "Server unreachable"),
                f"{user_id}: " + (detail or "can't reach the server; still retrying."),
                warning=True,
            )
        if event is SessionEvent.CONTESTED:
            return Notification(
                translate("Notification", "Another device keeps winning"),
                f"{user_id}: " + (detail or "another device keeps setting your presence."),
                warning=True,
            )
        return None


def failure_notification(user_id: str, what: str, reason: str) -> Notification:
    return Notification(f"Couldn't {what}", f"{user_id}: {reason}", warning=True)


def describe_request(state: PresenceState | None) -> str:
    return "clear the override" if state is None else f"set {state.label}"
