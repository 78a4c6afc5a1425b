"""The sign-in dialog against a real Synapse: errors in plain words, nothing typed lost, the
password never stored, and single sign-on end to end (Synapse's CAS support, a tiny CAS
identity provider, a scripted "browser", the loopback redirect and m.login.token)."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
import urllib.request
from xml.sax.saxutils import escape

import pytest

from tests.harness.synapse import SynapseOptions
from tests.harness.waiting import qt_assert_stays
from tests.ui.conftest import PRESENCE_WRITE_MS, keyring_items, no_override_icon, save_widget_png

pytestmark = [pytest.mark.ui, pytest.mark.integration]


def open_dialog(applets, qtbot):
    """No account yet and started by hand: the applet opens the dialog by itself."""
    applet = applets.start(autostarted=False)
    dialog = applet.sign_in_dialog
    assert dialog is not None and dialog.isVisible()
    return applet, dialog


def fill(dialog, user_id="", homeserver="", password=""):
    dialog.user_id.setText(user_id)
    dialog.homeserver.setText(homeserver)
    dialog.password.setText(password)


def try_sign_in(dialog, qtbot):
    task = dialog.submit()
    if task is not None:
        qtbot.waitUntil(task.done, timeout=20_000)
    return dialog.error.text()


def assert_kept(dialog, user_id, homeserver, password):
    assert (dialog.user_id.text(), dialog.homeserver.text(), dialog.password.text()) == (user_id, homeserver, password)
    assert dialog.isVisible()
    assert dialog.user_id.isEnabled() and dialog.password.isEnabled() and dialog.sign_in_button.isEnabled()
    assert not (dialog.user_id.isReadOnly() or dialog.homeserver.isReadOnly() or dialog.password.isReadOnly())


def test_errors_in_plain_words_and_nothing_typed_is_lost(
    synapse_stock, user_factory, applets, qtbot, keyring_file, settings_path
):
    user = user_factory(synapse_stock, "dlg")
    applet, dialog = open_dialog(applets, qtbot)
    hs = synapse_stock.base_url

    cases = [
        (("", hs, "x"), "Enter your user ID, like @you:example.org."),
        ((user.user_id, hs, ""), "Enter your password."),
        (("alice", hs, "pw"), "'alice' is not a Matrix user ID; it looks like @name:example.org"),
        ((user.user_id, hs, "not-the-password"), "The user ID or the password is wrong."),
        ((user.user_id, "http://matrix.example.org", "pw"), "Refusing plain http:// to matrix.example.org"),
        ((user.user_id, "http://127.0.0.1:9", "pw"), "Can't reach the server at http://127.0.0.1:9."),
    ]
    for (uid, url, pw), expected in cases:
        fill(dialog, uid, url, pw)
        text = try_sign_in(dialog, qtbot)
        assert text.startswith(expected), (uid, url, text)
        assert dialog.error.isVisible()
        assert_kept(dialog, uid, url, pw)
        _fits(dialog)
        assert keyring_items(keyring_file) == {}
    save_widget_png(dialog, "sign-in-error")

    # The dialog told us what the server offers once it knew the address.
    fill(dialog, user.user_id, hs, user.password)
    dialog.homeserver.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.server_info.text().startswith(f"Server: {hs}"), timeout=10_000)
    assert "password" in dialog.server_info.text()
    assert not dialog.sso_button.isVisible()  # stock Synapse offers no single sign-on

    # The right password: the dialog closes, the account appears, the password is kept nowhere.
    task = dialog.submit()
    qtbot.waitUntil(task.done, timeout=20_000)
    assert task.exception() is None
    assert applet.sign_in_dialog is None  # closed (and deleted)
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    assert applet.menu_view.action_texts()[0] == user.user_id
    stored = json.dumps(keyring_items(keyring_file))
    assert user.user_id in stored and user.password not in stored
    assert user.password not in settings_path.read_text()
    assert user.user_id in json.loads(settings_path.read_text())["accounts"]


def _fits(dialog) -> None:
    """Every line is shown whole: the dialog is as tall as its content needs at its width."""
    dialog.layout().activate()
    need = dialog.layout().totalHeightForWidth(dialog.width())
    assert dialog.height() >= need, (dialog.height(), need)
    for field in (dialog.user_id, dialog.homeserver, dialog.password):
        assert field.height() >= field.sizeHint().height(), field.objectName()


def test_return_in_the_password_field_after_a_failed_try_keeps_the_dialog(synapse_stock, user_factory, applets, qtbot):
    """Real key presses (QTest): Return after a wrong password used to land on Cancel."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    user = user_factory(synapse_stock, "enter")
    applet, dialog = open_dialog(applets, qtbot)
    dialog.activateWindow()
    QTest.keyClicks(dialog.user_id, user.user_id)
    QTest.keyClicks(dialog.homeserver, synapse_stock.base_url)
    dialog.password.setFocus()
    QTest.keyClicks(dialog.password, "wrong")
    for attempt in range(2):  # the second Return comes after the failure, as a person retries
        QTest.keyClick(dialog.password, Qt.Key.Key_Return)
        assert dialog.task is not None, attempt
        qtbot.waitUntil(dialog.task.done, timeout=20_000)
        # A Return the dialog mishandled would close it just after the answer.
        qt_assert_stays(qtbot, dialog.isVisible, 0.05, f"the dialog open after Return number {attempt + 1}")
        assert dialog.error.text() == "The user ID or the password is wrong.", attempt
        assert_kept(dialog, user.user_id, synapse_stock.base_url, "wrong")
        assert dialog.focusWidget() is dialog.password
        _fits(dialog)
    assert "Couldn't" not in dialog.server_info.text()
    # Correcting the password takes the old error away at once.
    QTest.keyClick(dialog.password, Qt.Key.Key_Backspace)
    assert not dialog.error.isVisible()
    # And Return with the right password signs in (the dialog closes because it succeeded).
    dialog.password.clear()
    QTest.keyClicks(dialog.password, user.password)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: applet.sign_in_dialog is None, timeout=20_000)
    assert applet.controller.states()[0].user_id == user.user_id


def test_a_mistyped_user_id_is_told_once_in_words(synapse_stock, applets, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    applet, dialog = open_dialog(applets, qtbot)
    QTest.keyClicks(dialog.user_id, "demo")
    dialog.user_id.editingFinished.emit()  # leaving the field starts the server check
    if dialog.probe_task is not None:
        qtbot.waitUntil(dialog.probe_task.done, timeout=10_000)
    assert dialog.server_info.text() == ""  # not "Couldn't check the server yet: 'demo' is not…"
    QTest.keyClicks(dialog.password, "pw")
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    if dialog.task is not None:
        qtbot.waitUntil(dialog.task.done, timeout=10_000)
    assert dialog.isVisible()
    assert dialog.error.text().startswith("'demo' is not a Matrix user ID")
    assert dialog.server_info.text() == ""  # the grey line doesn't repeat the red one
    _fits(dialog)
    save_widget_png(dialog, "sign-in-mistyped-id")


def test_cancel_closes_and_forgets_the_password(synapse_stock, applets, qtbot):
    applet, dialog = open_dialog(applets, qtbot)
    fill(dialog, "@someone:localhost", synapse_stock.base_url, "secret")
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    assert dialog.password.text() == ""  # cleared on close (the dialog is deleted soon after)
    assert applet.sign_in_dialog is None
    assert applet.menu_view.action_texts()[:2] == ["Presence Tray", "Not signed in"]
    assert applet.icon_key == "none+signed-out"


# -- single sign-on ------------------------------------------------------------------------------


class FakeCas(http.server.ThreadingHTTPServer):
    """A CAS identity provider that signs in one user without asking (the browser step is
    scripted). Synapse asks it to validate the ticket over HTTP, as it would a real CAS."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.tickets: dict[str, str] = {}
        super().__init__(("127.0.0.1", 0), _CasHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class _CasHandler(http.server.BaseHTTPRequestHandler):
    server: FakeCas

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/login":
            ticket = f"ST-{len(self.server.tickets) + 1}"
            self.server.tickets[ticket] = query["service"]
            sep = "&" if "?" in query["service"] else "?"
            self.send_response(302)
            self.send_header("Location", query["service"] + sep + urllib.parse.urlencode({"ticket": ticket}))
            self.end_headers()
        elif url.path == "/proxyValidate":
            ok = self.server.tickets.pop(query.get("ticket", ""), None) == query.get("service")
            inner = (
                f"<cas:authenticationSuccess><cas:user>{escape(self.server.username)}</cas:user></cas:authenticationSuccess>"
                if ok
                else '<cas:authenticationFailure code="INVALID_TICKET">no</cas:authenticationFailure>'
            )
            body = f'<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">{inner}</cas:serviceResponse>'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()


class ScriptedBrowser:
    """Stands in for the system browser: follows the redirects the way a browser would."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.final: list[tuple[int, str]] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                self.final.append((resp.status, resp.read().decode()))
        except urllib.error.HTTPError as e:
            self.final.append((e.code, e.read().decode()))


@pytest.fixture
def synapse_sso(synapse_factory, user_factory):
    """A Synapse that offers password and single sign-on (CAS), with one user who has both."""
    # The user name is known before the server starts, so the IdP can be told who signs in.
    cas = FakeCas("placeholder")
    server = synapse_factory(
        SynapseOptions(
            extra_config={
                "cas_config": {"enabled": True, "server_url": cas.url},
                # Redirects back to the loopback listener go straight through (no confirm page).
                "sso": {"client_whitelist": ["http://127.0.0.1"]},
            }
        )
    )
    user = user_factory(server, "sso")
    cas.username = user.localpart
    try:
        yield server, user, cas
    finally:
        cas.shutdown()
        cas.server_close()


def test_single_sign_on_through_the_browser(synapse_sso, applets, qtbot, keyring_file):
    server, user, cas = synapse_sso
    browser = ScriptedBrowser()
    from tray_app.ui.signin import SignInDialog

    def factory(controller, user_id, parent, **kw):
        return SignInDialog(controller, user_id, parent, open_url=browser, **kw)

    applet = applets.start(autostarted=False, sign_in_factory=factory)
    dialog = applet.sign_in_dialog
    dialog.homeserver.setText(server.base_url)  # SSO needs only the server, no user ID
    dialog.homeserver.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.sso_button.isVisible(), timeout=10_000)
    assert "password or single sign-on" in dialog.server_info.text()
    assert dialog.password.isVisible()  # this server offers both

    dialog.sso_button.click()
    task = dialog.task
    qtbot.waitUntil(task.done, timeout=30_000)
    assert task.exception() is None
    assert applet.sign_in_dialog is None  # closed (and deleted)

    # The browser went to the server's SSO URL with our one-shot loopback redirect...
    (opened,) = browser.opened
    redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(opened).query)["redirectUrl"][0]
    assert opened.startswith(server.base_url + "/_matrix/client/v3/login/sso/redirect?")
    assert redirect.startswith("http://127.0.0.1:") and "/sso-callback/" in redirect
    # ...and ended on our "you can close this tab" page.
    qtbot.waitUntil(lambda: bool(browser.final), timeout=5_000)
    assert browser.final[0][0] == 200 and "You are signed in" in browser.final[0][1]

    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    assert applet.menu_view.action_texts()[0] == user.user_id
    assert user.user_id in json.dumps(keyring_items(keyring_file))
    applet.menu_view.trigger(f"acct:{user.user_id}:state:offline")
    qtbot.waitUntil(lambda: override_value_stock(server, user) == "offline", timeout=PRESENCE_WRITE_MS)

    # The listener was one-shot: it is gone now.
    with pytest.raises(OSError):
        urllib.request.urlopen(redirect + "?loginToken=replayed", timeout=3)


def override_value_stock(server, user) -> str:
    """Stock Synapse has no override API (emulated mode): read the presence others see."""
    status, body = server.request(
        "GET",
        f"/_matrix/client/v3/presence/{urllib.parse.quote(user.user_id, safe='')}/status",
        token=user.access_token,
    )
    assert status == 200, body
    return body["presence"]


def test_single_sign_on_stop_waiting_keeps_the_dialog(synapse_sso, applets, qtbot):
    server, user, cas = synapse_sso
    opened: list[str] = []
    from tray_app.ui.signin import SignInDialog

    def factory(controller, user_id, parent, **kw):
        return SignInDialog(controller, user_id, parent, open_url=lambda url: opened.append(url) or True, **kw)

    applet = applets.start(autostarted=False, sign_in_factory=factory)
    dialog = applet.sign_in_dialog
    dialog.user_id.setText(user.user_id)
    dialog.homeserver.setText(server.base_url)
    dialog.homeserver.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.sso_button.isVisible(), timeout=10_000)
    dialog.sso_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=5_000)
    assert dialog.cancel_button.text() == "Stop waiting"
    assert dialog.user_id.isReadOnly()
    dialog.cancel_button.click()  # the person gave up in the browser
    qtbot.waitUntil(dialog.task.done, timeout=5_000)
    assert dialog.isVisible()
    assert dialog.error.text() == "Single sign-on was cancelled."
    assert dialog.user_id.text() == user.user_id and not dialog.user_id.isReadOnly()
    assert dialog.cancel_button.text() == "Cancel"


def test_a_check_for_an_address_edited_since_does_not_offer_its_single_sign_on(
    synapse_sso, synapse_stock, applets, qtbot
):
    server, user, cas = synapse_sso
    applet, dialog = open_dialog(applets, qtbot)
    dialog.homeserver.setText(server.base_url)
    dialog.homeserver.editingFinished.emit()  # the check of the SSO server starts...
    old_check = dialog.probe_task
    dialog.homeserver.setText(synapse_stock.base_url)  # ...and the person goes on to another address
    qtbot.waitUntil(old_check.done, timeout=10_000)
    # Nothing learnt about the old address is shown or used for the new one.
    qt_assert_stays(
        qtbot,
        lambda: (
            not dialog.sso_button.isVisible()
            and server.base_url not in dialog.server_info.text()
            and dialog.password.isVisible()
            and dialog.sign_in_button.isVisible()
        ),
        0.3,
        "nothing of the old address's check shown",
        show=lambda: (dialog.sso_button.isVisible(), dialog.server_info.text(), dialog.password.isVisible()),
    )

    dialog.homeserver.editingFinished.emit()  # the new address is checked in its turn
    qtbot.waitUntil(lambda: dialog.server_info.text().startswith(f"Server: {synapse_stock.base_url}"), timeout=10_000)
    assert "single sign-on" not in dialog.server_info.text()
    assert not dialog.sso_button.isVisible()


def test_a_login_token_the_server_refuses_is_told_as_single_sign_on_not_a_password(
    synapse_sso, applets, qtbot, keyring_file
):
    server, user, cas = synapse_sso
    from tray_app.ui.signin import SignInDialog

    def browser(url: str) -> bool:
        """Comes back at once with a token the server never issued (or one that expired)."""
        redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirectUrl"][0]
        target = redirect + ("&" if "?" in redirect else "?") + "loginToken=syt_expired_or_made_up"
        threading.Thread(target=lambda: urllib.request.urlopen(target, timeout=10).read(), daemon=True).start()
        return True

    def factory(controller, user_id, parent, **kw):
        return SignInDialog(controller, user_id, parent, open_url=browser, **kw)

    applet = applets.start(autostarted=False, sign_in_factory=factory)
    dialog = applet.sign_in_dialog
    dialog.homeserver.setText(server.base_url)
    dialog.homeserver.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.sso_button.isVisible(), timeout=10_000)
    dialog.sso_button.click()
    qtbot.waitUntil(dialog.task.done, timeout=20_000)
    # Synapse: 403 M_FORBIDDEN "Invalid login token". Nobody typed a password here.
    assert dialog.error.text() == "Single sign-on did not complete; try again."
    assert dialog.isVisible() and dialog.sso_button.isEnabled()
    assert keyring_items(keyring_file) == {}
