"""Busy pauses the desktop's banners, and gives them back exactly as they were.

Only a pause this link made is ever undone: banners the person had paused stay paused, and a
person who turns banners back on during Busy keeps them on. Whether the last pause was ours is
remembered across a restart (a crash while Busy must not leave banners off for good), and on
quit the banners come back, since nobody would be left to give them back when Busy ends.
The switch's own changes that this link did not make are the person's do-not-disturb, told to
`on_person_dnd`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from tray_app.dnd.switch import CALL_SECONDS, BannerSwitch

log = logging.getLogger(__name__)

READ_GRACE_SECONDS = CALL_SECONDS


class BusyPausesBanners:
    def __init__(
        self,
        switch: BannerSwitch,
        *,
        paused_by_us: bool = False,
        remember: Callable[[bool], None] = lambda _: None,
        on_person_dnd: Callable[[bool], None] = lambda _: None,
    ) -> None:
        self.switch = switch
        self.enabled = True
        self._busy = False
        self._ours = paused_by_us
        self._remember = remember
        self._on_person_dnd = on_person_dnd
        self.person_dnd = False
        self._lock = asyncio.Lock()
        self._reads: set[asyncio.Task[None]] = set()
        self._closed = False
        switch.on_change(self._changed)

    @property
    def paused_by_us(self) -> bool:
        return self._ours

    async def start(self, busy: bool) -> None:
        """First look: a pause left from before (ours) is kept or undone by today's state."""
        await self._read()  # a pause of ours that died with its server (dunst, Plasma) is no longer ours
        await self.set_busy(busy)

    async def set_busy(self, busy: bool) -> None:
        async with self._lock:
            self._busy = busy
            await self._apply()

    async def set_enabled(self, enabled: bool) -> None:
        async with self._lock:
            self.enabled = enabled
            await self._apply()

    async def _apply(self) -> None:
        want = self._busy and self.enabled
        if want and not self._ours:
            if await self.switch.paused():
                return  # already paused by the person (or another program): not ours to undo
            self._set_ours(True)
            try:
                await self.switch.set_paused(True)
            except Exception:
                self._set_ours(False)
                raise
        elif not want and self._ours:
            await self._give_back()

    async def _give_back(self) -> None:
        """Resume our pause; it stays ours (and remembered) until that worked."""
        if await self.switch.paused():
            await self.switch.set_paused(False)
        self._set_ours(False)

    def _set_ours(self, ours: bool) -> None:
        self._ours = ours
        self._remember(ours)

    def _changed(self) -> None:
        if self._closed:
            return
        task = asyncio.ensure_future(self._read())  # the lock puts the reads in order
        self._reads.add(task)
        task.add_done_callback(self._reads.discard)

    async def _read(self) -> None:
        try:
            async with self._lock:
                paused = await self.switch.paused()
                if self._ours and not paused:
                    self._set_ours(False)  # the person turned banners back on during Busy
                person = paused and not self._ours
        except Exception as e:
            log.info("do not disturb: reading %s failed: %s", self.switch.name, e)
            return
        if person != self.person_dnd:
            self.person_dnd = person
            self._on_person_dnd(person)

    async def close(self) -> None:
        """Banners back if we paused them; nothing else touched."""
        self._closed = True
        if self._reads:  # let them end: cancelling a gsettings run being spawned can hang asyncio
            _, late = await asyncio.wait(list(self._reads), timeout=READ_GRACE_SECONDS)
            for task in late:
                task.cancel()
        async with self._lock:
            if self._ours:
                try:
                    await self._give_back()
                except Exception as e:  # still remembered as ours: the next start gives them back
                    log.info("do not disturb: giving banners back on %s failed: %s", self.switch.name, e)
