from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task

@dag(dag_id="h12_return_odd", schedule=None, start_date=START, catchup=False)
def d():
    @task(multiple_outputs=True)
    def int_keys():
        return {1: "a", "b": 2}

    @task(multiple_outputs=True)
    def not_dict():
        return [1, 2]

    @task(multiple_outputs=True)
    def none_mo():
        return None

    @task
    def gen():
        return (i for i in range(3))

    @task
    def byts():
        return b"hello\x00\xff"

    @task
    def barr():
        return bytearray(b"ab")

    @task
    def rng():
        return range(3)

    @task
    def st():
        return {3, 1, 2}

    @task
    def fz():
        return frozenset([1])

    @task
    def cplx():
        return complex(1, 2)

    @task(multiple_outputs=True)
    def empty_mo():
        return {}

    @task(multiple_outputs=True)
    def tuple_key_mo():
        return {"ok": 1, ("a", "b"): 2}

    @task(trigger_rule="all_done")
    def pull(**context):
        ti = context["ti"]
        out = {}
        for t in ["byts", "barr", "rng", "st", "fz", "cplx", "empty_mo", "none_mo", "not_dict"]:
            v = ti.xcom_pull(task_ids=t)
            out[t] = [type(v).__name__, repr(v)]
        return out

    [int_keys(), not_dict(), none_mo(), gen(), byts(), barr(), rng(), st(), fz(), cplx(), empty_mo(), tuple_key_mo()] >> pull()
d()
