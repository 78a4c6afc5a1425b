"""tests/harness/waiting.py: a negative assertion over time looks through the whole window and
fails on the first look that finds the condition broken, saying which and what it saw."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from tests.harness.waiting import assert_stays, assert_stays_async


def test_a_condition_that_holds_passes_after_looking_more_than_once():
    looks = []
    assert_stays(lambda: looks.append(1) or True, 0.2, "the thing", interval=0.02)
    assert len(looks) >= 2  # at once, then again before the window ended


def test_a_condition_that_breaks_midway_fails_naming_it_and_what_was_seen():
    answers = itertools.chain([True, True], itertools.repeat(False))
    with pytest.raises(AssertionError) as failed:
        assert_stays(lambda: next(answers), 30, "the dialog still open", show=lambda: "no dialog", interval=0.01)
    message = str(failed.value)
    assert "the dialog still open" in message and "30 s" in message and "'no dialog'" in message


def test_a_condition_broken_from_the_start_fails_at_once_with_the_value_seen():
    with pytest.raises(AssertionError, match=r"the count unchanged.*returned 0"):
        assert_stays(lambda: 0, 30, "the count unchanged")


def test_a_condition_that_comes_back_still_fails():
    """What a sleep and one look at the end would miss: it broke in between."""
    answers = itertools.chain([True, False], itertools.repeat(True))
    with pytest.raises(AssertionError):
        assert_stays(lambda: next(answers), 0.3, "no flicker", interval=0.01)


def test_the_async_twin_lets_the_loop_run_and_catches_what_happens_meanwhile():
    async def main():
        happened = asyncio.Event()
        asyncio.get_running_loop().call_later(0.05, happened.set)
        with pytest.raises(AssertionError, match="nothing happened"):
            await assert_stays_async(lambda: not happened.is_set(), 30, "nothing happened", interval=0.01)
        await assert_stays_async(lambda: happened.is_set(), 0.1, "it stays set", interval=0.01)

    asyncio.run(main())
