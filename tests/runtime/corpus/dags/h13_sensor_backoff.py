import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.sensors.python import PythonSensor

def cnt():
    p = "/tmp/h13_sensor_backoff_count"
    n = int(open(p).read()) if os.path.exists(p) else 0
    n += 1
    if n >= 2:
        if os.path.exists(p): os.remove(p)
        return True
    open(p, "w").write(str(n))
    return False

with DAG(dag_id="h13_sensor_backoff", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    PythonSensor(task_id="backoff_poke", python_callable=cnt, exponential_backoff=True, poke_interval=1, timeout=30, max_wait=2)
    PythonSensor(task_id="backoff_timeout", python_callable=lambda: False, exponential_backoff=True, poke_interval=1, timeout=2, max_wait=1, soft_fail=True)
