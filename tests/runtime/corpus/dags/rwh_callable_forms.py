"""python_callable forms seen in the wild: functools.partial, a callable class instance, a bound
method, a staticmethod, lambdas using context; @task with typed dict returns (inferred
multiple_outputs) and None returns."""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from typing import Dict, TypedDict

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


def scale(values, factor, **context):
    return [v * factor for v in values]


class Aggregator:
    def __init__(self, how):
        self.how = how

    def __call__(self, ti=None, **kwargs):
        data = ti.xcom_pull(task_ids="partial_scale")
        return {"sum": sum(data), "max": max(data)}[self.how]

    def describe(self, ds=None):
        return f"{self.how}@{ds}"

    @staticmethod
    def version():
        return "1.0"


class Totals(TypedDict):
    a: int
    b: int


agg = Aggregator("sum")

with DAG(
    dag_id="rwh_callable_forms",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
) as dag:
    p = PythonOperator(task_id="partial_scale", python_callable=functools.partial(scale, [1, 2, 3], factor=10))
    c = PythonOperator(task_id="callable_instance", python_callable=agg)
    m = PythonOperator(task_id="bound_method", python_callable=agg.describe)
    s = PythonOperator(task_id="static_method", python_callable=Aggregator.version)
    l = PythonOperator(task_id="lambda_ctx", python_callable=lambda **ctx: ctx["ti"].task_id.upper())

    @task
    def typed_dict_return() -> dict[str, int]:
        return {"x": 1, "y": 2}

    @task
    def typing_dict_return() -> Dict[str, str]:
        return {"k": "v"}

    @task
    def typeddict_return() -> Totals:
        return {"a": 1, "b": 2}

    @task
    def none_return() -> None:
        return None

    @task
    def plain_dict_return() -> dict:
        return {"p": 1}

    @task
    def consume(x, k, whole, whole2):
        return [x, k, whole, whole2]

    tdr = typed_dict_return()
    tpr = typing_dict_return()
    consume(tdr["x"], tpr["k"], typeddict_return(), plain_dict_return())
    p >> c >> [m, s, l]
    none_return()
