"""The "Server details…" view's words (Qt-free): what the server offers and through which
interface, for the person who asks. The menu, the tooltip and the window say it in plain words
(labels.mode_line); the proposal numbers and endpoints are only here. The words go through
`translate()`; the identifiers (proposal numbers, paths, event types) are put in as data."""

from __future__ import annotations

from tray_app.matrix.override_api import STABLE_PATH, UNSTABLE_FLAG
from tray_app.session_state import ApiMode, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.labels import mode_line

OVERRIDE_MSC = "MSC4043"
PUSH_MSC = "MSC4532"
DISABLED_MSC = "MSC4042"
BUSY_MSC = "MSC3026"


def _interface(s: SessionState) -> str:
    if s.api is ApiMode.STABLE:
        return translate("Details", "Presence override, {msc} (stable endpoint {path})").format(
            msc=OVERRIDE_MSC, path=STABLE_PATH.format(user=s.user_id)
        )
    if s.api is ApiMode.UNSTABLE:
        return translate("Details", "Presence override, {msc} (unstable prefix {prefix})").format(
            msc=OVERRIDE_MSC, prefix=UNSTABLE_FLAG
        )
    if s.api is ApiMode.MSC4532:
        return translate("Details", "Presence override in account data, {msc}").format(msc=PUSH_MSC)
    if s.api is ApiMode.EMULATED:
        return translate(
            "Details",
            "None: the server has no presence override ({msc}). Presence Tray holds this device's "
            "presence while it runs; other devices can outvote it.",
        ).format(msc=OVERRIDE_MSC)
    return translate("Details", "Not known yet (still checking)")


def _changes(s: SessionState) -> str:
    if s.watching:
        return translate("Details", "Pushed by the server ({msc}, account data event {event})").format(
            msc=PUSH_MSC, event=s.watching
        )
    if s.api is ApiMode.EMULATED:
        return translate("Details", "Seen in what the server reports for your presence")
    return translate("Details", "Read again when the menu opens, and regularly")


def _row(label: str, value: str) -> str:
    """ "label: value" (French: a no-break space before the colon)."""
    return translate("Details", "{label}: {value}").format(label=label, value=value)


def _yes_no(offered: bool) -> str:
    return translate("Details", "offered") if offered else translate("Details", "not offered by this server")


def details(s: SessionState) -> list[tuple[str, str]]:
    """The view's rows: (label, value)."""
    rows = [
        (translate("Details", "Account"), s.user_id),
        (translate("Details", "Homeserver"), s.homeserver),
    ]
    if s.device_id:
        rows.append((translate("Details", "Device"), s.device_id))
    rows.append((translate("Details", "In plain words"), mode_line(s)))
    rows.append((translate("Details", "Interface"), _interface(s)))
    if s.api is not ApiMode.UNKNOWN:
        rows.append((translate("Details", "Changes made elsewhere"), _changes(s)))
        rows.append(
            (
                translate("Details", "Busy"),
                _yes_no(s.busy_supported) + f" ({BUSY_MSC}, {PUSH_MSC})",
            )
        )
        disabled = _yes_no(s.disabled_unsupported is None) + f" ({DISABLED_MSC})"
        if s.disabled_unsupported:  # the interface's own reason, as it words it
            disabled = _row(disabled, s.disabled_unsupported)
        rows.append((PresenceState.DISABLED.label, disabled))
        if s.api.has_override_api:
            rows.append((translate("Details", "Status message with the override"), _yes_no(s.status_msg_supported)))
    return rows


def title(user_id: str) -> str:
    return translate("Details", "Server details — {user}").format(user=user_id)


def as_text(s: SessionState) -> str:
    """The rows as lines ("label: value"), for a plain message box."""
    return "\n".join(_row(k, v) for k, v in details(s))
