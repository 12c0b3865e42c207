"""get_current_context() inside @task and inside a helper it calls; context keys read from it
(ti attributes, task attributes, dag_run, run_id, logical_date, data interval, params, var
accessor, prev_* in a first run); and a @task taking **context."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, get_current_context, task


def _helper():
    ctx = get_current_context()
    return ctx["ti"].task_id


@task(retries=2, retry_delay=timedelta(seconds=1))
def from_context():
    ctx = get_current_context()
    ti = ctx["ti"]
    return {
        "task_id": ti.task_id,
        "dag_id": ti.dag_id,
        "try_number": ti.try_number,
        "map_index": ti.map_index,
        "max_tries": ti.max_tries,
        "retries": ctx["task"].retries,
        "run_id_is_manual": ctx["run_id"].startswith("manual__"),
        "logical_date": ctx["logical_date"].isoformat(),
        "interval": [ctx["data_interval_start"].isoformat(), ctx["data_interval_end"].isoformat()],
        "ds": ctx["ds"],
        "ts_nodash": ctx["ts_nodash"],
        "params": dict(ctx["params"]),
        "conf": ctx["dag_run"].conf,
        "prev_success": str(ctx["prev_data_interval_start_success"]),
        "helper": _helper(),
        "var_default": ctx["var"]["value"].get("rt_ctx_nope", "dv"),
        "has_expanded_ti_count": "expanded_ti_count" in ctx,
        "has_conf": "conf" in ctx,
    }


@task
def kwargs_context(**context):
    return sorted(
        k for k in ("ds", "ti", "task", "dag", "dag_run", "params", "run_id", "macros", "conf")
        if k in context
    )


with DAG(
    dag_id="rt_ctx_current_context",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"who": "me"},
    tags=["leoflow-corpus", "templates"],
):
    from_context()
    kwargs_context()
