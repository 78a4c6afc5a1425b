"""Which API a server speaks, and so which backend drives it.

Preference, where a server offers several: MSC4043 (stable, then unstable), because it has
`disabled` and a click is one PUT that confirms itself; with MSC4532 also on offer, its
account-data event is watched for changes made elsewhere (and carries `busy`). Then MSC4532
alone. Then emulated.
"""

from __future__ import annotations

import asyncio

from tray_app.backends import msc4532
from tray_app.backends.base import OverrideReading, PresenceBackend, ServerFeatures
from tray_app.backends.emulated import EmulatedBackend
from tray_app.backends.msc4043 import Msc4043Backend
from tray_app.backends.msc4532 import Msc4532Backend
from tray_app.matrix import override_api
from tray_app.matrix.http import MatrixRequests


async def detect_backend(requests: MatrixRequests, user_id: str) -> tuple[PresenceBackend, OverrideReading | None]:
    """The backend, and the override that detecting it read (None: it read none).

    The stable MSC4043 GET runs beside `/versions`: on a server with it, detecting is one
    round trip and is also the first read.
    """
    loop = asyncio.get_running_loop()
    versions_task = loop.create_task(requests.json("GET", "/_matrix/client/versions"))
    try:
        stable = await override_api.read_if_there(requests, override_api.STABLE_PATH, user_id)
        versions = await versions_task
    finally:
        if not versions_task.done():
            versions_task.cancel()
            await asyncio.gather(versions_task, return_exceptions=True)
    flags = versions.get("unstable_features")
    features = ServerFeatures(flags if isinstance(flags, dict) else {})
    companion = Msc4532Backend(requests, user_id, features) if msc4532.is_offered(features) else None

    def msc4043(stable_path: bool) -> Msc4043Backend:
        return Msc4043Backend(requests, user_id, features, stable=stable_path, companion=companion)

    if stable is not None:
        return msc4043(True), stable
    unstable = await override_api.read_if_there(requests, override_api.UNSTABLE_PATH, user_id)
    if unstable is not None:
        return msc4043(False), unstable
    if features.has(override_api.UNSTABLE_FLAG):
        # Advertised, yet its GET is not there: take the flag's word and read later.
        return msc4043(False), None
    if companion is not None:
        return companion, None
    return EmulatedBackend(requests, user_id, features), None
