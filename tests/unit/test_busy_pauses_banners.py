"""BusyPausesBanners against an in-memory switch: only its own pause is ever undone."""

from __future__ import annotations

import asyncio

from tests.support.memory_switch import MemorySwitch
from tray_app.dnd.busy_link import BusyPausesBanners


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_busy_pauses_and_the_end_of_busy_resumes() -> None:
    async def main() -> None:
        switch, remembered = MemorySwitch(), []
        link = BusyPausesBanners(switch, remember=remembered.append)
        await link.start(busy=False)
        await link.set_busy(True)
        await _settle()
        assert switch._paused and link.paused_by_us and not link.person_dnd
        await link.set_busy(False)
        await _settle()
        assert not switch._paused
        assert switch.writes == [True, False]
        assert remembered == [True, False]

    asyncio.run(main())


def test_banners_the_person_paused_stay_paused_after_busy() -> None:
    async def main() -> None:
        switch, told = MemorySwitch(paused=True), []
        link = BusyPausesBanners(switch, on_person_dnd=told.append)
        await link.start(busy=False)
        assert told == [True]
        await link.set_busy(True)
        await link.set_busy(False)
        await _settle()
        assert switch._paused and switch.writes == []

    asyncio.run(main())


def test_the_person_turning_banners_on_during_busy_keeps_them_on() -> None:
    async def main() -> None:
        switch = MemorySwitch()
        link = BusyPausesBanners(switch)
        await link.start(busy=True)
        switch.person_sets(False)
        await _settle()
        assert not link.paused_by_us
        switch.person_sets(True)  # and pausing them again is now the person's
        await _settle()
        assert link.person_dnd
        await link.set_busy(False)
        await _settle()
        assert switch._paused and switch.writes == [True]

    asyncio.run(main())


def test_a_pause_left_by_a_crash_is_undone_at_start_when_not_busy() -> None:
    async def main() -> None:
        switch = MemorySwitch(paused=True)
        link = BusyPausesBanners(switch, paused_by_us=True)
        await link.start(busy=False)
        await _settle()
        assert not switch._paused and not link.person_dnd

    asyncio.run(main())


def test_quit_gives_banners_back_and_turning_the_setting_off_too() -> None:
    async def main() -> None:
        switch = MemorySwitch()
        link = BusyPausesBanners(switch)
        await link.start(busy=True)
        await link.set_enabled(False)
        assert not switch._paused
        await link.set_enabled(True)
        assert switch._paused
        await link.close()
        assert not switch._paused and switch.writes == [True, False, True, False]

    asyncio.run(main())


def test_the_persons_switch_is_told_once_per_change() -> None:
    async def main() -> None:
        switch, told = MemorySwitch(), []
        link = BusyPausesBanners(switch, on_person_dnd=told.append)
        await link.start(busy=False)
        switch.person_sets(True)
        switch.person_sets(True)
        await _settle()
        switch.person_sets(False)
        await _settle()
        await link.set_busy(True)  # our own pause is not the person's
        await _settle()
        assert told == [True, False]

    asyncio.run(main())


def test_a_pause_that_died_with_its_server_is_made_again_when_busy() -> None:
    """dunst's pause and Plasma's inhibition go with the process: a remembered pause of ours
    that is no longer there is not the person turning banners on."""

    async def main() -> None:
        switch, remembered = MemorySwitch(paused=False), []
        link = BusyPausesBanners(switch, paused_by_us=True, remember=remembered.append)
        await link.start(busy=True)
        await _settle()
        assert switch._paused and link.paused_by_us and remembered[-1] is True

    asyncio.run(main())


class RefusingSwitch(MemorySwitch):
    """Pauses, but cannot resume (the session bus going away at logout)."""

    async def set_paused(self, paused: bool) -> None:
        if not paused:
            raise OSError("the bus is gone")
        await super().set_paused(paused)


def test_a_failed_give_back_stays_ours_for_the_next_start() -> None:
    async def main() -> None:
        switch, remembered = RefusingSwitch(), []
        link = BusyPausesBanners(switch, remember=remembered.append)
        await link.start(busy=True)
        try:
            await link.set_busy(False)
        except OSError:
            pass
        await link.close()
        assert switch._paused and link.paused_by_us and remembered == [True]

    asyncio.run(main())
