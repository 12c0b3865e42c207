from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

with DAG("h12_map_classic_result", schedule=None, start_date=START, catchup=False):
    lister = PythonOperator(task_id="lister", python_callable=lambda: [{"NAME": "a", "N": "1"}, {"NAME": "b", "N": "2"}])
    envs = BashOperator.partial(task_id="envs", bash_command='echo "-"').expand(env=lister.output)
    cmds = BashOperator.partial(task_id="cmds").expand(bash_command=lister.output.map(lambda d: f"echo {d['NAME'] * int(d['N'])}"))
    po = PythonOperator.partial(task_id="po", python_callable=lambda NAME, N: NAME + N).expand(op_kwargs=lister.output)

    @task
    def z(a, b, c):
        return [a, b, c]
    @task
    def merge(a, b, c):
        return {"a": list(a), "b": list(b), "c": list(c)}
    merge(envs.output, cmds.output, po.output)

    @task
    def pair(x):
        return x
    pair.expand(x=envs.output.zip(po.output, fillvalue=None))
