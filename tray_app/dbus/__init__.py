"""D-Bus on dbus-fast, on the applet's one asyncio loop: connecting, calls and signal watches
(`bus`), and desktop notifications through org.freedesktop.Notifications (`notifications`).
The idle and lock sources that read GNOME, freedesktop and logind over it are in
`tray_app/idle/`; the StatusNotifierItem and its menu, which export the tray, in `tray_app/ui/`.
Nothing here imports Qt, and dbus-fast is imported only when a bus is first needed."""
