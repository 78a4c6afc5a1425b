"""Helpers for tests on a private session bus (tests/desktop/conftest.py's `bus_env`): run a
command against it, wait for what it shows."""

from __future__ import annotations

import asyncio
import subprocess
import time


def run(env, *args: str) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True, timeout=20).stdout.strip()


async def until(what: str, probe, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {value!r})")
        await asyncio.sleep(0.1)
