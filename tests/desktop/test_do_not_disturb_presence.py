"""The other way round (issue 21): the person turns on the desktop's do-not-disturb and this
device's automatic presence becomes Busy, which another user sees; off again, back to what the
desktop's idle says. Real dunst on a private session bus, toggled with `dunstctl set-paused`,
and a real Synapse with the project's module and Synapse's MSC3026 busy presence (so the server
has Busy for automatic presence), Synapse's DEFAULT rate limits. The idle source is a stand-in
(always active), named as such: the test is about do-not-disturb, and the X server's idle time
moves with nothing here. Wired as the applet wires them (AutomaticPresence.follow, the
controller's set_busy and server_known).

A manual override is never touched, and a pause this applet made for a Busy override ("Pause
notifications while Busy") never comes back as the person's do-not-disturb: no loop.
"""

from __future__ import annotations

import asyncio
import subprocess
from typing import Any

import pytest

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions
from tests.support.private_bus import run as _run
from tests.support.private_bus import until as _until
from tests.support.sessions import signed_in, wait_for
from tray_app.automatic import Source
from tray_app.dnd.desktop import DoNotDisturb
from tray_app.idle.automatic import AutomaticPresence
from tray_app.idle.chooser import Sources
from tray_app.idle.policy import PresenceGate
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

MSC3026_BUSY = "org.matrix.msc3026.busy"


class StandInIdle:
    """A stand-in idle source: the person is always active."""

    name = "stand-in idle"

    async def idle_seconds(self) -> float:
        return 0.0

    async def close(self) -> None:
        pass


@pytest.fixture
def dunst(bus_env, tmp_path):
    (tmp_path / "dunstrc").write_text("[global]\n    startup_notification = false\n")
    proc = subprocess.Popen(
        ["dunst", "-config", str(tmp_path / "dunstrc")],
        env=bus_env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "dunst.log", "wb"),
        start_new_session=True,
    )
    try:
        yield bus_env
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def busy_server(synapse_factory):
    return synapse_factory(
        SynapseOptions(
            modules=[{"module": OVERRIDE_MODULE, "config": {}}],
            extra_config={"experimental_features": {"msc3026_enabled": True}},
        ),
        name="dnd-busy",
    )


def test_do_not_disturb_makes_automatic_presence_busy(dunst, busy_server, user_factory, tmp_path) -> None:
    env = dunst
    server = busy_server
    user = user_factory(server, "dnd")
    watcher = user_factory(server, "watcher")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)

    def others_see() -> str:
        return str(server.get_presence(watcher.access_token, user.user_id)["presence"])

    def set_paused(on: bool) -> None:
        _run(env, "dunstctl", "set-paused", "true" if on else "false")

    def paused() -> bool:
        return _run(env, "dunstctl", "is-paused") == "true"

    async def main() -> tuple[list[Any], list[Any], list[str]]:
        await _until(
            "dunst on the bus",
            lambda: subprocess.run(["dunstctl", "is-paused"], env=env, capture_output=True).returncode == 0,
        )
        accounts, session = await signed_in(server, user, tmp_path, _auto_gate=PresenceGate(spacing=1.0))

        async def stand_in_sources() -> Sources:
            return Sources(idle=StandInIdle())

        automatic = AutomaticPresence(accounts.settings, choose=stand_in_sources)
        dnd = DoNotDisturb(accounts.settings)
        offers: list[Any] = []
        automatic.follow(dnd)
        hub_offer = dnd.offer_driver

        def recording_offer(driver):
            offers.append(driver.reason.value if driver else None)
            hub_offer(driver)

        dnd.offer_driver = recording_offer

        def any_busy() -> bool:  # what the controller hands the link
            return session.state.override is not None and session.state.override.state is PresenceState.BUSY

        def on_state(_state) -> None:  # the controller's _state_changed / _changed, in short
            automatic.server_known(session)
            dnd.set_busy(any_busy())

        unsubscribe = session.subscribe(on_state)
        overrides_put: list[Any] = []
        real_json = session._requests.json

        async def recording_json(method, path, body=None, **kw):
            if method == "PUT" and ("/override" in path or "presence.persistent" in path):
                overrides_put.append((path.rsplit("/", 1)[-1], body))
            return await real_json(method, path, body, **kw)

        session._requests.json = recording_json
        syncs: list[Any] = []
        real_sync = session._client.sync

        async def recording_sync(*args, **kwargs):
            syncs.append(kwargs.get("set_presence"))
            return await real_sync(*args, **kwargs)

        session._client.sync = recording_sync
        seen: list[str] = []
        try:
            await session.start()
            await wait_for(lambda: session.state.api is not ApiMode.UNKNOWN and session.state.presence is not None)
            assert session.state.automatic_busy, "the module with MSC3026 has Busy for automatic presence"
            await automatic.start(lambda: [session])
            await dnd.start(any_busy())
            assert dnd.available

            await wait_for(lambda: others_see() == "online", 60, 0.2)
            seen.append(others_see())
            # The person turns do-not-disturb on: Busy for others; off: back to online.
            set_paused(True)
            await wait_for(lambda: others_see() == MSC3026_BUSY, 60, 0.2)
            seen.append(others_see())
            assert session.state.automatic is PresenceState.BUSY and session.state.override is None
            set_paused(False)
            await wait_for(lambda: others_see() == "online", 60, 0.2)
            seen.append(others_see())
            assert overrides_put == [], "do-not-disturb touched the override"

            # A manual override is never touched: Away holds through do-not-disturb.
            await session.set_override(PresenceState.UNAVAILABLE)
            await wait_for(lambda: others_see() == "unavailable", 60, 0.2)
            n = len(overrides_put)
            set_paused(True)
            await wait_for(lambda: session.state.automatic is PresenceState.BUSY, 60, 0.1)
            k = len(syncs)  # two syncs later (one started after the change), the override still decides
            await wait_for(lambda: len(syncs) >= k + 2, 3 * session.timings.presence_sync_spacing + 30, 0.1)
            assert session.state.override is not None and session.state.override.state is PresenceState.UNAVAILABLE
            seen.append(others_see())
            set_paused(False)
            await wait_for(lambda: session.state.automatic is PresenceState.ONLINE, 60, 0.1)
            assert len(overrides_put) == n, "do-not-disturb touched the override"

            # No loop: a Busy override pauses the banners ("Pause notifications while Busy"),
            # which is not the person's do-not-disturb; clearing it gives them back.
            offers_before = list(offers)
            await session.set_override(PresenceState.BUSY)
            await _until("banners paused by the Busy override", paused, 30)
            assert dnd.person_dnd is False
            await session.set_override(None)
            await _until("banners back after Busy", lambda: not paused(), 30)
            await wait_for(lambda: others_see() == "online", 60, 0.2)
            assert dnd.person_dnd is False
            assert offers == offers_before, "our own pause came back as the person's do-not-disturb"
            assert automatic.sources.driver(Source.DO_NOT_DISTURB) is None
            assert session.state.automatic is PresenceState.ONLINE
        finally:
            unsubscribe()
            await dnd.close()
            await automatic.close()
            await session.close()
        return offers, overrides_put, seen

    offers, overrides_put, seen = asyncio.run(main())
    assert seen == ["online", MSC3026_BUSY, "online", "unavailable"]
    assert offers == ["do_not_disturb", None, "do_not_disturb", None]
    # The only override writes were the test's own: Away, Busy, and the clear.
    assert len(overrides_put) == 3, overrides_put
