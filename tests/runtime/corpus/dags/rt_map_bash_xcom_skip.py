"""@task.bash mapped over an upstream list: the index whose command exits 99 is skipped; a
none_failed reduce gets the output of the others, an all_success one is skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def codes():
    return [0, 99, 0]


@task.bash
def run(code):
    return f"echo code-{code}; exit {code}"


@task(trigger_rule="none_failed")
def lenient(outputs):
    return list(outputs)


@task
def strict(outputs):
    return list(outputs)


with DAG(
    dag_id="rt_map_bash_xcom_skip",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping", "bash"],
):
    outputs = run.expand(code=codes())
    lenient(outputs)
    strict(outputs)
