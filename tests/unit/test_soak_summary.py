"""bench/soak.py's summary (bench/soak_report.py): what counts as growth between its quiet
checkpoints."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("soak_under_test", ROOT / "bench" / "soak_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _sample(
    t: int,
    phase: str = "checkpoint",
    tasks: int = 9,
    undropped: int = 0,
    kinds=None,
    *,
    timers: int = 9,
    cancelled: int = 60,
    timer_kinds=None,
    syncs: int = 3,
    qtimers: int = 1,
) -> dict:
    return {
        "t": t,
        "phase": phase,
        "rss_kib": 100_000,
        "fds": 28,
        "threads": 5,
        "qobjects": 600,
        "widgets": 40,
        "tasks": tasks,
        "undropped_syncs": undropped,
        "requests_in_flight": 0,
        "timers": timers,
        "timers_cancelled": cancelled,
        "qtimers": qtimers,
        "syncs": syncs,
        "sync_requests": syncs,
        "sessions": 3,
        "busy": [],
        "notifiers": 4,
        "none_refs": 50_000,
        "task_kinds": kinds or {"Session._sync_loop": 3},
        "timer_kinds": timer_kinds
        or {"_set_result_unless_cancelled": 3, "TimeoutHandle.__call__": 3, "_release_waiter": 3},
    }


def _run(samples: list[dict]) -> dict:
    return {"applets": {"tray": {"samples": samples, "exit_code": 0}}}


def test_a_sync_left_to_finish_at_the_last_checkpoint_is_not_growth(soak):
    samples = [
        _sample(10),
        _sample(20),
        _sample(25, "sample", undropped=1),
        _sample(30),
        _sample(40),
        _sample(50, undropped=1),
    ]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == []


def test_a_standing_task_more_at_the_last_checkpoint_is_named(soak):
    samples = [
        _sample(10),
        _sample(20),
        _sample(30),
        _sample(40),
        _sample(50, tasks=10, kinds={"Session._sync_loop": 3, "Session._retry": 1}),
    ]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == ["tasks"]
    assert g["task_kinds"] == {"Session._retry": 1}


def test_syncs_left_to_finish_piling_up_are_growth(soak):
    samples = [_sample(10), _sample(20, undropped=1), _sample(30), _sample(40), _sample(50, undropped=3)]
    assert soak.summarise(_run(samples))["tray"]["grew"] == ["undropped_syncs"]


def test_live_timers_above_the_first_half_are_growth_and_named(soak):
    more = {"_set_result_unless_cancelled": 4, "TimeoutHandle.__call__": 3, "_release_waiter": 3}
    samples = [
        _sample(10),
        _sample(20),
        _sample(25, "sample", timers=9),
        _sample(30),
        _sample(40),
        _sample(50, timers=10, timer_kinds=more),
    ]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == ["timers"]
    assert g["timers_above"] == {"_set_result_unless_cancelled": 1}
    assert g["timer_kinds"] == {"_set_result_unless_cancelled": 1}


def test_timer_kinds_that_come_and_go_each_within_its_range_are_not_growth(soak):
    """aiohttp's keep-alive cleanup and a request's timeout each vary on their own: at the end
    both at their highest is more in total than any sample had, but no kind grew."""
    a = {"_weakref_handle": 3, "_release_waiter": 2}
    b = {"_weakref_handle": 2, "_release_waiter": 3}
    both = {"_weakref_handle": 3, "_release_waiter": 3}
    samples = [
        _sample(10, timers=5, timer_kinds=a),
        _sample(20, timers=5, timer_kinds=b),
        _sample(30, timers=5, timer_kinds=a),
        _sample(40, timers=5, timer_kinds=b),
        _sample(50, timers=6, timer_kinds=both),
    ]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == [] and g["timers_above"] == {}


def test_cancelled_timers_qasync_keeps_until_their_time_are_not_growth(soak):
    """A timeout cancelled early keeps its Qt timer for up to its whole delay: +25 after a
    burst of clicks is reported, not growth (the live ones stay flat)."""
    samples = [_sample(10), _sample(20), _sample(30), _sample(40), _sample(50, cancelled=85)]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == []
    assert g["timers_cancelled"] == 25 and g["timers"] == 0


def test_more_long_poll_syncs_than_sessions_is_growth_at_any_sample(soak):
    samples = [_sample(10), _sample(20), _sample(30, "sample", syncs=4), _sample(40), _sample(50)]
    assert soak.summarise(_run(samples))["tray"]["grew"] == ["syncs"]


def test_an_active_qtimer_more_at_the_last_checkpoint_is_growth(soak):
    samples = [_sample(10), _sample(20), _sample(30), _sample(40), _sample(50, qtimers=2)]
    assert soak.summarise(_run(samples))["tray"]["grew"] == ["qtimers"]


def test_a_checkpoint_taken_before_the_applet_was_quiet_is_named(soak):
    busy = dict(_sample(50), busy=["requests in flight"])
    g = soak.summarise(_run([_sample(10), _sample(20), _sample(30), _sample(40), busy]))["tray"]
    assert g["not_quiet"] == [{"t": 50, "busy": ["requests in flight"]}]


def test_the_syncs_of_accounts_without_an_override_are_not_named_as_standing_tasks(soak):
    """In the tray applet an account with no override syncs with a presence, whose request runs
    under UndroppedSyncs.wait: its sync requests follow the last click (issue 18's +1)."""
    before = {"Session._sync_loop": 3, "Session._sync_once": 3, "AsyncClient.sync": 3}
    after = {"Session._sync_loop": 3, "Session._sync_once": 3, "AsyncClient.sync": 3, "UndroppedSyncs.wait": 2}
    samples = [
        _sample(10, kinds=before),
        _sample(20, kinds=before),
        _sample(30, kinds=before),
        _sample(40, kinds=before),
        _sample(50, kinds=after),
    ]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == [] and g["task_kinds"] == {}


def test_fds_and_notifiers_of_more_open_connections_are_not_growth(soak):
    """One more idle connection in a pool (or one a restarted server half-closed) at the last
    checkpoint is one fd and one notifier more: CI saw fds and notifiers +2 so, while the
    applet's own count did not move."""
    samples = [
        dict(_sample(t), connections=c, fds=24 + c, notifiers=2 + c)
        for t, c in ((10, 4), (20, 3), (30, 4), (40, 4), (50, 6))
    ]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == [] and g["connections_max"] == 6


def test_an_fd_that_is_not_a_connection_is_growth(soak):
    samples = [dict(_sample(t), connections=4, fds=28 + (t == 50), notifiers=6) for t in (10, 20, 30, 40, 50)]
    assert soak.summarise(_run(samples))["tray"]["grew"] == ["fds"]


def test_connections_past_the_per_session_bound_are_growth(soak):
    bound = soak.CONNECTIONS_PER_SESSION * 3 + soak.CONNECTIONS_APPLET
    samples = [
        dict(_sample(t), connections=c, fds=24 + c, notifiers=2 + c)
        for t, c in ((10, 4), (20, 4), (30, 4), (40, 4), (50, bound + 1))
    ]
    assert soak.summarise(_run(samples))["tray"]["grew"] == ["connections"]


def test_callbacks_waiting_for_the_next_loop_turn_are_not_timers(soak):
    """qasync holds call_soon's callbacks as zero-delay Qt timers: a task's wake-up and a
    shield's done callback caught at the last checkpoint (CI) are work about to run."""
    more = {
        "_set_result_unless_cancelled": 3,
        "TimeoutHandle.__call__": 3,
        "_release_waiter": 3,
        "Task.task_wakeup": 1,
        "shield.<locals>._outer_done_callback": 1,
    }
    samples = [_sample(10), _sample(20), _sample(30), _sample(40), _sample(50, timers=11, timer_kinds=more)]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == [] and g["timers_above"] == {}
