"""The `presence-tray` command line as a user runs it: a real process, real Synapse, real Secret Service."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.secret_service]


@pytest.fixture
def cli(secret_service, tmp_path):
    env = {**secret_service.env, "XDG_CONFIG_HOME": str(tmp_path / "config")}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tray_app", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    run.env = env
    return run


def secret_tool_lookup(env, user_id) -> str:
    out = subprocess.run(
        ["secret-tool", "lookup", "service", "presence-tray", "username", user_id],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    return out.stdout


def test_full_cycle_on_the_override_api(cli, synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "cli")
    r = cli(
        "login", user.user_id, "--homeserver", synapse_override.base_url, "--password-stdin", stdin=user.password + "\n"
    )
    assert r.returncode == 0, r.stderr
    assert "Signed in as" in r.stdout

    # The login is in the real Secret Service, readable by other tools; the password is not.
    item = json.loads(secret_tool_lookup(cli.env, user.user_id))
    assert item["user_id"] == user.user_id and item["access_token"]
    assert user.password not in json.dumps(item)
    settings_text = (tmp_path / "config" / "presence-tray" / "settings.json").read_text()
    assert item["access_token"] not in settings_text and user.password not in settings_text

    r = cli("set", "away", "--message", "lunch")
    assert r.returncode == 0, r.stderr
    r = cli("status", "--json")
    assert r.returncode == 0, r.stderr
    status = json.loads(r.stdout)
    assert status["user_id"] == user.user_id
    assert status["homeserver"] == synapse_override.base_url
    assert status["api"] == "stable"
    assert status["override"] == "unavailable"
    assert status["presence"] == "unavailable"

    r = cli("set", "disabled")
    assert r.returncode == 0, r.stderr
    assert json.loads(cli("status", "--json").stdout)["override"] == "disabled"
    r = cli("clear")
    assert r.returncode == 0 and json.loads(cli("status", "--json").stdout)["override"] is None

    # Nothing secret reaches the terminal, not even with full debug logging.
    outputs = [cli("-v", "status"), cli("-v", "set", "online"), cli("-v", "status", "--json")]
    assert all(o.returncode == 0 for o in outputs)
    assert "DEBUG" in outputs[0].stderr  # the debug log really was on
    for o in outputs:
        assert item["access_token"] not in o.stdout + o.stderr
        assert user.password not in o.stdout + o.stderr

    r = cli("logout")
    assert r.returncode == 0, r.stderr
    assert secret_tool_lookup(cli.env, user.user_id) == ""
    r = cli("status")
    assert r.returncode == 3 and "not signed in" in r.stderr


def test_exit_codes(cli, synapse_factory, user_factory):
    server = synapse_factory.make(name="cli-codes")
    user = user_factory(server, "codes")

    r = cli("status")
    assert r.returncode == 3, r.stderr  # not signed in
    r = cli("set", "fishing")
    assert r.returncode == 2 and "unknown state" in r.stderr
    r = cli("frobnicate")
    assert r.returncode == 2

    r = cli("login", user.user_id, "--homeserver", server.base_url, "--password-stdin", stdin="wrong\n")
    assert r.returncode == 5 and "wrong user ID or password" in r.stderr and "M_FORBIDDEN" in r.stderr

    r = cli("login", user.user_id, "--homeserver", "http://example.org", "--password-stdin", stdin="x\n")
    assert r.returncode == 2 and "https://" in r.stderr

    r = cli("login", user.user_id, "--homeserver", server.base_url, "--password-stdin", stdin=user.password + "\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(cli("status", "--json").stdout)["api"] == "emulated"

    server.stop()
    r = cli("status")
    assert r.returncode == 4 and "unreachable" in r.stderr
    server.start()

    other = server.login(user.user_id, user.password)
    server.request("POST", "/_matrix/client/v3/logout/all", token=other.access_token, body={})
    r = cli("status")
    assert r.returncode == 3 and "sign in again" in r.stderr


def test_locked_keyring_is_a_clear_error_and_asks_no_password(cli, secret_service, synapse_stock, user_factory):
    user = user_factory(synapse_stock, "locked")
    secret_service.lock()
    # No --password-stdin and no terminal: had it asked for a password first, it would say
    # "no terminal to ask for the password on" instead.
    r = cli("login", user.user_id, "--homeserver", synapse_stock.base_url)
    assert r.returncode == 1
    assert "keyring is locked" in r.stderr


def test_several_accounts_need_account(cli, synapse_stock, user_factory):
    a = user_factory(synapse_stock, "multi-a")
    b = user_factory(synapse_stock, "multi-b")
    for u in (a, b):
        r = cli("login", u.user_id, "--homeserver", synapse_stock.base_url, "--password-stdin", stdin=u.password + "\n")
        assert r.returncode == 0, r.stderr
    r = cli("status")
    assert r.returncode == 2 and "--account" in r.stderr
    r = cli("--account", b.user_id, "status", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["user_id"] == b.user_id
    r = cli("status", "--json", "--account", a.user_id)
    assert r.returncode == 0 and json.loads(r.stdout)["user_id"] == a.user_id


def test_version_and_help(cli):
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("presence-tray ")
    r = cli("--help")
    assert r.returncode == 0
    for word in ("login", "status", "set", "clear", "logout"):
        assert word in r.stdout


def test_no_plain_text_fallback_without_a_keyring(tmp_path, synapse_stock, user_factory):
    user = user_factory(synapse_stock, "nokeyring")
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "tray_app",
            "login",
            user.user_id,
            "--homeserver",
            synapse_stock.base_url,
            "--password-stdin",
        ],
        input=user.password + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 1 and "No system keyring" in r.stderr
    assert not (tmp_path / "cfg" / "presence-tray" / "settings.json").exists()
