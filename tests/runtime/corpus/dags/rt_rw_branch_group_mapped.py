"""BranchPythonOperator returning a list with a task-group id and a mapped task id: every root
of the group runs, every index of the chosen mapped task runs, the unchosen mapped task is
skipped at every index and the unchosen plain task too; a none_failed_min_one_success join
gathers the chosen paths and an all_success task after the skipped path is skipped."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.sdk import DAG, TaskGroup, task


@task
def sizes():
    return [10, 20, 30]


def choose(n_files):
    return ["enrich", "score"] if n_files > 2 else ["archive"]


@task
def score(size):
    return size // 10


@task
def archive(size):
    return f"archived {size}"


@task
def step(name):
    return name


@task(trigger_rule="none_failed_min_one_success")
def join(scores, ti=None):
    return {"scores": list(scores), "enriched": ti.xcom_pull(task_ids="enrich.geo")}


with DAG(
    dag_id="rt_rw_branch_group_mapped",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "branching"],
):
    s = sizes()
    branch = BranchPythonOperator(task_id="branch", python_callable=choose, op_args=[3])
    s >> branch
    scored = score.expand(size=s)
    archived = archive.expand(size=s)
    with TaskGroup("enrich") as enrich:
        step.override(task_id="geo")("geo")
        step.override(task_id="currency")("fx") >> step.override(task_id="rates")("rates")
    skipped_plain = step.override(task_id="notify_archive")("na")
    branch >> [enrich, scored, archived, skipped_plain]
    archived >> step.override(task_id="after_archive")("aa")
    j = join(scored)
    enrich >> j
