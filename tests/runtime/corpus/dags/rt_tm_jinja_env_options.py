"""jinja_environment_kwargs beyond trim_blocks: custom variable delimiters (`[[ ]]`; `{{ }}`
stays text), keep_trailing_newline with a newline-ended command's XCom, the `do` extension in a
PythonOperator argument, and a user_defined_filter used with arguments in a loop."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_tm_jinja_env_options",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    jinja_environment_kwargs={
        "variable_start_string": "[[",
        "variable_end_string": "]]",
        "keep_trailing_newline": True,
        "extensions": ["jinja2.ext.do"],
    },
    user_defined_filters={"pad": lambda s, n=3, ch="0": str(s).rjust(n, ch)},
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(task_id="delimiters", bash_command="echo '[[ ds ]] {{ ds }}'")
    BashOperator(task_id="trailing_newline", bash_command="echo [[ ds_nodash ]]\n")
    PythonOperator(
        task_id="do_ext",
        python_callable=lambda v: v,
        op_args=["{% set xs = [] %}{% do xs.append(1) %}{% do xs.append(2) %}[[ xs | sum ]]"],
    )
    PythonOperator(
        task_id="filter_args",
        python_callable=lambda v: v,
        op_args=["{% for i in range(3) %}[[ i | pad(4, '-') ]];{% endfor %}[[ 7 | pad ]]"],
    )
