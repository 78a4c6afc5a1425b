"""The narrow surface of Synapse the rest of the module uses: process roles, the presence
handler (taken when first needed, never while the module loads), Synapse's limiter and
linearizer, pushing overrides and restoring normal presence when one is cleared."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from ..values import MSC3026_BUSY, ONLINE
from .patches import HS_ATTR, HomeserverHooks

if TYPE_CHECKING:
    from synapse.module_api import ModuleApi


class SynapseInternals:
    """The narrow surface the rest of the module uses; the handler is taken when first
    needed, never while the module loads."""

    def __init__(self, api: ModuleApi):
        self.hs: Any = api._hs

    # --- process roles ---------------------------------------------------------------

    @property
    def presence_writers(self) -> list[str]:
        return list(self.hs.config.worker.writers.presence)

    @property
    def instance_name(self) -> str:
        return str(self.hs.get_instance_name())

    @property
    def is_presence_writer(self) -> bool:
        # The same test Synapse uses to pick PresenceHandler over WorkerPresenceHandler.
        return self.instance_name in self.presence_writers

    @property
    def presence_enabled(self) -> bool:
        return bool(self.hs.config.server.presence_enabled)

    @property
    def presence_tracked(self) -> bool:
        return bool(self.hs.config.server.track_presence)

    @property
    def msc3026_busy(self) -> bool:
        """Synapse's MSC3026 busy state is on (else a `busy` override shows `unavailable`)."""
        return bool(getattr(self.hs.config.experimental, "msc3026_enabled", False))

    def handler(self) -> Any:
        from synapse.handlers.presence import PresenceHandler

        handler = self.hs.get_presence_handler()
        return handler if isinstance(handler, PresenceHandler) else None

    def built_handler(self) -> Any:
        """The presence writer's handler if Synapse has built it already (never builds it)."""
        from synapse.handlers.presence import PresenceHandler

        handler = vars(self.hs).get("_presence_handler")
        return handler if isinstance(handler, PresenceHandler) else None

    def federation_ping_interval(self) -> int:
        from synapse.handlers.presence import FEDERATION_PING_INTERVAL

        return int(FEDERATION_PING_INTERVAL)

    # --- helpers from Synapse's utilities -------------------------------------------

    def make_presence_ratelimiter(self) -> Any:
        """A limiter with Synapse's own `rc_presence.per_user` settings (as /status uses)."""
        from synapse.api.ratelimiting import Ratelimiter

        return Ratelimiter(
            store=self.hs.get_datastores().main,
            clock=self.hs.get_clock(),
            cfg=self.hs.config.ratelimiting.rc_presence_per_user,
        )

    def make_linearizer(self, name: str) -> Any:
        from synapse.util.async_helpers import Linearizer

        return Linearizer(name=name, clock=self.hs.get_clock())

    # --- pushing and clearing ------------------------------------------------------------

    async def push_overrides(self, user_ids: list[str], catch_up: bool = True) -> None:
        """Run the users' current states through the (wrapped) update path in one call, so
        the overrides are stored and announced now. `catch_up=False`: without reading the
        users' account data first (start-up)."""
        handler = self.handler()
        if handler is None or not handler._presence_enabled or not user_ids:
            return
        states = list((await handler.current_state_for_users(user_ids)).values())
        hooks = getattr(self.hs, HS_ATTR, None)
        original = getattr(type(handler)._update_states, "__wrapped__", None)
        if catch_up or not isinstance(hooks, HomeserverHooks) or hooks.enforcer is None or original is None:
            await handler._update_states(states)
        else:
            await hooks.enforcer.update_states(handler, original, states, False, catch_up=False)

    async def push_override(self, user_id: str) -> None:
        await self.push_overrides([user_id])

    async def set_status_msg(self, user_id: str, status_msg: str | None) -> None:
        """Give the user this status message now (the enforcer keeps it while it holds)."""
        handler = self.handler()
        if handler is None or not handler._presence_enabled:
            return
        state = await handler.current_state_for_user(user_id)
        if state.status_msg != status_msg:
            await handler._update_states([state.copy_and_replace(status_msg=status_msg)])

    def stored_state(self, user_id: str) -> Any:
        """The in-memory combined state (None for users Synapse holds as offline)."""
        handler = self.handler()
        return None if handler is None else handler.user_to_current_state.get(user_id)

    async def current_last_active_ts(self, user_id: str) -> int:
        handler = self.handler()
        if handler is None:
            return 0
        state = await handler.current_state_for_user(user_id)
        return int(state.last_active_ts or 0)

    async def restore_normal_presence(self, user_id: str, was_busy: bool = False) -> None:
        """After the override is gone, aggregate the user's devices as Synapse would and
        apply the result at once (an actively syncing `online` device shows online again).
        """
        handler = self.handler()
        if handler is None or not handler._presence_enabled:
            return
        from synapse.handlers.presence import _combine_device_states, handle_timeout

        prev = await handler.current_state_for_user(user_id)
        # No awaits from here until the update is handed to Synapse.
        now = handler.clock.time_msec()
        devices = handler._user_to_device_to_current_state.get(user_id, {})
        if was_busy and prev.state == MSC3026_BUSY:
            # Synapse keeps a syncing device `busy` while the user shows busy (its MSC3026
            # "syncs do not override busy"): those came from the override, not the devices.
            for device in devices.values():
                if device.state == MSC3026_BUSY:
                    device.state = ONLINE
        combined = _combine_device_states(devices.values())
        last_active = max((d.last_active_ts for d in devices.values()), default=prev.last_active_ts)
        candidate = prev.copy_and_replace(
            state=combined,
            status_msg=None,
            last_active_ts=last_active,
            currently_active=False,
        )
        # Devices that stopped syncing or went idle while the override held (a held
        # override arms no timers for the user) are aged out now with Synapse's own rules.
        syncing = {key for key, count in handler._user_device_to_num_current_syncs.items() if count}
        syncing.update(itertools.chain(*handler.external_process_to_current_syncs.values()))
        timed_out = handle_timeout(
            candidate,
            handler.is_mine_id(user_id),
            syncing,
            devices,
            now,
            idle_timer=handler._idle_timer,
            sync_online_timeout=handler._sync_online_timeout,
            last_active_granularity=handler._last_active_granularity,
        )
        await handler._update_states([timed_out or candidate])
