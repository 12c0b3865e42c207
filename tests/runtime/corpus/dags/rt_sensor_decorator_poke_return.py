"""@task.sensor returning PokeReturnValue: done on the second poke, its xcom_value becomes the
sensor's return value and feeds the downstream task."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.sdk import DAG, PokeReturnValue, task

COUNTER = "/tmp/rt_sensor_decorator_poke_return.count"


@task.sensor(poke_interval=0.2, timeout=30, mode="poke")
def wait_for_partition() -> PokeReturnValue:
    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0
    with open(COUNTER, "w") as f:
        f.write(str(n + 1))
    if n + 1 < 2:
        return PokeReturnValue(is_done=False)
    return PokeReturnValue(is_done=True, xcom_value={"partition": "2025-01-01", "pokes": n + 1})


@task
def process(info):
    return f"processing {info['partition']}"


with DAG(
    dag_id="rt_sensor_decorator_poke_return",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    process(wait_for_partition())
