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
