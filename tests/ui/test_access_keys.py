"""Access keys stay put: every menu level built for every state the applet shows, with 1, 2 and 3
accounts (and none), in English and every shipped language, gives each item a key of its own
that never changes with the state or the number of accounts, and never means two things at one
level (issue 19: `u` was "Add account…" with one account and set @alice Busy with two)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMenu

from tray_app import translation
from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
from tray_app.session_state import ApiMode, Connection, Pending, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu import MenuView, mnemonic_texts
from tray_app.ui.menu_content import build_menu
from tray_app.ui.translations import LANGUAGES, install_translations
from tray_app.ui.view_model import AppSnapshot, IdleMenuState, Kind, MenuItem, MenuModel

pytestmark = pytest.mark.ui

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@contextmanager
def language(lang: str) -> Iterator[None]:
    app = QApplication.instance()
    assert app is not None
    installed = install_translations(app, QLocale(lang)) if lang != "en" else []
    assert lang == "en" or installed, lang
    try:
        yield
    finally:
        for t in installed:
            app.removeTranslator(t)
        translation.install(None)


def _variants(user: str) -> list[SessionState]:
    """One account in each state the menu draws differently."""
    base = SessionState(
        user,
        "https://example.org",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        status_msg_supported=True,
        busy_supported=True,
        presence="online",
    )
    out = [base, base.evolve(api=ApiMode.UNKNOWN, connection=Connection.CONNECTING)]
    for st in PresenceState:
        out.append(base.evolve(override=Override(st, st.value), presence=st.value, status_msg="Tom & Jerry"))
    away = Override(PresenceState.UNAVAILABLE, "unavailable")
    out += [
        base.evolve(override=away, override_until=NOW + timedelta(hours=1), override_after=PresenceState.ONLINE),
        base.evolve(override=away, override_until=NOW + timedelta(days=2)),  # "tomorrow morning" hidden
        base.evolve(override=away, pending=Pending(PresenceState.BUSY)),
        base.evolve(override=away, unconfirmed=True, connection=Connection.CONNECTING),
        base.evolve(override=away, connection=Connection.DISCONNECTED, last_error="timed out"),
        base.evolve(connection=Connection.SIGNED_OUT, last_error="token rejected"),
        base.evolve(override=Override(None, "lunch")),  # a state the applet does not know
        base.evolve(api=ApiMode.MSC4532, disabled_unsupported="not part of MSC4532", status_msg_supported=False),
        base.evolve(api=ApiMode.EMULATED, busy_supported=False, contested=True),
        base.evolve(override=away, last_error="the server refused"),
    ]
    return out


def _idles() -> list[IdleMenuState | None]:
    return [
        None,
        IdleMenuState(True, AutoPresence(PresenceState.UNAVAILABLE, AutoReason.IDLE, 420), IdlePolicy()),
        IdleMenuState(True, AutoPresence(None, AutoReason.OFF), IdlePolicy(enabled=False)),
        IdleMenuState(False, AutoPresence(None, AutoReason.UNAVAILABLE), IdlePolicy()),
    ]


def snapshots() -> Iterator[AppSnapshot]:
    users = ("@alice:example.org", "@bob:example.org", "@carol:example.org")
    per_user = [_variants(u) for u in users]
    n = len(per_user[0])
    extras = [dict(autostart=None, pause_banners=None), dict(autostart=True, pause_banners=False)]
    for idle, extra in itertools.product(_idles(), extras):
        yield AppSnapshot((), idle=idle, **extra)
        for i in range(n):
            yield AppSnapshot((per_user[0][i],), idle=idle, **extra)
            # Two and three accounts: each state beside others (and beside itself).
            yield AppSnapshot((per_user[0][i], per_user[1][(i + 3) % n]), idle=idle, **extra)
            yield AppSnapshot((per_user[0][i], per_user[1][i]), idle=idle, **extra)
            yield AppSnapshot((per_user[0][i], per_user[1][(i + 1) % n], per_user[2][(i + 5) % n]), idle=idle, **extra)


PICKABLE = (Kind.ACTION, Kind.CHECK, Kind.SUBMENU)


def role(item: MenuItem) -> str:
    """What an item does, whatever its account and place (its key without the account)."""
    key = getattr(item, "access", None) or item.key
    if item.account is not None:
        key = key.removeprefix(f"acct:{item.account}:")
    key = key.removeprefix("all:")
    if ":for:" in key:
        return "for:" + key.rsplit(":for:", 1)[1]
    return "for:" + key.removeprefix("extend:") if key.startswith("extend:") else key


def letter_of(text: str) -> str | None:
    marks = [
        text[i + 1].lower()
        for i in range(len(text) - 1)
        if text[i] == "&" and text[i + 1] != "&" and (i == 0 or text[i - 1] != "&")
    ]
    assert len(marks) <= 1, text
    return marks[0] if marks else None


def shared_by_accounts(items: tuple[MenuItem, ...]) -> bool:
    return len({i.account for i in items if i.account is not None}) > 1


def levels(model: MenuModel) -> Iterator[tuple[str, tuple[MenuItem, ...]]]:
    """Each menu level with a name that is the same whatever the state: "top", else the role of
    the item that opens it (every state's durations are one level)."""
    yield "top", model.items
    for item in model.walk():
        if item.children:
            yield role(item), item.children


def test_every_item_keeps_one_key_per_level_in_every_state_count_and_language(qapp):
    for lang in ("en", *LANGUAGES):
        with language(lang):
            # Per level: which roles each letter was given to, over every menu built.
            meaning: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
            problems: list[str] = []
            keyed_count = 0
            for snap in snapshots():
                model = build_menu(snap, NOW)
                for name, items in levels(model):
                    texts = mnemonic_texts(items)
                    shared = shared_by_accounts(items)
                    seen: dict[str, str] = {}
                    for item in items:
                        letter = letter_of(texts[item.key])
                        pickable = item.kind in PICKABLE and item.enabled and item.visible
                        if not pickable or (shared and item.account is not None):
                            # Several accounts' items at one level: theirs get none.
                            if letter is not None and pickable:
                                problems.append(f"{lang} {name}: {letter!r} on {item.key}, one of several accounts'")
                            continue
                        if letter is None:
                            if not item.key.startswith("idle:account:"):  # one per account: none
                                problems.append(f"{lang} {name}: no key on {item.key} ({item.text!r})")
                            continue
                        keyed_count += 1
                        if letter in seen and seen[letter] != item.key:
                            problems.append(f"{lang} {name}: {letter!r} on {seen[letter]} and {item.key}")
                        seen[letter] = item.key
                        meaning[name][letter].add(role(item))
            for name, letters in meaning.items():
                for letter, roles in letters.items():
                    if len(roles) > 1:
                        problems.append(f"{lang} {name}: {letter!r} means {sorted(roles)} in different menus")
            assert not problems, "\n".join(sorted(set(problems)))
            assert keyed_count > 1000, keyed_count


def test_the_per_account_items_have_no_key_where_accounts_share_a_level(qapp):
    a, b = _variants("@alice:example.org")[0], _variants("@bob:example.org")[0]
    one = build_menu(AppSnapshot((a,), autostart=False), NOW)
    two = build_menu(AppSnapshot((a, b), autostart=False), NOW)
    texts_one, texts_two = mnemonic_texts(one.items), mnemonic_texts(two.items)
    busy = "acct:@alice:example.org:state:busy"
    assert texts_one[busy] == "&Busy"
    # Several accounts: one line each at the top (those share the level: no key), and each
    # account's own items in its line's submenu, where they are alone: keyed as with one.
    assert busy not in texts_two
    assert "&" not in texts_two["acct:@alice:example.org"].replace("&&", "")
    alice = two.find("acct:@alice:example.org")
    assert mnemonic_texts(alice.children)[busy] == "&Busy"
    # The app's own items keep theirs; "Set all accounts" carries the states' keys for all.
    for key in ("signin", "autostart", "quit"):
        assert texts_one[key] == texts_two[key], key
    assert texts_two["signin"] == "Add a&ccount…"
    all_states = mnemonic_texts(two.find("all").children)
    assert all_states["all:state:busy"] == "&Busy"
    # An account's durations are its own submenu: keyed with any number of accounts.
    assert mnemonic_texts(two.find(busy).children)[busy + ":for:1h"] == "&1 hour"


def test_the_qt_menu_shows_the_keys_in_german(qapp):
    a = _variants("@alice:example.org")[0]
    with language("de"):
        model = build_menu(AppSnapshot((a,), autostart=False), NOW)
        menu = QMenu()
        view = MenuView(menu, IconFactory(), lambda action: None)
        view.render(model)
        quit_text = view.actions["quit"].text()
        login = view.actions["autostart"].text()
        keys = [
            letter_of(view.actions[i.key].text() if i.key not in view.submenus else view.submenus[i.key].title())
            for i in model.items
            if i.kind in PICKABLE and i.enabled and i.visible
        ]
    assert quit_text.count("&") == 1 and login.count("&") == 1
    assert quit_text.lower().split("&")[1][0] != login.lower().split("&")[1][0]
    assert None not in keys and len(keys) == len(set(keys)), keys
    menu.deleteLater()


def test_the_top_levels_letters_differ_in_every_language_counting_items_still_to_come(qapp):
    """Every role that can stand at the top level has its own letter, including those kept for
    items other changes add ("Server details…", "Clear message"), so they merge without a clash."""
    from tray_app.ui.access_keys import ACCESS_KEYS

    top = [r for r in ACCESS_KEYS if not r.startswith(("for:", "idle:"))]
    assert {"details", "clearmsg", "quit", "state:busy"} <= set(top)
    for lang in ("en", *LANGUAGES):
        with language(lang):
            letters = {r: ACCESS_KEYS[r]().lower() for r in top}
        assert all(len(v) == 1 for v in letters.values()), (lang, letters)
        assert len(set(letters.values())) == len(letters), (lang, sorted(letters.items(), key=lambda kv: kv[1]))
