"""Variables as JSON, with defaults: a template reading var.json.get of a missing variable with
a dict default (rendered as a string), var.value.get with a default, Variable.get with
deserialize_json and a default in Python; then a task sets a JSON variable and later tasks read
it through var.json in a template, Variable.get(deserialize_json=True) and var.value (the raw
JSON text); Variable.get of a missing key without a default fails its task."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, Variable, task


def show(cfg, raw):
    return {"cfg": cfg, "raw": raw}


@task
def defaults_in_python():
    return {
        "json": Variable.get("rt_rw_missing_cfg", default={"batch": 10}, deserialize_json=True),
        "plain": Variable.get("rt_rw_missing_plain", default="fallback"),
    }


@task
def set_config():
    Variable.set("rt_rw_cfg", {"batch": 25, "tables": ["a", "b"]}, serialize_json=True)
    return "set"


@task
def read_config():
    cfg = Variable.get("rt_rw_cfg", deserialize_json=True)
    return {"batch": cfg["batch"], "tables": cfg["tables"]}


@task
def missing_strict():
    return Variable.get("rt_rw_not_there")


with DAG(
    dag_id="rt_rw_var_json_defaults",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "variables"],
):
    PythonOperator(
        task_id="templated_defaults",
        python_callable=show,
        op_kwargs={
            "cfg": "{{ var.json.get('rt_rw_missing_cfg', {'batch': 10}) }}",
            "raw": "{{ var.value.get('rt_rw_missing_plain', 'fallback') }}",
        },
    )
    defaults_in_python()
    setter = set_config()
    after = BashOperator(
        task_id="templated_after_set",
        bash_command="echo {{ var.json.rt_rw_cfg.batch }}"
        " {{ var.json.rt_rw_cfg.tables | join('+') }} {{ var.value.rt_rw_cfg | length }}",
    )
    setter >> [after, read_config()]
    missing_strict()
