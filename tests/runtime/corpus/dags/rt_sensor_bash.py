"""BashSensor: the command exits 1 on its first poke and 0 on the second (counter in /tmp)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.sensors.bash import BashSensor
from airflow.sdk import DAG

with DAG(
    dag_id="rt_sensor_bash",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    wait = BashSensor(
        task_id="wait_for_counter",
        bash_command=(
            "f=/tmp/rt_sensor_bash.count; n=$(cat $f 2>/dev/null || echo 0); "
            "echo $((n+1)) > $f; [ $((n+1)) -ge 2 ]"
        ),
        poke_interval=0.2,
        timeout=30,
    )
    wait >> EmptyOperator(task_id="proceed")
