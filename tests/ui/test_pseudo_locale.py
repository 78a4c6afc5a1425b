"""Every text a person reads went through the translator: in the pseudo-locale (every
translated text reads "⟦…⟧") every view is rendered for many states, and any text with a
letter outside the brackets fails, unless it is data: a user ID, a server, a time, the person's
own status message, a device ID, the server's own values. Views: the menu model, the Qt menu,
the StatusNotifierItem's D-Bus menu, the tooltip, the notifications, the window (with a notice),
the sign-in dialog, the status message dialog, the questions and the server details."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from tray_app import translation
from tray_app.errors import (
    BadResponse,
    PresenceTrayError,
    RateLimited,
    ServerRefused,
    ServerUnreachable,
    TokenRejected,
    WrongPassword,
)
from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
from tray_app.session_state import ApiMode, Connection, Pending, SessionEvent, SessionState
from tray_app.states import Override, PresenceState

pytestmark = pytest.mark.ui

ADA, BO = "@ada:example.org", "@bo:example.org"
HS = "https://example.org"
MESSAGE = "In a meeting until 3"
WATCHED = "org.continuwuity.presence_v2.msc4532"
CORE_WORDS = "(the core's words)"
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
# What may show untranslated: data, never words of ours.
DATA = (
    ADA,
    BO,
    HS,
    "example.org",
    MESSAGE,
    "DEVICEID",
    "support.example.custom",  # an override value the server sent that we don't know
    "M_FORBIDDEN",
    "Nope",  # the server's own error text
    "Presence Tray",  # the name, never translated
    "presence-tray",  # the keyring item's name
    "@you:example.org",  # the sign-in field's example
    WATCHED,
    "keyring locked",  # the keyring's own words
    CORE_WORDS,  # a core error's own message, passed on as the core wrote it (error_words)
    "ValueError",  # the kind of an unexpected failure
)


def leftovers(text: str, data: Iterable[str] = DATA, marker: str = "&") -> str:
    """What is left of `text` without its translated parts and its data (and mnemonic markers)."""
    rest = text.replace(marker, "")
    for d in sorted(data, key=len, reverse=True):
        rest = rest.replace(d.replace(marker, ""), " ")
    previous = None
    while previous != rest:
        previous, rest = rest, re.sub(r"⟦[^⟦⟧]*⟧", " ", rest)
    return rest


def untranslated(
    texts: Iterable[tuple[str, str]], marker: str = "&", data: Iterable[str] = DATA
) -> list[tuple[str, str]]:
    """(where, text) pairs whose text has a letter outside the translated parts and the data."""
    return [(where, t) for where, t in texts if t and re.search(r"[^\W\d_]", leftovers(t, data, marker))]


@pytest.fixture
def pseudo(qapp) -> Iterator[None]:
    from tray_app.ui.translations import install_translations

    installed = install_translations(qapp, pseudo=True)
    try:
        yield
    finally:
        for t in installed:
            qapp.removeTranslator(t)
        translation.install(None)


def account(user: str = ADA, **kw) -> SessionState:
    base = dict(
        user_id=user,
        homeserver=HS,
        device_id="DEVICEID",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        status_msg_supported=True,
        busy_supported=True,
        override=Override(PresenceState.UNAVAILABLE, "unavailable"),
        presence="unavailable",
    )
    base.update(kw)
    return SessionState(**base)


def variants() -> list[SessionState]:
    """An account in the states a person meets (every mode, connection, timer, fault)."""
    from tray_app.ui.error_words import human_error

    timed = dict(override_until=NOW + timedelta(hours=1), override_after=PresenceState.ONLINE)
    return [
        account(),
        account(status_msg=MESSAGE, watching=WATCHED),
        account(api=ApiMode.UNKNOWN, override=None, presence=None, connection=Connection.CONNECTING),
        account(api=ApiMode.UNSTABLE, override=None, presence="online"),
        account(
            api=ApiMode.MSC4532,
            disabled_unsupported="MSC4532 has no disabled",
            override=Override(PresenceState.BUSY, "busy"),
        ),
        account(api=ApiMode.EMULATED, busy_supported=False, override=Override(PresenceState.DISABLED, "disabled")),
        account(api=ApiMode.EMULATED, contested=True, override=Override(PresenceState.OFFLINE, "offline")),
        account(api=ApiMode.EMULATED, automatic=PresenceState.UNAVAILABLE, override=None),
        account(override=Override(None, "support.example.custom")),
        account(override=Override(PresenceState.DISABLED, "disabled"), presence=None),
        account(pending=Pending(PresenceState.BUSY, MESSAGE)),
        account(pending=Pending(None)),
        account(**timed),
        account(override_until=NOW + timedelta(hours=1), status_msg=MESSAGE),
        account(override_until=NOW + timedelta(days=1), override_after=None),
        account(unconfirmed=True, connection=Connection.CONNECTING),
        account(unconfirmed=True, connection=Connection.DISCONNECTED),
        account(connection=Connection.DISCONNECTED),
        account(last_error=human_error(ServerUnreachable("x"))),
        account(last_error=human_error(RateLimited("x", 9000))),
        account(connection=Connection.SIGNED_OUT, last_error=human_error(TokenRejected("x"))),
        account(connection=Connection.SIGNED_OUT),
    ]


def idle_states():
    from tray_app.ui.view_model import IdleMenuState

    policy = IdlePolicy()
    return [
        None,
        IdleMenuState(None, AutoPresence(None, AutoReason.UNAVAILABLE), policy),
        IdleMenuState(False, AutoPresence(None, AutoReason.UNAVAILABLE), policy),
        IdleMenuState(True, AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE), policy),
        IdleMenuState(True, AutoPresence(PresenceState.UNAVAILABLE, AutoReason.IDLE, 7 * 60), policy),
        IdleMenuState(True, AutoPresence(PresenceState.OFFLINE, AutoReason.LOCKED), policy),
        IdleMenuState(True, AutoPresence(None, AutoReason.OFF), IdlePolicy(enabled=False)),
        IdleMenuState(True, AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE), IdlePolicy(off_for=frozenset({BO}))),
    ]


def snapshots():
    from tray_app.ui.view_model import AppSnapshot

    yield AppSnapshot(())
    yield AppSnapshot((), autostart=True, pause_banners=False)
    idles = idle_states()
    for n, s in enumerate(variants()):
        idle = idles[n % len(idles)]
        yield AppSnapshot((s,), autostart=bool(n % 2), idle=idle, pause_banners=True if n % 3 else None)
        other = account(BO, override=None, presence="online", automatic=PresenceState.ONLINE)
        yield AppSnapshot((s, other), autostart=None, busy=None, idle=idle)
    from tray_app.ui.labels import signing_out

    yield AppSnapshot((account(), account(BO)), busy=signing_out(BO))


def model_texts(model) -> Iterator[tuple[str, str]]:
    for item in model.walk():
        for field in ("text", "tooltip", "label", "prompt", "children_label"):
            value = getattr(item, field)
            if field == "text" and item.tooltip and value.endswith("…"):
                continue  # shortened: its whole text is the tooltip
            if value:
                yield f"{item.key}.{field}", value
    if model.headline is not None:
        yield "headline.state", model.headline.state
        yield "headline.seen", model.headline.seen


def widget_texts(root) -> Iterator[tuple[str, str]]:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        name = w.objectName() or type(w).__name__
        if isinstance(w, (QLabel, QAbstractButton)):
            if isinstance(w, QLabel) and w.textFormat().name == "RichText":
                continue
            yield name + ".text", w.text()
        if isinstance(w, QLineEdit):
            yield name + ".placeholder", w.placeholderText()
            if w.echoMode() is QLineEdit.EchoMode.Normal and w.text():
                yield name + ".text", w.text()
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name}[{i}]", w.itemText(i)
        yield name + ".toolTip", w.toolTip()
        yield name + ".accessibleName", w.accessibleName()
        yield name + ".accessibleDescription", w.accessibleDescription()
        if w.isWindow():
            yield name + ".windowTitle", w.windowTitle()


def menu_texts(menu) -> Iterator[tuple[str, str]]:
    yield "menu.title", menu.title()
    for act in menu.actions():
        if act.isSeparator():
            continue
        shortened = act.text().endswith("…") and len(act.toolTip()) > len(act.text())
        yield f"action {act.objectName()}.text", "" if shortened else act.text()  # whole: the tooltip
        yield f"action {act.objectName()}.toolTip", act.toolTip() if act.toolTip() != act.text() else ""
        if act.menu() is not None:
            yield from menu_texts(act.menu())


def test_the_checker_finds_a_text_that_skipped_the_translator():
    assert untranslated([("ok", "⟦Signed in as @ada:example.org.⟧")]) == []
    assert untranslated([("ok", "⟦Away⟧⟦ — setting…⟧ (⟦last known⟧)")]) == []
    assert untranslated([("ok", "⟦⟦Away⟧ — until 14:30⟧")]) == []
    assert untranslated([("bad", "⟦Away⟧ — until 14:30")]) == [("bad", "⟦Away⟧ — until 14:30")]
    assert untranslated([("bad", "Couldn't set ⟦Online⟧")])


def shown_texts(qtbot) -> Iterator[tuple[str, str, str]]:
    """(marker, where, text) for every text of the menu, the D-Bus menu, the tooltip, the
    window and the notifications, over many states (the marker: the views' mnemonic sign)."""
    from PySide6.QtWidgets import QMenu

    from tray_app.ui.dbus_menu import DBusMenu
    from tray_app.ui.icons import IconFactory
    from tray_app.ui.idle_menu import automatic_lines
    from tray_app.ui.menu import MenuView
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.notifications import event_notification
    from tray_app.ui.tooltip import tooltip_parts
    from tray_app.ui.window import FallbackWindow

    icons = IconFactory()
    qmenu = QMenu()
    view = MenuView(qmenu, icons, lambda a: None)
    dbus = DBusMenu(lambda a: None, lambda: None, lambda key: b"")
    dbus.LayoutUpdated = lambda: None
    dbus.ItemsPropertiesUpdated = lambda updated, removed: None
    window = FallbackWindow(icons, lambda a: None, forced=False)
    qtbot.addWidget(window)
    forced = FallbackWindow(icons, lambda a: None, forced=True)
    qtbot.addWidget(forced)
    for snap in snapshots():
        model = build_menu(snap, NOW, UTC)
        for where, text in model_texts(model):
            yield "&", where, text
        view.render(model)
        for where, text in menu_texts(qmenu):
            yield "&", where, text
        dbus.render(model)
        for i, p in dbus._props.items():
            if "label" in p and not dbus._items[i].tooltip:  # shortened: the model's tooltip is checked
                yield "_", f"dbusmenu {dbus._items[i].key}", p["label"].value
        title, description = tooltip_parts(snap.accounts, NOW, UTC, *automatic_lines(snap.idle, snap.accounts))
        yield "&", "tooltip.title", title
        yield "&", "tooltip", description
        window.render(model)
        forced.render(model)
        for s in snap.accounts:
            for event in SessionEvent:
                n = event_notification(s.user_id, event, s)
                if n is not None:
                    yield "&", f"{event}.title", n.title
                    yield "&", f"{event}.text", n.text
                    window.show_notification(n)
                    yield "&", "notice", window.notice.text()
        for where, text in (*widget_texts(window), *widget_texts(forced)):
            yield "&", where, text


def test_every_menu_tooltip_and_window_text_went_through_the_translator(pseudo, qtbot):
    bad: list[tuple[str, str]] = []
    count = 0
    for marker, where, text in shown_texts(qtbot):
        count += 1
        bad += untranslated([(where, text)], marker=marker)
    assert count > 5000
    assert bad == [], sorted(set(bad))


def test_no_proposal_numbers_where_a_person_reads(qtbot):
    """The interface's names (MSC4043, MSC4532, …) are in "Server details…" only."""
    seen = [(w, t) for _, w, t in shown_texts(qtbot) if re.search(r"(?i)\bmsc\s*\d", t)]
    assert seen == [], sorted(set(seen))


def test_every_notification_went_through_the_translator(pseudo):
    from tray_app.ui import notifications as n
    from tray_app.ui.error_words import human_error, keyring_left_behind, unreachable_sign_out_hint

    errors = [
        ServerUnreachable("x"),
        TokenRejected("x"),
        RateLimited("x", 9000),
        RateLimited("x", None),
        ServerRefused("M_FORBIDDEN", "Nope", 403),
        ServerRefused("M_FORBIDDEN", "", 403),
        BadResponse(CORE_WORDS),
        ValueError(CORE_WORDS),
    ]
    shown = []
    for e in errors:
        why = human_error(e)
        for title in (
            n.couldnt_connect(),
            n.couldnt_sign_out(),
            n.couldnt_remove_account(),
            *(n.couldnt_set(st) for st in (None, *PresenceState)),
        ):
            shown.append(n.failure_notification(ADA, title, why))
    shown += [n.couldnt_sign_in(human_error(ServerUnreachable("x"))), n.couldnt_change_autostart(human_error(e))]
    shown += [n.signed_in(ADA), n.not_signed_in_yet(), n.already_running()]
    shown += [keyring_left_behind(ADA, PresenceTrayError("keyring locked"), signed_out=b) for b in (True, False)]
    for event in SessionEvent:
        shown.append(n.NotificationPolicy().decide(ADA, event, "an English message of the session", None, clock=0.0))
    texts = [(f"{i}.title", x.title) for i, x in enumerate(shown) if x] + [
        (f"{i}.text", x.text) for i, x in enumerate(shown) if x
    ]
    texts.append(("hint", unreachable_sign_out_hint()))
    assert untranslated(texts) == []


def test_every_dialog_text_went_through_the_translator(pseudo, qtbot, aio):
    from tray_app.messages import presets
    from tray_app.ui.applet import Applet
    from tray_app.ui.error_words import human_error, sign_in_error, sso_not_completed
    from tray_app.ui.message_words import dialog_note
    from tray_app.ui.signin import SignInDialog
    from tray_app.ui.status_dialog import StatusMessageDialog

    async def discover(user_id):
        return HS

    async def flows(hs):
        return ["m.login.password", "m.login.sso"]

    bad: list[tuple[str, str]] = []
    dialog = SignInDialog(object(), None, discover=discover, flows=flows)
    qtbot.addWidget(dialog)
    bad += untranslated(widget_texts(dialog))
    dialog.user_id.setText(ADA)
    aio.run(dialog._probe(ADA, ""))
    bad += untranslated(widget_texts(dialog))
    for e in (
        ServerUnreachable("x"),
        RateLimited("x", None),
        WrongPassword("x"),
        ServerRefused("M_USER_DEACTIVATED", "x", 403),
        ServerRefused("M_UNRECOGNIZED", "x", 404),
        ServerRefused("M_FORBIDDEN", "Nope", 403),
        BadResponse(CORE_WORDS),
        ValueError(CORE_WORDS),
    ):
        for hs in (None, HS):
            dialog.show_error(sign_in_error(e, hs))
            bad += untranslated([("error", dialog.error.text())])
    from tray_app.errors import InsecureHomeserver, UsageError
    from tray_app.matrix.homeserver import check_homeserver_url, server_name_of
    from tray_app.matrix.sso import SsoCancelled, SsoError, SsoTimeout
    from tray_app.ui.error_words import sso_error

    for typed in (("alice", ""), (ADA, "http://example.org"), (ADA, "ftp://example.org")):
        try:  # the core's own check, with its English words
            check_homeserver_url(typed[1]) if typed[1] else server_name_of(typed[0])
        except (InsecureHomeserver, UsageError) as e:
            dialog.show_error(sign_in_error(e, None, typed=typed))
            bad += untranslated([("error", dialog.error.text())], data=(*DATA, "alice", "ftp://example.org"))
        else:
            raise AssertionError(typed)
    for e in (SsoTimeout(CORE_WORDS), SsoCancelled(CORE_WORDS), SsoError(CORE_WORDS)):
        bad += untranslated([("sso", sso_error(e)), ("sso stopped", sso_error(e, stopped=True))])
    dialog.show_error(sso_not_completed())
    dialog._set_busy("sso")
    bad += untranslated(widget_texts(dialog))
    dialog._set_busy("password")
    bad += untranslated(widget_texts(dialog))

    status = StatusMessageDialog(
        ADA, MESSAGE, dialog_note(account()), presets(), ["Back at 3"], lambda text, after: None
    )
    qtbot.addWidget(status)
    bad += untranslated(widget_texts(status))

    states = [account(), account(BO, api=ApiMode.EMULATED, connection=Connection.SIGNED_OUT)]
    states += [account(api=mode, watching=WATCHED if mode is ApiMode.STABLE else None) for mode in ApiMode]
    states.append(account(api=ApiMode.MSC4532, disabled_unsupported="MSC4532 has no disabled"))
    controller = SimpleNamespace(on_change=None, on_notify=None, on_offer_forget=None, tz=UTC, states=lambda: states)
    applet = Applet(controller)  # type: ignore[arg-type]  # only its dialogs are opened
    boxes = [
        applet.confirm_sign_out(ADA),
        applet.confirm_sign_out(BO),
        applet.confirm_forget(ADA, human_error(ServerUnreachable("x"))),
    ]
    for s in states:
        states.insert(0, states.pop(states.index(s)))  # the first one with this user ID is shown
        boxes.append(applet.show_server_details(s.user_id))
    allowed = (*DATA, "MSC4043", "MSC4532", "MSC4042", "MSC3026", "MSC4532 has no disabled")
    allowed += ("/_matrix/client/v1/presence/", "/override", "support.feline.msc4043.v1")
    for box in boxes:
        assert box is not None
        qtbot.addWidget(box)
        texts = [*widget_texts(box), ("box.text", box.text())]
        texts = [(w, t.replace("\n", " ")) for w, t in texts]
        bad += [(w, t) for w, t in texts if t and re.search(r"[^\W\d_]", leftovers(t, allowed))]
        box.close()
    assert bad == [], sorted(set(bad))
