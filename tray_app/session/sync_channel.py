"""The sync channel: one long-poll /sync after another, each carrying this device's presence.

Every /sync start counts against Synapse's rc_presence (one per 10 s per user by default, any
device), and one that comes sooner is denied: its set_presence is ignored and the device does
not count as syncing. So every start, the initial sync of a reconnect included, waits out
`SessionTimings.presence_sync_spacing` since the last (`_sync_spacing`), and what a sync
carried counts as told only once it was answered (`_sync_carries`, `_sync_failed`).

The answer brings our own presence (what others see) and the account-data event a backend
watches. An event from a sync begun before our last change was answered may be our own older
echo: dropped when it matches one of our last changes, else read again (`_on_watched`).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

from tray_app.backends import READ_AGAIN, OverrideReading, PresenceBackend, ReadAgain
from tray_app.backoff import sleep_until
from tray_app.errors import BadResponse, PresenceTrayError, ServerRefused, ServerUnreachable
from tray_app.matrix.http import network_errors, raise_for_nio, unreachable
from tray_app.matrix.liveness import PROBE_PATH
from tray_app.session.reading import Reading, reading_key
from tray_app.session.sync_filter import FRESH_KEY, sync_filter
from tray_app.session.sync_response import parse_sync, with_body
from tray_app.states import PresenceState, presence_from_wire, presence_to_wire


class SyncChannel(Reading):
    async def _initial_sync(self) -> tuple[OverrideReading, str | None]:
        """Connecting where the backend reads by initial sync: one initial sync (timeout 0,
        through the light requests: no nio on the start path) is the read. Returns the override
        it gives and our presence (None where the sync omits it, as Synapse does for offline);
        the sync loop goes on from its `next_batch`. Its filter is fresh (FRESH_KEY), so it is
        never a cached, older answer."""
        api = self._api
        assert api is not None
        self._filter = sync_filter(self.user_id, api.watch_types, fresh=self._fresh())
        self._since = None
        await self._sync_spacing()  # a reconnect: the sync before it may have just begun
        set_presence = self._sync_presence()
        query = urlencode(
            {
                "filter": json.dumps(self._filter, separators=(",", ":")),
                "timeout": "0",
                "set_presence": presence_to_wire(set_presence, self._wording()),
            }
        )
        before = self._sync_carries(set_presence)
        try:
            resp = await self._requests.json("GET", "/_matrix/client/v3/sync?" + query)
        except PresenceTrayError as e:
            self._sync_failed(before)
            if isinstance(e, ServerRefused) and self._client_states_refused(e, set_presence):
                return await self._initial_sync()  # again, in the old words
            raise
        batch = parse_sync(resp, self.user_id, api.watch_types)
        presence = presence_from_wire(batch.own_presence[-1].presence) if batch.own_presence else None
        self._since = batch.next_batch
        return api.initial_reading(dict(batch.account_data)), presence

    async def _sync_spacing(self) -> None:
        """Wait until the sync spacing (presence_sync_spacing) has passed since the last sync began, on the
        monotonic clock, checked again after every sleep (timers on the Qt loop fire early)."""
        await sleep_until(lambda: self._last_sync_start + self._timings.presence_sync_spacing)

    async def _sync_loop(self) -> None:
        while True:
            # Also after a sync that an event ended early (our own presence change, mostly).
            await self._sync_spacing()
            self._presence_changed.clear()
            sync = asyncio.ensure_future(self._sync_once(self._timings.sync_timeout_ms))
            wake = asyncio.ensure_future(self._presence_changed.wait())
            try:
                done, _ = await asyncio.wait({sync, wake}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                wake.cancel()
                if not sync.done():
                    sync.cancel()
                    await asyncio.gather(sync, return_exceptions=True)
            if sync in done and not sync.cancelled():
                sync.result()

    async def _sync_once(self, timeout_ms: int) -> None:
        api = self._api
        set_presence = self._sync_presence()
        # Every initial sync gets a filter of its own (FRESH_KEY; a retry too), so Synapse's sync
        # response cache cannot answer it; it is still taken like a sync begun before our last
        # change (a server may cache otherwise), which costs a read only when it disagrees.
        initial = self._since is None
        if initial:
            self._filter = {**self._filter, FRESH_KEY: self._fresh()}
        before = self._sync_carries(set_presence)
        started = self._last_sync_start
        self._sync_carrying = set_presence
        try:
            request = with_body(
                self._client.sync(
                    timeout=timeout_ms,
                    sync_filter=self._filter,
                    since=self._since,
                    set_presence=presence_to_wire(set_presence, self._wording()),
                )
            )
            if set_presence != PresenceState.OFFLINE.value:
                request = self._undropped.wait(request)  # dropping it can stick presence
            resp, body = await self._liveness.watch(request)  # a stalled server: see tray_app.matrix.liveness
        except network_errors() as e:
            self._sync_failed(before)
            raise unreachable(self._client, e) from e
        except ServerUnreachable:  # the liveness check: unanswered, as a network fault
            self._sync_failed(before)
            raise
        try:
            raise_for_nio(self._client, resp, "sync")
            if body is None:
                raise BadResponse("the server's answer to a sync could not be read")
            batch = parse_sync(body, self.user_id, api.watch_types if api is not None else ())
        except PresenceTrayError as e:
            self._sync_failed(before, answered=True)
            if isinstance(e, ServerRefused) and self._client_states_refused(e, set_presence):
                return  # the next sync says it in the old words
            raise
        self._synced = True
        self._since = batch.next_batch
        for event in batch.own_presence:
            if self._state.override is None and self._state.pending is None:
                self._own_status_msg = event.status_msg or None  # someone's message: the PUT keeps it
            self._on_own_presence(presence_from_wire(event.presence))
        if api is not None:
            for event_type, content in batch.account_data:
                await self._on_watched(api, event_type, content, initial or started <= self._last_change_done)

    async def _on_watched(
        self, api: PresenceBackend, event_type: str, content: dict[str, Any], before_our_change: bool
    ) -> None:
        """The watched account-data event changed (here or elsewhere): take up what it says.
        A set in flight decides itself (its answer confirms it), so the event waits for it.
        `before_our_change`: the sync began before our last change was answered (or is an
        initial sync, possibly a cached answer), so it may carry an older state: our own older
        echo is dropped, anything else is read again."""
        seen = api.watch(event_type, content)
        if seen is None or self._state.pending is not None:
            return
        mark = self._reading_mark()
        if isinstance(seen, OverrideReading):
            key = reading_key(seen)
            if key == reading_key(OverrideReading(self._state.override, self._state.status_msg)):
                return  # what we know already (the echo of our own change, mostly)
            if before_our_change:
                if key in self._own_recent:
                    return  # our own older change: the newer one is what holds
                seen = READ_AGAIN
        async with self._lock:
            if self._api is not api or self._state.pending is not None:
                return
            if self._older_than_a_change(mark):
                seen = READ_AGAIN  # a change of ours was made while we waited: read what holds now
            await self._read_locked(first=None if isinstance(seen, ReadAgain) else seen, by_sync=True)

    def _sync_carries(self, set_presence: str) -> tuple[float, str | None]:
        """A sync begins now (at least the sync spacing after the one before, so the server
        takes its set_presence). One saying `offline` leaves the device's state alone but stops
        it counting as syncing: Synapse drops the device 30 s later, so nothing of ours stays
        told. A sync never takes a user out of busy on Synapse (its presence handler keeps a
        BUSY against every sync's set_presence; only PUT status leaves it), so after a busy of
        ours the next state is still PUT (_announce_loop), whatever the syncs carry meanwhile.
        Returns what to put back if it fails (_sync_failed)."""
        before = (self._last_sync_start, self._announced)
        self._last_sync_start = time.monotonic()
        if self._announced == PresenceState.BUSY.value and set_presence != self._announced:
            return before  # not told by this sync: the announce loop PUTs it
        self._announced = set_presence if set_presence != PresenceState.OFFLINE.value else None
        return before

    def _sync_failed(self, before: tuple[float, str | None], *, answered: bool = False) -> None:
        """What a failed sync carried is not taken as told. One that got no answer is taken as
        one the server did not count either, so reconnecting is not held back by the spacing;
        one the server answered with an error may have passed rc_presence's check first, so
        the next sync is still spaced from it."""
        last_start, self._announced = before
        if not answered:
            self._last_sync_start = last_start

    def _on_own_presence(self, presence: str) -> None:
        self._publish(presence=presence)
        if self._api is not None:
            self._api.own_presence(presence)

    async def _probe(self, timeout: float) -> None:
        """Liveness's check: /versions on the light connections (no login, no presence)."""
        await self._requests.http.request("GET", PROBE_PATH, timeout=timeout)
