"""Acceptance 3 of the runtime issue: bad input ends the task, never the scheduler.

One `dags test` run (the CLI in a subprocess, real Postgres, agent processes) of
dags/e2e_bad_input.py: a missing Variable, a missing Connection, a return value that is not
JSON-serializable, an undefined name and a syntax error in a template, and a callable that raises
(with a retry left, then without). Each such task ends `failed` (the raising one after an
`up_for_retry` try) with the reason in its try's log; the healthy task succeeds; the run ends
`failed` as Airflow's does, and the CLI exits normally.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_dags_test import dags_test, states

pytestmark = pytest.mark.slow


def _log(home: Path, task_id: str, attempt: int = 1) -> str:
    found = sorted(
        home.glob(f"logs/dag_id=e2e_bad_input/*/task_id={task_id}/attempt={attempt}.log")
    )
    assert found, f"no log for {task_id} try {attempt}"
    lines = [json.loads(line) for line in found[0].read_text().splitlines() if line.strip()]
    # each line as the UI shows it: the event, then the exceptions of its `error_detail`
    return "\n".join(
        "\n".join(
            [line["event"]]
            + [f"{e['exc_type']}: {e['exc_value']}" for e in line.get("error_detail") or ()]
        )
        for line in lines
    )


def test_bad_input_fails_the_task_not_the_scheduler(db_uri: str, tmp_path: Path) -> None:
    """Every broken task fails with its reason logged; the others run; the run ends failed."""
    rc, doc = dags_test(db_uri, tmp_path, "e2e_bad_input.py", "--fast-retries")
    assert rc == 1
    assert doc["run_state"] == "failed"
    assert states(doc) == {
        ("healthy", -1): ("success", 1),
        ("missing_connection", -1): ("failed", 1),
        ("missing_variable", -1): ("failed", 1),
        ("raises", -1): ("failed", 2),
        ("template_error", -1): ("failed", 1),
        ("template_syntax", -1): ("failed", 1),
        ("unserializable_xcom", -1): ("failed", 1),
    }
    home = tmp_path / "home"
    assert "leoflow_e2e_no_such_variable" in _log(home, "missing_variable")
    assert "leoflow_e2e_no_such_connection" in _log(home, "missing_connection")
    assert "not JSON-serializable" in _log(home, "unserializable_xcom")
    assert "no_such_name" in _log(home, "template_error")
    assert "TemplateSyntaxError" in _log(home, "template_syntax")
    first, second = _log(home, "raises", 1), _log(home, "raises", 2)
    assert "the callable raised on purpose" in first
    assert "UP_FOR_RETRY" in first
    assert "the callable raised on purpose" in second
    assert "FAILED" in second
