"""bench/soak.py's summary: what counts as growth between its quiet checkpoints."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("soak_under_test", ROOT / "bench" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _sample(t: int, phase: str = "checkpoint", tasks: int = 9, undropped: int = 0, kinds=None) -> dict:
    return {"t": t, "phase": phase, "rss_kib": 100_000, "fds": 28, "threads": 5, "qobjects": 600,
            "widgets": 40, "tasks": tasks, "undropped_syncs": undropped, "requests_in_flight": 0, "timers": 3, "notifiers": 4,
            "none_refs": 50_000, "task_kinds": kinds or {"Session._sync_loop": 3}}


def _run(samples: list[dict]) -> dict:
    return {"applets": {"tray": {"samples": samples, "exit_code": 0}}}


def test_a_sync_left_to_finish_at_the_last_checkpoint_is_not_growth(soak):
    samples = [_sample(10), _sample(20), _sample(25, "sample", undropped=1), _sample(30), _sample(40),
               _sample(50, undropped=1)]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == []


def test_a_standing_task_more_at_the_last_checkpoint_is_named(soak):
    samples = [_sample(10), _sample(20), _sample(30), _sample(40),
               _sample(50, tasks=10, kinds={"Session._sync_loop": 3, "Session._retry": 1})]
    g = soak.summarise(_run(samples))["tray"]
    assert g["grew"] == ["tasks"]
    assert g["task_kinds"] == {"Session._retry": 1}


def test_syncs_left_to_finish_piling_up_are_growth(soak):
    samples = [_sample(10), _sample(20, undropped=1), _sample(30), _sample(40), _sample(50, undropped=3)]
    assert soak.summarise(_run(samples))["tray"]["grew"] == ["undropped_syncs"]
