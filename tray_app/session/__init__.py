"""One signed-in account's live session (`Session`), signing in, and what a session is built
from. Callers import from here; the modules below are the session's parts."""

from tray_app.errors import Superseded
from tray_app.session.login import login_password, login_token
from tray_app.session.session import Session
from tray_app.session.sync_filter import FRESH_KEY, sync_filter
from tray_app.session.timings import SessionTimings

__all__ = ["FRESH_KEY", "Session", "SessionTimings", "Superseded", "login_password", "login_token", "sync_filter"]
