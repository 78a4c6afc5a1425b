"""Is the person at this computer? Idle time and screen lock from what the desktop offers.

One module per source (each knows one desktop API and nothing else), all behind the
small interface in `source.py`; `chooser.py` picks what this session has at run time;
`monitor.py` reads them (signals where a source has them, polls no faster than every
5 s otherwise) and `policy.py` turns the readings into this device's automatic presence.
Qt-free like the rest of the core.
"""

from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy, PresenceGate
from tray_app.idle.source import IdleReading, IdleSource, LockSource

__all__ = ["AutoPresence", "AutoReason", "IdlePolicy", "IdleReading", "IdleSource", "LockSource", "PresenceGate"]
