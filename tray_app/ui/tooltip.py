"""The tray icon's tooltip (Qt-free): for one account its override, message, what others see and
the connection; for several, a few lines whatever their number ("3 accounts: 2 Online, 1 Busy"
and what needs the person); a StatusNotifierItem shows title and description apart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from tray_app.durations import describe_remaining
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.translation import translate
from tray_app.ui.accounts_summary import summary_line, trouble_lines
from tray_app.ui.icon_state import overruled
from tray_app.ui.labels import (
    connection_line,
    last_known_note,
    mode_line,
    override_text,
    presence_label,
    state_label,
)
from tray_app.ui.view_model import APP_NAME


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
    if s.api is ApiMode.EMULATED:  # the usual case (the server keeps it) goes without saying
        lines.append(mode_line(s))
    if s.pending is not None and s.pending.message_only:
        lines.append(translate("Tooltip", "Setting the status message…"))
    elif s.pending is not None:
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
    if len(accounts) > 1:
        # Each account's lines are in the menu; here at most 1 + 3 + 1 lines (issue 19: 4
        # accounts took 20).
        lines = [summary_line(accounts), *trouble_lines(accounts)] + ([automatic] if automatic else [])
        return APP_NAME, "\n".join(lines)
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
