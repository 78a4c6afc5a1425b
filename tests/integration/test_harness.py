"""The harness itself: if these fail, every integration test built on it is suspect."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.harness.fixtures import SynapseFactory, UserFactory
from tests.harness.postgres import PostgresCluster
from tests.harness.secret_service import SecretServiceSession
from tests.harness.synapse import (
    REPO_ROOT,
    MatrixRequestError,
    RegisteredUser,
    SynapseOptions,
    SynapseServer,
    SynapseStartError,
    check_module_importable,
)

integration = pytest.mark.integration


def _whoami(server: SynapseServer, token: str) -> tuple[int, dict]:
    return server.request("GET", "/_matrix/client/v3/account/whoami", token=token)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# -- Synapse -------------------------------------------------------------------------------------


@integration
def test_stock_server_answers_versions(synapse_stock: SynapseServer) -> None:
    assert synapse_stock.base_url == f"http://127.0.0.1:{synapse_stock.port}"
    assert synapse_stock.server_name == "localhost"
    status, body = synapse_stock.request("GET", "/_matrix/client/versions")
    assert status == 200
    assert body["versions"], body
    # Stock Synapse: no MSC4043 flag (docs/testing.md); the module is what adds it.
    assert "support.feline.msc4043.v1" not in body.get("unstable_features", {})


@integration
def test_register_then_login_on_new_device(synapse_stock: SynapseServer, user_factory: UserFactory) -> None:
    user = user_factory(synapse_stock, prefix="reg")
    assert user.user_id == f"@{user.localpart}:localhost"
    assert "reg-" in user.localpart
    assert _whoami(synapse_stock, user.access_token) == (
        200,
        {"user_id": user.user_id, "device_id": user.device_id, "is_guest": False},
    )

    by_localpart = synapse_stock.login(user.localpart, user.password)
    by_mxid = synapse_stock.login(user.user_id, user.password, device_id="HARNESSDEV")
    assert by_localpart.user_id == by_mxid.user_id == user.user_id
    assert by_mxid.device_id == "HARNESSDEV"
    assert len({user.device_id, by_localpart.device_id, by_mxid.device_id}) == 3

    with pytest.raises(MatrixRequestError) as wrong:
        synapse_stock.login(user.localpart, "not-the-password")
    assert wrong.value.status == 403

    synapse_stock.logout(by_localpart.access_token)
    assert _whoami(synapse_stock, by_localpart.access_token)[0] == 401
    assert _whoami(synapse_stock, user.access_token)[0] == 200


@integration
def test_secrets_stay_out_of_repr(synapse_stock: SynapseServer, user_factory: UserFactory) -> None:
    user = user_factory(synapse_stock)
    assert user.access_token not in repr(user)
    assert user.password not in repr(user)


@integration
def test_room_presence_and_sync_helpers(synapse_stock: SynapseServer, user_factory: UserFactory) -> None:
    alice, bob = user_factory(synapse_stock, "alice"), user_factory(synapse_stock, "bob")
    # Reading another user's presence needs a shared room (docs/testing.md), so make one.
    with pytest.raises(MatrixRequestError) as no_room:
        synapse_stock.get_presence(bob.access_token, alice.user_id)
    assert no_room.value.status == 403
    room = synapse_stock.create_room(alice.access_token, invite=[bob.user_id])
    synapse_stock.join_room(bob.access_token, room)
    assert synapse_stock.send_message(alice.access_token, room, "hello").startswith("$")

    assert synapse_stock.set_presence(alice.access_token, alice.user_id, "unavailable", "at lunch") == (200, {})
    seen = synapse_stock.get_presence(bob.access_token, alice.user_id)
    assert (seen["presence"], seen["status_msg"]) == ("unavailable", "at lunch")

    sync = synapse_stock.sync(bob.access_token, set_presence="offline", filter={"room": {"timeline": {"limit": 5}}})
    assert room in sync["rooms"]["join"]
    events = sync["rooms"]["join"][room]["timeline"]["events"]
    assert any(e["content"].get("body") == "hello" for e in events)
    states = {e["sender"]: e["content"]["presence"] for e in sync["presence"]["events"]}
    assert states.get(alice.user_id) == "unavailable"
    assert "next_batch" in synapse_stock.sync(bob.access_token, since=sync["next_batch"])

    # Stock Synapse rejects `busy` without MSC3026 (docs/testing.md). Bob: his PUT budget is unspent
    # (Alice's next PUT within 10 s would meet rc_presence first: the limit comes before the body).
    assert synapse_stock.set_presence(bob.access_token, bob.user_id, "busy")[0] == 400


@integration
def test_restart_keeps_users_port_and_tokens(synapse_factory: SynapseFactory) -> None:
    server = synapse_factory()
    user = server.register_user("restarter", "pw-restart")
    first_pid, port = server.pid, server.port
    server.restart()
    assert server.port == port
    assert server.pid != first_pid
    assert not _pid_alive(first_pid)  # type: ignore[arg-type]
    assert _whoami(server, user.access_token)[0] == 200
    assert server.login("restarter", "pw-restart").user_id == user.user_id


def _put_status(server: SynapseServer, user: RegisteredUser, presence: str) -> tuple[int, Any]:
    """One raw PUT /presence/status: no waiting out a 429 (the harness helper waits)."""
    return server.request(
        "PUT",
        f"/_matrix/client/v3/presence/{quote(user.user_id)}/status",
        token=user.access_token,
        body={"presence": presence},
    )


@integration
def test_default_rate_limits_give_429_on_second_presence_put(
    synapse_factory: SynapseFactory, user_factory: UserFactory
) -> None:
    """Issue 18: a server started with the default options has Synapse's own rc_presence
    (0.1/s, burst 1), so every presence test meets what a stock server answers."""
    server = synapse_factory()
    assert "rc_presence" not in server.config()
    user = user_factory(server)
    assert _put_status(server, user, "online") == (200, {})
    status, body = _put_status(server, user, "unavailable")  # well within 10 s
    assert status == 429, body
    assert body["errcode"] == "M_LIMIT_EXCEEDED"
    assert isinstance(body["retry_after_ms"], int) and body["retry_after_ms"] > 0


@integration
def test_relaxed_presence_limit_only_when_asked(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    server = synapse_factory(SynapseOptions(relaxed_presence_limit=True))
    user = user_factory(server)
    assert [_put_status(server, user, "online")[0] for _ in range(3)] == [200, 200, 200]
    assert "rc_presence" not in SynapseServer(server.data_dir / "x").config()
    assert (
        "rc_presence"
        not in SynapseServer(server.data_dir / "y", options=SynapseOptions(relaxed_rate_limits=True)).config()
    )


@integration
def test_set_presence_helper_waits_out_a_429(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    """The harness's own writes behave like a client: a 429 is waited out, not lost."""
    server = synapse_factory()
    user, observer = user_factory(server), user_factory(server)
    room = server.create_room(user.access_token, invite=[observer.user_id])
    server.join_room(observer.access_token, room)
    assert server.set_presence(user.access_token, user.user_id, "online") == (200, {})
    assert server.set_presence(user.access_token, user.user_id, "unavailable", wait_out_429=False)[0] == 429
    assert server.set_presence(user.access_token, user.user_id, "unavailable") == (200, {})
    assert server.get_presence(observer.access_token, user.user_id)["presence"] == "unavailable"


@integration
def test_stop_really_kills_the_process(synapse_factory: SynapseFactory) -> None:
    server = synapse_factory()
    pid = server.pid
    assert pid is not None and _pid_alive(pid)
    t0 = time.monotonic()
    server.stop()
    assert time.monotonic() - t0 < 5
    assert not _pid_alive(pid)
    assert server.pid is None and not server.running
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{server.base_url}/_matrix/client/versions", timeout=2)
    server.stop()  # idempotent


@integration
def test_start_failure_raises_with_log_tail(tmp_path: Path) -> None:
    options = SynapseOptions(modules=[{"module": "harness_no_such_module.Module", "config": {}}])
    server = SynapseServer(tmp_path, options=options)
    with pytest.raises(SynapseStartError) as err:
        server.start(timeout=60)
    assert "No module named 'harness_no_such_module'" in str(err.value)
    assert str(server.log_path) in str(err.value)
    assert server.pid is None


@integration
def test_module_import_check_explains_failures() -> None:
    assert check_module_importable("json.JSONDecoder") is None
    missing = check_module_importable("harness_no_such_module.Module")
    assert missing is not None and "No module named" in missing
    no_attr = check_module_importable("json.NoSuchClass")
    assert no_attr is not None and "NoSuchClass" in no_attr


@integration
def test_synapse_python_is_selectable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The version matrix relies on this: Synapse runs from $PRESENCE_TRAY_SYNAPSE_PYTHON."""
    calls = tmp_path / "calls"
    wrapper = tmp_path / "python-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {sys.executable} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PRESENCE_TRAY_SYNAPSE_PYTHON", str(wrapper))
    assert check_module_importable("json.JSONDecoder") is None
    with SynapseServer(tmp_path / "hs") as server:
        assert server.request("GET", "/_matrix/client/versions")[0] == 200
    lines = calls.read_text().splitlines()
    assert lines[0].startswith("-c "), lines
    assert any(line.startswith("-m synapse.app.homeserver -c ") for line in lines), lines


def test_synapse_python_that_is_not_executable_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESENCE_TRAY_SYNAPSE_PYTHON", str(tmp_path / "no-such-python"))
    with pytest.raises(SynapseStartError, match="PRESENCE_TRAY_SYNAPSE_PYTHON=.*no-such-python"):
        SynapseServer(tmp_path / "hs").start()


@integration
def test_cli_prints_json_without_secrets_and_cleans_up() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.synapse", "--user", "clia:cli-secret-pw"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "the CLI printed nothing within 60 s"
        line = proc.stdout.readline()
        info = json.loads(line)
        assert "cli-secret-pw" not in line and "token" not in line
        assert info["users"] == [{"user_id": "@clia:localhost"}]
        server = SynapseServer(Path(info["data_dir"]), port=int(info["base_url"].rsplit(":", 1)[1]))
        assert server.base_url == info["base_url"]
        assert server.login("clia", "cli-secret-pw").user_id == "@clia:localhost"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not _pid_alive(info["pid"])
    assert not Path(info["data_dir"]).exists()


# -- PostgreSQL ------------------------------------------------------------------------------------


@integration
@pytest.mark.postgres
def test_synapse_on_postgres(
    postgres_cluster: PostgresCluster, synapse_factory: SynapseFactory, user_factory: UserFactory
) -> None:
    import psycopg2

    database = postgres_cluster.create_database("harness_synapse")
    assert database["name"] == "psycopg2"
    server = synapse_factory(SynapseOptions(database=database))
    user = user_factory(server, prefix="pg")
    assert server.login(user.localpart, user.password).user_id == user.user_id

    args = database["args"]
    with (
        closing(
            psycopg2.connect(
                user=args["user"],
                password=args["password"],
                host=args["host"],
                port=args["port"],
                dbname=args["database"],
            )
        ) as conn,
        conn.cursor() as cur,
    ):
        cur.execute(
            "SELECT datcollate, datctype, pg_encoding_to_char(encoding) "
            "FROM pg_database WHERE datname = current_database()"
        )
        assert cur.fetchone() == ("C", "C", "UTF8")
        cur.execute("SELECT name FROM users WHERE name = %s", (user.user_id,))
        assert cur.fetchone() == (user.user_id,), "the user is not in PostgreSQL"
    assert not (server.data_dir / "homeserver.db").exists()


# -- Secret Service --------------------------------------------------------------------------------


@pytest.mark.secret_service
def test_secret_service_set_get_delete_seen_by_secret_tool(secret_service: SecretServiceSession) -> None:
    from keyring.backends.SecretService import Keyring

    backend = Keyring()
    backend.set_password("presence-tray-harness", "@alice:localhost", "tok-123")
    assert backend.get_password("presence-tray-harness", "@alice:localhost") == "tok-123"

    lookup = ["secret-tool", "lookup", "service", "presence-tray-harness", "username", "@alice:localhost"]
    found = subprocess.run(lookup, env=secret_service.env, capture_output=True, text=True, timeout=20, check=False)
    assert (found.returncode, found.stdout) == (0, "tok-123"), found.stderr

    backend.delete_password("presence-tray-harness", "@alice:localhost")
    assert backend.get_password("presence-tray-harness", "@alice:localhost") is None
    gone = subprocess.run(lookup, env=secret_service.env, capture_output=True, text=True, timeout=20, check=False)
    assert (gone.returncode, gone.stdout) == (1, "")


@pytest.mark.secret_service
def test_locked_collection_raises_keyring_locked(secret_service: SecretServiceSession) -> None:
    from keyring.backends.SecretService import Keyring
    from keyring.errors import KeyringLocked

    backend = Keyring()
    backend.set_password("presence-tray-harness", "bob", "before-lock")
    secret_service.lock()
    assert secret_service.is_locked()
    # keyring asks the service to unlock; with no prompter on our private bus the prompt is
    # dismissed at once, so every operation raises KeyringLocked instead of hanging.
    t0 = time.monotonic()
    with pytest.raises(KeyringLocked):
        backend.get_password("presence-tray-harness", "bob")
    with pytest.raises(KeyringLocked):
        backend.set_password("presence-tray-harness", "bob", "after-lock")
    with pytest.raises(KeyringLocked):
        backend.delete_password("presence-tray-harness", "bob")
    assert time.monotonic() - t0 < 5
    assert secret_service.is_locked()


@pytest.mark.secret_service
def test_secret_service_session_restores_env_and_stops_daemons() -> None:
    before = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    with SecretServiceSession() as session:
        assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == session.address
        assert session.env["DBUS_SESSION_BUS_ADDRESS"] == session.address
        assert session.env["PYTHON_KEYRING_BACKEND"] == "keyring.backends.SecretService.Keyring"
        pids, root = session.pids, session.root
        assert len(pids) == 2 and all(_pid_alive(p) for p in pids)
    assert os.environ.get("DBUS_SESSION_BUS_ADDRESS") == before
    assert not any(_pid_alive(p) for p in pids)
    assert root is not None and not root.exists()
