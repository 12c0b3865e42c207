"""Task and DAG attributes read in BashOperator templates, as real commands do (one task per
attribute, so that each is compared on its own): task.retries / owner / pool / queue /
priority_weight / task_type / doc_md / depends_on_past, ti.max_tries / ti.state / ti.map_index
and ti.pool / ti.operator (not attributes of Airflow 3's task instance: those tasks fail),
dag.dag_id / description / tags / max_active_runs / catchup / owner, dag_run.run_type / conf;
a retried task reading ti.try_number."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

EXPRESSIONS = {
    "task_retries": "task.retries",
    "task_owner": "task.owner",
    "task_pool": "task.pool",
    "task_queue": "task.queue",
    "task_priority_weight": "task.priority_weight",
    "task_type": "task.task_type",
    "task_doc_md": "task.doc_md",
    "task_depends_on_past": "task.depends_on_past",
    "ti_max_tries": "ti.max_tries",
    "ti_pool": "ti.pool",
    "ti_operator": "ti.operator",
    "ti_state": "ti.state",
    "ti_map_index": "ti.map_index",
    "dag_id": "dag.dag_id",
    "dag_description": "dag.description",
    "dag_tags": "dag.tags | sort | join(',')",
    "dag_max_active_runs": "dag.max_active_runs",
    "dag_catchup": "dag.catchup",
    "dag_owner": "dag.owner",
    "dag_run_type": "dag_run.run_type",
    "dag_run_conf": "dag_run.conf",
}

with DAG(
    dag_id="rt_rw_task_dag_attrs_templates",
    description="attributes in templates",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "templating"],
    default_args={"owner": "data-eng", "retries": 1, "retry_delay": timedelta(seconds=1)},
):
    for name, expression in EXPRESSIONS.items():
        BashOperator(
            task_id=name,
            bash_command=f"echo '{{{{ {expression} }}}}'",
            doc_md="runs echo",
            execution_timeout=timedelta(minutes=5),
        )
    BashOperator(
        task_id="retried",
        bash_command="echo try {{ ti.try_number }}; test {{ ti.try_number }} -ge 2",
    )
