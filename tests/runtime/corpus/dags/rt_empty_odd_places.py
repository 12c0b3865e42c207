"""EmptyOperator in odd places: as the only root, as a branch target that is followed, as one
that is skipped, with trigger_rule one_failed after a failure and one_success after a skip,
after an empty TaskGroup (no edges: it runs although its 'upstream' fails), as a teardown-like
all_done leaf, and with retries (it never fails)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup, task


@task.branch
def pick():
    return "chosen"


@task
def boom():
    raise RuntimeError("fails")


@task
def after(x=None):
    return "after"


with DAG(
    dag_id="rt_empty_odd_places",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    root = EmptyOperator(task_id="root", retries=2)
    b = pick()
    root >> b
    chosen = EmptyOperator(task_id="chosen")
    other = EmptyOperator(task_id="other")
    b >> [chosen, other]
    chosen >> after.override(task_id="after_chosen")()
    other >> EmptyOperator(task_id="after_other_one_success", trigger_rule="one_success")
    f = boom()
    root >> f
    f >> EmptyOperator(task_id="on_failure", trigger_rule="one_failed")
    with TaskGroup("nothing_inside") as tg:
        pass
    f >> tg >> after.override(task_id="after_empty_group")()
    EmptyOperator(task_id="leaf_all_done", trigger_rule="all_done").set_upstream([f, chosen])
