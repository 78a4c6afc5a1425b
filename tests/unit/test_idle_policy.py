"""The idle policy (readings → automatic presence), its settings, and the 30 s gate."""

from __future__ import annotations

import json

from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy, PresenceGate
from tray_app.idle.source import IdleReading
from tray_app.settings import Settings
from tray_app.states import PresenceState

ONLINE, AWAY, OFFLINE = PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.OFFLINE


def test_defaults_are_on_five_minutes_offline_when_locked(tmp_path):
    p = IdlePolicy.from_settings(Settings.load(tmp_path / "s.json"))
    assert (p.enabled, p.away_after_minutes, p.when_locked) == (True, 5.0, OFFLINE)


def test_active_idle_locked_and_return():
    p = IdlePolicy(away_after_minutes=5)
    assert p.decide(IdleReading(10, False)) == AutoPresence(ONLINE, AutoReason.ACTIVE, 10)
    assert p.decide(IdleReading(299, False)).state is ONLINE
    away = p.decide(IdleReading(7 * 60 + 5, False))
    assert (away.state, away.reason) == (AWAY, AutoReason.IDLE)
    assert away.text == "Automatic: Away (idle 7 min)"
    locked = p.decide(IdleReading(1, True))
    assert (locked.state, locked.text) == (OFFLINE, "Automatic: Offline (screen locked)")
    assert p.decide(IdleReading(0.5, False)).state is ONLINE  # back: restored


def test_locked_choices_off_and_unavailable():
    assert IdlePolicy(when_locked=AWAY).decide(IdleReading(1, True)).state is AWAY
    # "no change" on lock: idle time still decides
    assert IdlePolicy(when_locked=None).decide(IdleReading(1, True)).state is ONLINE
    off = IdlePolicy(enabled=False).decide(IdleReading(3600, True))
    assert (off.state, off.reason) == (None, AutoReason.OFF)
    none = IdlePolicy().decide(IdleReading(), available=False)
    assert (none.state, none.text) == (None, "Idle detection isn't available on this desktop")


def test_settings_round_trip_and_bad_values(tmp_path):
    s = Settings.load(tmp_path / "s.json")
    IdlePolicy(enabled=False, away_after_minutes=10, when_locked=None, off_for=frozenset({"@w:hs"})).save(s)
    back = IdlePolicy.from_settings(Settings.load(tmp_path / "s.json"))
    assert back == IdlePolicy(enabled=False, away_after_minutes=10, when_locked=None, off_for=frozenset({"@w:hs"}))
    assert not back.applies_to("@w:hs") and back.applies_to("@p:hs")
    (tmp_path / "s.json").write_text(
        json.dumps(
            {
                "preferences": {
                    "auto_presence": "yes",
                    "away_after_minutes": -3,
                    "when_locked": "purple",
                    "auto_presence_off_for": "@w:hs",
                }
            }
        )
    )
    assert IdlePolicy.from_settings(Settings.load(tmp_path / "s.json")) == IdlePolicy()


def test_gate_allows_one_change_per_30_seconds_newest_wins():
    g = PresenceGate()
    assert g.offer(ONLINE, 0.0) is None and g.applied is ONLINE
    assert g.offer(AWAY, 10.0) == 20.0 and g.applied is ONLINE
    assert g.offer(OFFLINE, 15.0) == 15.0
    assert g.due(30.0) is None and g.applied is OFFLINE
    assert g.changes == 2


def test_gate_drops_a_quick_away_and_back():
    g = PresenceGate()
    g.offer(ONLINE, 0.0)
    g.offer(AWAY, 5.0)
    g.offer(ONLINE, 8.0)
    assert g.due(31.0) is None and g.applied is ONLINE and g.changes == 1


def test_an_account_left_out_is_handed_neutral():
    import asyncio

    from tray_app.idle.automatic import AutomaticPresence
    from tray_app.idle.chooser import Sources

    class Fed:  # stand-in idle source: always 10 min idle
        name = "fed-in"

        async def idle_seconds(self) -> float:
            return 600.0

        async def close(self) -> None:
            pass

    class FakeSession:
        def __init__(self, user_id: str) -> None:
            self.state = type("S", (), {"user_id": user_id})()
            self.wishes: list = []

        def set_automatic(self, state) -> None:
            self.wishes.append(state)

    class NoSettings:
        def preference(self, key, default):
            return {"auto_presence_off_for": ["@w:hs"]}.get(key, default)

        def update(self, change) -> None:
            pass

    async def main():
        async def choose() -> Sources:
            return Sources(idle=Fed())

        auto = AutomaticPresence(NoSettings(), choose=choose, poll_seconds=3600)
        work, home = FakeSession("@w:hs"), FakeSession("@p:hs")
        await auto.start(lambda: [work, home])
        while not home.wishes:
            await asyncio.sleep(0)
        assert (work.wishes, home.wishes) == ([None], [AWAY])
        auto.set_policy(IdlePolicy())  # let it in again
        assert (work.wishes[-1], home.wishes[-1]) == (AWAY, AWAY)
        await auto.close()

    asyncio.run(main())


def test_the_next_read_comes_at_the_threshold_and_quickly_while_away():
    """Others see away at the threshold and back within a second or so (issue 18): the monitor
    reads at the threshold's moment, not up to a poll later, and often while the person is away
    (no source announces their return)."""
    from tray_app.idle.monitor import MIN_HINT_SECONDS, MIN_POLL_SECONDS, next_wait
    from tray_app.idle.policy import AWAY_READ_SECONDS

    policy = IdlePolicy(away_after_minutes=5)
    hint = policy.next_read_in
    # 2 s before the threshold: the read lands just after it, not at the 5 s poll.
    assert 2.0 < next_wait(IdleReading(idle_seconds=298.0), MIN_POLL_SECONDS, hint) < 2.5
    # Far from it: the ordinary poll.
    assert next_wait(IdleReading(idle_seconds=10.0), MIN_POLL_SECONDS, hint) == MIN_POLL_SECONDS
    # Away: read often, so the first input shows at once.
    assert next_wait(IdleReading(idle_seconds=400.0), MIN_POLL_SECONDS, hint) == AWAY_READ_SECONDS
    # A timer that fired a moment early: a short wait, never a busy loop.
    assert next_wait(IdleReading(idle_seconds=299.999), MIN_POLL_SECONDS, hint) >= MIN_HINT_SECONDS
    # Locked (a lock signal wakes the monitor), only a lock source, or automatic presence off:
    # nothing to hurry.
    assert hint(IdleReading(idle_seconds=400.0, locked=True)) is None
    assert hint(IdleReading(idle_seconds=None, locked=False)) is None
    assert IdlePolicy(enabled=False).next_read_in(IdleReading(idle_seconds=298.0)) is None
    assert next_wait(IdleReading(idle_seconds=298.0), MIN_POLL_SECONDS, None) == MIN_POLL_SECONDS


def test_the_tray_monitor_takes_its_hint_from_the_policy_in_force(tmp_path):
    """The hint follows the person's threshold as it is changed in the menu."""
    import asyncio

    from tray_app.idle.automatic import AutomaticPresence
    from tray_app.idle.chooser import Sources

    class Source:
        name = "stand-in"

        async def idle_seconds(self) -> float:
            return 50.0

        async def close(self) -> None:
            pass

    async def main():
        auto = AutomaticPresence(Settings(tmp_path / "settings.json"), choose=lambda: _sources())
        await auto.start(lambda: ())
        try:
            reading = IdleReading(idle_seconds=50.0)
            first = auto._monitor._next_read_in(reading)
            auto.set_policy(IdlePolicy(away_after_minutes=1))
            return first, auto._monitor._next_read_in(reading)
        finally:
            await auto.close()

    async def _sources():
        return Sources(idle=Source())

    first, after = asyncio.run(main())
    assert 249 < first < 251  # 5 min threshold: 250 s to go
    assert 9 < after < 11  # 1 min threshold: 10 s to go
