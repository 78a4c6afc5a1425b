"""Session.presence_moved: the session decides when a presence the sync brought means the
override may have changed elsewhere, so it is read again (the tray asks with each state)."""

from __future__ import annotations

from tests.support.sessions import session_for
from tray_app.session_state import ApiMode, Connection, Pending
from tray_app.states import Override, PresenceState

AWAY = PresenceState.UNAVAILABLE


def states(session, **changes):
    return session.state.evolve(**{"api": ApiMode.STABLE, "connection": Connection.CONNECTED, **changes})


def test_a_presence_other_than_the_override_gives_is_read_again_once(tmp_path):
    session = session_for("http://127.0.0.1:9", tmp_path)
    away = Override(AWAY, AWAY.value)
    assert session.presence_moved(states(session, override=away, presence="unavailable")) is False
    assert session.presence_moved(states(session, override=away, presence="online")) is True
    assert session.presence_moved(states(session, override=away, presence="online")) is False  # not moved again
    assert session.presence_moved(states(session, override=None, presence="offline")) is True  # no override known


def test_nothing_is_read_again_where_it_cannot_tell_or_a_change_of_ours_decides(tmp_path):
    session = session_for("http://127.0.0.1:9", tmp_path)
    away = Override(AWAY, AWAY.value)
    assert session.presence_moved(states(session, override=away, presence=None)) is False
    assert session.presence_moved(states(session, override=away, presence="online", api=ApiMode.EMULATED)) is False
    pending = Pending(PresenceState.ONLINE, None)
    assert session.presence_moved(states(session, override=away, presence="offline", pending=pending)) is False
    signed_out = states(session, override=away, presence="unavailable", connection=Connection.SIGNED_OUT)
    assert session.presence_moved(signed_out) is False
