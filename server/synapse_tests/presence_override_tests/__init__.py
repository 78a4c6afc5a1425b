"""The module's own tests in Synapse's test style (HomeserverTestCase, fake clock), run by
`server/run-synapse-tests` from the matching sdist's test helpers."""
