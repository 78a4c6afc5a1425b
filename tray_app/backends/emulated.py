"""No override API: "set" holds this device's own presence on the standard status endpoint.

Another device can always win there; the backend re-asserts a few times and then says so
(tray_app.emulation). `busy` exists where the server has MSC3026's busy presence. The hold
is kept in the settings, so it survives restarts and is shared with the command line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace

from tray_app.backends.base import (
    CLASSIC_STATES,
    MSC3026_BUSY_FLAG,
    OverrideReading,
    PresenceBackend,
    SessionLink,
)
from tray_app.backoff import after_429, sleep_full
from tray_app.emulation import FightTracker, Verdict, contested_message
from tray_app.errors import PresenceTrayError, RateLimited
from tray_app.matrix.presence_status import get_presence, put_presence
from tray_app.session_state import ApiMode, SessionEvent
from tray_app.states import Override, PresenceState, emulated_presence

log = logging.getLogger(__name__)


class EmulatedHold:
    """What this device holds and the fight for it: one per session (in `SessionLink.kept`),
    so a reconnect, which detects a new backend, neither forgets nor restarts the fight."""

    def __init__(self, link: SessionLink, user_id: str) -> None:
        self.link = link
        self.user_id = user_id
        self.fight = link.fight or FightTracker()
        self.msg: str | None = None
        self.reassert_task: asyncio.Task | None = None
        self.reload()

    @property
    def held(self) -> PresenceState | None:
        return self.fight.held

    def hold(self, state: PresenceState | None, status_msg: str | None) -> None:
        link = self.link
        self.fight.hold(state)
        self.msg = status_msg if state else None
        link.publish(contested=False)
        msg = self.msg
        link.settings.update_account(self.user_id, lambda a: replace(a, emulated_hold=state, emulated_status_msg=msg))

    def reload(self) -> None:
        """Take up a hold that another process (the CLI) wrote, so we never undo it."""
        saved = self.link.settings.account(self.user_id)
        held = saved.emulated_hold
        msg = saved.emulated_status_msg if held else None
        if held is not self.fight.held or msg != self.msg:
            self.fight.hold(held)
            self.msg = msg
            self.link.publish(contested=False)


class EmulatedBackend(PresenceBackend):
    mode = ApiMode.EMULATED
    override_is_presence = False
    releases_presence = True
    KEPT = "emulated_hold"

    def attach(self, link: SessionLink) -> None:
        super().attach(link)
        if self.KEPT not in link.kept:
            link.kept[self.KEPT] = EmulatedHold(link, self.user_id)
        self._hold: EmulatedHold = link.kept[self.KEPT]

    @property
    def status_msg(self) -> bool:
        return True  # carried on the standard presence endpoint

    @property
    def offered(self) -> frozenset[PresenceState]:
        if self.features.has(MSC3026_BUSY_FLAG):
            return CLASSIC_STATES | {PresenceState.BUSY}
        return CLASSIC_STATES

    def not_offered_reason(self, state: PresenceState) -> str:
        if state is PresenceState.BUSY:
            return "this server has no busy presence (MSC3026) and no MSC4532"
        return super().not_offered_reason(state)

    # -- the operations ------------------------------------------------------------------

    async def read(self) -> OverrideReading:
        """What this device holds: nothing to ask the server."""
        hold = self._hold
        hold.reload()
        held = hold.held
        return OverrideReading(Override(held, held.value) if held else None, hold.msg if held else None)

    async def set(self, state: PresenceState, status_msg: str | None) -> None:
        await self._change(state, status_msg)

    async def clear(self) -> None:
        await self._change(None, None)

    async def _change(self, state: PresenceState | None, status_msg: str | None) -> None:
        """Hold first, so a sync starting meanwhile already carries the new state; take it back
        if the server did not take it. Nothing confirms it: what others see is read back (this
        device may not win)."""
        hold = self._hold
        held_before = (hold.held, hold.msg)
        hold.hold(state, status_msg)
        try:
            await self._send(state, status_msg)
        except BaseException:
            hold.hold(*held_before)
            raise

    async def _send(self, state: PresenceState | None, status_msg: str | None) -> None:
        if state is not None:
            await put_presence(self.requests, self.user_id, emulated_presence(state), status_msg)
        elif self.link is not None and self.link.release is not None:
            # Releasing the hold: this device's automatic presence (offline only where that is
            # neutral, which leaves the others to decide), never offline while you are here.
            await self.link.release()
        else:
            await put_presence(self.requests, self.user_id, PresenceState.OFFLINE, None)

    async def resume(self) -> None:
        hold = self._hold
        hold.reload()
        if hold.held is None:
            return
        try:
            await self._send(hold.held, hold.msg)
        except RateLimited as e:
            # A presence write of this user within rc_presence's window (our own click, mostly)
            # is no outage: the hold is put back once the window has passed, and the sync
            # carries it meanwhile.
            log.info("putting the held presence back was rate limited (%s ms)", e.retry_after_ms)
            if hold.reassert_task is None or hold.reassert_task.done():
                hold.reassert_task = self.link.spawn(self._reassert(hold.held, after_429(e.retry_after_ms)))

    def sync_presence(self, automatic: PresenceState | None) -> str | None:
        """The held state (or `offline` once we gave up, so that nothing keeps pushing);
        with nothing held, the session's rule. Takes up a hold the CLI wrote first."""
        self._hold.reload()
        if self._hold.held is None:
            return None
        presence = self._hold.fight.sync_presence
        # Synapse's /sync has no busy (400 on `set_presence=org.matrix.msc3026.busy`, every sync
        # failing), and a sync never overrides a busy set by PUT status: say online meanwhile.
        return PresenceState.ONLINE.value if presence == PresenceState.BUSY.value else presence

    # -- the fight -------------------------------------------------------------------------

    def own_presence(self, presence: str) -> None:
        hold = self._hold
        if hold.held is None:
            return
        if hold.reassert_task is not None and not hold.reassert_task.done():
            return  # the running re-assert reads the outcome itself
        delay = self._judge(hold.held, presence)
        if delay is not None:
            hold.reassert_task = self.link.spawn(self._reassert(hold.held, delay))

    def _judge(self, held: PresenceState, presence: str) -> float | None:
        """Feed what the server shows to the fight tracker; the delay if we should re-assert."""
        link = self.link
        decision = self._hold.fight.observe(presence, time.monotonic())
        if decision.verdict is Verdict.REASSERT:
            return decision.delay
        if decision.verdict is Verdict.GIVE_UP:
            message = contested_message(held, presence)
            link.publish(contested=True, last_error=message)
            link.emit(SessionEvent.CONTESTED, message)
        elif decision.verdict is Verdict.OK and link.state().contested:
            link.publish(contested=False, last_error=None)
        return None

    async def _reassert(self, held: PresenceState, delay: float | None) -> None:
        """Put our state back, then look: with per-device presence the other device may
        still win without any new event, so the outcome is read, not awaited."""
        link, hold = self.link, self._hold
        while delay is not None:
            await sleep_full(delay)
            try:
                async with link.lock:
                    hold.reload()
                    if hold.held is not held or link.is_closed():
                        return  # the user chose something else meanwhile
                    await self._send(held, hold.msg)
                    reading = await get_presence(self.requests, self.user_id)
            except RateLimited as e:
                log.info("re-asserting presence was rate limited (%s ms)", e.retry_after_ms)
                delay = after_429(e.retry_after_ms)
                continue
            except PresenceTrayError as e:
                log.info("re-asserting presence failed: %s", e.message)
                return
            link.publish(presence=reading.presence)
            delay = self._judge(held, reading.presence)
