from datetime import datetime, timezone
from airflow.sdk import DAG, task, PokeReturnValue
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(dag_id="h13_sensors_sf", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    s = PythonSensor(task_id="resched_sf", python_callable=lambda: False, mode="reschedule", soft_fail=True, timeout=1, poke_interval=1)
    s2 = PythonSensor(task_id="poke_sf", python_callable=lambda: False, mode="poke", soft_fail=True, timeout=1, poke_interval=1)
    s3 = PythonSensor(task_id="resched_fail", python_callable=lambda: False, mode="reschedule", timeout=1, poke_interval=1)
    after = EmptyOperator(task_id="after")
    after_all_done = EmptyOperator(task_id="after_all_done", trigger_rule="all_done")
    [s, s2] >> after
    [s, s3] >> after_all_done
