from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_macro_overrides", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         user_defined_macros={"ds": "MACRO_DS", "team": "data", "run_id": "MACRO_RUN"},
         user_defined_filters={"upper": lambda s: "custom-" + s, "tag": lambda s: f"<{s}>"}):
    BashOperator(task_id="show", bash_command="echo '{{ ds }}|{{ team }}|{{ 'x' | upper }}|{{ team | tag }}|{{ run_id[:4] }}'")

    @task
    def in_py(a, b, c):
        return [a, b, c]

    in_py("{{ ds }}", "{{ team | upper }}", "{{ run_id[:4] }}")
