"""Play "another device" against the demo: a second login changes the presence, then leaves.

    python -m tests.harness.another_device --homeserver URL --user @demo:localhost online

`make demo` prints this command with its server's address filled in. With the override API
(the demo's usual server) it sets the override from the second login, as another Presence Tray
or the CLI on a second computer would; the module pushes it to the tray's sync (MSC4532's
event), so the tray follows at once and says it changed elsewhere. On a stock server (`--stock`, emulated mode)
there is no override to set: the second login syncs as a device that is present, as a phone or
a laptop would, which beats the tray's held state (the tray re-asserts a few times, then
says another device keeps winning).

The login is a fresh device, logged out at the end; the password is the demo's throwaway one.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from tests.harness.demo import DEMO_PASSWORD
from tray_app.backoff import retry_after_seconds
from tray_app.errors import PresenceTrayError, RateLimited
from tray_app.matrix.http import MatrixRequests, make_client, raise_for_nio
from tray_app.matrix.override_api import (
    STABLE_PATH,
    STATUS_MSG_FLAG,
    UNSTABLE_FLAG,
    UNSTABLE_PATH,
    ApiChoice,
    OverrideReading,
    put_override,
    read_if_there,
)
from tray_app.matrix.presence_status import put_presence
from tray_app.session_state import ApiMode
from tray_app.states import parse_state_name

DEVICE_NAME = "another device (demo)"


# The applet detects with tray_app.backends.detection; the other device only needs the override
# API's flavour, so it keeps this smaller detection of its own.
async def detect_api(client: MatrixRequests, user_id: str) -> tuple[ApiChoice, OverrideReading | None]:
    """Stable if its GET answers; else unstable if advertised or answering; else emulated.

    The GET that finds the API is also the first read of the override (returned with the
    choice; None in emulated mode), and it runs alongside `/versions`: detecting costs one
    round trip and no request of its own.
    """
    loop = asyncio.get_running_loop()
    versions_task = loop.create_task(client.json("GET", "/_matrix/client/versions"))
    try:
        stable = await read_if_there(client, STABLE_PATH, user_id)
        versions = await versions_task
    finally:
        if not versions_task.done():
            versions_task.cancel()
            await asyncio.gather(versions_task, return_exceptions=True)
    features = versions.get("unstable_features")
    features = features if isinstance(features, dict) else {}
    status_msg = features.get(STATUS_MSG_FLAG) is True
    if stable is not None:
        return ApiChoice(ApiMode.STABLE, status_msg), stable
    unstable = await read_if_there(client, UNSTABLE_PATH, user_id)
    if unstable is not None:
        return ApiChoice(ApiMode.UNSTABLE, status_msg), unstable
    if features.get(UNSTABLE_FLAG) is True:
        # Advertised, yet its GET is not there: take the flag's word (as before) and read later.
        return ApiChoice(ApiMode.UNSTABLE, status_msg), None
    return ApiChoice(ApiMode.EMULATED, False), None


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.harness.another_device", description=__doc__.split("\n\n")[0])
    p.add_argument("--homeserver", required=True, metavar="URL")
    p.add_argument("--user", required=True, metavar="USER_ID")
    p.add_argument("--password", default=DEMO_PASSWORD, help="default: the demo's password")
    p.add_argument("state", help="online, away, offline, disabled, or clear")
    return p.parse_args(argv)


async def _waiting_out_429(write: Callable[[], Awaitable[object]]) -> None:
    """Synapse's default rc_presence (1 write per 10 s per user, shared with the tray): like a
    real client, a 429 is waited out (retry_after) and the write sent again."""
    for attempt in range(4):
        try:
            await write()
            return
        except RateLimited as e:
            if attempt == 3:
                raise
            await asyncio.sleep(retry_after_seconds(e.retry_after_ms) + 0.2)


async def play(homeserver: str, user_id: str, password: str, state_name: str) -> str:
    """What the other device did, in one line."""
    state = None if state_name == "clear" else parse_state_name(state_name)
    client = make_client(homeserver, user_id)
    try:
        resp = await client.login(password, device_name=DEVICE_NAME)
        raise_for_nio(client, resp, "login")
        requests = MatrixRequests(homeserver, client.access_token)
        try:
            api, _ = await detect_api(requests, user_id)
            if api.mode.has_override_api:
                await _waiting_out_429(lambda: put_override(requests, user_id, api, state))
                return f"another device set the override to {state.label if state else 'none (cleared)'}"
            if state is None:
                return "this server has no override to clear (emulated mode)"
            # No override API: be a device that is present. Synapse shows the highest state of
            # all devices, so a syncing "online" device beats the tray's held Away.
            await _waiting_out_429(lambda: put_presence(requests, user_id, state))
            sync = await client.sync(timeout=0, set_presence=state.value)
            raise_for_nio(client, sync, "sync")
            return f"another device synced as {state.label} (no override API on this server)"
        finally:
            await requests.close()
            await client.logout()
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    try:
        print(asyncio.run(play(args.homeserver, args.user, args.password, args.state)) + ".")
    except ValueError as e:
        print(f"another_device: {e}", file=sys.stderr)
        return 2
    except PresenceTrayError as e:
        print(f"another_device: {e.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
