"""Return values of many JSON types become the return_value XCom; None pushes nothing."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


@task
def an_int():
    return 7


@task
def a_str():
    return "hello"


@task
def a_list():
    return [1, "two", 3.5, None, True]


@task
def a_dict():
    return {"nested": {"k": [1, 2]}, "flag": False}


@task
def nothing():
    return None


@task
def consume(i, s, lst, d):
    return {"i": i, "s": s, "len": len(lst), "k": d["nested"]["k"]}


with DAG(
    dag_id="rt_xcom_return_values",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    consume(an_int(), a_str(), a_list(), a_dict())
    nothing()
    PythonOperator(task_id="no_push", python_callable=lambda: "hidden", do_xcom_push=False)
