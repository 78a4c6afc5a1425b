"""The no-tray window's own words (Qt-free): why there is a window, and the headline at its top.
Apart from window.py so that the window's layout (window_layout.py) can ask for the headline
without importing the window itself."""

from __future__ import annotations

from tray_app.translation import translate
from tray_app.ui.view_model import Headline, MenuModel


def no_tray_reason() -> str:
    return translate(
        "Window",
        "No system tray was found on this desktop (for example GNOME without the AppIndicator "
        "extension, or Wayland without a tray host), so Presence Tray shows its controls in this "
        "window instead. Closing the window quits Presence Tray.",
    )


def forced_reason() -> str:
    return translate("Window", "Closing this window quits Presence Tray.")


def headline(model: MenuModel) -> Headline:
    """The state in words for the top of the window (the presenter's; the icon next to it
    shows the same)."""
    return model.headline or Headline(translate("Window", "Not signed in"))
