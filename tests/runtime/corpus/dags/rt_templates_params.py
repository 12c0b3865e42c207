"""DAG params with Param defaults (run conf empty): in templates and in Python; a task-level
params override; conf lookups with defaults."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, task


@task
def use_params(params=None):
    return {"env": params["env"], "batch": params["batch_size"], "tags": params["tags"]}


with DAG(
    dag_id="rt_templates_params",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={
        "env": Param("staging", type="string", enum=["staging", "prod"]),
        "batch_size": Param(100, type="integer", minimum=1),
        "tags": Param(["a", "b"], type="array"),
        "plain": "just a value",
    },
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(
        task_id="echo_params",
        bash_command="echo '{{ params.env }} {{ params.batch_size * 2 }} {{ params.plain }}'",
    )
    BashOperator(
        task_id="task_level_override",
        bash_command="echo '{{ params.env }} {{ params.extra }}'",
        params={"env": "prod", "extra": "task-only"},
    )
    BashOperator(
        task_id="conf_with_default",
        bash_command=(
            "echo '{{ dag_run.conf.get(\"target\", \"default-target\") }} "
            "{{ (dag_run.conf or {}) | length }}'"
        ),
    )
    use_params()
