"""Context templates in bash (ds, ds_nodash, ts, logical_date, run_id, dag/task ids) and the
same values in a @task via context keyword arguments."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task


@task
def from_context(ds=None, ds_nodash=None, ts=None, dag_run=None, task_instance=None):
    return {
        "ds": ds,
        "ds_nodash": ds_nodash,
        "ts": ts,
        "run_type": str(dag_run.run_type),
        "task_id": task_instance.task_id,
        "map_index": task_instance.map_index,
    }


with DAG(
    dag_id="rt_templates_context",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(
        task_id="echo_context",
        bash_command=(
            "echo '{{ ds }}|{{ ds_nodash }}|{{ ts }}|{{ ts_nodash }}|"
            "{{ logical_date.strftime(\"%Y/%m/%d\") }}|{{ dag.dag_id }}|{{ task.task_id }}|"
            "{{ dag_run.logical_date.year }}'"
        ),
    )
    from_context()
