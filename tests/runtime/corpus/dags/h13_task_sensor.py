import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, PokeReturnValue

@task.sensor(poke_interval=1, timeout=2, mode="reschedule")
def done_sensor():
    return PokeReturnValue(is_done=True, xcom_value={"v": [1, 2]})

@task.sensor(poke_interval=1, timeout=5, mode="reschedule")
def second_poke():
    p = "/tmp/h13_task_sensor_marker"
    if os.path.exists(p):
        os.remove(p)
        return PokeReturnValue(is_done=True, xcom_value="second")
    open(p, "w").close()
    return PokeReturnValue(is_done=False, xcom_value="ignored")

@task.sensor(poke_interval=1, timeout=2, mode="poke")
def bool_sensor():
    return True

@task.sensor(poke_interval=1, timeout=1, mode="reschedule", soft_fail=True)
def never():
    return PokeReturnValue(is_done=False)

@task
def use(a, b, c):
    return [a, b, c]

with DAG(dag_id="h13_task_sensor", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    use(done_sensor(), second_poke(), bool_sensor())
    never()
