from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h12_bash_env_ctx", schedule=None, start_date=START, catchup=False, default_args={"owner": "team-a", "email": ["a@x.com", "b@x.com"]}):
    cmd = 'echo "||||||||haspath|nomi"'
    a = BashOperator(task_id="append", bash_command=cmd, env={"FOO": "bar"}, append_env=True)
    b = BashOperator(task_id="noappend", bash_command=cmd, env={"FOO": "baz"})
    c = BashOperator(task_id="noenv", bash_command=cmd, owner="solo", email="one@x.com")
    d = BashOperator(task_id="tplenv", bash_command=cmd, env={"FOO": "{{ task.owner }}-{{ ti.try_number }}"}, append_env=True)
    m = BashOperator.partial(task_id="mapped", bash_command=cmd, append_env=True).expand(env=[{"FOO": "m0"}, {"FOO": "m1"}])

    @task.bash(env={"FOO": "dec"}, append_env=True)
    def dec():
        return 'echo "||"'
    dec()
