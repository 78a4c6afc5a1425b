"""The menu as a StatusNotifier panel gets it (com.canonical.dbusmenu), from the same presenter
model the QMenu draws: labels with dbusmenu's mnemonics, radio states, headers as headers, only
changed items sent on an in-place update, and clicks back as the items' actions. (The desktop
test drives the same exporter through a real SNI host.)"""

from __future__ import annotations

import pytest

from tray_app.states import PresenceState
from tray_app.ui.presenter import Kind, MenuItem, MenuModel, Quit, SetState

pytestmark = pytest.mark.ui

dbus_menu = pytest.importorskip("tray_app.ui.dbus_menu", reason="dbus-fast is a Linux dependency")


def model(checked: str, *, extra: bool = False, away_text: str = "Away") -> MenuModel:
    states = tuple(
        MenuItem(f"state:{st.value}", Kind.CHECK, text, checked=(k == checked), group="g", action=SetState("@a:x", st))
        for k, text, st in (("online", "Online", PresenceState.ONLINE), ("away", away_text, PresenceState.UNAVAILABLE))
    )
    items = (
        MenuItem("h", Kind.HEADER, "@a:x", enabled=False, icon="away"),
        MenuItem("i", Kind.INFO, "Others see you as: Away", enabled=False),
        MenuItem("sep", Kind.SEPARATOR),
        *states,
        *((MenuItem("statusmsg", Kind.ACTION, "More_stuff & co", action=Quit()),) if extra else ()),
        MenuItem("quit", Kind.ACTION, "Quit", action=Quit()),
    )
    return MenuModel(items)


def flat(node) -> dict[str, dict]:
    ident, props, children = node
    out = {}
    for child in children:
        cid, cprops, _ = child.value
        out[cprops["label"].value if "label" in cprops else f"#{cid}"] = {
            "id": cid,
            **{k: v.value for k, v in cprops.items()},
        }
    return out


@pytest.fixture
def menu():
    actions, opened = [], []
    m = dbus_menu.DBusMenu(actions.append, lambda: opened.append(1), lambda key: b"\x89PNG-" + key.encode())
    m.sent, m.layouts, m.actions, m.opened = [], [], actions, opened
    m.ItemsPropertiesUpdated = lambda updated, removed: m.sent.append((updated, removed))
    m.LayoutUpdated = lambda: m.layouts.append(m.revision)
    return m


def test_labels_use_dbusmenus_mnemonic_marker():
    assert dbus_menu.dbusmenu_label("&Online") == "_Online"
    assert dbus_menu.dbusmenu_label("O&ffline") == "O_ffline"
    assert dbus_menu.dbusmenu_label("a_b && c") == "a__b & c"  # literal "_" and "&"
    assert dbus_menu.dbusmenu_label("&_x") == "___x"  # the mnemonic on a literal "_"


def test_layout_radios_headers_and_clicks(menu):
    menu.render(model("away"))
    revision, root = menu.layout(0)
    items = flat(root)
    assert items["_Online"]["toggle-type"] == "radio" and items["_Online"]["toggle-state"] == 0
    assert items["_Away"]["toggle-state"] == 1
    assert items["_Quit"]["enabled"] is True
    header = items["@a:x"]  # no mnemonic: not a thing to pick
    assert header["enabled"] is False and header["disposition"] == "informative"
    assert header["icon-data"] == b"\x89PNG-away"
    assert items["#" + str(items["_Quit"]["id"] - 3)]["type"] == "separator"

    menu.event(header["id"], "clicked")  # a header does nothing
    menu.event(items["_Online"]["id"], "clicked")
    assert menu.actions == [SetState("@a:x", PresenceState.ONLINE)]
    assert menu.about_to_show(0) is False and menu.opened == [1]  # opening re-reads the server


def test_in_place_update_sends_only_changed_items(menu):
    menu.render(model("away"))
    rev = menu.revision
    _, root = menu.layout(0)
    ids = {label: p["id"] for label, p in flat(root).items()}

    menu.render(model("away"))  # nothing changed: nothing sent
    assert menu.sent == [] and menu.layouts == []

    menu.render(model("online"))  # the server confirmed another state
    assert menu.revision == rev and menu.layouts == []
    ((updated, removed),) = menu.sent
    assert sorted(i for i, _ in updated) == sorted([ids["_Online"], ids["_Away"]]) and removed == []
    assert {i: p["toggle-state"].value for i, p in updated} == {ids["_Online"]: 1, ids["_Away"]: 0}

    menu.render(model("online", away_text="Away — setting…"))  # a text only
    assert [i for i, _ in menu.sent[-1][0]] == [ids["_Away"]]

    menu.render(model("online", extra=True))  # a new item: a new layout, the old ids kept
    assert menu.revision == rev + 1 and menu.layouts == [rev + 1]
    _, root = menu.layout(0)
    after = flat(root)
    assert after["_Online"]["id"] == ids["_Online"] and after["More___stuff & co"]["enabled"] is True
