"""For the oracle scripts that record what real Airflow 3.2.1 does (run with the oracle venv's
python, not by pytest): run the script's `child()` against a fresh, migrated sqlite
AIRFLOW_HOME whose dags folder is `dags`, in a second interpreter (Airflow reads its
configuration at import, so the home must be set before `airflow` is imported)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

CHILD_FLAG = "LEOFLOW_ORACLE_CHILD"


def run_oracle(script: str, dags: Path, out: Path, child: Callable[[], None]) -> None:
    """In the child interpreter: `child()`. Otherwise: make the home, migrate it, run `script`
    again as the child there, and say where it wrote."""
    if os.environ.get(CHILD_FLAG):
        child()
        return
    with tempfile.TemporaryDirectory() as home:
        env = {
            k: v
            for k, v in os.environ.items()
            if not (k.startswith("AIRFLOW__") or k in ("AIRFLOW_HOME", "AIRFLOW_CONFIG"))
        }
        env |= {
            "AIRFLOW_HOME": home,
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        }
        migrate = [sys.executable, "-m", "airflow", "db", "migrate"]
        subprocess.run(migrate, env=env, check=True, capture_output=True)
        child_env = env | {CHILD_FLAG: "1"}
        subprocess.run([sys.executable, script], env=child_env, check=True, capture_output=True)
        print(f"wrote {out}")
