from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.python import PythonOperator

def fn(a, b, tag):
    return f"{tag}:{a}:{b}"

with DAG("tf_expand_kwargs_upstream", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def kw():
        return [{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"b": 5, "a": 6}]

    @task
    def opkw():
        return [{"op_kwargs": {"a": 1, "b": "{{ ti.map_index }}"}}, {"op_kwargs": {"a": "{{ ds }}", "b": 2}}]

    @task
    def add(a, b, tag):
        return f"{tag}:{a + b}"

    @task
    def collect(v):
        return list(v)

    k = kw()
    r = add.partial(tag="t").expand_kwargs(k)
    collect(r)
    PythonOperator.partial(task_id="classic", python_callable=fn, op_kwargs={"tag": "x"}).expand_kwargs(
        k.map(lambda d: {"op_kwargs": {"a": d["a"], "b": d["b"], "tag": "{{ dag.dag_id }}"}}))
    PythonOperator.partial(task_id="classic_tmpl", python_callable=lambda a, b: f"{a}|{b}").expand_kwargs(opkw())
    bad = add.partial(tag="bad").expand_kwargs(k.map(lambda d: {"a": d["a"]}))
    collect.override(task_id="after_bad", trigger_rule="all_done")(bad)
