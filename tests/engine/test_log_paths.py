"""Task log paths stay inside the logs folder whatever the dag, run and task ids hold."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from leoflow.logpaths import is_inside, task_log_path
from tests.engine.conftest import Harness, golden_doc

HOSTILE = [
    "../../../../etc/passwd",
    "/absolute/path",
    "..",
    ".",
    "",
    "a\\..\\..\\b",
    "nul\x00byte",
    "new\nline",
    "x" * 1000,
    "~/home",
    "run/../../..",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_ids_stay_inside(tmp_path: Path, hostile: str) -> None:
    """Any dag_id, run_id or task_id gives a path of exactly one component per id under the
    logs folder, with a short-enough name."""
    logs = tmp_path / "logs"
    for key in ("dag_id", "run_id", "task_id"):
        ids = {"dag_id": "d", "run_id": "r", "task_id": "t", key: hostile}
        path = task_log_path(logs, map_index=3, try_number=2, **ids)
        assert is_inside(logs, path)
        rel = path.relative_to(logs).parts
        assert len(rel) == 5
        assert rel[-2:] == ("map_index=3", "attempt=2.log")
        assert all(len(part.encode()) <= 255 and "/" not in part for part in rel)
        assert "\x00" not in str(path)
        assert "\n" not in str(path)


def test_airflow_ids_keep_the_airflow_layout(tmp_path: Path) -> None:
    """Ordinary Airflow ids give Airflow's `log_filename_template` layout (`:`/`+` as `_`), and
    two hostile ids that sanitize alike still get distinct paths."""
    path = task_log_path(
        tmp_path,
        dag_id="my_dag",
        run_id="manual__2025-01-01T00:00:00+00:00",
        task_id="group.task-1",
        map_index=-1,
        try_number=1,
    )
    assert path == (
        tmp_path
        / "dag_id=my_dag"
        / "run_id=manual__2025-01-01T00_00_00_00_00"
        / "task_id=group.task-1"
        / "attempt=1.log"
    )
    a = task_log_path(tmp_path, dag_id="d", run_id="a/b", task_id="t", map_index=-1, try_number=1)
    b = task_log_path(tmp_path, dag_id="d", run_id="a\\b", task_id="t", map_index=-1, try_number=1)
    assert a != b


@pytest.mark.slow
async def test_hostile_run_id_in_the_store_logs_inside(harness: Harness) -> None:
    """A run whose id tries to climb out of the logs folder (written straight into the store,
    no API validation) still runs, and every log file of its tries is under the logs folder."""
    doc = golden_doc("standard/example_bash_operator.py.json", "example_bash_operator")
    await harness.register(doc)
    hostile = "../../../escaped/../../x"
    state, tis = await harness.run(
        "example_bash_operator",
        logical_date=datetime(2025, 1, 1, tzinfo=UTC),
        run_id=hostile,
    )
    assert state == "success"
    logs = harness.engine.logs_dir
    written = [p for p in logs.parent.rglob("*") if p.is_file() and p.suffix in (".log", ".out")]
    assert written
    assert all(is_inside(logs, p) for p in written), written
    assert not (logs.parent.parent / "escaped").exists()
    ran = [t for t in tis.values() if t.try_number >= 1]
    for ti in ran:
        path = task_log_path(
            logs,
            dag_id=ti.dag_id,
            run_id=hostile,
            task_id=ti.task_id,
            map_index=ti.map_index,
            try_number=ti.try_number,
        )
        assert path.is_file(), path
