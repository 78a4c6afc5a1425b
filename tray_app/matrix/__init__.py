"""Matrix client-server HTTP: the light requests and their error mapping (`http`), the
kept-alive connection pool (`http_connection`), homeserver discovery and login flows
(`homeserver`), single sign-on (`sso`), the override and presence endpoints (`override_api`,
`presence_status`), stalled-server detection (`liveness`) and syncs never dropped half-way
(`undropped_syncs`). Plain asyncio: nothing here knows a session or Qt."""
