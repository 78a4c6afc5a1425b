"""Busy and the API choice against REAL Synapse: MSC3026's busy on stock Synapse (emulated mode)."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.synapse import SynapseOptions
from tests.support.sessions import session_for
from tray_app.errors import NotOffered
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration


def test_busy_on_stock_synapse_only_with_msc3026(synapse_factory, synapse_stock, user_factory, tmp_path):
    msc3026 = synapse_factory.make(
        SynapseOptions(extra_config={"experimental_features": {"msc3026_enabled": True}}), name="msc3026"
    )
    with_busy = user_factory(msc3026, "busy")
    without = user_factory(synapse_stock, "nobusy")

    async def main():
        a = session_for(
            msc3026.base_url,
            tmp_path / "a",
            user_id=with_busy.user_id,
            device_id=with_busy.device_id,
            token=with_busy.access_token,
        )
        b = session_for(
            synapse_stock.base_url,
            tmp_path / "b",
            user_id=without.user_id,
            device_id=without.device_id,
            token=without.access_token,
        )
        try:
            busy = await a.set_override(PresenceState.BUSY)
            plain = await b.refresh()
            with pytest.raises(NotOffered, match="no busy presence"):
                await b.set_override(PresenceState.BUSY)
            return busy, plain
        finally:
            await a.close()
            await b.close()

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    busy, plain = asyncio.run(main())
    assert busy.api is ApiMode.EMULATED and busy.busy_supported
    assert busy.override.state is PresenceState.BUSY
    # Synapse spells MSC3026's busy with its unstable prefix; the applet shows it as Busy.
    assert msc3026.get_presence(with_busy.access_token, with_busy.user_id)["presence"] == "org.matrix.msc3026.busy"
    assert busy.presence == "busy"
    assert plain.api is ApiMode.EMULATED and not plain.busy_supported and plain.disabled_unsupported is None
