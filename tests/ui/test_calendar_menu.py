"""'Use my calendar…' in the real applet: the menu item opens the dialog, the address typed there
goes to the keyring (never the settings file) and is read at once, a feed that fails says so in
one menu line (not one per try), and 'Stop using' removes it. The feed is a real aiohttp server
on loopback (tests/support/calendar_feeds.py); no Synapse is needed (no account is signed in)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.calendar_feeds import SECRET_TOKEN, CalendarServer, calendar, event
from tests.ui.conftest import keyring_items, menu_text
from tests.ui.file_keyring import FileKeyring
from tray_app.calendar.link import CalendarLink
from tray_app.calendar.location import FeedLocation
from tray_app.calendar.source import CalendarSource
from tray_app.calendar.store import CalendarStore
from tray_app.credentials import CredentialStore
from tray_app.ui.calendar_dialog import CalendarDialog
from tray_app.ui.view_model import OpenCalendar

pytestmark = pytest.mark.ui


def test_the_dialog_refuses_what_is_no_calendar_address(qtbot) -> None:
    used: list[tuple[object, bool]] = []
    dialog = CalendarDialog(in_use=None, show_titles=False, on_use=lambda loc, t: used.append((loc, t)), on_stop=list)
    qtbot.addWidget(dialog)
    assert not dialog.stop_button.isEnabled()
    dialog.use_button.click()
    assert dialog.error.isVisibleTo(dialog) and used == []
    dialog.edit.setText("http://calendar.example.org/private.ics")
    assert not dialog.error.isVisibleTo(dialog)
    dialog.use_button.click()
    assert "https://" in dialog.error.text() and used == []
    dialog.edit.setText("webcal://calendar.example.org/private.ics")
    dialog.titles.setChecked(True)
    dialog.use_button.click()
    assert used == [(FeedLocation.parse("webcal://calendar.example.org/private.ics"), True)]


def test_an_empty_field_keeps_the_calendar_in_use_and_changes_only_the_title_choice(qtbot) -> None:
    used: list[tuple[object, bool]] = []
    stopped: list[int] = []
    dialog = CalendarDialog(
        in_use="https://cloud.example.org/…",
        show_titles=True,
        on_use=lambda loc, t: used.append((loc, t)),
        on_stop=lambda: stopped.append(1),
    )
    qtbot.addWidget(dialog)
    assert "cloud.example.org" in dialog.current.text()
    dialog.titles.setChecked(False)
    dialog.use_button.click()
    assert used == [(None, False)] and stopped == []


def test_use_my_calendar_from_the_menu_to_a_failing_feed_and_off(applets, aio, qtbot, keyring_file, tmp_path):
    now = datetime.now(UTC)
    server = aio.run(
        CalendarServer(calendar(event("m@test", now - timedelta(minutes=5), now + timedelta(hours=1), "Sync"))).start()
    )
    try:
        store = CalendarStore(applets.make_accounts().settings, CredentialStore(FileKeyring(keyring_file)))
        link = CalendarLink(store, make_source=lambda feed: CalendarSource(feed, refresh_every=3600))
        applet = applets.start(calendar=link)
        qtbot.waitUntil(lambda: menu_text(applet, "calendar") == "Use my calendar…", timeout=15_000)
        assert not applet.model.find("calendar").checked and menu_text(applet, "calendar:problem") is None

        applet.on_action(OpenCalendar())
        dialog = applet.calendar_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.edit.setText(server.url)
        dialog.use_button.click()
        qtbot.waitUntil(lambda: link.meeting is not None, timeout=15_000)
        assert link.meeting.title == "Sync" and server.requests == 1
        qtbot.waitUntil(lambda: applet.model.find("calendar").checked, timeout=5_000)
        assert SECRET_TOKEN in str(keyring_items(keyring_file))
        assert SECRET_TOKEN not in store._settings.path.read_text()

        server.mode = "error"
        for _ in range(3):
            aio.run(link.source.refresh())
        qtbot.waitUntil(lambda: menu_text(applet, "calendar:problem") is not None, timeout=5_000)
        lines = [i for i in applet.model.walk() if i.key.startswith("calendar:")]
        assert len(lines) == 1 and "HTTP 500" in lines[0].text, [i.text for i in lines]
        assert link.meeting is not None  # the last good copy still knows the meeting

        applet.on_action(OpenCalendar())
        applet.calendar_dialog.stop_button.click()
        qtbot.waitUntil(lambda: not applet.model.find("calendar").checked, timeout=5_000)
        assert menu_text(applet, "calendar:problem") is None
        assert SECRET_TOKEN not in str(keyring_items(keyring_file))
        assert link.source is None
    finally:
        aio.run(server.close())
