"""Signing in: a password or single sign-on's token traded for a device of our own, stored in
the keyring, and a `Session` for it. A login that cannot be stored is revoked at once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.errors import CredentialStoreError, WrongPassword
from tray_app.matrix.homeserver import check_homeserver_url, discover_homeserver, server_name_of
from tray_app.matrix.http import make_client, network_errors, raise_for_nio, unreachable
from tray_app.session.session import Session
from tray_app.session.timings import SessionTimings
from tray_app.settings import Settings

if TYPE_CHECKING:
    from nio import AsyncClient, LoginResponse

log = logging.getLogger(__name__)

DEVICE_NAME = "Presence Tray"


async def login_password(
    user_id: str,
    password: str,
    *,
    homeserver: str | None,
    store: CredentialStore,
    settings: Settings,
    timings: SessionTimings = SessionTimings(),
) -> Session:
    server_name_of(user_id)
    await store.acheck()  # a keyring we cannot use is reported before anything is sent
    hs = check_homeserver_url(homeserver) if homeserver else await discover_homeserver(user_id)
    previous = await store.aload(user_id)
    client = make_client(hs, user_id)
    if previous and previous.homeserver == hs:
        client.device_id = previous.device_id  # signing in again keeps the same device
    return await _login(client, store, settings, timings, "the login", password=password)


async def login_token(
    homeserver: str,
    token: str,
    *,
    store: CredentialStore,
    settings: Settings,
    timings: SessionTimings = SessionTimings(),
) -> Session:
    """Finish single sign-on: trade the `m.login.token` for a device of our own."""
    await store.acheck()
    client = make_client(check_homeserver_url(homeserver))
    return await _login(client, store, settings, timings, "the single sign-on login", token=token)


async def _login(
    client: AsyncClient,
    store: CredentialStore,
    settings: Settings,
    timings: SessionTimings,
    what: str,
    **credentials: str,
) -> Session:
    try:
        resp = await client.login(device_name=DEVICE_NAME, **credentials)
        if "password" in credentials and getattr(resp, "status_code", "") == "M_FORBIDDEN":
            raise WrongPassword(resp.message or "")
        raise_for_nio(client, resp, what)
        return await _finish_login(client, resp, client.homeserver, store, settings, timings)
    except network_errors() as e:
        raise unreachable(client, e) from e
    finally:
        await client.close()


async def _finish_login(
    client: AsyncClient,
    resp: LoginResponse,
    hs: str,
    store: CredentialStore,
    settings: Settings,
    timings: SessionTimings,
) -> Session:
    creds = StoredCredentials(hs, resp.user_id, resp.device_id, resp.access_token)
    try:
        await store.asave(creds)
    except CredentialStoreError:
        # Without a safe place for it, the new login must not live on: revoke it.
        try:
            await client.logout()
        except network_errors():
            log.warning("could not revoke the login we failed to store")
        raise
    settings.add_account(resp.user_id)
    return Session(creds, store=store, settings=settings, timings=timings)
