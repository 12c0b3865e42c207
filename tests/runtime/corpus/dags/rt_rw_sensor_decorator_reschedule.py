"""@task.sensor in reschedule mode returning PokeReturnValue: a sensor not done on its first
poke and done on its second with an xcom_value (up_for_reschedule in between, one try), a
mapped @task.sensor in reschedule mode whose indexes finish on different pokes, a sensor that
is never done and soft-fails after its timeout (skipped), and downstream tasks consuming the
xcom_values."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.sdk import DAG, PokeReturnValue, task


def _bump(name):
    os.makedirs("/tmp/rt_rw_sensor_decorator_reschedule", exist_ok=True)
    path = os.path.join("/tmp/rt_rw_sensor_decorator_reschedule", name)
    n = int(open(path).read()) if os.path.exists(path) else 0
    with open(path, "w") as f:
        f.write(str(n + 1))
    return n + 1


@task.sensor(mode="reschedule", poke_interval=1, timeout=60)
def wait_for_export() -> PokeReturnValue:
    n = _bump("export")
    if n < 2:
        return PokeReturnValue(is_done=False)
    return PokeReturnValue(is_done=True, xcom_value={"path": "s3://bucket/export", "pokes": n})


@task.sensor(mode="reschedule", poke_interval=1, timeout=60)
def wait_for_partition(part) -> PokeReturnValue:
    n = _bump(f"part{part}")
    return PokeReturnValue(is_done=n > part, xcom_value=f"part{part}@{n}")


@task.sensor(mode="reschedule", poke_interval=1, timeout=2, soft_fail=True)
def wait_forever() -> PokeReturnValue:
    return PokeReturnValue(is_done=False, xcom_value="never")


@task
def process(export, parts):
    return {"export": export["path"], "pokes": export["pokes"], "parts": list(parts)}


@task
def after_forever():
    return "not reached"


with DAG(
    dag_id="rt_rw_sensor_decorator_reschedule",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "sensors"],
):
    process(wait_for_export(), wait_for_partition.expand(part=[0, 1]))
    wait_forever() >> after_forever()
