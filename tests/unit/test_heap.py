"""tray_app.heap: glibc's mmap threshold is pinned unless the environment already sets it."""

from __future__ import annotations

import os

import pytest

from tray_app import heap

glibc_only = pytest.mark.skipif(heap.glibc() is None, reason="mallopt/mallinfo2 are glibc's")


@glibc_only
def test_pins_the_threshold_and_reports_the_heap(monkeypatch):
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    assert heap.keep_large_blocks_mapped() is True
    figures = heap.heap_figures()
    assert figures["heap_used_kib"] > 0 and figures["heap_free_kib"] >= 0


def test_an_explicit_environment_setting_wins(monkeypatch):
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    assert heap.keep_large_blocks_mapped() is False


def test_off_glibc_nothing_is_set(monkeypatch):
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.setattr(heap, "glibc", lambda: None)
    assert heap.keep_large_blocks_mapped() is False
    assert heap.heap_figures() == {}
    assert os.environ.get("MALLOC_MMAP_THRESHOLD_") is None
