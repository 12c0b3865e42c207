"""A missing key of a multiple_outputs upstream (`out["missing_key"]`) resolves to None, as does
a key the upstream pushed nothing for because it returned None; a missing custom key of an
upstream without multiple_outputs fails the task (XComNotFound); an existing key resolves to its
value."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


@task(multiple_outputs=True)
def pair():
    return {"a": 1, "b": [2, 3]}


@task(multiple_outputs=True)
def nothing():
    return None


@task
def use(value):
    return ["got", value]


with DAG(
    dag_id="rt_xcom_missing_output_key",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    p = pair()
    use.override(task_id="use_a")(p["a"])
    use.override(task_id="use_missing")(p["missing_key"])
    use.override(task_id="use_nothing")(nothing()["a"])
    plain = PythonOperator(task_id="plain", python_callable=lambda: {"a": 1})
    use.override(task_id="use_plain_key")(plain.output["a"])
    classic_multi = PythonOperator(
        task_id="classic_multi", python_callable=lambda: {"a": 1}, multiple_outputs=True
    )
    use.override(task_id="use_classic_missing")(classic_multi.output["zzz"])
