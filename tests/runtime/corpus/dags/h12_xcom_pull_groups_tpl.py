from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, TaskGroup, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator

with DAG("h12_xcom_pull_groups_tpl", schedule=None, start_date=START, catchup=False):
    with TaskGroup("grp") as grp:
        @task
        def t():
            return {"k": [1, 2], "s": "x y"}
        @task
        def m(i):
            return i * 100
        tt = t()
        mm = m.expand(i=[1, 2, 3])
    with TaskGroup("other") as other:
        b1 = BashOperator(task_id="b1", bash_command="echo {{ task_instance.xcom_pull(task_ids='grp.t') }}")
        b2 = BashOperator(task_id="b2", bash_command="echo {{ task_instance.xcom_pull(task_ids='grp.t')['k'] | sum }} {{ ti.xcom_pull(task_ids='grp.m') | list }}")
        b3 = BashOperator(task_id="b3", bash_command="echo {{ ti.xcom_pull(task_ids='grp.m', map_indexes=1) }} {{ ti.xcom_pull(task_ids=['grp.t', 'grp.m'], map_indexes=[0]) }}")
        b4 = BashOperator(task_id="b4", bash_command="echo {{ ti.xcom_pull(task_ids='t') }}-{{ ti.xcom_pull(task_ids='other.b1') }}")
        b1 >> b4
    grp >> other
    p = PythonOperator(task_id="p", python_callable=lambda a, b: [a, b], op_args=["{{ ti.xcom_pull(task_ids='grp.t')['s'] }}", "{{ ti.xcom_pull(task_ids='other.b2') }}"])
    other >> p
