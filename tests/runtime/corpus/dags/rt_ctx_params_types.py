"""Param types with defaults (the run's conf is empty): integer, number, boolean, null, array,
object, string with format date, a nullable type list, and a plain value; rendered in Jinja
(repr of booleans / None / lists), read in Python, merged with task-level params (task wins),
and `dag_run.conf` next to `params`."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, task


@task
def read_params(params=None, dag_run=None):
    return {
        "types": {k: type(params[k]).__name__ for k in sorted(params)},
        "values": {k: params[k] for k in sorted(params)},
        "conf": dag_run.conf,
    }


@task(params={"count": 99, "only_here": "t"})
def task_params(params=None):
    return {"count": params["count"], "only_here": params["only_here"], "ratio": params["ratio"]}


with DAG(
    dag_id="rt_ctx_params_types",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={
        "count": Param(3, type="integer", minimum=0),
        "ratio": Param(0.5, type="number"),
        "enabled": Param(False, type="boolean"),
        "nothing": Param(None, type="null"),
        "maybe": Param(None, type=["null", "string"]),
        "items": Param([1, 2, 3], type="array"),
        "config": Param({"depth": 2}, type="object"),
        "day": Param("2025-02-03", type="string", format="date"),
        "plain": 7,
    },
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(
        task_id="render_params",
        bash_command=(
            "echo '{{ params.count + 1 }} {{ params.ratio * 4 }} {{ params.enabled }} "
            "{{ params.nothing }} {{ params.maybe }} {{ params[\"items\"] }} {{ params.config.depth }} "
            "{{ params.day }} {{ params.plain }} {{ params[\"count\"] }}'"
        ),
    )
    BashOperator(
        task_id="conf_or_param",
        bash_command=(
            "echo '{{ dag_run.conf.get(\"count\", params.count) }} {{ dag_run.conf | length }}'"
        ),
    )
    read_params()
    task_params()
