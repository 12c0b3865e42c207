"""ti.xcom_pull beyond rt_ctx_xcom_keys: of a mapped task with map_indexes as an int and a list,
a list of task ids mixing a mapped and an unmapped task, include_prior_dates=True in a first
run, of a skipped task, with an explicit dag_id, with no task_ids (the current task), a list
with a key pushed by only one task, and the classic operator `.output` pulled by a template."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task
from airflow.sdk.exceptions import AirflowSkipException


@task
def mapped(x):
    return x * 10


@task
def single(ti=None):
    ti.xcom_push(key="extra", value={"a": 1})
    return "single"


@task
def skipper():
    raise AirflowSkipException("skip")


@task(trigger_rule="all_done")
def pull(ti=None, dag=None):
    return {
        "idx_int": ti.xcom_pull(task_ids="mapped", map_indexes=1),
        "idx_list": ti.xcom_pull(task_ids="mapped", map_indexes=[2, 0]),
        "all_idx": ti.xcom_pull(task_ids="mapped"),
        "mixed": ti.xcom_pull(task_ids=["single", "mapped"]),
        "prior": ti.xcom_pull(task_ids="single", include_prior_dates=True),
        "skipped": ti.xcom_pull(task_ids="skipper"),
        "skipped_default": ti.xcom_pull(task_ids="skipper", default="d"),
        "dag_id": ti.xcom_pull(task_ids="single", dag_id=dag.dag_id),
        "own": ti.xcom_pull(),
        "extra_list": ti.xcom_pull(task_ids=["single", "mapped"], key="extra"),
    }


with DAG(
    dag_id="rt_xcom_pull_variants",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    m = mapped.expand(x=[1, 2, 3])
    s = single()
    k = skipper()
    echo = BashOperator(task_id="echo", bash_command="echo hello-from-bash")
    tmpl = BashOperator(
        task_id="tmpl",
        bash_command=f"echo {echo.output} {s}",
    )
    echo >> tmpl
    [m, s, k] >> pull()
