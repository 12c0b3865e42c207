"""Templates that read Variables, Connections, macros and conf at run time (never at parse time)."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, Variable, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="fid_templates_variables_connections",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
) as dag:
    BashOperator(
        task_id="vars",
        bash_command=(
            "echo {{ var.value.get('bucket', 'none') }} {{ var.json.get('cfg', {}).get('x') }} "
            "{{ conn.warehouse.host if conn.warehouse is defined else '' }} "
            "{{ macros.ds_add(ds, -7) }} {{ macros.datetime.now().year }} {{ dag_run.conf.get('k') }} "
            "{{ data_interval_start | ts }} {{ run_id }} {{ task_instance.try_number }}"
        ),
        env={"BUCKET": "{{ var.value.bucket }}", "DS": "{{ ds_nodash }}"},
    )

    @task
    def read_variable():
        return Variable.get("bucket", default="fallback")

    read_variable()
