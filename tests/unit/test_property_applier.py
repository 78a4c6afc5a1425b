"""PropertyApplier: a setter runs only when its value differs from the last one applied."""

from tray_app.ui.property_applier import PropertyApplier


class Widget:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def setText(self, v) -> None:  # noqa: N802 - Qt's spelling
        self.calls.append(("text", v))

    def setChecked(self, v) -> None:  # noqa: N802
        self.calls.append(("checked", v))


def test_same_value_twice_calls_once_and_a_new_value_calls_again():
    ap, w = PropertyApplier(), Widget()
    assert ap.set(w, "text", "a") and not ap.set(w, "text", "a") and ap.set(w, "text", "b")
    assert w.calls == [("text", "a"), ("text", "b")] and (ap.calls, ap.skipped) == (2, 1)


def test_objects_and_properties_are_remembered_separately():
    ap, w1, w2 = PropertyApplier(), Widget(), Widget()
    ap.set(w1, "text", "x")
    ap.set(w2, "text", "x")
    ap.set(w1, "checked", True)
    assert w1.calls == [("text", "x"), ("checked", True)] and w2.calls == [("text", "x")]


def test_forget_one_property_or_all_makes_the_next_set_call_again():
    ap, w = PropertyApplier(), Widget()
    ap.set(w, "text", "x")
    ap.set(w, "checked", True)
    ap.forget("checked")
    ap.set(w, "text", "x")
    ap.set(w, "checked", True)
    assert w.calls == [("text", "x"), ("checked", True), ("checked", True)]
    ap.forget()
    ap.set(w, "text", "x")
    assert w.calls[-1] == ("text", "x") and len(w.calls) == 4


def test_a_custom_setter_gets_the_value():
    ap, seen = PropertyApplier(), []
    ap.set(object, "icon", "online+pending", seen.append)
    ap.set(object, "icon", "online+pending", seen.append)
    assert seen == ["online+pending"]
