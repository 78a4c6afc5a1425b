"""Closing a session ends its loops, even one whose request is answered in the very moment it is
cancelled. Python 3.11's asyncio.wait_for, cancelled just as what it awaited finished, returns
the result and drops the cancellation (CPython gh-86296): the override poll, reading every
0.3 s in the tests, then lived on and Session.close() waited for it forever (seen once in three
runs of tests/integration/test_own_writes.py). No server and no clock: the answer and the
cancellation are put into the same turn of the event loop by hand."""

from __future__ import annotations

import asyncio

from tests.support.sessions import session_for
from tray_app.matrix.http_connection import HttpAnswer, HttpConnectionPool
from tray_app.session import SessionTimings


def test_a_request_cancelled_as_its_answer_comes_is_cancelled():
    async def main():
        loop = asyncio.get_running_loop()
        pool = HttpConnectionPool("http://127.0.0.1:9")
        answer = loop.create_future()

        async def answered_when_told(*args):
            await answer
            return HttpAnswer(200, {}, b"{}")

        pool._request = answered_when_told
        request = loop.create_task(pool.request("GET", "/x"))
        for _ in range(5):
            await asyncio.sleep(0)  # it waits for its answer
        answer.set_result(None)
        request.cancel()  # in the same turn
        await asyncio.gather(request, return_exceptions=True)
        return request.cancelled()

    assert asyncio.run(main()), "the cancellation was dropped: the request returned its answer"


def test_close_ends_a_poll_whose_answer_comes_as_it_is_cancelled(tmp_path):
    async def main():
        loop = asyncio.get_running_loop()
        session = session_for("http://127.0.0.1:9", tmp_path, timings=SessionTimings(poll_interval=0))
        answers: list[asyncio.Future] = []

        async def answered_when_told(*args):
            answers.append(loop.create_future())
            await answers[-1]
            return HttpAnswer(200, {}, b"{}")

        async def read_locked(**kw):  # the poll's read: one request on the light connections
            await session._requests.http.request("GET", "/_matrix/client/v1/presence/x/override")

        session._requests.http._request = answered_when_told
        session._read_locked = read_locked
        session._runner = loop.create_task(session._poll_loop())
        while not answers:
            await asyncio.sleep(0)
        answers[0].set_result(None)  # the poll's answer comes in ...
        closing = loop.create_task(session.close())  # ... as the session closes
        turns = 0
        while not closing.done() and turns < 200:
            await asyncio.sleep(0)
            turns += 1
        ended = closing.done()
        if not ended:  # the old code: the poll lived on; cancel it again so the test can end
            session._runner.cancel()
            await asyncio.gather(closing, return_exceptions=True)
        else:
            closing.result()
        return ended, len(answers)

    ended, reads = asyncio.run(main())
    assert ended, f"close() did not end: the poll lived on and read {reads - 1} more times"
    assert reads == 1
