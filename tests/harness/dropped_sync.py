"""Show the stock Synapse bug tray_app/matrix/undropped_syncs.py avoids (a manual check, not a test).

    python -m tests.harness.dropped_sync [DELAY_MS ...]

Starts a throwaway stock Synapse; for each delay, a fresh user's device sends one
`/sync?set_presence=unavailable` and closes the connection DELAY_MS after sending it ("-" =
reads the answer, the normal case). An observer sharing a room then reads each user's presence
until all are offline or 100 s have passed. A device whose request was cut while Synapse was
still recording its presence stays `unavailable` (on this project's machines: cut at 3–5 ms;
0–2 ms is before Synapse reads the request, 8 ms and later is inside the long poll). Depends on
the machine's speed by nature, which is why it is not a test.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import time
from pathlib import Path

from tests.harness.synapse import SynapseServer

PASSWORD = "throwaway-pass-1"


def _send_sync(host: str, port: int, token: str, cut_after_ms: int | None) -> None:
    with socket.create_connection((host, port)) as conn:
        conn.sendall(
            f"GET /_matrix/client/v3/sync?timeout=1000&set_presence=unavailable HTTP/1.1\r\n"
            f"Host: {host}\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        )
        if cut_after_ms is None:
            conn.recv(65536)
        else:
            time.sleep(cut_after_ms / 1000)


def main(argv: list[str]) -> int:
    delays = [None if a == "-" else int(a) for a in argv] or [0, 1, 2, 3, 5, 8, 12, 20, 40, None]
    server = SynapseServer(Path(tempfile.mkdtemp(prefix="dropped-sync-")))
    server.start()
    try:
        host, port = server.base_url.split("//", 1)[1].rstrip("/").rsplit(":", 1)
        observer = server.register_user("observer", PASSWORD)
        devices = []
        for i, _ in enumerate(delays):
            user = server.register_user(f"user{i}", PASSWORD)
            device = server.login(user.user_id, PASSWORD)
            room = server.create_room(device.access_token, invite=[observer.user_id])
            server.join_room(observer.access_token, room)
            devices.append(device)
        for delay, device in zip(delays, devices):
            _send_sync(host, int(port), device.access_token, delay)
        started = time.monotonic()
        while True:
            seen = [server.get_presence(observer.access_token, d.user_id)["presence"] for d in devices]
            if all(p == "offline" for p in seen) or time.monotonic() - started > 100:
                break
            time.sleep(5)
        print(f"after {time.monotonic() - started:.0f} s:")
        for delay, presence in zip(delays, seen):
            print(f"  cut after {'-' if delay is None else f'{delay} ms':>6}: {presence}")
        print(f"Synapse log: {server.log_path}")
        return 1 if any(p != "offline" for p in seen) else 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
