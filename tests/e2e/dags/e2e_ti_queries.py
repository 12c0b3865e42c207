"""Calls the task instance's queries of Airflow's RuntimeTaskInstance (get_ti_count,
get_task_states, get_dr_count, get_dagrun_state, get_previous_ti, get_previous_dagrun,
get_template_context) and returns what they answer."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, task


@task
def a():
    return 1


@task
def m(x):
    return x


@task
def queries(**context):
    ti = context["ti"]
    dag_id, run_id = ti.dag_id, ti.run_id
    try:
        ti.get_dagrun_state(dag_id=dag_id, run_id="no_such_run")
        missing = None
    except Exception as exc:
        missing = [type(exc).__name__, "404" in str(exc), "not_found" in str(exc)]
    ctx = ti.get_template_context()
    return {
        "ti_count": ti.get_ti_count(dag_id=dag_id, run_ids=[run_id], states=["success"]),
        "null_count": ti.get_ti_count(dag_id=dag_id, run_ids=[run_id], states=["null"]),
        "group_count": ti.get_ti_count(dag_id=dag_id, task_group_id="grp", run_ids=[run_id]),
        "index_count": ti.get_ti_count(dag_id=dag_id, map_index=1, run_ids=[run_id]),
        "states": ti.get_task_states(dag_id=dag_id, task_group_id="grp", run_ids=[run_id]),
        "a_states": ti.get_task_states(dag_id=dag_id, task_ids=["a"]),
        "dr_count": ti.get_dr_count(dag_id=dag_id),
        "dr_success": ti.get_dr_count(dag_id=dag_id, states=["success"]),
        "dr_state": str(ti.get_dagrun_state(dag_id=dag_id, run_id=run_id)),
        "missing": missing,
        "context": [ctx is ti.get_template_context(), ctx["ti"] is ti, ctx["run_id"] == run_id],
    }


@task
def previous(**context):
    ti = context["ti"]
    prev_ti = ti.get_previous_ti()
    prev_dr = ti.get_previous_dagrun()
    return [
        None
        if prev_ti is None
        else [prev_ti.run_id, prev_ti.state, prev_ti.logical_date.isoformat(), prev_ti.map_index],
        None
        if prev_dr is None
        else [
            prev_dr.run_id,
            str(prev_dr.state),
            str(prev_dr.run_type),
            prev_dr.logical_date.isoformat(),
        ],
        ti.get_previous_dagrun(state="failed"),
        ti.get_previous_ti(state="failed"),
    ]


with DAG(
    dag_id="e2e_ti_queries",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
):
    with TaskGroup("grp") as grp:
        m.expand(x=[1, 2])
    first = a()
    # `queries` counts the run's finished tasks: `previous` waits for it (as dag.test() runs
    # them one after the other), else the count depends on which of the two ends first
    first >> grp >> queries() >> previous()
