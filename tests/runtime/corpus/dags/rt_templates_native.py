"""render_template_as_native_obj=True: templates render to Python objects, not strings."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


def _types(numbers, mapping, count):
    return {
        "numbers_type": type(numbers).__name__,
        "mapping_type": type(mapping).__name__,
        "count_type": type(count).__name__,
        "sum": sum(numbers) + count,
        "mapping": mapping,
    }


@task
def produce():
    return {"a": 1, "b": 2}


with DAG(
    dag_id="rt_templates_native",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    render_template_as_native_obj=True,
    tags=["leoflow-corpus", "templates"],
):
    p = produce()
    native = PythonOperator(
        task_id="native_types",
        python_callable=_types,
        op_kwargs={
            "numbers": "{{ [1, 2, 3] }}",
            "mapping": "{{ ti.xcom_pull(task_ids='produce') }}",
            "count": "{{ 40 + 2 }}",
        },
    )
    p >> native
