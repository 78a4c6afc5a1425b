import pytest

from tray_app.states import (
    UNSTABLE_DISABLED,
    Override,
    PresenceState,
    emulated_presence,
    from_wire,
    parse_state_name,
    to_wire,
)


@pytest.mark.parametrize("state", list(PresenceState))
def test_round_trip_on_both_paths(state):
    for unstable in (False, True):
        assert from_wire(to_wire(state, unstable=unstable)).state is state


def test_disabled_spelling_depends_on_path():
    assert to_wire(PresenceState.DISABLED, unstable=False) == "disabled"
    assert to_wire(PresenceState.DISABLED, unstable=True) == UNSTABLE_DISABLED
    assert to_wire(PresenceState.UNAVAILABLE, unstable=True) == "unavailable"


def test_either_disabled_spelling_is_read_on_either_path():
    assert from_wire("disabled") == Override(PresenceState.DISABLED, "disabled")
    assert from_wire(UNSTABLE_DISABLED).state is PresenceState.DISABLED


def test_clear_is_the_empty_string():
    assert to_wire(None, unstable=False) == ""
    assert from_wire("") is None
    assert from_wire(None) is None


def test_unknown_value_is_kept_verbatim_not_a_crash():
    o = from_wire("gone_fishing")
    assert o.state is None and o.raw == "gone_fishing" and o.name == "gone_fishing"
    assert from_wire("busy").state is PresenceState.BUSY  # MSC4532 / MSC3026
    assert from_wire(42).raw == "42"


def test_state_names_and_alias():
    assert parse_state_name("away") is PresenceState.UNAVAILABLE
    assert parse_state_name(" Offline ") is PresenceState.OFFLINE
    with pytest.raises(ValueError, match="unknown state"):
        parse_state_name("fishing")
    assert parse_state_name("busy") is PresenceState.BUSY


def test_emulated_disabled_acts_as_offline():
    assert emulated_presence(PresenceState.DISABLED) is PresenceState.OFFLINE
    assert emulated_presence(PresenceState.UNAVAILABLE) is PresenceState.UNAVAILABLE
