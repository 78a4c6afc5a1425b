"""The module pins the Synapse series it was tested with, and the force switch overrides that.

A real Synapse is made to report another version by a `sitecustomize` on its PYTHONPATH
(Python imports it at start-up, before Synapse loads its modules), so what is tested is the
real start-up path an admin would hit after upgrading Synapse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.fixtures import UserFactory
from tests.harness.synapse import SynapseOptions, SynapseServer, SynapseStartError
from tests.integration.server.conftest import MODULE_ENTRY, start_or_fail
from tests.integration.server.helpers import (
    FEATURE_FLAG,
    get_override,
    put_override,
    stored_answer,
    status,
)

pytestmark = pytest.mark.integration

PRETEND = "1.999.0"


@pytest.fixture
def pretend_other_synapse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    site = tmp_path / "pretend-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        f"import synapse\nsynapse.__version__ = {PRETEND!r}\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    return PRETEND


def test_refuses_untested_synapse_and_names_the_switch(tmp_path: Path,
                                                       pretend_other_synapse: str) -> None:
    server = SynapseServer(tmp_path / "refused", options=SynapseOptions(modules=[MODULE_ENTRY]))
    try:
        with pytest.raises(SynapseStartError) as err:
            server.start()
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace")
    assert f"refuses to load on Synapse {pretend_other_synapse}" in log, str(err.value)
    assert "1.163.x" in log
    assert "allow_untested_synapse: true" in log


def test_force_switch_loads_on_untested_synapse(tmp_path: Path, pretend_other_synapse: str,
                                                user_factory: UserFactory) -> None:
    entry = {"module": MODULE_ENTRY["module"], "config": {"allow_untested_synapse": True}}
    server = SynapseServer(tmp_path / "forced", options=SynapseOptions(modules=[entry]))
    try:
        start_or_fail(server)
        log = server.log_path.read_text(errors="replace")
        assert f"Synapse {pretend_other_synapse} is outside the tested series" in log
        code, body = server.request("GET", "/_matrix/client/versions")
        assert code == 200 and body["unstable_features"].get(FEATURE_FLAG) is True
        user = user_factory(server, "forced")
        assert put_override(server, user.access_token, user.user_id, "offline") == (200, stored_answer("offline"))
        assert get_override(server, user.access_token, user.user_id) == (
            200, {"presence_override": "offline"})
        server.sync(user.access_token, set_presence="online")
        assert status(server, user.access_token, user.user_id)["presence"] == "offline"
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("config", "message"),
    [({"allow_untested_synapse": "yes"}, "`allow_untested_synapse` must be true or false"),
     ({"no_such_option": 1}, "unknown option(s): no_such_option")],
    ids=["switch-not-bool", "unknown-option"])
def test_bad_module_config_stops_synapse(tmp_path: Path, config: dict, message: str) -> None:
    entry = {"module": MODULE_ENTRY["module"], "config": config}
    server = SynapseServer(tmp_path / "badconfig", options=SynapseOptions(modules=[entry]))
    try:
        with pytest.raises(SynapseStartError):
            server.start()
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace")
    assert message in log, log[-2000:]
