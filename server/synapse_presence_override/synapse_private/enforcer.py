"""Enforcement on the presence writer: the override rules (`..rules`) applied inside Synapse's
presence handler, and the federation keep-alives for held overrides."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from .. import rules
from ..values import OFFLINE, Override


class PresenceEnforcer:
    """Rewrites overridden users' presence in the presence writer's handler."""

    def __init__(
        self,
        lookup: Callable[[str], Override | None],
        is_loaded: Callable[[], bool],
        ensure_loaded: Callable[[], Awaitable[None]],
        msc3026_busy: bool = False,
        message: Callable[[str], str | None] = lambda user_id: None,
        catch_up: Callable[[list[str]], Awaitable[None]] | None = None,
    ):
        self._lookup = lookup
        self._is_loaded = is_loaded
        self._ensure_loaded = ensure_loaded
        self._msc3026_busy = msc3026_busy
        self._message = message
        self._catch_up = catch_up

    async def update_states(
        self,
        handler: Any,
        original: Callable[..., Awaitable[None]],
        new_states: Iterable[Any],
        force_notify: bool,
        catch_up: bool = True,
    ) -> None:
        if not self._is_loaded():
            await self._ensure_loaded()
        new_states = list(new_states)
        if catch_up and self._catch_up is not None:
            # Users met for the first time since the start: their account-data event is
            # read (once) before their state is judged.
            await self._catch_up([state.user_id for state in new_states])
        # From here to Synapse's own bookkeeping there is no await: nothing can slip
        # between the rewrite and the comparison with the previous state.
        now = handler.clock.time_msec()
        current = handler.user_to_current_state
        passed = []
        for state in new_states:
            override = self._lookup(state.user_id)
            if override is None:
                passed.append(rules.with_own_message(state, self._message(state.user_id)))
                continue
            prev = current.get(state.user_id)
            connected = not override.follows_devices or _device_connected(handler, state.user_id)
            target = rules.shown(state, prev, override, connected, now, self._msc3026_busy)
            if rules.changes_nothing_visible(prev, target, override, force_notify):
                # Nothing anyone can see changes: hand Synapse nothing, so nothing is marked
                # for persisting (a stream row wakes watchers). Keep-alives: `send_keepalives`.
                if rules.needs_device_timeout(override, target):
                    # Rule 1 needs Synapse's timeout check to see the devices leave: the one
                    # timer a device's sync would have armed (Synapse's `handle_update`).
                    handler.wheel_timer.insert(now=now, obj=state.user_id, then=now + handler._sync_online_timeout)
                continue
            passed.append(target)
        if passed or force_notify:
            await original(handler, passed, force_notify=force_notify)

    async def send_keepalives(self, handler: Any, overrides: Iterable[Override], ping_after_ms: int) -> int:
        """Federation keep-alives for held overrides, in one batch (Synapse's own pings ride
        on `_update_states`, which a held override no longer reaches). Returns how many."""
        from synapse.handlers.presence import get_interested_remotes

        now = handler.clock.time_msec()
        due = []
        for override in overrides:
            state = handler.user_to_current_state.get(override.user_id)
            if state is None or state.state == OFFLINE:
                continue  # nothing to keep alive: remote servers time out to offline
            if now - state.last_federation_update_ts > ping_after_ms:
                state = state.copy_and_replace(last_federation_update_ts=now)
                handler.user_to_current_state[override.user_id] = state
                due.append(state)
        if due:
            hosts_to_states = await get_interested_remotes(
                handler.store,
                handler.presence_router,
                due,
                handler._rooms_to_exclude_from_presence,
            )
            for destinations, states in hosts_to_states:
                await handler._federation_queue.send_presence_to_destinations(states, destinations)
        return len(due)


def _device_connected(handler: Any, user_id: str) -> bool:
    """Any device of the user not offline (Synapse drops a device once it timed out)."""
    devices = handler._user_to_device_to_current_state.get(user_id, {})
    return any(device.state != OFFLINE for device in devices.values())
