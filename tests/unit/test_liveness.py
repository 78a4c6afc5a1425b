"""tray_app.matrix.liveness: a silent server is asked something cheap; no answer ends the watch."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.waiting import assert_stays_async
from tray_app.errors import ServerUnreachable
from tray_app.matrix.liveness import Liveness


def make(probe, heard=lambda: -1e9) -> Liveness:
    return Liveness(probe, heard, "https://hs.example", silence=0.05, probe_timeout=0.05)


def test_a_request_answered_before_any_silence_sends_no_probe():
    calls = []

    async def probe(timeout):
        calls.append(timeout)

    async def main():
        live = make(probe, heard=lambda: asyncio.get_running_loop().time())  # heard just now
        return await live.watch(asyncio.sleep(0, result="answer")), live.probes

    assert asyncio.run(main()) == ("answer", 0)
    assert calls == []


def test_answered_probes_let_the_long_poll_run_to_its_answer():
    async def probe(timeout):
        await asyncio.sleep(0)

    async def main():
        live = make(probe)
        release = asyncio.Event()

        async def long_poll():
            await release.wait()
            return "events"

        watch = asyncio.ensure_future(live.watch(long_poll()))
        while live.probes < 3:  # silence: probe after probe, each answered
            await asyncio.sleep(0.01)
        release.set()
        return await watch, live.probes

    result, probes = asyncio.run(main())
    assert result == "events" and probes >= 3


@pytest.mark.parametrize("fault", ["hangs", "refused"])
def test_an_unanswered_probe_ends_the_watch_and_cancels_the_request(fault):
    async def probe(timeout):
        if fault == "refused":
            raise ConnectionRefusedError(111, "refused")
        await asyncio.wait_for(asyncio.Event().wait(), timeout)  # a stalled server

    async def main():
        live = make(probe)
        request_cancelled = asyncio.Event()

        async def long_poll():
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                request_cancelled.set()
                raise

        with pytest.raises(ServerUnreachable) as e:
            await live.watch(long_poll())
        return e.value, request_cancelled.is_set(), live.probes

    error, cancelled, probes = asyncio.run(main())
    # A check that hangs gets a second one before the stall is declared; a refusal is final.
    assert cancelled and probes == (2 if fault == "hangs" else 1)
    assert ("not answering" if fault == "hangs" else "unreachable") in error.message
    assert "https://hs.example" in error.message


def test_a_recent_answer_elsewhere_postpones_the_probe():
    """Any answer on the account's other requests counts as the server being alive."""

    async def main():
        loop = asyncio.get_running_loop()
        live = make(lambda timeout: asyncio.sleep(0), heard=loop.time)  # always just heard
        release = asyncio.Event()

        async def long_poll():
            await release.wait()
            return "ok"

        watch = asyncio.ensure_future(live.watch(long_poll()))
        # Six silences' worth, but the server keeps answering: no probe, the watch goes on.
        await assert_stays_async(lambda: live.probes == 0 and not watch.done(), 0.3, "no probe and the watch on")
        release.set()
        return await watch, live.probes

    assert asyncio.run(main()) == ("ok", 0)


def test_cancelling_the_watch_cancels_the_request():
    async def main():
        live = make(lambda timeout: asyncio.sleep(0))
        started, cancelled = asyncio.Event(), asyncio.Event()

        async def long_poll():
            started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise

        watch = asyncio.ensure_future(live.watch(long_poll()))
        await started.wait()
        watch.cancel()
        await asyncio.gather(watch, return_exceptions=True)
        return cancelled.is_set()

    assert asyncio.run(main())


def test_one_slow_check_followed_by_an_answer_is_no_stall():
    """A single check that goes unanswered (a lost packet, a busy worker) is asked again at
    once; the second one's answer lets the long poll run on."""

    async def main():
        answers = iter([False, True, True, True, True, True])

        async def probe(timeout):
            if not next(answers):
                await asyncio.wait_for(asyncio.Event().wait(), timeout)

        live = make(probe)
        release = asyncio.Event()

        async def long_poll():
            await release.wait()
            return "events"

        watch = asyncio.ensure_future(live.watch(long_poll()))
        while live.probes < 3:
            await asyncio.sleep(0.01)
        release.set()
        return await watch, live.probes

    result, probes = asyncio.run(main())
    assert result == "events" and probes >= 3
