"""Templates nested in op_kwargs / op_args (render_template_as_native_obj off): dicts in lists
in dicts, a tuple, a set, dict keys (not rendered), non-string leaves (int, None, bool, float)
kept as they are, and a TaskFlow argument that is a nested structure holding templates and an
XComArg."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


def _echo(day, pair, nothing, deep, tup, st, keys, flag, empty):
    return {
        "args": [day, pair, nothing],
        "kwargs": {"deep": deep, "tup": tup, "st": sorted(st), "keys": keys, "flag": flag},
        "types": [type(v).__name__ for v in (deep, tup, st, keys, flag, empty)],
    }


@task
def source():
    return "from-xcom"


@task
def structured(payload):
    return payload


with DAG(
    dag_id="rt_tm_nested_op_kwargs",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"region": "eu", "limit": 5},
    tags=["leoflow-corpus", "templates"],
):
    PythonOperator(
        task_id="classic",
        python_callable=_echo,
        op_args=["{{ ds }}", ["{{ params.region }}", 3], None],
        op_kwargs={
            "deep": {"a": [{"b": "{{ ds_nodash }}"}, "{{ params.limit }}"], "n": 1.5},
            "tup": ("{{ params.region }}", 2),
            "st": {"{{ params.region }}"},
            "keys": {"{{ ds }}": "{{ ds }}"},
            "flag": True,
            "empty": "",
        },
    )
    structured(
        {
            "when": "{{ ds }}",
            "items": ["{{ params.region | upper }}", source(), {"lim": "{{ params.limit + 1 }}"}],
        }
    )
