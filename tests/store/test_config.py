"""Settings come from the environment, with platformdirs defaults under one home."""

from __future__ import annotations

from pathlib import Path

import pytest

from leoflow.config import ConfigError, Settings, load_settings


def test_defaults_live_under_the_platformdirs_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without env, the home is platformdirs' user data dir and every path lives under it."""
    monkeypatch.setenv("XDG_DATA_HOME", "/srv/xdg")
    s = load_settings({})
    assert s.home == Path("/srv/xdg/leoflow")
    assert (s.logs_dir, s.data_dir, s.envs_dir, s.pg_dir) == (
        s.home / "logs",
        s.home / "data",
        s.home / "envs",
        s.home / "postgres",
    )
    assert s.database_url is None
    assert s.embedded
    assert s.db_connect_timeout_s == 3.0


def test_env_overrides() -> None:
    """LEOFLOW_HOME, LEOFLOW_DATABASE_URL and the directory variables override the defaults."""
    s = load_settings(
        {
            "LEOFLOW_HOME": "/opt/leo",
            "LEOFLOW_DATABASE_URL": "postgresql://u@db/leoflow",
            "LEOFLOW_LOGS_DIR": "/var/log/leo",
            "LEOFLOW_DB_CONNECT_TIMEOUT_S": "1.5",
            "LEOFLOW_PG_OS_USER": "postgres",
        }
    )
    assert s == Settings(
        home=Path("/opt/leo"),
        database_url="postgresql://u@db/leoflow",
        logs_dir=Path("/var/log/leo"),
        data_dir=Path("/opt/leo/data"),
        envs_dir=Path("/opt/leo/envs"),
        db_connect_timeout_s=1.5,
        pg_os_user="postgres",
    )
    assert not s.embedded


def test_settings_are_frozen() -> None:
    """Settings cannot be changed after loading."""
    s = load_settings({"LEOFLOW_HOME": "/x"})
    with pytest.raises(AttributeError):
        s.home = Path("/y")  # type: ignore[misc]


@pytest.mark.parametrize("value", ["soon", "0", "-1"])
def test_bad_timeout_is_a_clear_error(value: str) -> None:
    """A connect timeout that is not a positive number is refused with the variable's name."""
    with pytest.raises(ConfigError, match="LEOFLOW_DB_CONNECT_TIMEOUT_S"):
        load_settings({"LEOFLOW_DB_CONNECT_TIMEOUT_S": value})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", "Disabled"), ("enabled", "Enabled"), (" Hidden ", "Hidden"), ("DISABLED", "Disabled")],
)
def test_test_connection_comes_from_airflows_variable(value: str, expected: str) -> None:
    """`AIRFLOW__CORE__TEST_CONNECTION` sets Airflow's `[core] test_connection`, any case."""
    s = load_settings({"LEOFLOW_HOME": "/x", "AIRFLOW__CORE__TEST_CONNECTION": value})
    assert s.test_connection == expected


def test_bad_test_connection_is_a_clear_error() -> None:
    """A value Airflow would not accept names the variable and the choices."""
    with pytest.raises(ConfigError, match=r"AIRFLOW__CORE__TEST_CONNECTION='on'.*Enabled"):
        load_settings({"LEOFLOW_HOME": "/x", "AIRFLOW__CORE__TEST_CONNECTION": "on"})
