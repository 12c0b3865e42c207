"""A teardown with two setups, one of which is skipped by a branch: the work is skipped, the
teardown of both setups runs (one setup succeeded), a second teardown whose only setup is
skipped is skipped, and a none_failed task after the work runs."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, setup, task, teardown


@task.branch
def pick():
    return "setup_a"


@setup
def setup_a():
    return "a"


@setup
def setup_b():
    return "b"


@task
def work():
    return "worked"


@teardown
def teardown_both():
    return "cleaned both"


@teardown
def teardown_b():
    return "cleaned b"


with DAG(
    dag_id="rt_teardown_two_setups",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "setup-teardown", "branching"],
):
    sa, sb = setup_a(), setup_b()
    pick() >> [sa, sb]
    w = work()
    [sa, sb] >> w
    td = teardown_both()
    w >> td
    sa >> td
    sb >> td
    tb = teardown_b()
    sb >> tb
    w >> EmptyOperator(task_id="after_work", trigger_rule="none_failed")
