"""Typed errors of the client core.

Each carries a message meant for a person (the CLI prints it, the tray shows
it) and the CLI exit code that belongs to it, so no caller has to re-map them.
"""

from __future__ import annotations


class PresenceTrayError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PresenceTrayError):
    exit_code = 2


class NotSignedIn(PresenceTrayError):
    """No stored session for the account asked for."""

    exit_code = 3


class TokenRejected(PresenceTrayError):
    """The server no longer accepts our access token (logged out elsewhere, expired)."""

    exit_code = 3

    def __init__(self, message: str, *, soft_logout: bool = False) -> None:
        super().__init__(message)
        self.soft_logout = soft_logout


class ServerUnreachable(PresenceTrayError):
    """Network fault: connection refused, DNS, timeout, TLS."""

    exit_code = 4


class ServerRefused(PresenceTrayError):
    """The server answered with a Matrix error."""

    exit_code = 5

    def __init__(self, errcode: str, error: str, status: int, message: str | None = None) -> None:
        super().__init__(
            message or (f"the server refused: {errcode}: {error}" if error else f"the server refused: {errcode}")
        )
        self.errcode = errcode
        self.error = error
        self.status = status


class RateLimited(ServerRefused):
    def __init__(self, error: str, retry_after_ms: int | None) -> None:
        super().__init__("M_LIMIT_EXCEEDED", error or "too many requests", 429)
        self.retry_after_ms = retry_after_ms


class BadResponse(PresenceTrayError):
    """The server answered something that is not what the protocol says (garbage, 5xx)."""

    exit_code = 5

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class InsecureHomeserver(UsageError):
    pass


class CredentialStoreError(PresenceTrayError):
    """The OS keyring is missing, locked or failing; the message says what to do."""

    exit_code = 1


class WrongPassword(ServerRefused):
    """Login refused: a person typed something wrong, so say it in their words."""

    def __init__(self, error: str) -> None:
        super().__init__("M_FORBIDDEN", error, 403, "wrong user ID or password")


class Superseded(PresenceTrayError):
    """A newer change replaced this one before it was sent; the newer one wins."""


class NotOffered(PresenceTrayError):
    """The state asked for does not exist in the API this server speaks (busy without
    MSC4532/MSC3026, disabled on MSC4532): refused before anything is sent."""

    exit_code = 5
