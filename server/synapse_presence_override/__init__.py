"""Synapse module implementing MSC4043 (presence override) and MSC4042 (`disabled`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .module import PresenceOverrideModule

__all__ = ["PresenceOverrideModule", "__version__"]


def __getattr__(name: str) -> Any:
    # Imported on first use (Synapse's module loader looks the class up by name), so the parts
    # that need no Synapse (`rules`, `values`, `account_data`, `version_window`) import without it.
    if name == "PresenceOverrideModule":
        from .module import PresenceOverrideModule

        return PresenceOverrideModule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
