"""multiple_outputs=True pushes one XCom per key (and the whole dict as return_value);
downstream tasks pull single keys."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task(multiple_outputs=True)
def split_name():
    return {"first": "Ada", "last": "Lovelace"}


@task
def greet(first, last):
    return f"Hello {first} {last}"


@task
def whole(d):
    return sorted(d)


with DAG(
    dag_id="rt_xcom_multiple_outputs",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    parts = split_name()
    greet(parts["first"], parts["last"])
    whole(parts)
