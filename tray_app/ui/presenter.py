"""What the tray shows, as plain data: menu, icon, tooltip, notification texts.

Qt-free on purpose (none of these modules imports Qt), so the mapping from session state to
what a person sees is unit-tested without a screen. The Qt views in this package only draw
these models and forward clicks as `Action`s. Split by concern; this module gathers them:

- `view_model`: the types at the seam (actions, menu items, menu, snapshot, icon spec,
  notification); a leaf that imports nothing of the UI;
- `labels`: the words for states, presence and connection;
- `menu_content`: the menu (and the window's headline);
- `icon_state`: which icon;
- `tooltip`: the tooltip;
- `notifications`: which notifications, and their words.
"""

from __future__ import annotations

from tray_app.durations import Duration
from tray_app.ui.icon_state import base_for, icon_key_for, icon_spec, mark_for, overruled
from tray_app.ui.labels import (
    connection_line,
    last_known_line,
    last_known_note,
    no_override_label,
    override_text,
    presence_label,
    state_label,
)
from tray_app.ui.menu_content import INFO_MAX, STATE_ORDER, build_menu, info, message_state, state_key
from tray_app.ui.notifications import NotificationPolicy, failure_notification
from tray_app.ui.tooltip import tooltip, tooltip_parts
from tray_app.ui.view_model import (
    APP_NAME,
    BASES,
    MARKS,
    UNCONFIRMED,
    Action,
    AppSnapshot,
    EditStatusMessage,
    EndNow,
    Extend,
    Forget,
    Headline,
    IconSpec,
    Kind,
    MenuItem,
    MenuModel,
    Notification,
    Placement,
    Quit,
    Refresh,
    SetState,
    SignIn,
    SignOut,
    ToggleAutostart,
    icon_key,
    parse_icon_key,
)

__all__ = [
    "APP_NAME",
    "BASES",
    "INFO_MAX",
    "MARKS",
    "STATE_ORDER",
    "UNCONFIRMED",
    "Action",
    "AppSnapshot",
    "Duration",
    "EditStatusMessage",
    "EndNow",
    "Extend",
    "Forget",
    "Headline",
    "IconSpec",
    "Kind",
    "MenuItem",
    "MenuModel",
    "Notification",
    "NotificationPolicy",
    "Placement",
    "Quit",
    "Refresh",
    "SetState",
    "SignIn",
    "SignOut",
    "ToggleAutostart",
    "base_for",
    "build_menu",
    "connection_line",
    "failure_notification",
    "icon_key",
    "icon_key_for",
    "icon_spec",
    "info",
    "last_known_line",
    "last_known_note",
    "mark_for",
    "message_state",
    "no_override_label",
    "override_text",
    "overruled",
    "parse_icon_key",
    "presence_label",
    "state_key",
    "state_label",
    "tooltip",
    "tooltip_parts",
]
