"""Airflow's template filters on datetimes (ds, ds_nodash, ts, ts_nodash, ts_nodash_with_tz on
logical_date and data_interval_end), task / task_instance attributes in templates (task_id,
task_type, owner, retries, map_index, try_number), task_instance_key_str, run_id, dag_run
attributes, and macros: ds_add across a month end, ds_format, datetime_diff_for_humans with
since, macros.json.dumps, macros.dateutil."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_tm_context_filters",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "templates"],
):
    PythonOperator(
        task_id="filters",
        python_callable=lambda *a: list(a),
        op_args=[
            "{{ logical_date | ds }}|{{ logical_date | ds_nodash }}|{{ logical_date | ts }}",
            "{{ data_interval_end | ts_nodash }}|{{ data_interval_end | ts_nodash_with_tz }}",
            "{{ ts_nodash }}|{{ ts_nodash_with_tz }}|{{ ds_nodash }}",
        ],
    )
    PythonOperator(
        task_id="task_attrs",
        python_callable=lambda *a: list(a),
        owner="team-a",
        retries=2,
        op_args=[
            "{{ task.task_id }}|{{ task.task_type }}|{{ task.owner }}|{{ task.retries }}",
            "{{ ti.map_index }}|{{ ti.try_number }}|{{ ti.task_id }}|{{ ti.dag_id }}",
            "{{ task_instance_key_str }}|{{ run_id }}|{{ dag_run.run_type }}",
            "{{ dag.dag_id }}|{{ dag_run.logical_date | ds }}|{{ dag_run.run_id == run_id }}",
        ],
    )
    PythonOperator(
        task_id="macros",
        python_callable=lambda *a: list(a),
        op_args=[
            "{{ macros.ds_add('2025-01-31', 1) }}|{{ macros.ds_add('2024-03-01', -1) }}",
            "{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%y') }}",
            "{{ macros.datetime_diff_for_humans(logical_date, logical_date + macros.timedelta(days=3)) }}",
            "{{ macros.json.dumps({'b': 1, 'a': [ds]}, sort_keys=True) }}",
            "{{ macros.dateutil.relativedelta.relativedelta(months=1) }}",
            "{{ (logical_date + macros.dateutil.relativedelta.relativedelta(months=1)) | ds }}",
        ],
    )
