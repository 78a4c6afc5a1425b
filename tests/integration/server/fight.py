"""The fight's players, shared by the tests that stage one (test_fight.py, test_msc4532.py):
devices that push `online` as hard as they can, readers of the status and a watcher sharing a
room, each a thread that counts what it did and any sign of anything but the override in a
`Tally`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.harness.synapse import RegisteredUser, SynapseServer
from tests.integration.server.helpers import KeepAliveClient, presence_events_for, status_path

# `now - last_active_ago` must stay put while the override holds; this much jitter is
# allowed for request latency and rounding. A device bumping last_active moves it by seconds.
LAST_ACTIVE_JITTER_MS = 1500


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reads: int = 0
    syncs: int = 0
    messages: int = 0
    status_puts: int = 0
    own_presence_events: int = 0
    watcher_syncs: int = 0
    watcher_presence_events: int = 0
    watcher_saw_messages: int = 0
    watcher_since: str = ""

    def violation(self, text: str) -> None:
        with self.lock:
            if len(self.violations) < 20:
                self.violations.append(text)
            else:
                self.violations[-1] = f"... and more; last: {text}"

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)


def check_presence(content: dict[str, Any], expected: str, status_msg: str | None, where: str) -> str | None:
    if content.get("presence") != expected:
        return f"{where}: presence {content.get('presence')!r}, expected {expected!r}"
    if content.get("status_msg") != status_msg:
        return f"{where}: status_msg {content.get('status_msg')!r}, expected {status_msg!r}"
    if content.get("currently_active"):
        return f"{where}: currently_active is true behind a {expected!r} override"
    return None


def run_fighter(
    server: SynapseServer,
    device: RegisteredUser,
    since: str,
    subject: str,
    room_id: str,
    expected: str,
    status_msg: str | None,
    put_status: bool,
    stop: threading.Event,
    tally: Tally,
) -> None:
    """A device that wants to be online: sync set_presence=online, talk, maybe PUT status."""
    client = KeepAliveClient(server, device.access_token)
    n = 0
    try:
        while not stop.is_set():
            body = server.sync(device.access_token, since=since, timeout_ms=0, set_presence="online")
            since = body["next_batch"]
            own = presence_events_for(body, subject)
            for content in own:
                problem = check_presence(content, expected, status_msg, "own /sync")
                if problem:
                    tally.violation(problem)
            server.send_message(device.access_token, room_id, f"still here {n}")
            counts = {"syncs": 1, "messages": 1, "own_presence_events": len(own)}
            if put_status:
                code, answer = client.request(
                    "PUT", status_path(subject), body={"presence": "online", "status_msg": "this must not show"}
                )
                if code != 200:
                    tally.error(f"PUT /status answered {code}: {answer}")
                counts["status_puts"] = 1
            tally.add(**counts)
            n += 1
    except Exception as exc:  # noqa: BLE001 - reported by the test
        tally.error(f"fighter {device.device_id}: {exc!r}")
    finally:
        client.close()


def run_reader(
    server: SynapseServer,
    token: str,
    subject: str,
    expected: str,
    status_msg: str | None,
    disabled: bool,
    stop: threading.Event,
    tally: Tally,
    who: str,
) -> None:
    client = KeepAliveClient(server, token)
    path = status_path(subject)
    implied_last_active: float | None = None
    try:
        while not stop.is_set():
            code, body = client.request("GET", path)
            now_ms = time.time() * 1000
            if code != 200:
                tally.violation(f"{who} status read answered {code}: {body}")
                continue
            problem = check_presence(body, expected, status_msg, f"{who} status read")
            if problem is None and disabled and "last_active_ago" in body:
                problem = f"{who} status read: last_active_ago shown for `disabled`"
            if problem is None and "last_active_ago" in body:
                implied = now_ms - body["last_active_ago"]
                if implied_last_active is None:
                    implied_last_active = implied
                elif abs(implied - implied_last_active) > LAST_ACTIVE_JITTER_MS:
                    problem = (
                        f"{who} status read: last active moved by "
                        f"{implied - implied_last_active:.0f} ms behind the override"
                    )
            if problem:
                tally.violation(problem)
            tally.add(reads=1)
    except Exception as exc:  # noqa: BLE001
        tally.error(f"reader {who}: {exc!r}")
    finally:
        client.close()


def run_watcher(
    server: SynapseServer,
    watcher: RegisteredUser,
    since: str,
    subject: str,
    expected: str,
    status_msg: str | None,
    stop: threading.Event,
    tally: Tally,
) -> None:
    try:
        while not stop.is_set():
            body = server.sync(watcher.access_token, since=since, timeout_ms=500)
            since = tally.watcher_since = body["next_batch"]
            events = presence_events_for(body, subject)
            for content in events:
                problem = check_presence(content, expected, status_msg, "watcher /sync")
                if problem:
                    tally.violation(problem)
            said = sum(
                1
                for room in body.get("rooms", {}).get("join", {}).values()
                for ev in room.get("timeline", {}).get("events", [])
                if ev.get("sender") == subject and ev.get("type") == "m.room.message"
            )
            tally.add(watcher_syncs=1, watcher_presence_events=len(events), watcher_saw_messages=said)
    except Exception as exc:  # noqa: BLE001
        tally.error(f"watcher: {exc!r}")
