from __future__ import annotations
from datetime import datetime, timedelta, timezone
import os
from airflow.sdk import DAG, task, PokeReturnValue
from airflow.providers.standard.sensors.python import PythonSensor

D = "/tmp/h14_h14_sensors_poke"


def file_ready(path):
    os.makedirs(D, exist_ok=True)
    n = os.path.join(D, "count")
    c = int(open(n).read()) + 1 if os.path.exists(n) else 1
    open(n, "w").write(str(c))
    return c >= 3


with DAG("h14_sensors_poke", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    ready = PythonSensor(task_id="wait_for_file", python_callable=file_ready, op_args=["x"],
                         poke_interval=1, timeout=30, mode="poke")

    never_soft = PythonSensor(task_id="never_soft", python_callable=lambda: False,
                              poke_interval=1, timeout=2, mode="poke", soft_fail=True)

    @task.sensor(poke_interval=1, timeout=20, mode="poke")
    def wait_for_upstream() -> PokeReturnValue:
        return PokeReturnValue(is_done=True, xcom_value={"rows": 3})

    @task.sensor(poke_interval=1, timeout=2, mode="poke", retries=2, retry_delay=timedelta(seconds=1))
    def never_hard():
        return False

    @task
    def consume(v):
        return v["rows"] + 1

    @task(trigger_rule="all_done")
    def after_soft():
        return "after"

    ready >> consume(wait_for_upstream())
    never_soft >> after_soft()
    never_hard() >> after_soft.override(task_id="after_hard")()
