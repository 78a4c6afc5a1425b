import json

import pytest

from tray_app.settings import Settings, settings_path


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
    a.set_account_value("@a:x", "timed", {"state": "offline"})
    a.remove_account("@a:x")
    fresh = Settings.load(path)
    assert fresh.accounts == ["@b:x"] and fresh.account_state("@a:x") == {}


def test_refuses_secret_looking_keys(tmp_path):
    s = Settings.load(tmp_path / "s.json")
    with pytest.raises(ValueError, match="secret"):
        s.set_account_value("@a:x", "access_token", "abc")
    assert not (tmp_path / "s.json").exists()


def test_broken_file_is_kept_aside_not_fatal(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{broken")
    s = Settings.load(path)
    assert s.accounts == []
    assert (tmp_path / "s.json.broken").read_text() == "{broken"
    s.add_account("@a:x")
    assert json.loads(path.read_text())["accounts"] == ["@a:x"]
