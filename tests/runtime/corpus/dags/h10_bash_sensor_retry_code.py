from datetime import datetime, timezone
from airflow.sdk import DAG
from airflow.providers.standard.sensors.bash import BashSensor

with DAG("h10_bash_sensor_retry_code", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    BashSensor(task_id="plain_fail_code_soft", bash_command="exit 3", poke_interval=0.3, timeout=1, soft_fail=True)
    BashSensor(task_id="retry_code_other", bash_command="exit 3", retry_exit_code=5, poke_interval=0.3, timeout=1)
    BashSensor(task_id="retry_code_same", bash_command="exit 3", retry_exit_code=3, poke_interval=0.3, timeout=1)
    BashSensor(task_id="retry_code_soft", bash_command="exit 4", retry_exit_code=5, poke_interval=0.3, timeout=1, soft_fail=True)
    BashSensor(task_id="ok", bash_command="echo yes; exit 0", poke_interval=0.3, timeout=1)
    BashSensor(task_id="env_sensor", bash_command='test "$W" = "{{ ds }}"', env={"W": "2025-01-01"}, poke_interval=0.3, timeout=1)
