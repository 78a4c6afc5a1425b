"""Outside the tested window the module checks Synapse's internals and runs (warning) or
disables itself (error); `strict: true` keeps the refusal.

A real Synapse is made to report another version (and, for the "internals changed" case, to
carry a changed signature) by a `sitecustomize` on its PYTHONPATH (Python imports it at
start-up, before Synapse loads its modules), so what is tested is the real start-up path an
admin would hit after upgrading Synapse.
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
    override_path,
    put_override,
    status,
    stored,
)

pytestmark = pytest.mark.integration

PRETEND = "1.999.0"
# Wraps a presence function Synapse keeps using, so Synapse still works but the signature the
# module checks is gone: what a refactor in a future Synapse looks like to the module.
CHANGED_INTERNALS = """
import synapse.handlers.presence as _p
_orig = _p.handle_timeout
def handle_timeout(*args, **kwargs):
    return _orig(*args, **kwargs)
_p.handle_timeout = handle_timeout
"""


def _pretend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str = "") -> str:
    site = tmp_path / "pretend-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(f"import synapse\nsynapse.__version__ = {PRETEND!r}\n{extra}")
    monkeypatch.setenv("PYTHONPATH", str(site))
    return PRETEND


@pytest.fixture
def pretend_other_synapse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return _pretend(tmp_path, monkeypatch)


@pytest.fixture
def pretend_changed_synapse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return _pretend(tmp_path, monkeypatch, CHANGED_INTERNALS)


def _works(server: SynapseServer, user_factory: UserFactory) -> None:
    code, body = server.request("GET", "/_matrix/client/versions")
    assert code == 200 and body["unstable_features"].get(FEATURE_FLAG) is True
    user = user_factory(server, "outside")
    assert put_override(server, user.access_token, user.user_id, "offline") == (200, stored("offline"))
    assert get_override(server, user.access_token, user.user_id) == (200, stored("offline"))
    server.sync(user.access_token, set_presence="online")
    assert status(server, user.access_token, user.user_id)["presence"] == "offline"


def test_runs_with_a_warning_outside_the_window(
    tmp_path: Path, pretend_other_synapse: str, user_factory: UserFactory
) -> None:
    server = SynapseServer(tmp_path / "outside", options=SynapseOptions(modules=[MODULE_ENTRY]))
    try:
        start_or_fail(server)
        log = server.log_path.read_text(errors="replace")
        assert f"Synapse {pretend_other_synapse} is outside the tested window" in log
        assert "DISABLED" not in log
        _works(server, user_factory)
    finally:
        server.stop()


def test_disables_itself_when_internals_changed(
    tmp_path: Path, pretend_changed_synapse: str, user_factory: UserFactory
) -> None:
    server = SynapseServer(tmp_path / "changed", options=SynapseOptions(modules=[MODULE_ENTRY]))
    try:
        start_or_fail(server)  # the homeserver itself always starts
        log = server.log_path.read_text(errors="replace")
        errors = [line for line in log.splitlines() if "presence override (MSC4043) DISABLED" in line]
        assert len(errors) == 1, log[-3000:]
        assert "synapse.handlers.presence.handle_timeout" in errors[0]
        code, body = server.request("GET", "/_matrix/client/versions")
        assert code == 200 and FEATURE_FLAG not in body["unstable_features"]
        user = user_factory(server, "changed")
        code, body = server.request("GET", override_path("/_matrix/client/v1", user.user_id), token=user.access_token)
        assert (code, body.get("errcode")) == (404, "M_UNRECOGNIZED"), body
        # Stock presence still works.
        assert server.set_presence(user.access_token, user.user_id, "unavailable")[0] == 200
        assert status(server, user.access_token, user.user_id)["presence"] == "unavailable"
    finally:
        server.stop()


def test_strict_refuses_outside_the_window(tmp_path: Path, pretend_other_synapse: str) -> None:
    entry = {"module": MODULE_ENTRY["module"], "config": {"strict": True}}
    server = SynapseServer(tmp_path / "refused", options=SynapseOptions(modules=[entry]))
    try:
        with pytest.raises(SynapseStartError):
            server.start()
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace")
    assert f"refuses to load on Synapse {pretend_other_synapse}" in log
    assert "`strict: true` is set" in log and "1.157" in log


def test_deprecated_switch_is_accepted_and_warned_about(
    tmp_path: Path, pretend_other_synapse: str, user_factory: UserFactory
) -> None:
    entry = {"module": MODULE_ENTRY["module"], "config": {"allow_untested_synapse": True}}
    server = SynapseServer(tmp_path / "forced", options=SynapseOptions(modules=[entry]))
    try:
        start_or_fail(server)
        log = server.log_path.read_text(errors="replace")
        assert "`allow_untested_synapse` is deprecated" in log
        _works(server, user_factory)
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"allow_untested_synapse": "yes"}, "`allow_untested_synapse` must be true or false"),
        ({"strict": "yes"}, "`strict` must be true or false"),
        ({"strict": True, "allow_untested_synapse": True}, "contradict each other"),
        ({"no_such_option": 1}, "unknown option(s): no_such_option"),
    ],
    ids=["switch-not-bool", "strict-not-bool", "contradiction", "unknown-option"],
)
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
