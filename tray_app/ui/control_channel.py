"""A test-only control channel into a running applet, for the soak benchmark (bench/soak.py).

Off unless ``PRESENCE_TRAY_CONTROL_SOCKET`` names a Unix socket path: then `tray_app.ui.app` starts
this server on the applet's own loop. One JSON object per line in, one per line out:

- ``{"cmd": "click", "key": K}``: the menu item (tray) or window control with model key K is
  clicked through Qt (``QAction.trigger`` / ``QAbstractButton.click``), the path a mouse takes.
- ``{"cmd": "open_menu"}``: the menu opens and closes (``aboutToShow``: refresh, autostart read).
- ``{"cmd": "sign_in", "user_id", "password", "homeserver"}``: the sign-in dialog's login call.
- ``{"cmd": "idle"}``: waits for every click's task; ``{"cmd": "state"}``: each account's state.
- ``{"cmd": "stats"}``: RSS, fds, threads, QObjects, asyncio tasks (by what they are and by
  coroutine), timers (live by callback, cancelled apart, QTimers), None's reference count; with
  ``"quiet": true`` (and ``"timeout"``, s) taken once the applet is quiet (`busy`).
- ``{"cmd": "qobject_classes", "owners": bool}``: the QObjects `stats` counts, by class (and
  owner): what grew.
- ``{"cmd": "quit"}``.

``PRESENCE_TRAY_CONTROL_INTERVALS`` (JSON, optional) shortens timers for a compressed soak:
``tick_ms`` (the applet's tick), ``poll`` (SessionTimings.poll_interval, s), ``sync_timeout_ms``. The
code paths stay the shipped ones; only their periods change. Nothing here runs when the
variables are unset, and the socket is created 0600 in a directory the caller owns.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import gc
import json
import logging
import os
import sys
from typing import Any

from tray_app.heap import heap_figures
from tray_app.matrix.http_connection import HttpConnectionPool
from tray_app.matrix.liveness import Liveness
from tray_app.matrix.undropped_syncs import TASK_NAME as UNDROPPED_SYNC_TASK
from tray_app.matrix.undropped_syncs import UndroppedSyncs
from tray_app.session.sync_channel import SyncChannel
from tray_app.session.sync_response import with_body

log = logging.getLogger(__name__)

SOCKET_ENV = "PRESENCE_TRAY_CONTROL_SOCKET"
INTERVALS_ENV = "PRESENCE_TRAY_CONTROL_INTERVALS"


def requested() -> str | None:
    return os.environ.get(SOCKET_ENV) or None


def apply_intervals(applet: Any) -> dict[str, Any]:
    raw = os.environ.get(INTERVALS_ENV)
    if not raw:
        return {}
    intervals = json.loads(raw)
    # Before any session is made: the applet's accounts give their sessions these timings.
    accounts = applet.controller.accounts
    if "poll" in intervals:
        accounts.timings = dataclasses.replace(accounts.timings, poll_interval=float(intervals["poll"]))
    if "sync_timeout_ms" in intervals:
        accounts.timings = dataclasses.replace(accounts.timings, sync_timeout_ms=int(intervals["sync_timeout_ms"]))
    if "tick_ms" in intervals:
        applet._tick.setInterval(int(intervals["tick_ms"]))
    return intervals


def _proc_status() -> dict[str, str]:
    out = {}
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                k, _, v = line.partition(":")
                out[k] = v.strip()
    except OSError:
        pass
    return out


_TCP_STATES = {
    "01": "established",
    "02": "syn_sent",
    "04": "fin_wait1",
    "05": "fin_wait2",
    "06": "time_wait",
    "08": "close_wait",
    "09": "last_ack",
    "0B": "closing",
    "0A": "listen",
}


def tcp_connections() -> dict[str, int]:
    """This process's TCP sockets by state. Each open connection is one fd and one read
    notifier: how many the connection pools keep open at a moment comes and goes with the
    requests of the last seconds, so the soak counts fds and notifiers without them, and
    bounds the connections themselves (a pool that never closed its sockets would pass it)."""
    inodes = set()
    try:
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return {}
    out: dict[str, int] = {}
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        try:
            with open(table, encoding="ascii") as f:
                next(f, None)
                for line in f:
                    fields = line.split()
                    if len(fields) > 9 and fields[9] in inodes:
                        state = _TCP_STATES.get(fields[3], fields[3])
                        out[state] = out.get(state, 0) + 1
        except OSError:
            continue
    return out


def counted_qobjects(applet: Any) -> list[Any]:
    """Every QObject reachable from the application, the applet, the top-level widgets (menus,
    window, dialogs; their actions are their children) and the tray icon: what `stats` counts."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    out: list[Any] = []
    for root in [*QApplication.topLevelWidgets(), app, applet]:
        out.append(root)
        out.extend(root.findChildren(QObject))
    return out


def qobject_classes(applet: Any, owners: bool = False) -> dict[str, int]:
    """The counted QObjects by Qt class name, to tell what grows; with `owners`, by class and
    the object name of the nearest named ancestor (which widget they belong to)."""
    counts: dict[str, int] = {}
    for o in counted_qobjects(applet):
        name = o.metaObject().className()
        if owners:
            p = o
            while p is not None and not p.objectName():
                p = p.parent()
            name += " in " + (p.objectName() if p is not None else "?")
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


# Tasks by their coroutine's name (`_coro_name`), for `classify_tasks`.
IN_FLIGHT_REQUEST = HttpConnectionPool._request.__qualname__
LIVENESS_PROBE = Liveness._probe_once.__qualname__  # a check on a silent server
SYNC_TASK = SyncChannel._sync_once.__qualname__  # the long-poll sync of a session
# The request of that sync run as a task of its own: by the liveness watch (tray_app/matrix/liveness.py)
# and, for a sync carrying a presence, by UndroppedSyncs.wait (named apart once its waiter gave up).
# (with_body: the long poll's request and its body, tray_app/session/sync_response.py.)
SYNC_REQUESTS = ("AsyncClient.sync", with_body.__qualname__, UndroppedSyncs.wait.__qualname__)


def _coro_name(task: asyncio.Task) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", None) or type(coro).__name__


def task_kinds(tasks: set[asyncio.Task]) -> dict[str, int]:
    """The running tasks by their coroutine's name: what grew, when the count did."""
    kinds: dict[str, int] = {}
    for task in tasks:
        name = _coro_name(task)
        kinds[name] = kinds.get(name, 0) + 1
    return dict(sorted(kinds.items()))


def classify_tasks(tasks: set[asyncio.Task]) -> dict[str, int]:
    """The running tasks, counted apart by what they are:

    - `syncs`: each session's one long-poll sync (SyncChannel._sync_once; none while a session waits
      between syncs), and `sync_requests`: that sync's request where it runs as a task of its
      own (one or two of them, depending on whether the sync carries a presence: which one does
      depends on the account's override, so counting them as standing tasks made the count
      follow the last click);
    - `undropped_syncs`: syncs left to finish after a presence change
      (tray_app/matrix/undropped_syncs.py; up to one long poll);
    - `requests_in_flight`: requests running as a task of their own, and liveness probes
      (HttpConnectionPool's requests run inside their caller's task);
    - `tasks`: all others, the standing ones: at a quiet moment a fixed number per session and
      per applet, so one more is growth."""
    counts = {"tasks": 0, "syncs": 0, "sync_requests": 0, "undropped_syncs": 0, "requests_in_flight": 0}
    for task in tasks:
        name = _coro_name(task)
        if task.get_name() == UNDROPPED_SYNC_TASK:
            kind = "undropped_syncs"
        elif name in (IN_FLIGHT_REQUEST, LIVENESS_PROBE):
            kind = "requests_in_flight"
        elif name == SYNC_TASK:
            kind = "syncs"
        elif name in SYNC_REQUESTS:
            kind = "sync_requests"
        else:
            kind = "tasks"
        counts[kind] += 1
    return counts


def _callback_name(handle: asyncio.Handle) -> str:
    """What a timer will call, by name (functools.partial unwrapped)."""
    cb = getattr(handle, "_callback", None)
    while isinstance(cb, functools.partial):
        cb = cb.func
    return getattr(cb, "__qualname__", None) or type(cb).__name__


def loop_timers(loop: asyncio.AbstractEventLoop) -> tuple[dict[str, int], int]:
    """The asyncio timers (call_later/call_at: sleeps, timeouts) the loop holds, each one a Qt
    timer under qasync: the live ones by what they will call, and how many are cancelled.
    qasync keeps a cancelled handle's Qt timer until its time comes (then drops it unrun), so a
    timeout cancelled early (a request answered in 5 ms under a 30 s timeout) still counts for
    up to its whole delay: that is what rose by ~25 between checkpoints (it follows the last
    half-minute's clicks), not a leak; the live ones are what the applet still waits for."""
    timer = getattr(loop, "_timer", None)
    if timer is None:
        return {}, 0
    handles = list(timer._SimpleTimer__callbacks.values())  # qasync's; fails loudly if renamed
    live: dict[str, int] = {}
    for h in handles:
        if not h.cancelled():
            name = _callback_name(h)
            live[name] = live.get(name, 0) + 1
    return dict(sorted(live.items())), sum(1 for h in handles if h.cancelled())


def busy(applet: Any, counts: dict[str, int]) -> list[str]:
    """Why this is not a quiet moment (empty: quiet): a click's task, a change in flight, a
    session not connected or between syncs, a request in flight, a sync left to finish."""
    from tray_app.session_state import Connection

    c = applet.controller
    out = []
    if getattr(c, "_tasks", None):
        out.append("clicks")
    states = [s.state for s in c.sessions.values()]
    if any(st.pending is not None for st in states):
        out.append("changes in flight")
    connected = sum(1 for st in states if st.connection is Connection.CONNECTED)
    if connected != len(states):
        out.append("sessions not connected")
    if counts["syncs"] != connected:
        out.append("sessions between syncs")
    for k in ("requests_in_flight", "undropped_syncs"):
        if counts[k]:
            out.append(k.replace("_", " "))
    return out


def stats(applet: Any) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    status = _proc_status()
    counted = counted_qobjects(applet)
    loop = asyncio.get_running_loop()
    tasks = asyncio.all_tasks(loop)
    counts = classify_tasks(tasks)
    timer_kinds, timers_cancelled = loop_timers(loop)
    views = [applet.applier, applet.menu_view.applier] + ([applet.window.applier] if applet.window else [])
    notifiers = len(getattr(loop, "_read_notifiers", {}) or {}) + len(getattr(loop, "_write_notifiers", {}) or {})
    tcp = tcp_connections()
    return {
        "rss_kib": int(status.get("VmRSS", "0 kB").split()[0]),
        # Of which: private memory, mapped files (libraries' pages as code runs), shared memory
        # (on X11, MIT-SHM images of the menu's and windows' backing stores).
        **{
            k: int(status[name].split()[0])
            for k, name in (("rss_anon_kib", "RssAnon"), ("rss_file_kib", "RssFile"), ("rss_shmem_kib", "RssShmem"))
            if name in status
        },
        "fds": len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else -1,
        "threads": int(status.get("Threads", "0")),
        "qobjects": len(counted),
        "widgets": len(QApplication.allWidgets()),
        **counts,  # tasks (standing), syncs, sync_requests, undropped_syncs, requests_in_flight
        "sessions": len(applet.controller.sessions),
        "busy": busy(applet, counts),
        "task_kinds": task_kinds(tasks),
        # asyncio's timers (Qt timers under qasync): live ones, by what they call; cancelled ones
        # waiting for their time apart. And the applet's own active QTimers (the tick).
        "timers": sum(timer_kinds.values()),
        "timer_kinds": timer_kinds,
        "timers_cancelled": timers_cancelled,
        "qtimers": sum(1 for o in counted if isinstance(o, QTimer) and o.isActive()),
        "notifiers": notifiers,
        "connections": sum(tcp.values()),
        "connection_states": tcp,
        "none_refs": sys.getrefcount(None),
        "gc_objects": len(gc.get_objects()),
        "renders": applet.renders,
        "notifications": applet.notified,
        "qt_calls": sum(v.calls for v in views),
        "qt_skipped": sum(v.skipped for v in views),
        "rebuilds": applet.menu_view.rebuilds + (applet.window.rebuilds if applet.window else 0),
        **heap_figures(),  # RSS growth with these flat is the allocator, not a leak
    }


async def quiet_stats(applet: Any, timeout: float) -> dict[str, Any]:
    """`stats` taken at a quiet moment (see `busy`), checked and sampled in one turn of the
    loop, so nothing can start in between; after `timeout` s it is taken anyway, with `busy`
    saying what still ran."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while busy(applet, classify_tasks(asyncio.all_tasks(loop))) and loop.time() < deadline:
        await asyncio.sleep(0.02)
    return stats(applet)


def account_states(applet: Any) -> list[dict[str, Any]]:
    out = []
    for s in applet.controller.states():
        out.append(
            {
                "user_id": s.user_id,
                "connection": s.connection.value,
                "override": s.override.raw if s.override is not None else None,
                "pending": (s.pending.state.value if s.pending.state else "") if s.pending is not None else None,
                "last_error": s.last_error,
                "status_msg": s.status_msg,
                "message_until": s.message_until.isoformat() if s.message_until is not None else None,
            }
        )
    return out


class ControlChannel:
    def __init__(self, applet: Any) -> None:
        self.applet = applet
        self.server: asyncio.AbstractServer | None = None

    async def start(self, path: str) -> None:
        if os.path.exists(path):
            os.unlink(path)
        old = os.umask(0o077)
        try:
            self.server = await asyncio.start_unix_server(self._serve, path=path)
        finally:
            os.umask(old)
        log.warning("test control channel listening (%s is set)", SOCKET_ENV)

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                try:
                    answer = await self.handle(json.loads(line))
                except Exception as e:  # the driver sees what went wrong; the applet lives on
                    answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
                writer.write((json.dumps(answer) + "\n").encode())
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # The loop is ending with the applet: the connection just ends (asyncio would log a
            # cancelled connection handler as an error).
            pass
        finally:
            writer.close()

    async def handle(self, msg: dict[str, Any]) -> dict[str, Any]:
        a = self.applet
        cmd = msg.get("cmd")
        if cmd == "click":
            key = msg["key"]
            if a.window is not None:
                a.window.click(key)
            else:
                a.menu_view.trigger(key)
            return {"ok": True}
        if cmd == "open_menu":
            if a.window is None:
                from PySide6.QtCore import QPoint

                a.menu.popup(QPoint(40, 40))
                await asyncio.sleep(0.05)
                a.menu.hide()
            else:
                a._menu_opening()
            return {"ok": True}
        if cmd == "sign_in":
            c = a.controller
            task = c.start_sign_in(c.sign_in_password(msg["user_id"], msg["password"], msg.get("homeserver")))
            await asyncio.shield(task)
            return {"ok": True}
        if cmd == "idle":
            await a.controller.wait_idle()
            return {"ok": True}
        if cmd == "state":
            return {"ok": True, "accounts": account_states(a)}
        if cmd == "stats":
            if msg.get("quiet"):
                return {"ok": True, "stats": await quiet_stats(a, float(msg.get("timeout", 60)))}
            return {"ok": True, "stats": stats(a)}
        if cmd == "qobject_classes":
            return {"ok": True, "classes": qobject_classes(a, bool(msg.get("owners")))}
        if cmd == "quit":
            a.request_quit()
            return {"ok": True}
        raise ValueError(f"unknown command {cmd!r}")
