"""A BranchPythonOperator whose edges carry Labels, choosing a task inside a TaskGroup by its
full id and a plain task; the unchosen group is skipped as a whole, a join with
none_failed_min_one_success runs, and a @task.branch returning a list that includes a task not
directly downstream (ignored) plus a direct one."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.sdk import DAG, Label, TaskGroup, task


@task
def work(name):
    return name


@task.branch
def pick_list():
    return ["direct_a", "end"]


with DAG(
    dag_id="rt_branch_labels_groups",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branch"],
):
    br = BranchPythonOperator(task_id="br", python_callable=lambda: ["g_yes.first", "plain"])
    with TaskGroup("g_yes") as g_yes:
        work.override(task_id="first")("y1") >> work.override(task_id="second")("y2")
    with TaskGroup("g_no") as g_no:
        work.override(task_id="first")("n1") >> work.override(task_id="second")("n2")
    plain = work.override(task_id="plain")("p")
    br >> Label("yes") >> g_yes
    br >> Label("no") >> g_no
    br >> Label("plain") >> plain
    join = EmptyOperator(task_id="join", trigger_rule="none_failed_min_one_success")
    [g_yes, g_no, plain] >> join
    pl = pick_list()
    join >> pl
    end = EmptyOperator(task_id="end", trigger_rule="all_done")
    pl >> [work.override(task_id="direct_a")("a"), work.override(task_id="direct_b")("b")] >> end
