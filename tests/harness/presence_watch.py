"""Watching presence the way another person does, and reading what Synapse's rc_presence did.

- `PresenceObserver`: another user who shares a room long-polls `/sync` (presence only) in a
  thread and records every presence state of the watched user it is sent, in order, with the
  monotonic time it arrived (for bench/ only; tests assert order and counts).
- `RateLimitLoggingSynapse`: a real Synapse whose log says which syncs rc_presence denied:
  `synapse.rest.client.sync` and `synapse.rest.client.presence` log at DEBUG, where Synapse
  writes "/sync: user=..., set_presence=..., device_id=..." and "User set_presence ratelimit
  exceeded; ignoring it." under the same request id.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import yaml

from tests.harness.synapse import LOG_CONFIG, MatrixRequestError, RegisteredUser, SynapseServer

DEBUG_LOGGERS = ("synapse.rest.client.sync", "synapse.rest.client.presence")

_LINE = re.compile(r" - (?P<logger>[\w.]+) - \d+ - (?P<level>\w+) - (?P<request>\S+) - (?P<message>.*)$")
_SYNC_DEVICE = re.compile(r"^/sync: user=.*device_id='(?P<device>[^']*)'")
SYNC_DENIED = "User set_presence ratelimit exceeded; ignoring it."
PUT_DENIED = "User presence ratelimit exceeded; ignoring it."


class RateLimitLoggingSynapse(SynapseServer):
    """A SynapseServer whose log records rc_presence's decisions (see the module docstring)."""

    def _write_config(self) -> None:
        super()._write_config()
        config = yaml.safe_load(LOG_CONFIG)
        for name in DEBUG_LOGGERS:
            config["loggers"][name] = {"level": "DEBUG"}
        (self.data_dir / "log.config").write_text(yaml.safe_dump(config, sort_keys=False))

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass(frozen=True)
class RateLimitCounts:
    syncs: int  # syncs of the device that reached rc_presence's check
    syncs_denied: int  # of which denied: their set_presence ignored, the device not counted as syncing
    puts_denied: int  # PUT /presence/status answered 429 (any device of any user)


def rate_limit_counts(log_text: str, device_id: str) -> RateLimitCounts:
    device_of: dict[str, str] = {}
    syncs = denied = puts = 0
    for line in log_text.splitlines():
        m = _LINE.search(line)
        if not m:
            continue
        message, request = m["message"], m["request"]
        sync = _SYNC_DEVICE.match(message)
        if sync:
            device_of[request] = sync["device"]
            if sync["device"] == device_id:
                syncs += 1
        elif message.startswith(SYNC_DENIED) and device_of.get(request) == device_id:
            denied += 1
        elif message.startswith(PUT_DENIED):
            puts += 1
    return RateLimitCounts(syncs, denied, puts)


class PresenceObserver:
    """`watcher` long-polls /sync and records `user_id`'s presence states as they arrive."""

    def __init__(self, server: SynapseServer, watcher: RegisteredUser, user_id: str, poll_ms: int = 30_000) -> None:
        self.server = server
        self.watcher = watcher
        self.user_id = user_id
        self.poll_ms = poll_ms
        self.seen: list[tuple[float, str]] = []  # (monotonic arrival, presence)
        self.polls = 0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="presence-observer", daemon=True)
        self._filter = {
            "room": {
                "rooms": [],
                "account_data": {"not_types": ["*"]},
                "ephemeral": {"not_types": ["*"]},
                "state": {"not_types": ["*"]},
                "timeline": {"not_types": ["*"], "limit": 0},
            },
            "account_data": {"not_types": ["*"]},
            "presence": {"senders": [user_id], "types": ["m.presence"]},
        }

    def start(self) -> PresenceObserver:
        self._thread.start()
        if not self._ready.wait(60):
            raise RuntimeError(f"the observer's first sync did not answer: {self.error!r}")
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(self.poll_ms / 1000 + 35)

    def states(self) -> list[str]:
        """What the observer was shown, repeats of the same state folded into one."""
        out: list[str] = []
        for _, presence in list(self.seen):
            if not out or out[-1] != presence:
                out.append(presence)
        return out

    @property
    def now(self) -> str | None:
        return self.seen[-1][1] if self.seen else None

    def _run(self) -> None:
        since = None
        try:
            while not self._stop.is_set():
                try:
                    resp = self.server.sync(
                        self.watcher.access_token,
                        since=since,
                        timeout_ms=0 if since is None else self.poll_ms,
                        set_presence="offline",
                        filter=self._filter,
                    )
                except MatrixRequestError as e:
                    if e.status == 429:
                        time.sleep(1)
                        continue
                    raise
                arrived = time.monotonic()
                self.polls += 1
                for event in resp.get("presence", {}).get("events", []):
                    if event.get("sender") == self.user_id:
                        self.seen.append((arrived, event.get("content", {}).get("presence")))
                since = resp["next_batch"]
                self._ready.set()
        except BaseException as e:  # noqa: BLE001 (handed to the test)
            self.error = e
            self._ready.set()
