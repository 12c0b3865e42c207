"""`pre_execute=` / `post_execute=` hooks and `@task.run_if` / `@task.skip_if` under the shim:
dag.json flags the tasks that have a hook (the agent then loads the DAG file to call it), and
run_if / skip_if need a @task under them, as in Airflow."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path

from leoflow.paths import shim_root

sys.path.insert(0, str(shim_root()))
from leoflow_shim.loader import load_file

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
HEAD = (
    "from airflow.sdk import DAG, task\n"
    "from airflow.providers.standard.operators.bash import BashOperator\n"
)


def _load(tmp_path: Path, body: str) -> dict:
    path = tmp_path / "dag_file.py"
    path.write_text(HEAD + textwrap.dedent(body))
    return load_file(str(path), now=NOW)


def test_tasks_with_hooks_are_flagged(tmp_path: Path) -> None:
    doc = _load(
        tmp_path,
        """
        with DAG("d", schedule=None, start_date=None):
            BashOperator(task_id="pre", bash_command="echo", pre_execute=lambda c: None)
            BashOperator.partial(task_id="post", post_execute=lambda c, r: None).expand(
                bash_command=["a", "b"]
            )
            BashOperator(task_id="none", bash_command="echo")

            @task.run_if(lambda context: True)
            @task
            def cond():
                return 1

            cond()
        """,
    )
    (dag,) = doc["dags"]
    flags = {
        t["task_id"]: {k: v for k, v in t["leoflow"].items() if k.endswith("_hook")}
        for t in dag["tasks"]
    }
    assert flags == {
        "pre": {"has_pre_execute_hook": True},
        "post": {"has_post_execute_hook": True},
        "none": {},
        "cond": {"has_pre_execute_hook": True},
    }


def test_run_if_needs_a_task_under_it(tmp_path: Path) -> None:
    doc = _load(
        tmp_path,
        """
        with DAG("d", schedule=None, start_date=None):

            @task.skip_if(lambda context: True)
            def plain():
                return 1
        """,
    )
    [error] = doc["errors"]
    assert "skip_if can only be used with task. decorate with @task before @skip_if." in str(error)
