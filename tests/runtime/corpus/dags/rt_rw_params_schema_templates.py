"""Param defaults with JSON-schema constraints used the way real DAGs use them: an integer with
minimum/maximum in arithmetic inside a template, an enum string picking a branch, an array
joined with a Jinja filter and looped with {% for %}, an object's nested key, a nullable param
with `or`, a task-level params override of a DAG param, and the same params read in Python."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, task


@task.branch
def pick_mode(params=None):
    return f"mode_{params['mode']}"


@task
def mode_full():
    return "full"


@task
def mode_incremental():
    return "incremental"


@task
def in_python(params=None):
    return {
        "batch": params["batch_size"] * 2,
        "tables": params["tables"],
        "target": params["target"]["schema"],
        "suffix": params["suffix"],
        "region": params["region"],
    }


with DAG(
    dag_id="rt_rw_params_schema_templates",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "params"],
    params={
        "batch_size": Param(500, type="integer", minimum=1, maximum=10000),
        "mode": Param("incremental", type="string", enum=["full", "incremental"]),
        "tables": Param(["customers", "orders"], type="array", items={"type": "string"}),
        "target": Param({"schema": "analytics", "retries": 2}, type="object"),
        "suffix": Param(None, type=["null", "string"]),
        "region": "eu-west-1",
    },
):
    pick_mode() >> [mode_full(), mode_incremental()]
    in_python()
    BashOperator(
        task_id="render",
        bash_command="echo {{ params.batch_size * 2 }} {{ params.tables | join(',') }}"
        " {% for t in params.tables %}[{{ t }}]{% endfor %}"
        " {{ params.target.schema }}.{{ params.target['retries'] }}"
        " {{ params.suffix or 'nosuffix' }} {{ params.region }}",
    )
    BashOperator(
        task_id="task_params",
        bash_command="echo {{ params.region }} {{ params.batch_size }}",
        params={"region": "us-east-1"},
    )
