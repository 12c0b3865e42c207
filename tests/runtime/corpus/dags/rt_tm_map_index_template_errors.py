"""map_index_template that cannot be rendered: with an undefined name on a task that succeeds
(Airflow renders it after execute and the error fails the task), on a task that fails anyway
(the rendering error is swallowed), a template set from the context during execute, and
max_active_tis_per_dagrun=2 on a mapped task with retries (no change of outcome)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, task


@task(map_index_template="{{ not_defined_anywhere }}")
def bad_template(x):
    return x


@task(map_index_template="{{ not_defined_anywhere }}")
def bad_template_fails(x):
    raise RuntimeError(f"boom {x}")


@task(map_index_template="{{ my_label }}")
def set_in_execute(x):
    from airflow.sdk import get_current_context

    get_current_context()["my_label"] = f"item-{x}"
    return x


@task(max_active_tis_per_dagrun=2, retries=1, retry_delay=timedelta(seconds=1))
def limited(x):
    if x == 3:
        raise ValueError("three")
    return x + 100


with DAG(
    dag_id="rt_tm_map_index_template_errors",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    bad_template.expand(x=[1, 2])
    bad_template_fails.expand(x=[1])
    set_in_execute.expand(x=[5, 6])
    limited.expand(x=[1, 2, 3, 4])
