import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from tests.support.memory_keyring import MemoryKeyring
from tray_app.credentials import SERVICE, CredentialStore, StoredCredentials
from tray_app.errors import CredentialStoreError

CREDS = StoredCredentials("https://hs.example", "@a:example", "DEV", "secret-token-123")


def test_round_trip_and_delete():
    backend = MemoryKeyring()
    backend.items.clear()
    store = CredentialStore(backend)
    store.save(CREDS)
    assert store.load("@a:example") == CREDS
    store.delete("@a:example")
    assert store.load("@a:example") is None
    store.delete("@a:example")  # already gone: fine


def test_token_never_in_repr():
    assert "secret-token-123" not in repr(CREDS)


class Failing(KeyringBackend):
    priority = 1

    def __init__(self, exc):
        super().__init__()
        self.exc = exc

    def get_password(self, *a):
        raise self.exc

    set_password = delete_password = get_password


@pytest.mark.parametrize(
    "exc, words",
    [
        (keyring.errors.KeyringLocked("locked"), "locked. Unlock it"),
        (keyring.errors.NoKeyringError("none"), "never stores a login in plain text"),
        (keyring.errors.InitError("dbus down"), "could not be opened"),
        (RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown"), "Check that it is running"),
    ],
)
def test_every_failure_is_a_clear_error(exc, words):
    store = CredentialStore(Failing(exc))
    for call in (store.check, lambda: store.save(CREDS), lambda: store.load("@a:example")):
        with pytest.raises(CredentialStoreError, match=words):
            call()


def test_unknown_item_shape_is_ignored():
    backend = MemoryKeyring()
    backend.set_password(SERVICE, "@x:y", "not json")
    assert CredentialStore(backend).load("@x:y") is None


def test_prefetched_logins_are_read_once_then_from_the_keyring_again():
    import asyncio

    backend = MemoryKeyring()
    backend.items.clear()
    store = CredentialStore(backend)
    creds = StoredCredentials("https://hs.example", "@a:hs.example", "DEV", "tok")
    store.save(creds)
    reads = []
    real_get = backend.get_password
    backend.get_password = lambda service, user: reads.append(user) or real_get(service, user)

    store.prefetch(["@a:hs.example", "@gone:hs.example"])

    async def main():
        return await store.aload("@a:hs.example"), await store.aload("@gone:hs.example")

    assert asyncio.run(main()) == (creds, None)
    assert sorted(reads) == ["@a:hs.example", "@gone:hs.example"]  # the prefetch's reads only
    store.delete("@a:hs.example")
    assert asyncio.run(store.aload("@a:hs.example")) is None  # not a stale copy


def test_a_prefetched_failure_is_the_same_clear_error():
    import asyncio

    class Locked(MemoryKeyring):
        def get_password(self, service, username):
            raise keyring.errors.KeyringLocked("locked")

    store = CredentialStore(Locked())
    store.prefetch(["@a:hs.example"])
    with pytest.raises(CredentialStoreError, match="locked"):
        asyncio.run(store.aload("@a:hs.example"))


def test_the_backend_that_held_the_logins_is_loaded_by_name(monkeypatch, tmp_path):
    """keyring's own search probes every backend on each start; a remembered one is loaded
    directly, unless the user chose one (PYTHON_KEYRING_BACKEND, keyringrc.cfg)."""
    import keyring.core

    from tray_app.accounts import Accounts
    from tray_app.settings import KEYRING_BACKEND_KEY, Settings

    searched = []
    monkeypatch.setattr(keyring, "get_keyring", lambda: searched.append(1) or MemoryKeyring())
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    name = "tests.support.memory_keyring.MemoryKeyring"

    assert isinstance(CredentialStore(remembered=name).backend, MemoryKeyring) and searched == []
    assert CredentialStore(remembered="no.such.Backend").backend is not None and searched == [1]
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)
    CredentialStore(remembered=name).backend
    assert searched == [1, 1]  # the user's pinned choice goes through keyring as always

    # Accounts notes the backend once a login was read from it, and passes it on next time.
    settings = Settings.load(tmp_path / "settings.json")
    backend = MemoryKeyring()
    backend.items.clear()
    accounts = Accounts(CredentialStore(backend), settings)
    accounts.store.save(CREDS)
    settings.add_account(CREDS.user_id)
    accounts.restore(CREDS.user_id)
    assert Settings.load(tmp_path / "settings.json").preference(KEYRING_BACKEND_KEY) == name
    assert Accounts(settings=Settings.load(tmp_path / "settings.json")).store._remembered == name
