from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task

def shape(v):
    if isinstance(v, dict):
        return {"dict": {str(k) + ":" + type(k).__name__: shape(x) for k, x in v.items()}}
    if isinstance(v, (list, tuple)):
        return {type(v).__name__: [shape(x) for x in v]}
    if isinstance(v, (set, frozenset)):
        return {type(v).__name__: sorted(repr(x) for x in v)}
    return [type(v).__name__, repr(v)]

@dag(dag_id="h12_nested_xcom", schedule=None, start_date=START, catchup=False)
def d():
    @task
    def make():
        deep = "leaf"
        for i in range(40):
            deep = {"l": [deep, i]} if i % 2 else [deep, (i,)]
        return {
            "tuple_in_list": [(1, 2), [3, (4, 5)]],
            "dict_int_keys": {1: "a", 2: {3: "b"}},
            "mixed": {"none": None, "bool": True, "float": 1.5, "neg": -0.0, "s": "",},
            "set_in_dict": {"s": {1, 2}},
            "deep": deep,
            "empty": [[], {}, ()],
            "bool_keys": {True: 1, None: 2},
        }

    @task
    def inspect(v):
        return shape(v)

    @task
    def inspect_pull(**context):
        return shape(context["ti"].xcom_pull(task_ids="make"))

    m = make()
    inspect(m)
    m >> inspect_pull()

    @task(multiple_outputs=True)
    def mo():
        return {"t": (1, [2, (3,)]), "d": {1: (2,)}}
    o = mo()
    inspect.override(task_id="inspect_t")(o["t"])
    inspect.override(task_id="inspect_d")(o["d"])
d()
