"""Keeps the applet's resident memory from creeping up through the C allocator, not through leaks.

Measured (docs/performance.md, "The soak"): the no-tray window's backing store is one block of ~1–2 MB per window
size, reallocated whenever the window's height changes (a line shown or hidden). glibc serves
blocks that large with mmap and gives them back on free, but its *dynamic* mmap threshold rises
to the size of the first such block freed; from then on these blocks come from the heap, the
holes they leave between smaller live blocks cannot be returned, and RSS climbs in ~5 MiB
steps while the bytes in use stay flat. Pinning the threshold keeps large blocks mapped (each
freed block goes back to the system at once); small allocations are unaffected.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, kept fixed


def glibc() -> ctypes.CDLL | None:
    """The C library, when it is glibc (mallopt's options differ elsewhere, e.g. musl)."""
    try:
        if not sys.platform.startswith("linux") or not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
        return ctypes.CDLL(None)
    except (ValueError, OSError):
        return None


def keep_large_blocks_mapped() -> bool:
    """Fix glibc's mmap threshold at 128 KiB (see the module's docstring). Returns whether it
    was set; an explicit MALLOC_MMAP_THRESHOLD_ in the environment is left to win."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    libc = glibc()
    if libc is None:
        return False
    ok = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not ok:
        log.debug("mallopt(M_MMAP_THRESHOLD) refused")
    return ok


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def heap_figures() -> dict[str, int]:
    """glibc's own account (mallinfo2, glibc ≥ 2.33): KiB in use by malloc's callers, and KiB
    free inside its heaps (resident but used by nobody: fragmentation), so that a growing RSS
    can be told apart from a leak. Empty off glibc."""
    libc = glibc()
    if libc is None or not hasattr(libc, "mallinfo2"):
        return {}
    libc.mallinfo2.restype = _MallInfo2
    m = libc.mallinfo2()
    return {"heap_used_kib": (m.uordblks + m.hblkhd) // 1024, "heap_free_kib": m.fordblks // 1024}
