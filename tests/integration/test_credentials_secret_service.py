"""Credentials against the real Secret Service (gnome-keyring on a private D-Bus)."""

import subprocess

import pytest
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.errors import CredentialStoreError

pytestmark = [pytest.mark.integration, pytest.mark.secret_service]

CREDS = StoredCredentials("https://hs.example", "@a:example", "DEV1", "tok-abc")


def test_save_load_delete_visible_to_secret_tool(secret_service):
    store = CredentialStore(SecretServiceKeyring())
    store.check()
    store.save(CREDS)
    assert store.load("@a:example") == CREDS
    out = subprocess.run(
        ["secret-tool", "lookup", "service", "presence-tray", "username", "@a:example"],
        capture_output=True,
        text=True,
        env=secret_service.env,
        timeout=30,
    ).stdout
    assert '"device_id": "DEV1"' in out
    store.delete("@a:example")
    assert store.load("@a:example") is None


def test_locked_keyring_says_what_to_do(secret_service):
    store = CredentialStore(SecretServiceKeyring())
    store.save(CREDS)
    secret_service.lock()
    with pytest.raises(CredentialStoreError, match="locked. Unlock it"):
        store.load("@a:example")
    with pytest.raises(CredentialStoreError, match="locked"):
        store.save(CREDS)


# The applet's start: `prefetch` reads the logins in a forked child and `aload` takes them. The
# script runs in a fresh process (no threads, keyring not yet imported, as in the applet's start)
# and prints what each `aload` gave and whether this process had to import keyring itself.
PREFETCH = """
import asyncio, json, os, sys
from tray_app import credentials
from tray_app.credentials import CredentialStore

if os.environ.get("CHILD_GIVES_NO_ANSWER"):
    credentials._child_reads = lambda store, user_ids, r, w: os._exit(1)
if os.environ.get("A_THREAD_RUNS"):
    import threading
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
store = CredentialStore()
user_ids = sys.argv[1:]
store.prefetch(user_ids)

async def main():
    out = {}
    for user_id in user_ids:
        try:
            creds = await store.aload(user_id)
            out[user_id] = creds and [creds.homeserver, creds.device_id, creds.access_token]
        except credentials.CredentialStoreError as e:
            out[user_id] = "error: " + e.message
    return out

results = asyncio.run(main())
name = store.backend_name()
print(json.dumps({"results": results, "backend": name, "keyring_here": "keyring" in sys.modules}))
"""


def _prefetch_in_fresh_process(secret_service, *user_ids: str, **env: str) -> dict:
    import json
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", PREFETCH, *user_ids],
        capture_output=True,
        text=True,
        timeout=60,
        env={**secret_service.env, "PYTHONPATH": root, **env},
        check=True,
    ).stdout
    return json.loads(out)


def test_the_start_reads_logins_in_a_child_process_and_never_imports_keyring_itself(secret_service):
    CredentialStore(SecretServiceKeyring()).save(CREDS)
    got = _prefetch_in_fresh_process(secret_service, "@a:example", "@gone:example")
    assert got["results"] == {"@a:example": ["https://hs.example", "DEV1", "tok-abc"], "@gone:example": None}
    assert got["backend"] == "keyring.backends.SecretService.Keyring"  # the child's, for the settings
    assert got["keyring_here"] is False


def test_a_locked_keyring_read_by_the_child_is_the_same_clear_error(secret_service):
    store = CredentialStore(SecretServiceKeyring())
    store.save(CREDS)
    secret_service.lock()
    with pytest.raises(CredentialStoreError) as direct:
        store.load("@a:example")
    got = _prefetch_in_fresh_process(secret_service, "@a:example")
    assert got["results"] == {"@a:example": "error: " + direct.value.message}
    assert "locked. Unlock it" in direct.value.message


def test_a_child_that_gives_no_answer_leaves_the_read_to_this_process(secret_service):
    CredentialStore(SecretServiceKeyring()).save(CREDS)
    got = _prefetch_in_fresh_process(secret_service, "@a:example", CHILD_GIVES_NO_ANSWER="1")
    assert got["results"] == {"@a:example": ["https://hs.example", "DEV1", "tok-abc"]}
    assert got["keyring_here"] is True  # read here, after the child exited without an answer


def test_no_fork_while_another_thread_runs(secret_service):
    """A fork copies only the forking thread; locks another thread holds would stay held in the
    child. With a second thread, the read stays in this process."""
    CredentialStore(SecretServiceKeyring()).save(CREDS)
    got = _prefetch_in_fresh_process(secret_service, "@a:example", A_THREAD_RUNS="1")
    assert got["results"] == {"@a:example": ["https://hs.example", "DEV1", "tok-abc"]}
    assert got["keyring_here"] is True
