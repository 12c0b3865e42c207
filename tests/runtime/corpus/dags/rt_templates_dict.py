"""PythonOperator templates_dict and templated op_kwargs/op_args are rendered before the call."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _report(day, label, templates_dict=None):
    return {
        "day": day,
        "label": label,
        "query": templates_dict["query"],
        "next": templates_dict["next"],
    }


with DAG(
    dag_id="rt_templates_dict",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "templates"],
):
    PythonOperator(
        task_id="report",
        python_callable=_report,
        op_args=["{{ ds }}"],
        op_kwargs={"label": "run-{{ ds_nodash }}"},
        templates_dict={
            "query": "SELECT * FROM t WHERE day = '{{ ds }}'",
            "next": "{{ macros.ds_add(ds, 1) }}",
        },
    )
