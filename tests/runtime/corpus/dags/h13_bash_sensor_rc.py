from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG
from airflow.providers.standard.sensors.bash import BashSensor

with DAG(dag_id="h13_bash_sensor_rc", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    BashSensor(task_id="rc3_retry", bash_command="exit 3", retry_exit_code=3, retries=1, retry_delay=timedelta(seconds=1), poke_interval=1, timeout=5)
    BashSensor(task_id="rc3_noretry_cfg", bash_command="exit 3", poke_interval=1, timeout=2)
    BashSensor(task_id="rc0", bash_command="exit 0", retry_exit_code=0, poke_interval=1, timeout=5)
    BashSensor(task_id="rc1_retry_code", bash_command="exit 1", retry_exit_code=1, retries=0, poke_interval=1, timeout=5)
    BashSensor(task_id="rc99", bash_command="exit 99", poke_interval=1, timeout=2, soft_fail=True)
