"""Leoflow's settings, read once from the environment into a frozen dataclass.

| env | default | meaning |
| --- | --- | --- |
| `LEOFLOW_HOME` | `platformdirs.user_data_dir("leoflow")` | root of everything Leoflow writes |
| `LEOFLOW_DATABASE_URL` | unset: embedded Postgres under the home | external Postgres >= 14 |
| `LEOFLOW_LOGS_DIR` | `$LEOFLOW_HOME/logs` | task try logs (NDJSON) |
| `LEOFLOW_DATA_DIR` | `$LEOFLOW_HOME/data` | compiled dag.json files, caches |
| `LEOFLOW_ENVS_DIR` | `$LEOFLOW_HOME/envs` | per-DAG virtual environments |
| `LEOFLOW_DB_CONNECT_TIMEOUT_S` | `3` | bound on reaching the database |
| `LEOFLOW_PG_OS_USER` | `nobody` | runs the embedded Postgres when Leoflow is root |
| `AIRFLOW__CORE__TEST_CONNECTION` | `Disabled` | `[core] test_connection`: Enabled, Hidden |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from leoflow.errors import LeoflowError

DEFAULT_DB_CONNECT_TIMEOUT_S = 3.0
TEST_CONNECTION_CHOICES = ("Disabled", "Enabled", "Hidden")


class ConfigError(LeoflowError):
    """A setting from the environment is invalid."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Where Leoflow keeps its state and which database it talks to."""

    home: Path
    database_url: str | None  # None: the embedded Postgres in `pg_dir`
    logs_dir: Path
    data_dir: Path
    envs_dir: Path
    db_connect_timeout_s: float = DEFAULT_DB_CONNECT_TIMEOUT_S
    pg_os_user: str = "nobody"
    test_connection: str = "Disabled"

    @property
    def pg_dir(self) -> Path:
        """The embedded Postgres data directory (PGDATA)."""
        return self.home / "postgres"

    @property
    def embedded(self) -> bool:
        """True when no external database is configured."""
        return self.database_url is None


def _default_home() -> Path:
    import platformdirs  # import here: no work at import time of leoflow.config

    return Path(platformdirs.user_data_dir("leoflow", appauthor=False))


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from `environ` (default: `os.environ`); nothing is created on disk."""
    env = os.environ if environ is None else environ
    home = Path(env["LEOFLOW_HOME"]).expanduser() if env.get("LEOFLOW_HOME") else _default_home()
    home = home.absolute()
    raw_timeout = env.get("LEOFLOW_DB_CONNECT_TIMEOUT_S", "")
    try:
        timeout = float(raw_timeout) if raw_timeout else DEFAULT_DB_CONNECT_TIMEOUT_S
    except ValueError as exc:
        raise ConfigError(
            f"LEOFLOW_DB_CONNECT_TIMEOUT_S={raw_timeout!r} is not a number of seconds\n"
            "  hint: set it to e.g. 3"
        ) from exc
    if timeout <= 0:
        raise ConfigError(f"LEOFLOW_DB_CONNECT_TIMEOUT_S={raw_timeout!r} must be positive")

    raw_test = env.get("AIRFLOW__CORE__TEST_CONNECTION", "").strip()
    test_connection = next(
        (c for c in TEST_CONNECTION_CHOICES if c.lower() == (raw_test or "disabled").lower()), None
    )
    if test_connection is None:
        raise ConfigError(
            f"AIRFLOW__CORE__TEST_CONNECTION={raw_test!r} is not one of "
            f"{', '.join(TEST_CONNECTION_CHOICES)}\n  hint: Enabled turns on the connection test"
        )

    def _dir(var: str, default: str) -> Path:
        value = env.get(var)
        return Path(value).expanduser().absolute() if value else home / default

    return Settings(
        home=home,
        database_url=env.get("LEOFLOW_DATABASE_URL") or None,
        logs_dir=_dir("LEOFLOW_LOGS_DIR", "logs"),
        data_dir=_dir("LEOFLOW_DATA_DIR", "data"),
        envs_dir=_dir("LEOFLOW_ENVS_DIR", "envs"),
        db_connect_timeout_s=timeout,
        pg_os_user=env.get("LEOFLOW_PG_OS_USER") or "nobody",
        test_connection=test_connection,
    )
