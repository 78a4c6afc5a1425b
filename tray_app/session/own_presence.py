"""What this device tells the server its presence is, by sync or by PUT.

A sync's set_presence reaches the server only when the sync starts, and a sync may start only
once per 10 s (rc_presence): a change waiting for it arrived up to a long poll late, and one
started sooner was dropped. PUT /presence/{me}/status has a budget of its own (one per 10 s,
a 429 with retry_after_ms beyond it), so a change of this device's presence goes out by one PUT
the moment it is due, and every later sync carries the same state, so nothing contradicts it.
Never a loop: one PUT per change, and automatic changes (idle, lock) come at most one per 30 s
(PresenceGate).

Owns `_announced` (what the server last took from us) with the sync channel, which sets it
when a sync starts.
"""

from __future__ import annotations

import asyncio
import logging
import time

from tray_app.backends import PresenceBackend
from tray_app.backends.base import connected_presence
from tray_app.backoff import sleep_full, wait_out
from tray_app.errors import PresenceTrayError, RateLimited, ServerRefused, TokenRejected
from tray_app.matrix.presence_status import put_presence
from tray_app.session.core import SessionCore
from tray_app.session_state import SessionState
from tray_app.states import PresenceState, Wording, emulated_presence, presence_to_wire

log = logging.getLogger(__name__)

# Kept across reconnects (SessionLink.kept): the server refused MSC4532's client states.
OLD_WORDS_ONLY = "presence_in_old_words"


class OwnPresence(SessionCore):
    # -- what the sync says ------------------------------------------------------------

    def _keep_connected(self) -> bool:
        """An override holds that shows only while a device of the user is connected (MSC4532's
        rule 1): this device stays connected while the applet runs."""
        override = self._state.override
        return (
            self._have_read
            and override is not None
            and self._api is not None
            and (self._api.override_follows_devices(override.state))
        )

    def _wake_sync_if_presence_changed(self) -> None:
        """Our sync says `offline` while this device must now stay connected (an override that
        rule 1 applies to): a new sync carries it, spaced so that it counts. Nothing else
        hurries: an initial sync is answered at once anyway (and one cut short and begun again
        after a change would never report an `offline` presence: initial syncs leave it out)."""
        if (
            self._runner is not None
            and self._since is not None
            and self._sync_carrying == PresenceState.OFFLINE.value
            and self._sync_presence() != PresenceState.OFFLINE.value
        ):
            self._presence_changed.set()

    def _sync_presence(self) -> str:
        """`set_presence` for our sync: what the backend needs (a held emulated state, MSC4532's
        "we are here"); else, with no override, this device's automatic presence; else, with an
        override that shows only while a device is connected (MSC4532's rule 1), a connected
        presence the override outranks; else `offline`, which leaves presence alone, so the
        tray never makes anyone look online against an override."""
        needed = self._api.sync_presence(self._auto_gate.applied) if self._api else None
        if needed is not None:
            return needed
        if self._keep_connected():
            return connected_presence(self._auto_gate.applied)
        if not self._have_read or self._state.override is not None:
            return PresenceState.OFFLINE.value
        if self._state.pending is not None or self._auto_gate.applied is None:
            return PresenceState.OFFLINE.value
        return emulated_presence(self._auto_gate.applied).value

    # -- automatic presence (idle / lock) ---------------------------------------------------

    def set_automatic(self, state: PresenceState | None) -> None:
        """What the desktop says this device should report while no override is set
        (tray_app.idle); None: neutral. Never touches an override; at most one change per
        30 s, the newest wish winning when the window opens. With no override the change is
        PUT at once (_announce_loop); under one, the sync carries what the backend needs."""
        if self._closed:
            return
        self._auto_due(self._auto_gate.offer(state, time.monotonic()))

    def _auto_due(self, wait: float | None) -> None:
        if self._auto_gate.applied != self._state.automatic:
            self._publish(automatic=self._auto_gate.applied)  # wakes _announce_loop
            if self._announce_target() is None:
                self._presence_changed.set()  # an override (or a change to one): the sync says it
        if wait is not None and (self._auto_timer is None or self._auto_timer.done()):
            self._auto_timer = asyncio.get_running_loop().create_task(self._auto_later(wait))

    async def _auto_later(self, wait: float) -> None:
        await asyncio.sleep(wait)
        self._auto_timer = None
        self._auto_due(self._auto_gate.due(time.monotonic()))

    # -- this device's presence by PUT -------------------------------------------------------

    def _wording(self) -> Wording:
        """How our sync and PUT say this device's presence: MSC4532's client states (`active`,
        `idle`, `busy`) where the server speaks MSC4532, else (or where it refused them) the
        old words."""
        if self._api is None or self._link.kept.get(OLD_WORDS_ONLY):
            return Wording.CLASSIC
        return self._api.wording

    def _client_states_refused(self, error: ServerRefused, presence: str) -> bool:
        """A 400 to presence said as MSC4532's client states: a server that advertises MSC4532
        but does not take them (an older release of this project's module) refuses them on
        every request. The old words from then on, for as long as the applet runs. True: the
        request is worth sending again in them."""
        if (
            error.status != 400
            or self._wording() is Wording.CLASSIC
            or presence_to_wire(presence, self._wording()) == presence_to_wire(presence)
        ):
            return False
        log.warning("the server refused MSC4532's client states (%s); saying presence in the old words", error.errcode)
        self._link.kept[OLD_WORDS_ONLY] = True
        return True

    async def _put_presence(self, presence: str, status_msg: str | None) -> None:
        """This device's presence by PUT, in the server's words (the old ones again where it
        refused MSC4532's)."""
        try:
            await put_presence(self._requests, self.user_id, PresenceState(presence), status_msg, self._wording())
        except ServerRefused as e:
            if isinstance(e, RateLimited) or not self._client_states_refused(e, presence):
                raise
            await put_presence(self._requests, self.user_id, PresenceState(presence), status_msg, self._wording())

    def _unheld_presence(self) -> str:
        """This device's presence with no override: what the backend needs (MSC4532's "we are
        here"), else its automatic presence, or `offline` (which leaves presence to the other
        devices) where that is neutral."""
        applied = self._auto_gate.applied
        needed = self._api.sync_presence(applied) if self._api else None
        if needed is not None:
            return needed
        return emulated_presence(applied).value if applied is not None else PresenceState.OFFLINE.value

    def _announce_target(self) -> str | None:
        """What this device should have told the server now; None: an override (or a change
        to it in flight) decides, or nothing is read yet."""
        if (
            self._api is None
            or not self._have_read
            or self._state.override is not None
            or self._state.pending is not None
        ):
            return None
        return self._unheld_presence()

    def _announce_on_change(self, state: SessionState) -> None:
        held = state.override is not None
        if held and not self._override_held:
            self._own_status_msg = None  # what the sync shows from now on is the override's
        self._override_held = held
        self._announce_wanted.set()

    async def _announce_loop(self) -> None:
        failures = 0
        while True:
            await self._announce_wanted.wait()
            self._announce_wanted.clear()
            try:
                await self._announce()
            except RateLimited as e:  # another device (or our last click) used the budget
                log.info("putting this device's presence was rate limited (%s ms)", e.retry_after_ms)
                await wait_out(e.retry_after_ms)
                self._announce_wanted.set()
            except TokenRejected:
                raise
            except PresenceTrayError as e:
                # Not worth a reconnect (the sync notices a server that is gone): try again later.
                failures += 1
                log.info("putting this device's presence failed (%s); trying again", e.message)
                await sleep_full(self._backoff.delay(failures))
                self._announce_wanted.set()
            else:
                failures = 0

    def _announce_due(self) -> str | None:
        target = self._announce_target()
        if target is None or target == self._announced:
            return None
        if target == PresenceState.OFFLINE.value and self._announced is None:
            return None  # nothing of ours to take back
        return target

    async def _announce(self) -> None:
        if self._announce_due() is None:
            return
        async with self._lock:  # never between a click's request and its answer
            target = self._announce_due()
            if target is not None:
                await self._put_own_presence(target, self._own_status_msg)

    async def _put_own_presence(self, presence: str, status_msg: str | None) -> None:
        await self._put_presence(presence, status_msg)
        self._announced = presence

    async def _release_hold(self) -> None:
        """The emulated backend lets its hold go: this device says its presence without an
        override (not `offline`, which showed you offline while you sat at the computer)."""
        self._own_status_msg = None  # the message went with the override
        await self._put_own_presence(self._unheld_presence(), None)

    async def _announce_before_clear(self, api: PresenceBackend, *, may_wait: bool) -> str | None:
        """Clearing an override on a server that keeps it: this device's presence first, so
        the server has it the moment the override goes (the device said `offline` under the
        override and may have timed out: others would see offline until the next sync)."""
        if api.releases_presence or self._state.override is None or self._runner is None:
            return None  # (a one-shot session, the CLI's, knows no automatic presence)
        presence = self._unheld_presence()
        if presence == PresenceState.OFFLINE.value:
            return None  # neutral: the other devices decide
        # Even where our syncs kept saying it under the override: the module holds an override
        # by rewriting the device states it is sent, so the server may not have it.
        try:
            await self._put_presence(presence, None)
        except RateLimited:
            if may_wait:
                raise  # waited out with the clear (see _send_and_confirm)
            log.info("saying this device's presence before a clear was rate limited; it follows the clear")
            self._announced = None  # the announce loop says it once the window has passed
            return None
        return presence

    async def _connect_device_first(self, *, may_wait: bool) -> None:
        """Before an override that MSC4532's rule 1 applies to lands, while the applet runs:
        this device must count as connected when it lands, so others see it at once, not
        `offline` until a sync that carries it is counted. Nothing to do where this device
        has told a connected presence already (its sync or a PUT); else one on the status
        endpoint (its own rate limit, apart from the sync's). A 429 there (our own write of a
        moment ago, a lock's `offline` say) is raised to be waited out with the change, or on
        the change's last try left to the next sync. The command line connects nothing (rule 1
        then shows `offline` unless another device is connected)."""
        if self._runner is None:
            return
        if self._announced not in (None, PresenceState.OFFLINE.value):
            return
        try:
            await self._put_own_presence(connected_presence(self._auto_gate.applied), None)
        except RateLimited:
            if may_wait:
                raise
            log.info("saying this device is connected was rate limited; the next sync says it")
