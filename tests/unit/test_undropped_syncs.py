"""UndroppedSyncs: a waiter that gives up does not cut the request; closing does."""

from __future__ import annotations

import asyncio

import pytest

from tray_app.matrix.undropped_syncs import UndroppedSyncs


def test_the_request_runs_on_when_its_waiter_is_cancelled():
    async def main():
        syncs = UndroppedSyncs()
        release = asyncio.Event()
        ended: list[str] = []

        async def request():
            try:
                await release.wait()
            except asyncio.CancelledError:
                ended.append("dropped")
                raise
            ended.append("answered")
            return "answer"

        waiter = asyncio.ensure_future(syncs.wait(request()))
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert len(syncs) == 1 and ended == []
        release.set()
        for _ in range(3):
            await asyncio.sleep(0)
        assert ended == ["answered"] and len(syncs) == 0

    asyncio.run(main())


def test_an_answer_and_an_error_reach_a_waiter_that_stayed():
    async def main():
        syncs = UndroppedSyncs()

        async def answer():
            return 7

        async def failure():
            raise ConnectionError("gone")

        assert await syncs.wait(answer()) == 7
        with pytest.raises(ConnectionError):
            await syncs.wait(failure())
        assert len(syncs) == 0

    asyncio.run(main())


def test_an_abandoned_request_that_fails_leaves_no_unretrieved_error(caplog):
    async def main():
        syncs = UndroppedSyncs()
        fail = asyncio.Event()

        async def request():
            await fail.wait()
            raise ConnectionError("gone")

        waiter = asyncio.ensure_future(syncs.wait(request()))
        await asyncio.sleep(0)
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        fail.set()
        for _ in range(3):
            await asyncio.sleep(0)
        assert len(syncs) == 0

    asyncio.run(main())
    import gc

    gc.collect()
    assert "exception was never retrieved" not in caplog.text


def test_close_cancels_what_still_runs():
    async def main():
        syncs = UndroppedSyncs()
        ended: list[str] = []

        async def request():
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                ended.append("dropped")
                raise

        waiter = asyncio.ensure_future(syncs.wait(request()))
        await asyncio.sleep(0)
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        await syncs.close()
        assert ended == ["dropped"] and len(syncs) == 0

    asyncio.run(main())


def test_a_request_left_to_finish_is_a_task_named_apart_from_the_standing_ones():
    """The soak counts these apart (bench/soak.py): one may run on past a quiet moment. A
    request still awaited (every sync, where MSC4532 has each carry a presence) is not one."""
    from tray_app.matrix.undropped_syncs import TASK_NAME

    async def main():
        syncs = UndroppedSyncs()
        release = asyncio.Event()

        async def request():
            await release.wait()

        waiter = asyncio.ensure_future(syncs.wait(request()))
        await asyncio.sleep(0)
        assert [t for t in asyncio.all_tasks() if t.get_name() == TASK_NAME] == []
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        named = [t for t in asyncio.all_tasks() if t.get_name() == TASK_NAME]
        assert len(named) == 1 and named[0].get_coro().__qualname__.endswith("request")
        release.set()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert [t for t in asyncio.all_tasks() if t.get_name() == TASK_NAME] == []

    asyncio.run(main())
