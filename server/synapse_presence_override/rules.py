"""The override rules: what others (and the user) see of an overridden user, given the override
and the user's devices, and which changes are worth telling anyone.

Nothing here imports Synapse or `synapse_private`: a presence state is anything with Synapse's
`UserPresenceState` fields (`state`, `status_msg`, `currently_active`, `last_active_ts`) and its
`copy_and_replace`, so the rules can be read and unit-tested on their own
(tests/unit/test_override_rules.py). `synapse_private.enforcer` applies them inside Synapse's
presence handler.
"""

from __future__ import annotations

from typing import Any

from .values import DISABLED, OFFLINE, ONLINE, Override


def with_own_message(state: Any, message: str | None) -> Any:
    """A state of a user without an override. MSC4532: a status message set in the account data
    without an override is the user's message, whatever a device sends."""
    if message is not None and state.status_msg != message:
        state = state.copy_and_replace(status_msg=message)
    return state


def shown(state: Any, prev: Any, override: Override, devices_connected: bool, now: int, msc3026_busy: bool) -> Any:
    """What an incoming `state` becomes while `override` holds (`prev`: the state shown now)."""
    if override.follows_devices and not devices_connected:
        # MSC4532 rule 1: no device connected -> offline, whatever the override
        # (last active as it was shown, so going offline tells nothing more).
        return state.copy_and_replace(
            state=OFFLINE,
            status_msg=override.status_msg,
            currently_active=False,
            last_active_ts=(prev or state).last_active_ts,
        )
    return apply(state, override, now, msc3026_busy)


def apply(state: Any, override: Override, now: int, msc3026_busy: bool = False) -> Any:
    """The state others (and the user) see while `override` holds."""
    if override.presence == ONLINE:
        # Always "currently active": Synapse computes currently_active from
        # last_active_ts, and a constant True never triggers a notification.
        return state.copy_and_replace(
            state=ONLINE,
            status_msg=override.status_msg,
            last_active_ts=now,
            currently_active=True,
        )
    return state.copy_and_replace(
        state=override.effective_presence(msc3026_busy),
        status_msg=override.status_msg,
        last_active_ts=override.last_active_ts,
        # `disabled`'s mark (see `is_disabled_mark`); nobody sees currently_active offline.
        currently_active=override.presence == DISABLED,
    )


def visible(state: Any, ignore_last_active: bool) -> tuple[Any, ...]:
    """What clients and servers can see of a state (what `should_notify` compares)."""
    return (
        state.state,
        state.status_msg,
        state.currently_active,
        None if ignore_last_active else state.last_active_ts,
    )


def changes_nothing_visible(prev: Any, target: Any, override: Override, force_notify: bool) -> bool:
    """Whether `target` shows nobody anything `prev` did not: then the enforcer hands Synapse
    nothing, so nothing is marked for persisting (a stream row wakes watchers)."""
    ignore_last_active = override.presence == ONLINE and target.state == ONLINE
    return (
        not force_notify
        and prev is not None
        and visible(prev, ignore_last_active) == visible(target, ignore_last_active)
    )


def needs_device_timeout(override: Override, target: Any) -> bool:
    """Whether a dropped update must still arm Synapse's timeout check: rule 1 needs it to see
    the devices leave (the one timer a device's sync would have armed)."""
    return override.follows_devices and target.state != OFFLINE


def is_disabled_mark(state: Any) -> bool:
    """A state the module stored for `disabled`: offline, never active, yet "currently
    active". Stock Synapse never makes it (currently_active needs a recent last_active_ts),
    clients never see it (currently_active is only sent with online), and, unlike a list
    of users, it reaches a federation sender worker with the presence stream."""
    return bool(state.state == OFFLINE and state.currently_active and not state.last_active_ts)
