"""The seam between the presenter and the views: what a view is given and what it hands back.

A leaf: it imports nothing of `tray_app.ui` (nor Qt), and holds no wording; every other
module of the UI imports its types from here. The presenter (`presenter.py` and the modules
it gathers) fills these types; the views (Qt menu, StatusNotifierItem menu, window, icons,
notifications) only draw them and forward clicks as `Action`s. No view parses a text back
into data: what it needs to place or label an item is a field here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from tray_app.automatic import Driver
from tray_app.durations import Duration
from tray_app.idle.policy import AutoPresence, IdlePolicy
from tray_app.session_state import SessionEvent, SessionState
from tray_app.states import PresenceState

APP_NAME = "Presence Tray"  # a name, never translated

# ---------------------------------------------------------------------------------------------
# Actions: what a click asks for. The controller executes them.


@dataclass(frozen=True)
class SetState:
    user_id: str | None  # None: every signed-in account
    state: PresenceState | None  # None: clear the override ("No override (automatic)")
    duration: Duration = Duration.UNTIL_CHANGED  # how long it lasts (ignored when clearing)


@dataclass(frozen=True)
class EndNow:
    """End the running timed state now, the way its end would."""

    user_id: str


@dataclass(frozen=True)
class Extend:
    """Make the running timed state last longer: `by` a fixed span more than its end, until
    tomorrow morning, or (UNTIL_CHANGED) until changed."""

    user_id: str
    by: Duration


@dataclass(frozen=True)
class EditStatusMessage:
    user_id: str


@dataclass(frozen=True)
class ShowServerDetails:
    """ "Server details…": what the server offers, and through which interface."""

    user_id: str


@dataclass(frozen=True)
class ClearStatusMessage:
    """Remove the status message (the state stays)."""

    user_id: str


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
class TogglePauseBanners:
    """ "Pause notifications while Busy" (the desktop's do-not-disturb)."""


@dataclass(frozen=True)
class OpenCalendar:
    """ "Use my calendar…": the dialog that takes a calendar's address or file."""


@dataclass(frozen=True)
class ToggleBusyWhenDoNotDisturb:
    """ "When do not disturb is on: Busy" (the person's do-not-disturb as automatic presence)."""


@dataclass(frozen=True)
class Quit:
    pass


@dataclass(frozen=True)
class SetIdlePolicy:
    """A click in the automatic-presence submenu: the whole new policy."""

    policy: IdlePolicy


Action = (
    SetState
    | EndNow
    | Extend
    | EditStatusMessage
    | ShowServerDetails
    | ClearStatusMessage
    | Refresh
    | SignIn
    | SignOut
    | Forget
    | ToggleAutostart
    | TogglePauseBanners
    | OpenCalendar
    | ToggleBusyWhenDoNotDisturb
    | Quit
    | SetIdlePolicy
)

# ---------------------------------------------------------------------------------------------
# The menu model (the window draws the same one).


class Kind(enum.Enum):
    HEADER = "header"  # bold, not clickable (the account)
    INFO = "info"  # greyed text line
    ACTION = "action"
    CHECK = "check"  # checkable; `group` makes it exclusive
    SEPARATOR = "separator"
    SUBMENU = "submenu"


class Placement(enum.Enum):
    """Where a view with room for it (the window) puts an item; a menu lists them in order."""

    MAIN = "main"  # in the flow of its section
    QUIET = "quiet"  # a quiet (flat) button in a row under its section (its account's, or the app's)
    QUIET_END = "quiet-end"  # the same, alone at the row's far end (Quit)
    # An account's one line when there are several (its icon and state; its items as children):
    # the window draws it as a compact row whose button opens the children as a menu.
    ACCOUNT = "account"


@dataclass(frozen=True)
class MenuItem:
    key: str  # stable across renders, so a view can update an open menu in place
    kind: Kind
    text: str = ""
    enabled: bool = True
    checked: bool = False
    group: str | None = None
    action: Action | None = None
    icon: str | None = None  # an IconSpec key (see icon_key): headers, account lines, states
    tooltip: str | None = None  # the full text where `text` was shortened
    # Lines that come and go (connection trouble, a status message, a running timer) stay in the
    # model hidden, so the menu's structure is stable and an open menu is updated in place.
    visible: bool = True
    children: tuple[MenuItem, ...] = ()
    account: str | None = None  # the account (user ID) whose section holds it; None: the app's
    placement: Placement = Placement.MAIN
    label: str | None = None  # a submenu's name without its current choice, as a field's label
    prompt: str | None = None  # a submenu's first entry in a field that offers its children, choosing none
    # A CHECK item may have children (a state and its durations): a menu opens them as a submenu
    # (where the view allows it, a plain click on the item still does its own action); a view that
    # shows the item and its children apart (the window) puts them behind a button with this text.
    children_label: str | None = None
    # What the item does where its key alone does not say it (one key, two meanings: "signin" is
    # "Sign in…" with no account and "Add account…" with some); its access key follows it.
    access: str | None = None

    def shape(self) -> tuple[object, ...]:
        """What must match for an in-place update (texts and states may differ)."""
        return (self.key, self.kind, self.group, tuple(c.shape() for c in self.children))


@dataclass(frozen=True)
class Headline:
    """The state in words, for a view with a top line (the window): one account's chosen state
    and what others see; with several accounts, a summary of all ("3 accounts: 2 Online, 1 Busy")."""

    state: str
    seen: str = ""
    repeats: str | None = None  # the key of the menu line the headline repeats (a view may leave it out)


@dataclass(frozen=True)
class MenuModel:
    items: tuple[MenuItem, ...]
    headline: Headline | None = None

    def shape(self) -> tuple[object, ...]:
        return tuple(i.shape() for i in self.items)

    def walk(self) -> Iterator[MenuItem]:
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


# ---------------------------------------------------------------------------------------------
# The input: everything the presenter needs, at one moment.


@dataclass(frozen=True)
class IdleMenuState:
    """The automatic presence as the menu shows it: the desktop's idle and lock, and what
    drives it now among all automatic sources (tray_app.automatic)."""

    available: bool | None  # None: still looking for sources
    current: AutoPresence
    policy: IdlePolicy
    # The driver that decides for an account whose server has Busy for automatic presence, and
    # for one whose server has none (None: neutral there, or not given: the idle policy's alone).
    driving: Driver | None = None
    driving_without_busy: Driver | None = None
    # "When do not disturb is on: Busy"; None: this desktop has no do-not-disturb switch.
    busy_when_dnd: bool | None = None


@dataclass(frozen=True)
class CalendarMenuState:
    """ "Use my calendar": whether it is on, and its one line while it fails (None: fine)."""

    enabled: bool
    problem: str | None = None


@dataclass(frozen=True)
class AppSnapshot:
    accounts: tuple[SessionState, ...]
    autostart: bool | None = None  # None: autostart not available on this system
    busy: str | None = None  # e.g. "Signing out…"
    idle: IdleMenuState | None = None  # None: no automatic presence
    pause_banners: bool | None = None  # "Pause notifications while Busy"; None: no switch found
    calendar: CalendarMenuState | None = None  # None: no calendar in this applet (tests)


# ---------------------------------------------------------------------------------------------
# The icon.

BASES = ("online", "away", "busy", "offline", "disabled", "none")
# "automatic": no override is set, the base is what the desktop (idle, lock) makes of this device;
# no mark on a state-coloured base: you set it.
MARKS = ("pending", "disconnected", "signed-out", "overruled", "automatic")

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


# ---------------------------------------------------------------------------------------------
# Notifications.


@dataclass(frozen=True)
class Notification:
    title: str
    text: str
    warning: bool = False
    # The session event it tells of, if any (the view holds some back while the menu shows them).
    event: SessionEvent | None = None
    # The account it is about, if one: a view that keeps it on screen (the window) drops it once
    # that account's state has moved on.
    user_id: str | None = None
