from datetime import datetime, timezone
from airflow.sdk import DAG, task, PokeReturnValue
from airflow.providers.standard.sensors.python import PythonSensor

@task.sensor(poke_interval=1, timeout=2)
def truthy_int():
    return 1

@task.sensor(poke_interval=1, timeout=2)
def truthy_dict():
    return {"a": 1}

@task.sensor(poke_interval=1, timeout=1, soft_fail=True)
def falsy_list():
    return []

@task.sensor(poke_interval=1, timeout=2)
def prv_no_xcom():
    return PokeReturnValue(is_done=True)

@task.sensor(poke_interval=1, timeout=2)
def prv_none_xcom():
    return PokeReturnValue(True, None)

with DAG(dag_id="h13_sensor_returns", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    truthy_int(); truthy_dict(); falsy_list(); prv_no_xcom(); prv_none_xcom()
    PythonSensor(task_id="py_prv", python_callable=lambda: PokeReturnValue(is_done=True, xcom_value=[1, "x"]), poke_interval=1, timeout=2)
    PythonSensor(task_id="py_str", python_callable=lambda: "yes", poke_interval=1, timeout=2)
