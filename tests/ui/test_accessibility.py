"""Accessibility: names a screen reader reads, keyboard mnemonics, and states told by more than
colour. Offscreen widgets, no server (the dialogs are built, not used)."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QMenu

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu import MenuView, plain_text
from tray_app.ui.presenter import BASES, AppSnapshot, IconSpec, Kind, build_menu

pytestmark = pytest.mark.ui

MNEMONIC = re.compile(r"(?<!&)&([^&])")


def _mnemonic(text: str) -> str | None:
    found = MNEMONIC.findall(text.replace("&&", ""))
    assert len(found) <= 1, text
    return found[0].lower() if found else None


def _account(**kw) -> SessionState:
    base = dict(
        user_id="@ada:example.org",
        homeserver="https://example.org",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        override=Override(PresenceState.UNAVAILABLE, "unavailable"),
        presence="unavailable",
        status_msg="Tom & Jerry",
    )
    base.update(kw)
    return SessionState(**base)


def test_every_menu_item_a_person_can_pick_has_its_own_mnemonic(qapp):
    accounts = (_account(), _account(user_id="@bob:example.org", override=None, presence="online", status_msg=None))
    model = build_menu(AppSnapshot(accounts, autostart=False), datetime.now(UTC))
    menu = QMenu()
    view = MenuView(menu, IconFactory(), lambda a: None)
    view.render(model)
    levels = [(menu, model.items)] + [
        (view.submenus[i.key], i.children) for i in model.walk() if i.kind is Kind.SUBMENU
    ]
    for qmenu, items in levels:
        by_key = {a.objectName(): a for a in qmenu.actions()}
        letters = []
        for item in items:
            act = by_key[item.key]
            text = view.submenus[item.key].title() if item.kind is Kind.SUBMENU else act.text()
            assert plain_text(text) == item.text  # what a screen reader reads is the item's text
            if item.kind in (Kind.ACTION, Kind.CHECK, Kind.SUBMENU) and item.enabled and item.visible:
                letter = _mnemonic(text)
                if item.account is not None and qmenu is menu:
                    # Two accounts share the top level: their items get no key there (a key
                    # never picks one account's item by chance; tests/ui/test_access_keys.py).
                    assert letter is None, text
                elif letter is not None:
                    letters.append(letter)
        assert len(letters) == len(set(letters)), letters
    top = [a.text() for a in menu.actions() if a.isVisible() and a.isEnabled() and not a.isSeparator()]
    # Set all accounts, Refresh all, Add account…, Start on login, Quit; the account lines
    # have none (see tray_app/ui/access_keys.py).
    assert sum(1 for t in top if _mnemonic(t)) == 5, top
    # A literal "&" in a status message is shown, not taken as a mnemonic (in its account's menu).
    ada = view.submenus[f"acct:{accounts[0].user_id}"]
    assert "Status message: “Tom && Jerry”" in [a.text() for a in ada.actions()]


def test_sign_in_dialog_fields_have_names_labels_and_mnemonics(qapp):
    from tray_app.ui.signin import SignInDialog

    dialog = SignInDialog(object(), None, discover=lambda u: None, flows=lambda h: None)
    edits = dialog.findChildren(QLineEdit)
    assert {e.accessibleName() for e in edits} == {"User ID", "Homeserver", "Password"}
    buddies = {label.buddy(): label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    assert set(buddies) == set(edits)
    buttons = [dialog.sign_in_button, dialog.sso_button]
    letters = [_mnemonic(t) for t in list(buddies.values()) + [b.text() for b in buttons]]
    assert None not in letters and len(letters) == len(set(letters)), letters
    dialog.show_error("The user ID or the password is wrong.")
    assert dialog.error.accessibleName() == "The user ID or the password is wrong."
    dialog.deleteLater()


def test_status_message_dialog_has_names_and_mnemonics(qapp):
    from tray_app.ui.status_dialog import StatusMessageDialog

    dialog = StatusMessageDialog("@ada:example.org", "hi", "", ("In a meeting",), ("At lunch",), lambda t, a: None)
    assert dialog.edit.accessibleName() == "Status message"
    assert dialog.intro.buddy() is dialog.edit
    assert dialog.presets.accessibleName() and dialog.recent.accessibleName() and dialog.clear_after.accessibleName()
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    assert len(labels) == 4  # the text, the recent messages, the suggestions, "Clear after"
    letters = [_mnemonic(t) for t in (*labels, dialog.set_button.text(), dialog.clear_button.text())]
    assert None not in letters and len(letters) == len(set(letters)), letters
    dialog.deleteLater()


def test_the_no_tray_window_names_every_control(qapp):
    from tray_app.ui.window import FallbackWindow

    window = FallbackWindow(IconFactory(), lambda a: None, forced=True)
    model = build_menu(AppSnapshot((_account(),), autostart=False), datetime.now(UTC))
    window.render(model)
    window.set_icon("away")
    for w in window.findChildren(QAbstractButton):
        if not w.isHidden():
            assert w.accessibleName(), w.objectName()
    # The headline says the state (the message has its own line); the icon's name follows it.
    assert window.findChild(QLabel, "state-icon").accessibleName() == "State: Away"
    window.deleteLater()


def test_states_differ_without_colour(qapp):
    """Grey-scale icons (what a person who can't tell the colours apart may see) still differ:
    the shapes and glyphs carry the state, for every pair, at tray size."""
    icons = IconFactory()
    grey = {}
    for base in BASES:
        img = icons.icon(IconSpec(base)).pixmap(QSize(22, 22)).toImage()
        grey[base] = [
            (round(QColor(img.pixelColor(x, y)).lightnessF() * 4), img.pixelColor(x, y).alpha() > 128)
            for y in range(img.height())
            for x in range(img.width())
        ]
    for a, b in itertools.combinations(BASES, 2):
        differing = sum(1 for p, q in zip(grey[a], grey[b]) if p != q)
        assert differing >= 12, (a, b, differing)
