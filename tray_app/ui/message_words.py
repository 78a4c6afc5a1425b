"""The status message's words in the menu and the dialog (Qt-free): all
through `translate()`, in one place."""

from __future__ import annotations

from datetime import datetime, tzinfo

from tray_app.durations import format_end
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.translation import translate


def message_line(s: SessionState, now: datetime, tz: tzinfo | None) -> str | None:
    """The account's greyed line: "Status message: “At lunch”" (" — until 14:30" while it
    clears by itself); None without a message."""
    if not s.status_msg:
        return None
    line = translate("Menu", "Status message: “{message}”").format(message=s.status_msg)
    if s.message_until is not None:
        line = translate("Menu", "{message} — clears at {end}").format(
            message=line, end=format_end(s.message_until, now, tz)
        )
    return line


def message_item(s: SessionState, held: bool) -> tuple[str, bool]:
    """The "Status message…" item's text and whether it can be picked. `held`: a state holds
    (or is on its way) that a message may go with. Where the server keeps a message only with
    a state, the item says so instead of offering what it cannot keep."""
    if s.connection is Connection.SIGNED_OUT or s.api is ApiMode.UNKNOWN or s.unconfirmed:
        return translate("Menu", "Status message…"), False
    if s.message_alone:
        return translate("Menu", "Status message…"), True
    if s.api.has_override_api and not s.status_msg_supported:
        return translate("Menu", "Status message… (this server doesn't keep one)"), False
    if not held:
        return translate("Menu", "Status message… (this server keeps one only with a state)"), False
    return translate("Menu", "Status message…"), True


def clear_message_item() -> str:
    return translate("Menu", "Clear message")


def dialog_note(s: SessionState) -> str:
    """What the dialog says about how long the message lasts on this server."""
    if s.message_alone:
        return translate(
            "StatusMessage", "Your message stays when you change your state, until you clear it or its time runs out."
        )
    return translate(
        "StatusMessage", "This server keeps a message only together with a state: it goes when the state is cleared."
    )
