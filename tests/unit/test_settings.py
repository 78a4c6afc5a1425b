import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tray_app.settings import (
    AccountSettings,
    LastKnownOverride,
    Settings,
    TimedOverride,
    settings_path,
)
from tray_app.states import PresenceState


def test_lives_under_xdg_config_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert settings_path() == tmp_path / "cfg" / "presence-tray" / "settings.json"


def test_accounts_round_trip_and_other_writers_are_not_lost(tmp_path):
    path = tmp_path / "s.json"
    a = Settings.load(path)
    b = Settings.load(path)  # e.g. the CLI while the tray runs
    a.add_account("@a:x")
    b.add_account("@b:x")
    assert Settings.load(path).accounts == ["@a:x", "@b:x"]
    a.add_account("@a:x")
    assert Settings.load(path).accounts == ["@a:x", "@b:x"]
    a.update_account("@a:x", lambda s: replace(s, emulated_hold=PresenceState.OFFLINE))
    assert Settings.load(path).account("@a:x").emulated_hold is PresenceState.OFFLINE
    a.remove_account("@a:x")
    fresh = Settings.load(path)
    assert fresh.accounts == ["@b:x"] and fresh.account("@a:x") == AccountSettings()
    assert "@a:x" not in json.loads(path.read_text()).get("account_state", {})


def test_refuses_secret_looking_keys(tmp_path):
    s = Settings.load(tmp_path / "s.json")
    with pytest.raises(ValueError, match="secret"):
        s.set_preference("access_token", "abc")
    assert not (tmp_path / "s.json").exists()


def test_broken_file_is_kept_aside_not_fatal(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{broken")
    s = Settings.load(path)
    assert s.accounts == []
    assert (tmp_path / "s.json.broken").read_text() == "{broken"
    s.add_account("@a:x")
    assert json.loads(path.read_text())["accounts"] == ["@a:x"]


# A settings file as the versions before the typed record wrote it (string keys per account).
STORED_BEFORE = {
    "accounts": ["@alice:example.org", "@bob:example.org"],
    "account_state": {
        "@alice:example.org": {
            "emulated_hold": "unavailable",
            "emulated_status_msg": "at lunch",
            "last_known_override": {"homeserver": "https://matrix.example.org", "override": "busy"},
            "timed": {"previous": "online", "state": "unavailable", "until": "2026-12-06T14:30:00+00:00"},
        },
        "@bob:example.org": {
            "emulated_hold": None,
            "emulated_status_msg": None,
            "last_known_override": {"homeserver": "https://b.example.org", "override": ""},
            "timed": {"previous": None, "state": "offline", "until": "2026-12-06T15:00:00.123456+00:00"},
        },
    },
    "preferences": {"auto_presence": True, "keyring_backend": "keyring.backends.SecretService.Keyring"},
}


def test_a_settings_file_written_before_the_typed_record_still_loads(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(STORED_BEFORE, indent=2, sort_keys=True) + "\n")
    s = Settings.load(path)
    assert s.accounts == ["@alice:example.org", "@bob:example.org"]
    assert s.keyring_backend == "keyring.backends.SecretService.Keyring"
    assert s.account("@alice:example.org") == AccountSettings(
        timed=TimedOverride(
            state=PresenceState.UNAVAILABLE,
            until=datetime(2026, 12, 6, 14, 30, tzinfo=UTC),
            previous=PresenceState.ONLINE,
        ),
        emulated_hold=PresenceState.UNAVAILABLE,
        emulated_status_msg="at lunch",
        last_known=LastKnownOverride(override="busy", homeserver="https://matrix.example.org"),
    )
    bob = s.account("@bob:example.org")
    assert bob.timed == TimedOverride(
        state=PresenceState.OFFLINE, until=datetime(2026, 12, 6, 15, 0, 0, 123456, tzinfo=UTC), previous=None
    )
    assert bob.emulated_hold is None and bob.emulated_status_msg is None
    assert bob.last_known == LastKnownOverride(override="", homeserver="https://b.example.org")
    assert bob.unreadable == frozenset()

    # Writing one account's record leaves what it did not change as it was stored.
    s.update_account("@bob:example.org", lambda a: replace(a, emulated_hold=PresenceState.ONLINE))
    after = json.loads(path.read_text())
    assert after["account_state"]["@alice:example.org"] == STORED_BEFORE["account_state"]["@alice:example.org"]
    bob_after = dict(after["account_state"]["@bob:example.org"])
    assert bob_after.pop("emulated_hold") == "online"
    before = {k: v for k, v in STORED_BEFORE["account_state"]["@bob:example.org"].items() if v is not None}
    assert bob_after == {k: v for k, v in before.items() if k != "emulated_hold"}
    assert after["preferences"] == STORED_BEFORE["preferences"]


def test_a_value_in_an_unknown_form_is_absent_and_named_and_unknown_keys_are_kept(tmp_path):
    path = tmp_path / "settings.json"
    stored = {
        "timed": {"state": "unavailable", "until": "2026-12-06T14:30:00"},  # no time zone
        "emulated_hold": "sleeping",
        "emulated_status_msg": "kept",
        "from_a_newer_version": {"x": 1},
    }
    path.write_text(json.dumps({"accounts": ["@a:x"], "account_state": {"@a:x": stored}}))
    s = Settings.load(path)
    a = s.account("@a:x")
    assert a.timed is None and a.emulated_hold is None and a.unreadable == {"timed", "emulated_hold"}
    assert a.emulated_status_msg == "kept"
    s.update_account("@a:x", lambda a: replace(a, last_known=LastKnownOverride("online", "https://x")))
    assert json.loads(path.read_text())["account_state"]["@a:x"] == {
        "emulated_status_msg": "kept",
        "from_a_newer_version": {"x": 1},
        "last_known_override": {"override": "online", "homeserver": "https://x"},
    }
