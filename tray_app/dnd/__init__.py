"""The desktop's "do not disturb": one switch per notification server, behind one interface
(the shape of `tray_app/idle/`), and the link that pauses banners while the person is Busy."""
