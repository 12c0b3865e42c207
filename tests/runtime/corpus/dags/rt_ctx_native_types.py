"""render_template_as_native_obj=True, further: a list of dicts, int arithmetic on params, a
tuple, a dict literal, `ds` (not a Python literal: stays a string) and `ds_nodash` (all digits:
becomes an int), a bool param, a template with text around it (a string) and a BashOperator
in native mode."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def _describe(rows, n_times_3, pair, mapping, ds_value, ds_nodash_value, flag, text, half, none):
    values = {
        "rows": rows,
        "n_times_3": n_times_3,
        "pair": pair,
        "mapping": mapping,
        "ds_value": ds_value,
        "ds_nodash_value": ds_nodash_value,
        "flag": flag,
        "text": text,
        "half": half,
        "none": none,
    }
    return {k: [type(v).__name__, list(v) if isinstance(v, tuple) else v] for k, v in values.items()}


with DAG(
    dag_id="rt_ctx_native_types",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    render_template_as_native_obj=True,
    params={"n": 5, "flag": True, "names": ["x", "y"]},
    tags=["leoflow-corpus", "templates"],
):
    PythonOperator(
        task_id="describe",
        python_callable=_describe,
        op_kwargs={
            "rows": "{{ [{'id': 1, 'sq': 1}, {'id': params.n, 'sq': params.n ** 2}] }}",
            "n_times_3": "{{ params.n * 3 }}",
            "pair": "{{ (params.n, 'five') }}",
            "mapping": "{{ {'names': params.names, 'n': params.n} }}",
            "ds_value": "{{ ds }}",
            "ds_nodash_value": "{{ ds_nodash }}",
            "flag": "{{ params.flag }}",
            "text": "n={{ params.n }}",
            "half": "{{ params.n / 2 }}",
            "none": "{{ None }}",
        },
    )
    PythonOperator(
        task_id="nested_args",
        python_callable=lambda a, b: {"a": a, "b": b, "ta": type(a).__name__},
        op_args=["{{ params.names }}", ["{{ params.n + 1 }}", "lit"]],
    )
    BashOperator(task_id="bash_native", bash_command="echo {{ params.n + 1 }}")
