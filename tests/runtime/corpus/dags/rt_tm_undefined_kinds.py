"""template_undefined on the DAG: jinja2.Undefined (a missing name renders empty, attribute of
it fails), DebugUndefined (the expression is kept as text) and ChainableUndefined (chained
attributes render empty); each DAG of the file is run, this one with plain Undefined."""

from __future__ import annotations

from datetime import datetime, timezone

import jinja2
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_tm_undefined_kinds",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    template_undefined=jinja2.Undefined,
    params={"known": "k"},
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(task_id="missing_name", bash_command="echo 'a{{ nope }}b {{ params.nothere }}c'")
    BashOperator(task_id="missing_attr_of_missing", bash_command="echo '{{ nope.deeper }}'")
    BashOperator(task_id="prev_ds_empty", bash_command="echo '[{{ prev_ds }}]'")
    PythonOperator(
        task_id="py_undefined",
        python_callable=lambda a, b: [a, b],
        op_args=["{{ nope }}", "{{ params.known }}{{ dag_run.conf.missing }}"],
    )

with DAG(
    dag_id="rt_tm_undefined_debug",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    template_undefined=jinja2.DebugUndefined,
    tags=["leoflow-corpus", "templates"],
):
    PythonOperator(
        task_id="kept",
        python_callable=lambda a, b: [a, b],
        op_args=["x {{ nope }} y", "{{ ds }} {{ also_missing }}"],
    )

with DAG(
    dag_id="rt_tm_undefined_chainable",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    template_undefined=jinja2.ChainableUndefined,
    tags=["leoflow-corpus", "templates"],
):
    PythonOperator(
        task_id="chained",
        python_callable=lambda a: a,
        op_args=["[{{ nope.a.b }}][{{ dag_run.conf.x.y }}][{{ ds }}]"],
    )
