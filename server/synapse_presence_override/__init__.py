"""Synapse module implementing MSC4043 (presence override) and MSC4042 (`disabled`)."""

__version__ = "0.1.0"

from .module import PresenceOverrideModule

__all__ = ["PresenceOverrideModule", "__version__"]
