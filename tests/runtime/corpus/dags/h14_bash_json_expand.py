from __future__ import annotations
from datetime import datetime, timedelta, timezone
import json
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_bash_json_expand", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    ls = BashOperator(
        task_id="list_items",
        bash_command='echo "noise"; echo \'["x", "y", "z"]\'',
        output_processor=lambda out: json.loads(out),
    )

    @task
    def upper(item):
        return item.upper()

    echo = BashOperator.partial(task_id="echo_each").expand(
        bash_command=ls.output.map(lambda s: f"echo item-{s}")
    )

    @task
    def total(vals):
        return "".join(vals)

    total(upper.expand(item=ls.output))

    @task
    def from_echo(vals):
        return list(vals)

    from_echo(echo.output)
