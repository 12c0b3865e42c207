"""partial + expand on BashOperator: over bash_command and over env."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="rt_map_bash_partial",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    BashOperator.partial(task_id="commands").expand(
        bash_command=["echo one", "echo two", "echo $((20 + 1))"]
    )
    BashOperator.partial(task_id="envs", bash_command='echo "color=$COLOR"').expand(
        env=[{"COLOR": "red"}, {"COLOR": "blue"}]
    )
