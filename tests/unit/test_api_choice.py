"""Which API a server has, against the FAKE homeserver (the real module is tested in integration)."""

import asyncio

import pytest

from tests.support.fake_homeserver import FakeHomeserver
from tests.support.sessions import session_for
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState


@pytest.mark.parametrize(
    "api, expected",
    [
        ("stable", ApiMode.STABLE),
        ("unstable", ApiMode.UNSTABLE),
        ("unstable-unadvertised", ApiMode.UNSTABLE),  # its GET answers 200
        ("none", ApiMode.EMULATED),
    ],
)
def test_api_choice(api, expected, tmp_path):
    async def main():
        async with FakeHomeserver(api=api) as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                state = await session.refresh()
            finally:
                await session.close()
            return state

    assert asyncio.run(main()).api is expected


def test_unstable_path_sends_unstable_disabled_and_reads_it_back(tmp_path):
    async def main():
        async with FakeHomeserver(api="unstable") as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                state = await session.set_override(PresenceState.DISABLED)
            finally:
                await session.close()
            return fake, state

    fake, state = asyncio.run(main())
    puts = [body for method, path, body in fake.log if method == "PUT"]
    assert puts == [{"presence_override": "support.feline.msc4042.v1.disabled"}]
    assert state.override.state is PresenceState.DISABLED


def test_status_msg_only_sent_when_advertised(tmp_path):
    async def main(flag):
        async with FakeHomeserver(api="stable", status_msg_flag=flag) as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                state = await session.set_override(PresenceState.UNAVAILABLE, "lunch")
            finally:
                await session.close()
            return [b for m, _, b in fake.log if m == "PUT"], state

    puts, state = asyncio.run(main(False))
    assert puts == [{"presence_override": "unavailable"}] and state.status_msg is None
    puts, state = asyncio.run(main(True))
    assert puts == [{"presence_override": "unavailable", "status_msg": "lunch"}]
    assert state.status_msg == "lunch" and state.status_msg_supported


def test_unknown_server_value_is_shown_not_fatal(tmp_path):
    async def main():
        async with FakeHomeserver(api="stable", override="org.example.gone_fishing") as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                return await session.refresh()
            finally:
                await session.close()

    state = asyncio.run(main())
    assert state.override.state is None and state.override.raw == "org.example.gone_fishing"
    assert state.to_json()["override"] == "org.example.gone_fishing"
