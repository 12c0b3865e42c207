"""Reschedule sensors whose pokes take 0.6 s, 0.2 s apart: one done on its third poke, one
never done that soft-fails on its third poke (the timeout has passed)."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

from airflow.sdk import DAG, PokeReturnValue, task


@task.sensor(mode="reschedule", poke_interval=0.2, timeout=60)
def third_time() -> PokeReturnValue:
    time.sleep(0.6)
    path = os.environ["LATE_EXIT_COUNTER"]
    n = int(open(path).read()) + 1 if os.path.exists(path) else 1
    with open(path, "w") as f:
        f.write(str(n))
    return PokeReturnValue(is_done=n >= 3, xcom_value=n)


@task.sensor(mode="reschedule", poke_interval=0.2, timeout=1.5, soft_fail=True)
def never() -> PokeReturnValue:
    time.sleep(0.6)
    return PokeReturnValue(is_done=False)


with DAG(
    dag_id="late_exit_sensor",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
):
    third_time()
    never()
