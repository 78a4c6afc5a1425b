"""One module per presence API behind one interface (`base.PresenceBackend`); `detect_backend`
picks the one a server speaks."""

from tray_app.backends.base import READ_AGAIN, OverrideReading, PresenceBackend, ReadAgain
from tray_app.backends.detection import detect_backend

__all__ = ["READ_AGAIN", "OverrideReading", "PresenceBackend", "ReadAgain", "detect_backend"]
