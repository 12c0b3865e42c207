"""@task functions that take context by name: `ti`, `dag_run`, `params`, `ds`, `logical_date`,
`task`, `run_id`, `**context` (alone and after normal arguments), and a default argument that is
not a context key; values read from them are returned (prev_data_interval_start_success
through str(): Airflow gives a lazy proxy, which cannot be returned itself)."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def by_name(ti=None, dag_run=None, params=None, ds=None, run_id=None, task=None):
    return {
        "ti_task_id": ti.task_id,
        "ti_map_index": ti.map_index,
        "ti_try": ti.try_number,
        "dag_id": dag_run.dag_id,
        "run_type": str(dag_run.run_type),
        "conf": dag_run.conf,
        "params": dict(params),
        "ds": ds,
        "run_id_prefix": run_id.split("__")[0],
        "task_retries": task.retries,
        "task_owner": task.owner,
    }


@task
def kwargs_only(**context):
    keys = {
        "ti",
        "dag_run",
        "ds",
        "ds_nodash",
        "ts",
        "logical_date",
        "params",
        "task",
        "run_id",
        "data_interval_start",
        "data_interval_end",
        "macros",
        "var",
        "conn",
    }
    return {
        "missing": sorted(k for k in keys if k not in context),
        "ds_nodash": context["ds_nodash"],
        "ts": context["ts"],
        "logical_date": context["logical_date"].isoformat(),
        "task_id": context["task"].task_id,
        "interval": [
            context["data_interval_start"].isoformat(),
            context["data_interval_end"].isoformat(),
        ],
        "macros_ds_add": context["macros"].ds_add(context["ds"], 3),
    }


@task
def args_and_kwargs(x, y=5, *, z=7, **context):
    return {"x": x, "y": y, "z": z, "ti": context["ti"].task_id, "has_x": "x" in context}


@task
def logical(logical_date=None, data_interval_end=None, prev_data_interval_start_success=None):
    # prev_data_interval_start_success is a lazy proxy in Airflow: returning it fails the task
    return [
        logical_date.isoformat(),
        data_interval_end.isoformat(),
        str(prev_data_interval_start_success),
    ]


with DAG(
    dag_id="rt_task_context_args",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    params={"who": "world", "n": 3},
    default_args={"owner": "data-eng", "retries": 0},
    tags=["leoflow-corpus"],
):
    by_name()
    kwargs_only()
    args_and_kwargs(1)
    args_and_kwargs.override(task_id="args_and_kwargs_all")(2, y=3, z=4)
    logical()
