from datetime import datetime, timezone
from airflow.sdk import DAG, PokeReturnValue
from airflow.providers.standard.sensors.python import PythonSensor
from airflow.providers.standard.operators.python import PythonOperator

with DAG("h10_python_sensor_prv", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    s1 = PythonSensor(task_id="prv_value", python_callable=lambda: PokeReturnValue(True, {"n": 1}), poke_interval=0.2, timeout=1)
    s2 = PythonSensor(task_id="truthy_list", python_callable=lambda: [1], poke_interval=0.2, timeout=1)
    s3 = PythonSensor(task_id="prv_false_soft", python_callable=lambda: PokeReturnValue(False, "x"), poke_interval=0.2, timeout=1, soft_fail=True)
    s4 = PythonSensor(task_id="prv_true_none", python_callable=lambda: PokeReturnValue(is_done=True), poke_interval=0.2, timeout=1)
    s5 = PythonSensor(task_id="op_kwargs", python_callable=lambda want, ds: want == ds, op_kwargs={"want": "{{ ds }}"}, poke_interval=0.2, timeout=1)
    s6 = PythonSensor(task_id="raises_soft", python_callable=lambda: 1 / 0, poke_interval=0.2, timeout=1, soft_fail=True)
    r = PythonOperator(task_id="read", python_callable=lambda ti: [ti.xcom_pull(task_ids="prv_value"), ti.xcom_pull(task_ids="truthy_list"), ti.xcom_pull(task_ids="prv_true_none")], trigger_rule="all_done")
    [s1, s2, s3, s4, s5, s6] >> r
