"""The durations offered with a state in the menu and the window (Qt-free): "For a while" under
each state, and "Extend" while a timed state runs. Apart from menu_content.py (the menu as a
whole) and menu_account.py (one account's section), which both offer them."""

from __future__ import annotations

from datetime import datetime, tzinfo

from tray_app.durations import Duration, next_morning
from tray_app.session_state import SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.view_model import Extend, Kind, MenuItem, SetState


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


def extend_item(key: str, s: SessionState, now: datetime, tz: tzinfo | None, timed: bool) -> MenuItem:
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
