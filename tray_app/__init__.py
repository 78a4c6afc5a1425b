"""Presence Tray: one authoritative Matrix presence override from the desktop (MSC4043)."""

__version__ = "0.1.0"
APP_ID = "presence-tray"
