from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task, chain, chain_linear, cross_downstream, Label, TaskGroup
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h14_chain_helpers", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def step(n):
        if n == "x2":
            raise ValueError("x2 failed")
        return n

    t = {n: step.override(task_id=n)(n) for n in ["a", "b1", "b2", "c1", "c2", "d"]}
    chain(t["a"], [t["b1"], t["b2"]], [t["c1"], t["c2"]], t["d"])

    x = [step.override(task_id=f"x{i}")(f"x{i}") for i in range(1, 4)]
    y = [EmptyOperator(task_id=f"y{i}") for i in range(1, 3)]
    cross_downstream(x, y)

    with TaskGroup("tg") as tg:
        g1 = EmptyOperator(task_id="g1")
        g2 = EmptyOperator(task_id="g2")
    z = [EmptyOperator(task_id=f"z{i}", trigger_rule="all_done") for i in range(1, 3)]
    chain_linear(y, tg, z)
    fin = EmptyOperator(task_id="final", trigger_rule="one_failed")
    z[0] >> Label("done") >> fin
    t["d"] >> Label("also") >> fin
