"""@task.bash exit codes: exit 99 skips (default), skip_on_exit_code=3 skips on 3, a nonzero
code not in the list fails; downstream all_success tasks are skipped / upstream_failed."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task.bash
def default_skip():
    return "echo checking; exit 99"


@task.bash(skip_on_exit_code=3)
def custom_skip():
    return "exit 3"


@task.bash(skip_on_exit_code=[3, 4])
def other_code():
    return "exit 5"


@task
def after(name):
    return name


with DAG(
    dag_id="rt_bash_decorator_skip",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "bash"],
):
    default_skip() >> after.override(task_id="after_default")("d")
    custom_skip() >> after.override(task_id="after_custom")("c")
    other_code() >> after.override(task_id="after_other")("o")
