"""template_ext files next to the DAG: a BashOperator whose bash_command names a .sh file (its
content is rendered and run), a command ending in `.sh ` (a trailing space: not read as a
file), and a PythonOperator whose templates_dict value names a .sql file
(templates_exts)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _query(templates_dict=None):
    return templates_dict["query"].strip()


with DAG(
    dag_id="rt_ctx_template_ext",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"label": "blue"},
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(task_id="script_file", bash_command="rt_ctx_template_ext.sh")
    BashOperator(
        task_id="script_not_a_file",
        bash_command="echo rt_ctx_template_ext.sh ",
    )
    PythonOperator(
        task_id="sql_file",
        python_callable=_query,
        templates_dict={"query": "rt_ctx_template_ext.sql"},
        templates_exts=[".sql"],
    )
