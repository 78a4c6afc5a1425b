"""`make soak`'s report (bench/soak.py): a table of each applet's samples, the growth between
its quiet checkpoints, and the summary printed at the end."""

from __future__ import annotations

from typing import Any

from tray_app.ui.control_channel import IN_FLIGHT_REQUEST, LIVENESS_PROBE, SYNC_REQUESTS, SYNC_TASK

# Task kinds the applet counts apart from its standing tasks (tray_app/ui/control_channel.py,
# classify_tasks): left out of "tasks by coroutine, last checkpoint minus first".
NOT_STANDING = {SYNC_TASK, *SYNC_REQUESTS, IN_FLIGHT_REQUEST, LIVENESS_PROBE}


# -- printing ---------------------------------------------------------------------------------

COLUMNS = [
    ("t", "t(s)"),
    ("phase", "phase"),
    ("rss_kib", "RSS MiB"),
    ("heap_used_kib", "heap used"),
    ("heap_free_kib", "heap free"),
    ("fds", "fds"),
    ("threads", "thr"),
    ("qobjects", "QObj"),
    ("tasks", "tasks"),
    ("syncs", "syncs"),
    ("timers", "timers"),
    ("timers_cancelled", "t.cancel"),
    ("notifiers", "notif"),
    ("none_refs", "None refs"),
    ("renders", "renders"),
    ("qt_calls", "Qt calls"),
    ("rebuilds", "rebuilds"),
]


def print_table(mode: str, samples: list[dict[str, Any]], max_rows: int = 40) -> None:
    print(f"\n{mode} applet")
    print("  ".join(f"{h:>9}" for _, h in COLUMNS))
    step = max(1, len(samples) // max_rows)
    rows = samples[::step]
    if samples and rows[-1] is not samples[-1]:
        rows.append(samples[-1])
    for r in rows:
        cells = []
        for k, _ in COLUMNS:
            v = r.get(k)
            cells.append(f"{v / 1024:9.1f}" if k.endswith("_kib") and v is not None else f"{v!s:>9}")
        print("  ".join(cells))


def _next_turn(kind: str) -> bool:
    """A callback call_soon scheduled (qasync keeps it as a zero-delay Qt timer): a task's
    wake-up or step, or a future's done callback."""
    return kind in ("Task.task_wakeup", "Task.__step") or kind.endswith("_done_callback")


# Open TCP connections a session may hold at a moment: nio's (the long poll, and one finishing)
# and the request pool's (tray_app/matrix/http_connection.py: up to MAX_IDLE idle, one in use); the
# applet's own beyond them (a sign-in's redirect listener). A pool that lost track of its
# sockets passes this within minutes of a soak.
CONNECTIONS_PER_SESSION = 8
CONNECTIONS_APPLET = 2


def summarise(out: dict[str, Any]) -> dict[str, Any]:
    """Growth between the first checkpoint after warm-up and the last one (same quiet state), and
    for the counts whether the last checkpoint is above everything of the run's first half: its
    checkpoints for QObjects, widgets, active QTimers and standing tasks (quiet then: the applet
    says so, and each session's long-poll sync and its request are counted apart, since whether
    a sync runs as two tasks or three depends on the account's override); every sample for fds
    and socket notifiers (less the open TCP connections, bounded apart), threads, live asyncio timers kind by kind (aiohttp's keep-alive cleanup
    comes and goes), requests in flight and syncs left to finish after a presence change
    (tray_app/matrix/undropped_syncs.py), since at any moment a connection may be closed or in flight
    (the tray applet's fds go 27-29 at checkpoints through a run), a worker thread started or a
    sync still running: noise, not growth; growth would pass the first half's highest. Exact at
    every sample: at most one long-poll sync per session. Cancelled timers that qasync keeps
    until their time (tray_app/ui/control_channel.py, loop_timers) are reported, not checked:
    they follow the last half-minute's clicks. What grew is named: tasks by coroutine, timers by
    callback, QObjects by class."""
    summary = {}
    keys = ("rss_kib", "fds", "threads", "qobjects", "widgets", "tasks", "timers", "notifiers", "none_refs")
    for mode, data in out["applets"].items():
        cps = [s for s in data["samples"] if s["phase"] == "checkpoint"]
        if len(cps) < 2:
            continue
        first = cps[1] if len(cps) > 2 else cps[0]  # the first checkpoint after the warm-up one
        last = cps[-1]
        g: dict[str, Any] = {k: last[k] - first[k] for k in keys}
        if "timers_cancelled" in first and "timers_cancelled" in last:
            g["timers_cancelled"] = last["timers_cancelled"] - first["timers_cancelled"]
        early = cps[: max(1, len(cps) // 2)]
        early_all = [s for s in data["samples"] if s["t"] <= last["t"] / 2] or early
        # Live timers kind by kind (each kind comes and goes on its own: aiohttp's keep-alive
        # cleanup of each session's connections, a request's timeout), against the first half's
        # samples: a kind above its own highest there grew.
        # (Less the callbacks qasync holds as zero-delay Qt timers for the next loop turn, a
        # task's wake-up or a future's done callback: work about to run, not a timer. CI once
        # caught a Task.task_wakeup and a shield's _outer_done_callback at the last checkpoint.)
        g["timers_above"] = {
            k: v - max(c.get("timer_kinds", {}).get(k, 0) for c in early_all)
            for k, v in last.get("timer_kinds", {}).items()
            if not _next_turn(k) and v > max(c.get("timer_kinds", {}).get(k, 0) for c in early_all)
        }
        # fds and notifiers without the open connections (each one of both), which come and go
        # with the last seconds' requests (one idle in a pool, one half-closed by a restarted
        # server until its next use); the connections themselves are bounded per session.
        net = {k: (lambda s, k=k: s.get(k, 0) - s.get("connections", 0)) for k in ("fds", "notifiers")}
        level = {
            k: net.get(k, lambda s, k=k: s.get(k, 0))
            for k in ("fds", "threads", "notifiers", "undropped_syncs", "requests_in_flight")
        }
        g["connections_max"] = max(s.get("connections", 0) for s in data["samples"])
        over_bound = [
            s
            for s in data["samples"]
            if s.get("connections", 0) > CONNECTIONS_PER_SESSION * s.get("sessions", 1) + CONNECTIONS_APPLET
        ]
        g["grew"] = sorted(
            [k for k in ("qobjects", "widgets", "tasks", "qtimers") if last.get(k, 0) > max(c.get(k, 0) for c in early)]
            + [k for k, of in level.items() if of(last) > max(of(c) for c in early_all)]
            + (["connections"] if over_bound else [])
            + (["timers"] if g["timers_above"] else [])
            + (
                ["syncs"]
                if any(s.get("syncs", 0) > s.get("sessions", s.get("syncs", 0)) for s in data["samples"])
                else []
            )
        )
        g["not_quiet"] = [{"t": c["t"], "busy": c["busy"]} for c in cps if c.get("busy")]
        g["rss_max_kib"] = max(s["rss_kib"] for s in data["samples"])
        # glibc's bytes in use / free inside its heap (mallinfo2): RSS growth with both flat is
        # not the applet's; growth of "free" alone is fragmentation (tray_app/heap.py).
        # RSS split: private, file pages (libraries' code as new paths run), shared (X11 MIT-SHM).
        for k in ("heap_used_kib", "heap_free_kib", "rss_anon_kib", "rss_file_kib", "rss_shmem_kib"):
            if k in first and k in last:
                g[k] = last[k] - first[k]
        for kinds in ("task_kinds", "timer_kinds", "qobject_classes"):
            if kinds in first and kinds in last:
                a, b = first[kinds], last[kinds]
                g[kinds] = {
                    k: b.get(k, 0) - a.get(k, 0)
                    for k in sorted(a.keys() | b.keys())
                    if b.get(k, 0) != a.get(k, 0) and not (kinds == "task_kinds" and k in NOT_STANDING)
                }
        g["exit_code"] = data["exit_code"]
        summary[mode] = g
    out["growth"] = summary
    return summary


def print_report(out: dict[str, Any], growth: dict[str, Any]) -> None:
    """Each applet's table, then the run's figures and what grew."""
    for mode, data in out["applets"].items():
        print_table(mode, data["samples"])
    print(
        f"\n{out['minutes']} min; {out['changes']} override changes ({out['clicks']} clicks through the applets' "
        f"menu/window, {out['other_device_changes']} from another device; that device met {out['other_device_429']} "
        f"429s); {out['synapse_restarts']} Synapse restarts; {out['revocations']} logins revoked and signed back in; the menu opened {out['menu_opens']} times"
    )
    lost = sum(len(c["lost"]) for c in out["checkpoints"])
    checked = sum(c["accounts"] for c in out["checkpoints"])
    print(f"checkpoints: {len(out['checkpoints'])}, server override == last click for {checked - lost} of {checked}")
    for mode, g in growth.items():
        parts = [
            (k, label)
            for k, label in (
                ("rss_anon_kib", "private"),
                ("rss_file_kib", "files"),
                ("rss_shmem_kib", "shared"),
                ("heap_used_kib", "malloc in use"),
                ("heap_free_kib", "free in heap"),
            )
            if k in g
        ]
        heap = " (" + ", ".join(f"{label} {g[k] / 1024:+.1f}" for k, label in parts) + ")" if parts else ""
        print(
            f"{mode}: from the first checkpoint after warm-up to the last: RSS {g['rss_kib'] / 1024:+.1f} MiB{heap} "
            f"(max {g['rss_max_kib'] / 1024:.1f} MiB), fds {g['fds']:+d}, threads {g['threads']:+d}, "
            f"QObjects {g['qobjects']:+d}, tasks {g['tasks']:+d}, timers {g['timers']:+d}, None refs {g['none_refs']:+d}; "
            f"above the first half's checkpoints: {', '.join(g['grew']) or 'nothing'}; exit code {g['exit_code']}"
        )
        if "timers_cancelled" in g:
            print(f"{mode}: cancelled timers qasync keeps until their time (not checked): {g['timers_cancelled']:+d}")
        if g.get("not_quiet"):
            print(f"{mode}: checkpoints taken before the applet was quiet: {g['not_quiet']}")
        if g.get("task_kinds"):
            print(
                f"{mode}: tasks by coroutine, last checkpoint minus first: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["task_kinds"].items())
            )
        if g.get("timers_above"):
            print(
                f"{mode}: live timers above the first half's highest, by callback: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["timers_above"].items())
            )
        if g.get("timer_kinds"):
            print(
                f"{mode}: live timers by callback, last checkpoint minus first: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["timer_kinds"].items())
            )
        if g.get("qobject_classes"):
            print(
                f"{mode}: QObjects by class, last checkpoint minus first: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["qobject_classes"].items())
            )
