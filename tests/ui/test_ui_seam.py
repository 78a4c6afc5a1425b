"""The seam between the presenter and the views: one leaf module of types that imports nothing
of the UI, no import circle among the UI's modules, no `Any` there, every notification's words
through the translator, and the structured fields (headline, placement, account, field label)
the views take instead of parsing the menu's texts."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.syntax import parse
from tray_app import translation
from tray_app.session_state import ApiMode, Connection, Pending, SessionEvent, SessionState
from tray_app.states import Override, PresenceState

pytestmark = pytest.mark.ui

UI = Path(__file__).resolve().parents[2] / "tray_app" / "ui"
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def st(user: str = "@a:hs", **kw) -> SessionState:
    base = dict(
        user_id=user,
        homeserver="https://hs",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        status_msg_supported=True,
        override=Override(PresenceState.UNAVAILABLE, "unavailable"),
        presence="unavailable",
    )
    base.update(kw)
    return SessionState(**base)


@pytest.fixture
def pseudo() -> Iterator[None]:
    """A pseudo-locale: every text that went through translate() is marked ⟦…⟧."""

    def mark(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return "⟦" + translation._english(context, source, disambiguation, n) + "⟧"

    translation.install(mark)
    try:
        yield
    finally:
        translation.install(None)


# -- the leaf and the import graph ---------------------------------------------------------------


def test_the_view_model_imports_nothing_of_the_ui_nor_qt():
    code = (
        "import sys, tray_app.ui.view_model\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tray_app.ui.', 'PySide6', 'shiboken6'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['tray_app.ui.view_model']"


def _ui_imports(path: Path) -> set[str]:
    """The tray_app.ui modules a module imports, at its top or in a function (TYPE_CHECKING too)."""
    found = set()
    for node in ast.walk(parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tray_app.ui"):
            if node.module == "tray_app.ui":
                found.update(f"tray_app.ui.{a.name}" for a in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tray_app.ui."))
    return found


def test_no_import_circle_in_the_ui():
    graph = {f"tray_app.ui.{p.stem}": _ui_imports(p) for p in UI.glob("*.py") if p.stem != "__init__"}
    assert graph["tray_app.ui.view_model"] == set()

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    return [*path, nxt]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
        return None

    circles = [c for c in (circle_from(m) for m in graph) if c]
    assert circles == []


def test_no_any_at_the_seam():
    from tray_app.ui import view_model

    for name, obj in vars(view_model).items():
        if dataclasses.is_dataclass(obj) and isinstance(obj, type) and obj.__module__ == view_model.__name__:
            hints = typing.get_type_hints(obj, vars(view_model))
            for field, hint in hints.items():
                assert "Any" not in repr(hint), (name, field, hint)


def test_every_ui_module_takes_the_types_from_the_view_model():
    """Nothing imports the presenter's gathering module inside the package (it is for tests and
    scripts): each piece names the module it needs."""
    users = [p.name for p in UI.glob("*.py") if "tray_app.ui.presenter" in _ui_imports(p)]
    assert users == []


# -- the structured fields the views take ---------------------------------------------------------


def test_the_headline_is_the_chosen_state_without_what_is_going_on(pseudo):
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.view_model import AppSnapshot

    # Away is confirmed and set again (in flight): the menu item says so, the headline does not.
    s = st(pending=Pending(PresenceState.UNAVAILABLE, None))
    model = build_menu(AppSnapshot((s,)), NOW)  # (several accounts: a summary, test_many_accounts.py)
    item = model.find("acct:@a:hs:state:unavailable")
    assert item.checked and item.text == "⟦Away⟧⟦ — setting…⟧"
    assert model.headline is not None
    assert model.headline.state == "⟦Away⟧"
    assert model.headline.seen == "⟦Others see you as: {presence}⟧".replace("{presence}", "⟦Away⟧")
    assert model.headline.repeats == "acct:@a:hs:presence"


def test_the_headline_falls_back_to_the_last_known_state_then_the_connection():
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.view_model import AppSnapshot

    model = build_menu(AppSnapshot((st(unconfirmed=True, connection=Connection.CONNECTING),)), NOW)
    assert model.headline is not None and model.headline.state == "Away (last known, checking…)"
    model = build_menu(AppSnapshot((st("@z:hs", connection=Connection.SIGNED_OUT, last_error="gone"),)), NOW)
    assert model.headline is not None and (model.headline.state, model.headline.seen) == ("Signed out — gone", "")
    model = build_menu(AppSnapshot(()), NOW)
    assert model.headline is not None and model.headline.state == "Not signed in"


def test_items_carry_their_account_and_placement():
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.view_model import AppSnapshot, Placement

    model = build_menu(AppSnapshot((st(), st("@b:hs", connection=Connection.DISCONNECTED))), NOW)
    for item in model.walk():
        if item.key.startswith("acct:@a:hs"):  # its line and what its submenu holds
            assert item.account == "@a:hs", item.key
        elif item.key.startswith("acct:@b:hs"):
            assert item.account == "@b:hs", item.key
        else:
            assert item.account is None, item.key
    quiet = [i.key for i in model.walk() if i.placement is Placement.QUIET]
    assert quiet == [
        "acct:@a:hs:details",
        "acct:@a:hs:refresh",
        "acct:@a:hs:signout",
        "acct:@a:hs:forget",
        "acct:@b:hs:details",
        "acct:@b:hs:refresh",
        "acct:@b:hs:signout",
        "acct:@b:hs:forget",
        "refresh",
        "signin",
    ]
    assert [i.key for i in model.walk() if i.placement is Placement.QUIET_END] == ["quit"]


def test_submenus_carry_their_field_label():
    from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.view_model import AppSnapshot, IdleMenuState, Kind

    idle = IdleMenuState(True, AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE), IdlePolicy())
    model = build_menu(AppSnapshot((st(), st("@b:hs")), idle=idle), NOW)
    labels = {i.key: i.label for i in model.walk() if i.kind is Kind.SUBMENU}
    assert labels == {
        "idle": "Automatic presence:",
        "all": "Set all accounts:",
        "acct:@a:hs": "@a:hs",  # an account's line (its row in the window names its account)
        "acct:@b:hs": "@b:hs",
        "acct:@a:hs:extend": "Extend",
        "acct:@b:hs:extend": "Extend",
    }
    prompts = {i.key: i.prompt for i in model.walk() if i.kind is Kind.SUBMENU}
    assert prompts == {
        "idle": None,
        "all": "choose…",
        "acct:@a:hs": None,
        "acct:@b:hs": None,
        "acct:@a:hs:extend": "choose…",
        "acct:@b:hs:extend": "choose…",
    }


# -- notifications: every word through the translator ----------------------------------------------


def test_failure_titles_and_bodies_are_translated(pseudo):
    from tray_app.ui.notifications import (
        couldnt_change_autostart,
        couldnt_connect,
        couldnt_remove_account,
        couldnt_set,
        couldnt_sign_in,
        couldnt_sign_out,
        failure_notification,
        not_signed_in_yet,
        signed_in,
    )

    titles = [couldnt_connect(), couldnt_sign_out(), couldnt_remove_account(), couldnt_set(None)]
    titles += [couldnt_set(PresenceState.UNAVAILABLE), couldnt_sign_in("r").title, couldnt_change_autostart("r").title]
    assert all(t.startswith("⟦") and t.endswith("⟧") for t in titles), titles
    assert couldnt_set(PresenceState.UNAVAILABLE) == "⟦Couldn't set ⟦Away⟧⟧"
    assert failure_notification("@a:hs", "t", "why").text == "⟦@a:hs: why⟧"
    assert signed_in("@a:hs").text == "⟦Signed in as @a:hs.⟧"
    assert not_signed_in_yet().text.startswith("⟦")


@pytest.mark.parametrize(
    "event",
    [
        SessionEvent.TIMED_OVERRIDE_ENDED,
        SessionEvent.SIGNED_OUT,
        SessionEvent.UNREACHABLE_FOR_LONG,
        SessionEvent.CONTESTED,
        SessionEvent.OVERRIDE_CHANGED_ELSEWHERE,
    ],
)
def test_event_notifications_without_a_message_are_translated(pseudo, event):
    from tray_app.ui.presenter import NotificationPolicy

    n = NotificationPolicy().decide("@a:hs", event, "", None, clock=0.0)
    assert n is not None
    assert n.title.startswith("⟦") and n.text.startswith("⟦"), n
    assert "@a:hs" in n.text
    # What is left after the marked parts is the account, the punctuation and the spaces.
    text = n.text
    while "⟦" in text:
        start = text.rindex("⟦")
        text = text[:start] + text[text.index("⟧", start) + 1 :]
    assert text.replace("@a:hs", "").strip(" :.") == "", n.text
    if event is SessionEvent.OVERRIDE_CHANGED_ELSEWHERE:  # no state known: "now changed"
        assert "⟦changed⟧" in n.text


def test_english_notification_wording_is_unchanged():
    from tray_app.ui.notifications import NotificationPolicy, couldnt_set, failure_notification

    assert couldnt_set(PresenceState.UNAVAILABLE) == "Couldn't set Away"
    assert couldnt_set(None) == "Couldn't clear the override"
    assert failure_notification("@a:hs", "t", "why.").text == "@a:hs: why."
    n = NotificationPolicy().decide("@a:hs", SessionEvent.TIMED_OVERRIDE_ENDED, "", None, clock=0.0)
    assert n is not None and n.text == "@a:hs: your timed override ended."
    n = NotificationPolicy().decide("@a:hs", SessionEvent.SIGNED_OUT, "", None, clock=0.0)
    assert n is not None
    assert n.text == "@a:hs: the server signed you out. Use “Sign in again…” in the menu."


# -- the window draws the structured fields --------------------------------------------------------


def test_the_window_shows_the_models_headline_and_field_labels(qtbot):
    from PySide6.QtWidgets import QLabel

    from tray_app.durations import Duration
    from tray_app.ui.icons import IconFactory
    from tray_app.ui.view_model import Headline, Kind, MenuItem, MenuModel, SetState
    from tray_app.ui.window import FallbackWindow

    w = FallbackWindow(IconFactory(), lambda a: None, forced=True)
    qtbot.addWidget(w)
    # Texts that would read otherwise if split: the window must take the fields as they are.
    child = MenuItem(
        "c",
        Kind.CHECK,
        "x",
        checked=True,
        group="g",
        action=SetState("@a:hs", PresenceState.ONLINE, Duration.TOMORROW_MORNING),
    )
    model = MenuModel(
        (
            MenuItem("acct:@a:hs:state:online", Kind.CHECK, "On — line: x", checked=True, group="g1", account="@a:hs"),
            MenuItem("sub", Kind.SUBMENU, "Whole: text: here", children=(child,), label="The label", prompt="pick"),
        ),
        Headline("Head — line", "Seen: here"),
    )
    w.render(model)
    assert w.state_text.text() == "Head — line"
    assert w.state_seen.text() == "Seen: here"
    sub = w.widgets["sub"]
    assert [lbl.text() for lbl in sub.findChildren(QLabel)] == ["The label"]
    combo = w.widgets["sub:combo"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["pick", "x"]
    assert combo.currentIndex() == 1  # the checked child, after the prompt


# -- failures: the reasons too -------------------------------------------------------------------


def test_failure_reasons_go_through_the_translator(pseudo):
    from tray_app.errors import BadResponse, RateLimited, ServerRefused, ServerUnreachable, TokenRejected
    from tray_app.ui import controller

    reasons = [
        controller.human_error(ServerUnreachable("x")),
        controller.human_error(TokenRejected("x")),
        controller.human_error(RateLimited("x", retry_after_ms=5000)),
        controller.human_error(RateLimited("x", None)),
        controller.human_error(ServerRefused("M_FORBIDDEN", "no", 403)),
        controller.human_error(BadResponse("odd")),
        controller.human_error(KeyError("x")),
        controller.sign_in_error(ServerRefused("M_USER_DEACTIVATED", "", 403)),
        controller.sign_in_error(ServerRefused("M_UNRECOGNIZED", "", 404), "https://hs"),
        controller.sign_in_error(BadResponse("odd")),
        controller.sign_in_error(KeyError("x")),
    ]
    unmarked = [r for r in reasons if not (r.startswith("⟦") and r.endswith("⟧"))]
    assert unmarked == []


def test_failure_reasons_read_as_before_in_english():
    from tray_app.errors import RateLimited, ServerRefused
    from tray_app.ui import controller

    assert controller.human_error(RateLimited("x", retry_after_ms=5000)) == (
        "the server says there were too many changes in a short time. Wait 5 s and try again."
    )
    assert controller.human_error(ServerRefused("M_FORBIDDEN", "no", 403)) == "the server refused (M_FORBIDDEN): no"
    assert controller.sign_in_error(ServerRefused("M_UNRECOGNIZED", "", 404), "https://hs") == (
        "The address at https://hs doesn't look like a Matrix homeserver."
    )
    assert controller.sign_in_error(ServerRefused("M_LIMIT", "", 403)) == "The server refused to sign you in (M_LIMIT)."


# -- the applet: one interface for its surfaces, one render per change ------------------------------


class FakeSurface:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def render(self, model, icon, tooltip) -> None:
        self.calls.append(("render", model.headline.state if model.headline else None, icon, tooltip[0]))

    def show(self) -> None:
        self.calls.append(("show",))

    def show_notification(self, n, timeout_ms) -> None:
        self.calls.append(("notify", n.title))

    def close(self) -> None:
        self.calls.append(("close",))


class ClickController:
    """The stub controller, with a click that changes the state and says so (as Controller does)."""

    def __new__(cls, accounts):
        from tests.ui.render_stub import StubController

        class Clicks(StubController):
            def set_state(self, user_id, state, duration=None) -> None:
                self.accounts = tuple(
                    dataclasses.replace(s, pending=Pending(state, None)) if s.user_id == user_id else s
                    for s in self.accounts
                )
                self.on_change()
                self.on_change()  # a burst: the session and the controller both tell

        return Clicks(accounts)


def _settle(qapp) -> None:
    for _ in range(5):  # the queued render's zero timer, and anything it queued
        qapp.processEvents()


def test_render_notify_and_shutdown_reach_every_surface(qtbot, aio):
    from tray_app.ui.applet import Applet
    from tray_app.ui.view_model import Notification

    controller = ClickController((st(),))
    applet = Applet(controller, use_tray=True, clock=lambda: NOW, tz=UTC)
    one, two = FakeSurface(), FakeSurface()
    applet.surfaces += [one, two]
    applet.render()
    applet.notify(Notification("T", "x"))
    aio.run(applet.shutdown())
    for fake in (one, two):
        assert fake.calls == [("render", "Away", "away", "Presence Tray"), ("notify", "T"), ("close",)]
    assert applet.surfaces == []


def test_a_click_renders_once(qtbot, qapp):
    from tests.ui.render_stub import make_applet
    from tray_app.ui.view_model import SetState

    controller = ClickController((st(),))
    applet = make_applet(controller)
    applet.render()
    _settle(qapp)
    before = applet.renders
    applet.on_action(SetState("@a:hs", PresenceState.ONLINE))
    assert applet.renders == before + 1  # at once: the click's effect shows right away
    _settle(qapp)
    assert applet.renders == before + 1  # and not again for the same change
    controller.on_change()  # a later change still renders, once, on the next loop turn
    controller.on_change()
    assert applet.renders == before + 1
    _settle(qapp)
    assert applet.renders == before + 2
    item = applet.model.find("acct:@a:hs:state:online")
    assert item.text.endswith("setting…")


def test_the_window_is_the_applets_one_surface_from_start_to_shutdown(qtbot, aio):
    from tray_app.ui.applet import Applet
    from tray_app.ui.surfaces import WindowSurface
    from tray_app.ui.view_model import Notification

    controller = ClickController((st(),))
    controller.start = lambda: aio_noop()  # type: ignore[method-assign]
    controller.has_accounts = lambda: True  # type: ignore[method-assign]
    applet = Applet(controller, use_tray=False, clock=lambda: NOW, tz=UTC)
    aio.run(applet.start())
    window = applet.window
    assert window is not None and window.isVisible()
    assert [type(s) for s in applet.surfaces] == [WindowSurface]
    assert window.state_text.text() == "Away"
    applet.notify(Notification("Title", "text"))
    assert window.notice.text() == "Title: text"
    aio.run(applet.shutdown())
    assert applet.surfaces == [] and applet.window is None and not applet.quit_event.is_set()


async def aio_noop() -> None:
    pass


def test_the_applets_dialogs_open_one_at_a_time_and_are_forgotten_when_closed(qtbot):
    from tray_app.ui.applet import Applet

    applet = Applet(ClickController((st(),)), use_tray=True, clock=lambda: NOW, tz=UTC)
    first = applet.confirm_sign_out("@a:hs")
    assert applet.confirm_box is first and "Sign out @a:hs?" in first.text()
    second = applet.confirm_forget("@a:hs", "no network")
    assert applet.confirm_box is second and not first.isVisible()
    assert second.text().startswith("Couldn't sign out @a:hs: no network")
    second.reject()
    assert applet.confirm_box is None


def test_the_menus_busy_line_is_translated(pseudo, aio):
    from tray_app.ui import controller

    class Accounts:
        def signed_in(self) -> list[str]:
            return []

        def forget(self, user_id: str) -> None:
            pass

    c = controller.Controller(Accounts())
    busy = []
    c.on_change = lambda: busy.append(c.busy)

    aio.run(c.sign_out("@gone:hs"))  # no session: removed here only
    assert busy and busy[0] == "⟦Removing {user}…⟧".replace("{user}", "@gone:hs")
