"""The control channel tells tasks apart by the qualified names of their coroutines: each name
it looks for must be one the applet's code still runs (a rename or a move made the soak's
"quiet moment" never come: every checkpoint waited its whole timeout)."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil

import tray_app
from tray_app.ui import control_channel

# nio's, not ours.
FOREIGN = {"AsyncClient.sync"}


def _coroutine_functions() -> set[str]:
    names: set[str] = set()
    for mod in pkgutil.walk_packages(tray_app.__path__, "tray_app."):
        if ".ui." in mod.name or mod.name.endswith("__main__") or ".windows" in mod.name or ".macos" in mod.name:
            continue
        module = importlib.import_module(mod.name)
        for _, obj in inspect.getmembers(module):
            if inspect.iscoroutinefunction(obj):
                names.add(obj.__qualname__)
            elif inspect.isclass(obj):
                names.update(f.__qualname__ for _, f in inspect.getmembers(obj, inspect.iscoroutinefunction))
    return names


def test_every_task_name_the_channel_counts_is_a_coroutine_of_the_applet() -> None:
    wanted = {control_channel.SYNC_TASK, control_channel.LIVENESS_PROBE, *control_channel.SYNC_REQUESTS} - FOREIGN
    missing = wanted - _coroutine_functions()
    assert not missing, f"the control channel counts tasks by names no code runs: {sorted(missing)}"


def test_a_sync_task_is_counted_as_a_sync() -> None:
    async def main() -> dict[str, int]:
        channel = object.__new__(control_channel.SyncChannel)
        coro = control_channel.SyncChannel._sync_once(channel, 0)
        task = asyncio.ensure_future(coro)
        counts = control_channel.classify_tasks({task})
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return counts

    assert asyncio.run(main())["syncs"] == 1
