from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.python import PythonOperator

def fn(*args, base=0, mult=1, **kwargs):
    return {"args": list(args), "base": base, "mult": mult, "val": (sum(args) + base) * mult}

def fn2(x, y, templates_dict=None, **kwargs):
    return [x, y, templates_dict]

with DAG("h12_partial_op_kwargs", schedule=None, start_date=START, catchup=False):
    a = PythonOperator.partial(task_id="args_expand", python_callable=fn, op_kwargs={"base": 10, "mult": 2}).expand(op_args=[[1], [2, 3], []])
    b = PythonOperator.partial(task_id="kwargs_expand", python_callable=fn, op_args=[100]).expand(op_kwargs=[{"base": 1}, {"mult": 3}, {"base": "{{ ti.map_index }}"}])
    c = PythonOperator.partial(task_id="td", python_callable=fn2, templates_dict={"mi": "{{ ti.map_index }}", "tid": "{{ task.task_id }}"}).expand_kwargs([{"op_args": [1, 2]}, {"op_kwargs": {"x": "a", "y": "{{ ds }}"}}])

    @task
    def gather(a, b, c):
        return {"a": list(a), "b": list(b), "c": list(c)}
    gather(a.output, b.output, c.output)
