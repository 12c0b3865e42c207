from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG("h14_lazy_seq_template", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def sq(x):
        return x * x

    s = sq.expand(x=[1, 2, 3])

    @task
    def reduce_ops(values):
        return {
            "len": len(values),
            "first": values[0],
            "last": values[-1],
            "slice": list(values[0:2]),
            "has4": 4 in values,
            "sum": sum(values),
            "type": type(values).__name__,
        }

    @task
    def return_lazy(values):
        return values

    @task
    def pulled_type(**context):
        v = context["ti"].xcom_pull(task_ids="sq")
        return [type(v).__name__, list(v)]

    b = BashOperator(task_id="bash_tpl", bash_command="echo '{{ ti.xcom_pull(task_ids=\"sq\") | list }}'")
    reduce_ops(s)
    return_lazy(s)
    s >> [pulled_type(), b]
