"""Names vulture takes for dead code but that are used by name from outside Python's view
(`make lint` runs vulture on the product code with this file). Each group says who uses them."""

_ = object()

# Synapse: its module API calls parse_config; its HTTP layer routes by PATTERNS, CATEGORY, on_PUT.
_.parse_config
_.PATTERNS
_.CATEGORY
_.on_PUT

# Python calls a module's __getattr__ for a name it lacks (PEP 562): the server package's lazy
# PresenceOverrideModule, which Synapse's module loader looks up by name.
_.__getattr__

# Counters the product keeps for the tests to assert counts on (tests/ and bench/soak.py read them).
_.reads  # tray_app/idle/monitor.py
_.polls  # tray_app/idle/notified_lock.py
_.probes  # tray_app/matrix/liveness.py
_.clicks  # tray_app/ui/dbus_menu.py
_.balloons  # tray_app/ui/tray_notifications.py
# The menu's texts as a list, read by tests/ui (a test accessor in the UI layer, left to the
# status-menu issue that reworks it).
_.action_texts

# The window's focus ring (tray_app/ui/window_keys.py), kept by the window and read by
# tests/ui/test_window_keyboard.py.
_.focus_ring
_.ringed
# Windows structures filled in for the Win32 API (ctypes fields).
_.cbSize
_.lpfnWndProc
_.hInstance
_.lpszClassName

# Qt calls these QIconEngine overrides (tray_app/ui/icons.py).
_.scaledPixmap
_.paint
_.actualSize
_.availableSizes
_.iconName
_.clone

# Qt calls QObject.eventFilter on an installed filter (tray_app/ui/menu.py, PlainClick).
_.eventFilter

# D-Bus methods, properties and signals that dbus-fast exports by name: com.canonical.dbusmenu
# (tray_app/ui/dbus_menu.py) and org.kde.StatusNotifierItem (tray_app/ui/status_notifier.py);
# their unused arguments are part of the D-Bus signature.
_.Version
_.TextDirection
_.IconThemePath
_.GetLayout
_.GetGroupProperties
_.GetProperty
_.EventGroup
_.AboutToShow
_.AboutToShowGroup
_.ItemActivationRequested
_.timestamp
_.Category
_.Id
_.Title
_.WindowId
_.IconName
_.IconPixmap
_.OverlayIconName
_.OverlayIconPixmap
_.AttentionIconName
_.AttentionIconPixmap
_.AttentionMovieName
_.ToolTip
_.ItemIsMenu
_.Menu
_.Activate
_.SecondaryActivate
_.ContextMenu
_.Scroll
_.delta
_.orientation
_.NewTitle
_.NewStatus
