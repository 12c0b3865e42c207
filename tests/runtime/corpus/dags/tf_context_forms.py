from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task, get_current_context

with DAG("tf_context_forms", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         params={"p": 5}):
    @task
    def kw(**context):
        return [context["ti"].task_id, context["params"]["p"], context["ds"], context["ti"].try_number]

    @task
    def named(ti, params, ds_nodash, dag_run=None, task=None):
        return [ti.task_id, params["p"], ds_nodash, dag_run.run_type, task.task_id]

    @task
    def gcc():
        c = get_current_context()
        return [c["ti"].map_index, c["task"].task_id, c["logical_date"].isoformat()]

    @task
    def mapped(x, **context):
        c = get_current_context()
        return [x, context["ti"].map_index, c["ti"].map_index, c is context or c == context]

    @task
    def mix(a, b=2, *, ti=None, **kwargs):
        return [a, b, ti.task_id, sorted(k for k in kwargs if k in ("ds", "params", "var"))]

    kw() >> named() >> gcc()
    mapped.expand(x=[10, 20])
    mix(1)
    mix.override(task_id="mix2")(1, b=3)
