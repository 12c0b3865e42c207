"""Where params come from, in order: DAG params, default_args["params"], a TaskGroup's
default_args params, and task-level params (the task wins); a Param object given at task level;
params read in Python and in a template; dag_run.conf stays empty in a manual run without
conf."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, TaskGroup, task


@task
def show(params=None, dag_run=None):
    return {"params": dict(sorted(params.items())), "conf": dag_run.conf}


with DAG(
    dag_id="rt_params_layers",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"a": "dag", "b": "dag", "c": "dag", "n": Param(1, type="integer")},
    default_args={"params": {"b": "default_args", "d": "default_args"}},
    tags=["leoflow-corpus"],
):
    show.override(task_id="plain")()
    show.override(task_id="task_level", params={"c": "task", "n": Param(7, type="integer")})()
    with TaskGroup("grp", default_args={"params": {"a": "group"}}):
        show.override(task_id="in_group")()
    BashOperator(
        task_id="tmpl",
        bash_command="echo {{ params.a }}-{{ params.b }}-{{ params.c }}-{{ params.d }}-{{ params.n }}",
        params={"a": "op"},
    )
