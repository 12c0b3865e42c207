"""The @dag decorator with params: DAG-level params (Param with a type and a plain value),
function arguments that become params (their defaults), a task reading a function argument
(a DagParam resolved at run time), `params` and `dag_run.conf` in templates (an empty conf:
`.get` defaults), and a task-level `params=` that overrides a DAG param for that task only."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import Param, dag, task


@task
def show(value, params=None):
    return {"value": value, "params": dict(params)}


@task
def typed(params=None):
    return {k: [type(v).__name__, v] for k, v in sorted(params.items())}


@dag(
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
    params={
        "limit": Param(5, type="integer", minimum=1),
        "mode": Param("fast", enum=["fast", "slow"]),
        "flags": Param(["a", "b"], type="array"),
        "cfg": Param({"x": 1}, type="object"),
        "opt": Param(None, type=["null", "string"]),
        "plain": 2.5,
        "on": True,
    },
)
def rt_dag_decorator_params(region="eu", batch=100):
    show(region)
    show.override(task_id="show_batch")(batch)
    typed()
    BashOperator(
        task_id="tmpl",
        bash_command=(
            'echo \'{{ params.limit }} {{ params.mode }} {{ params.flags | join(",") }} '
            '{{ params.region }} {{ dag_run.conf.get("region", "none") }} {{ params.opt }}\''
        ),
    )
    BashOperator(
        task_id="override",
        bash_command="echo {{ params.limit }}-{{ params.mode }}",
        params={"limit": 99},
    )


rt_dag_decorator_params()
