"""Return values Airflow refuses: multiple_outputs=True with a list and with a string (the task
fails), multiple_outputs=True with non-string keys, an object the serializer cannot handle;
multiple_outputs=True returning None (nothing pushed, success) and an empty dict; the
downstream of each failure is upstream_failed and an all_done task runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


class Opaque:
    pass


@task(multiple_outputs=True)
def mo_list():
    return [1, 2]


@task(multiple_outputs=True)
def mo_str():
    return "abc"


@task(multiple_outputs=True)
def mo_int_keys():
    return {1: "a", 2: "b"}


@task(multiple_outputs=True)
def mo_none():
    return None


@task(multiple_outputs=True)
def mo_empty():
    return {}


@task
def opaque():
    return Opaque()


@task
def after(x):
    return "ran"


@task(trigger_rule="all_done")
def finally_():
    return "done"


with DAG(
    dag_id="rt_ctx_xcom_errors",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    ups = [mo_list(), mo_str(), mo_int_keys(), mo_none(), mo_empty(), opaque()]
    for u in ups:
        after.override(task_id=f"after_{u.operator.task_id}")(u)
    ups >> finally_()
