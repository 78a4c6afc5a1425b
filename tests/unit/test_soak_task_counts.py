"""The applet's task counts for the soak (tray_app/ui/control_channel.py, classify_tasks): each
session's long-poll sync is counted apart from the standing tasks, whichever form it takes.

A sync carrying a presence runs its request under UndroppedSyncs.wait (a task of its own), one
saying `offline` does not; which one a session runs depends on its override, so counting them
as standing tasks made the soak's count follow the last random click (issue 18: tray `tasks`
+1 at the last checkpoint, an `AsyncClient.sync`). The classes below carry the names of the
real ones (the classification goes by coroutine name); the wrappers are the real ones."""

from __future__ import annotations

import asyncio

from tray_app.matrix.liveness import Liveness
from tray_app.matrix.undropped_syncs import UndroppedSyncs
from tray_app.session.sync_response import with_body
from tray_app.ui.control_channel import classify_tasks


class AsyncClient:
    def __init__(self) -> None:
        self.answer = asyncio.Event()

    async def sync(self) -> str:
        await self.answer.wait()
        return "answer"


class SyncChannel:
    """What tray_app.session.sync_channel.SyncChannel._sync_once does with its request."""

    def __init__(self) -> None:
        self.client = AsyncClient()
        self.undropped = UndroppedSyncs()
        self.liveness = Liveness(lambda timeout: asyncio.sleep(0), heard=lambda: asyncio.get_running_loop().time())

    async def _sync_once(self, carries_presence: bool) -> str:
        request = with_body(self.client.sync())
        if carries_presence:
            request = self.undropped.wait(request)
        return await self.liveness.watch(request)


async def standing() -> None:
    await asyncio.Event().wait()


def counts_with(*carries_presence: bool) -> dict[str, int]:
    async def main():
        sessions = [SyncChannel() for _ in carries_presence]
        others = [asyncio.ensure_future(standing()) for _ in range(4)]
        syncs = [asyncio.ensure_future(s._sync_once(p)) for s, p in zip(sessions, carries_presence)]
        for _ in range(5):
            await asyncio.sleep(0)  # every sync's request is running
        counts = classify_tasks(asyncio.all_tasks() - {asyncio.current_task()})
        for t in syncs + others:
            t.cancel()
        await asyncio.gather(*syncs, *others, return_exceptions=True)
        for s in sessions:
            await s.undropped.close()
        return counts

    return asyncio.run(main())


def test_the_standing_task_count_does_not_depend_on_which_syncs_carry_a_presence():
    offline = counts_with(False, False, False)
    mixed = counts_with(True, False, True)
    assert offline["tasks"] == mixed["tasks"] == 4
    assert offline["syncs"] == mixed["syncs"] == 3
    assert offline["sync_requests"] < mixed["sync_requests"]
    assert offline["undropped_syncs"] == mixed["undropped_syncs"] == 0


def test_a_sync_left_to_finish_is_counted_apart_not_as_standing():
    async def main():
        session = SyncChannel()
        sync = asyncio.ensure_future(session._sync_once(True))
        for _ in range(5):
            await asyncio.sleep(0)
        sync.cancel()  # the presence changed: the waiter gives up, the request runs on
        await asyncio.gather(sync, return_exceptions=True)
        counts = classify_tasks(asyncio.all_tasks() - {asyncio.current_task()})
        session.client.answer.set()
        await session.undropped.close()
        return counts

    assert asyncio.run(main()) == {
        "tasks": 0,
        "syncs": 0,
        "sync_requests": 0,
        "undropped_syncs": 1,
        "requests_in_flight": 0,
    }
