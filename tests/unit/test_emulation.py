from tray_app.backoff import Backoff
from tray_app.emulation import FightTracker, Verdict
from tray_app.states import PresenceState


def tracker(**kw):
    return FightTracker(max_reasserts=3, backoff=Backoff(base=2, cap=30, jitter=0), **kw)


def test_holding_nothing_never_fights():
    t = tracker()
    assert t.observe("online", 0).verdict is Verdict.OK
    assert t.sync_presence == "offline"  # neutral: leaves presence alone


def test_reasserts_with_backoff_then_gives_up_once():
    t = tracker()
    t.hold(PresenceState.UNAVAILABLE)
    decisions = []
    for i in range(8):
        decisions.append(t.observe("online", float(i)))
        # our re-assert wins briefly before the other device flips it back
        t.observe("unavailable", i + 0.5)
    verdicts = [d.verdict for d in decisions]
    assert verdicts[:3] == [Verdict.REASSERT] * 3
    assert [d.delay for d in decisions[:3]] == [2, 4, 8]
    assert verdicts[3] is Verdict.GIVE_UP
    assert verdicts[4:] == [Verdict.CONTESTED] * 4


def test_a_new_choice_forgets_the_fight():
    t = tracker()
    t.hold(PresenceState.OFFLINE)
    for i in range(5):
        t.observe("online", i)
    assert t.contested
    t.hold(PresenceState.UNAVAILABLE)
    assert not t.contested
    assert t.observe("online", 10).verdict is Verdict.REASSERT


def test_quiet_period_resets_the_count():
    t = tracker(quiet_period=100)
    t.hold(PresenceState.UNAVAILABLE)
    for i in range(3):
        assert t.observe("online", i).verdict is Verdict.REASSERT
    assert t.observe("unavailable", 200).verdict is Verdict.OK
    assert t.observe("online", 201).verdict is Verdict.REASSERT


def test_disabled_is_held_as_offline():
    t = tracker()
    t.hold(PresenceState.DISABLED)
    assert t.sync_presence == "offline"
    assert t.observe("offline", 0).verdict is Verdict.OK
