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
        capture_output=True, text=True, env=secret_service.env, timeout=30,
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
