"""`leoflow dags test` end to end: the CLI in a subprocess, a real Postgres, agent processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import shared_dag_python

DAGS = Path(__file__).parent / "dags"

pytestmark = pytest.mark.slow


def dags_test(db_uri: str, tmp_path: Path, file: str, *extra: str) -> tuple[int, dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
    env.update({"LEOFLOW_DATABASE_URL": db_uri, "LEOFLOW_HOME": str(tmp_path / "home")})
    env["LEOFLOW_DAG_PYTHON"] = shared_dag_python()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "leoflow.cli.main",
            "dags",
            "test",
            str(DAGS / file),
            "--json",
            "--logical-date",
            "2025-01-01T00:00:00+00:00",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert proc.stdout.strip(), proc.stderr[-3000:]
    return proc.returncode, json.loads(proc.stdout)


def states(doc: dict[str, Any]) -> dict[tuple[str, int], tuple[str, int]]:
    return {
        (t["task_id"], t["map_index"]): (t["state"], t["try_number"]) for t in doc["task_instances"]
    }


def test_bash_chain_runs_in_order_and_exit_99_skips(db_uri: str, tmp_path: Path) -> None:
    """A bash chain runs a -> b -> c; exit code 99 ends c as skipped; the run succeeds and the
    JSON lists TIs sorted by task id with Airflow's try numbers."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_bash_chain.py")
    assert rc == 0
    assert doc["dag_id"] == "e2e_bash_chain"
    assert doc["run_id"] == "manual__2025-01-01T00:00:00+00:00"
    assert doc["run_state"] == "success"
    assert [t["task_id"] for t in doc["task_instances"]] == ["a", "b", "c"]
    assert states(doc) == {
        ("a", -1): ("success", 1),
        ("b", -1): ("success", 1),
        ("c", -1): ("skipped", 1),
    }


def test_taskflow_xcom_and_mapping(db_uri: str, tmp_path: Path) -> None:
    """@task XComs flow downstream; a task mapped over an upstream's list expands into one TI
    per item once that XCom arrives, and a reducer gets all mapped values as a list."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_taskflow_xcom.py")
    assert doc["run_state"] == "success", doc
    assert rc == 0
    assert states(doc) == {
        ("numbers", -1): ("success", 1),
        ("add_one", 0): ("success", 1),
        ("add_one", 1): ("success", 1),
        ("add_one", 2): ("success", 1),
        ("total", -1): ("success", 1),
    }


def test_branch_skips_the_branch_not_taken(db_uri: str, tmp_path: Path) -> None:
    """@task.branch follows `left`; `right` is skipped (try 0) and the join still runs."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_branch.py")
    assert rc == 0
    assert states(doc) == {
        ("choose", -1): ("success", 1),
        ("left", -1): ("success", 1),
        ("right", -1): ("skipped", 0),
        ("join", -1): ("success", 1),
    }


def test_retries_then_success_and_exhausted_retries_fail(db_uri: str, tmp_path: Path) -> None:
    """A task failing its first try succeeds on try 2; one failing every try ends failed at
    try 2 (retries=1) and fails the run; the exit code is 1."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_retry.py")
    assert rc == 1
    assert doc["run_state"] == "failed"
    assert states(doc) == {
        ("flaky", -1): ("success", 2),
        ("always_fails", -1): ("failed", 2),
    }


def test_airflow_style_arguments(db_uri: str, tmp_path: Path) -> None:
    """`dags test DAG_ID LOGICAL_DATE -f FILE -c JSON`, as Airflow's CLI takes them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
    env.update({"LEOFLOW_DATABASE_URL": db_uri, "LEOFLOW_HOME": str(tmp_path / "home")})
    env["LEOFLOW_DAG_PYTHON"] = shared_dag_python()
    base = [sys.executable, "-m", "leoflow.cli.main", "dags", "test", "e2e_bash_chain"]
    proc = subprocess.run(
        [*base, "2025-02-03", "-f", str(DAGS / "e2e_bash_chain.py"), "-c", "{}", "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["run_id"] == "manual__2025-02-03T00:00:00+00:00"
    twice = subprocess.run(
        [
            *base,
            "2025-02-03",
            "--logical-date",
            "2025-02-04",
            "-f",
            str(DAGS / "e2e_bash_chain.py"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert twice.returncode == 2
    assert "give the logical date once" in twice.stderr


def test_xcomarg_map_zip_concat_shapes(db_uri: str, tmp_path: Path) -> None:
    """As in Airflow: a classic operator mapped over `.map()`, `.zip()`/`.concat()` given whole
    to a task, zipped / dict / literal tuple items as tuples, `expand_kwargs` over `.map()`;
    `.map()` over a dict fails each try (KeyError 0)."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_xcomarg_shapes.py")
    assert rc == 1
    got = states(doc)
    failed = {k for k, v in got.items() if v[0] != "success"}
    assert failed == {("map_dict", 0), ("map_dict", 1)}, got
    assert got[("map_dict", 0)] == ("failed", 1)
    assert {k for k in got if k[0] in ("zip_item", "kw", "classic")} == {
        ("zip_item", 0),
        ("zip_item", 1),
        ("kw", 0),
        ("kw", 1),
        ("classic", 0),
        ("classic", 1),
    }
