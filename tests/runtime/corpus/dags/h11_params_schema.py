from __future__ import annotations
import os, json
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, task_group, Param

from airflow.providers.standard.operators.bash import BashOperator

@task
def use(**context):
    p = context["params"]
    return {k: [type(p[k]).__name__, p[k]] for k in sorted(p.keys())}

@task(params={"n": 10, "extra": Param("e", type="string")})
def override(params=None):
    return {k: params[k] for k in sorted(params.keys())}

@task
def conf_merge(dag_run=None, params=None):
    return [dict(dag_run.conf), params.get("missing", "dflt"), params.get("n")]

with DAG(dag_id="h11_params_schema", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False, params={
    "n": Param(3, type="integer", minimum=1, maximum=5),
    "color": Param("red", enum=["red", "blue"]),
    "maybe": Param(None, type=["null", "string"]),
    "arr": Param([1, 2], type="array"),
    "obj": Param({"a": 1}, type="object"),
    "plain": 7,
    "num": Param(1.5, type="number"),
    "flag": Param(False, type="boolean"),
    "dt": Param("2024-02-03", type="string", format="date"),
}):
    use()
    override()
    conf_merge()
    BashOperator(task_id="bash_params", bash_command="echo '{{ params.n + 1 }}|{{ params.color }}|{{ params.maybe }}|{{ params.arr | length }}|{{ params.obj.a }}|{{ params.flag }}|{{ params.num * 2 }}|{{ dag_run.conf.get(\"zz\", params.plain) }}|{{ dag_run.conf[\"nope\"] | default(\"dd\") }}'")
