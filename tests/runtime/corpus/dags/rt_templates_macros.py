"""Template macros: ds_add, ds_format, macros.datetime / timedelta, json, and filters."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_templates_macros",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    user_defined_macros={"team": "data-eng"},
    user_defined_filters={"shout": lambda s: s.upper() + "!"},
    tags=["leoflow-corpus", "templates"],
):
    BashOperator(task_id="ds_add", bash_command="echo {{ macros.ds_add(ds, 7) }}")
    BashOperator(
        task_id="ds_format",
        bash_command="echo {{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}",
    )
    BashOperator(
        task_id="datetime_math",
        bash_command=(
            "echo {{ (logical_date - macros.timedelta(days=1)).strftime('%Y-%m-%d') }} "
            "{{ macros.datetime(2020, 5, 17).year }}"
        ),
    )
    BashOperator(
        task_id="json_macro",
        bash_command="echo '{{ macros.json.dumps({\"a\": [1, 2]}) }}'",
    )
    BashOperator(task_id="user_macros", bash_command="echo '{{ team | shout }} {{ logical_date | ds_nodash }}'")
