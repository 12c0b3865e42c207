from __future__ import annotations
from datetime import datetime, timedelta, timezone
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

from airflow.sdk import dag, task
from airflow.providers.standard.operators.python import ShortCircuitOperator

@dag(dag_id="h12_sc_then_mapped", schedule=None, start_date=START, catchup=False)
def d():
    sc_true = ShortCircuitOperator(task_id="sc_true", python_callable=lambda: [1, 2, 3])
    sc_false = ShortCircuitOperator(task_id="sc_false", python_callable=lambda: [], ignore_downstream_trigger_rules=False)

    @task
    def dbl(x):
        return x * 2

    @task
    def total(v):
        return sum(v)

    m1 = dbl.expand(x=sc_true.output)
    total(m1)

    m2 = dbl.override(task_id="dbl_false").expand(x=sc_false.output)
    total.override(task_id="total_false", trigger_rule="all_done")(m2)

    m3 = dbl.override(task_id="dbl_lit").expand(x=[5, 6])
    sc_false >> m3
    total.override(task_id="total_lit", trigger_rule="none_failed")(m3)

    @task.short_circuit
    def sc_dec():
        return {"a": 1}
    s = sc_dec()
    @task
    def kv(k, v):
        return f"{k}={v}"
    s >> kv.expand_kwargs([{"k": "a", "v": 1}])
    s >> kv.override(task_id="kv2").expand(k=["x", "y"], v=[1])
d()
