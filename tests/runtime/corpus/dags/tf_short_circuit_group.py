from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, task_group

with DAG("tf_short_circuit_group", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def sc_false():
        return []

    @task.short_circuit
    def sc_true():
        return "yes"

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def sc_zero():
        return 0

    @task
    def w(x=None):
        return x

    @task_group
    def grp():
        a = w.override(task_id="a")(1)
        b = w.override(task_id="b", trigger_rule="all_done")(2)
        c = w.override(task_id="c", trigger_rule="none_failed")(3)
        a >> b >> c
        return c

    f = sc_false()
    g = grp()
    f >> g
    after = w.override(task_id="after", trigger_rule="none_failed_min_one_success")()
    g >> after
    sc_true() >> w.override(task_id="t1")(5) >> w.override(task_id="t2")(6)
    z = sc_zero()
    z1 = w.override(task_id="z1")(z)
    z2 = w.override(task_id="z2", trigger_rule="always")(7)
    z >> z2
    z1 >> w.override(task_id="z3", trigger_rule="all_skipped")(8)
