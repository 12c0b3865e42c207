"""max_active_tis_per_dagrun=1 and map_index_template on a mapped task: every index runs, one
at a time, and the reduce gets the values in map-index order."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task(max_active_tis_per_dagrun=1, map_index_template="{{ city }}")
def weather(city):
    from airflow.sdk import get_current_context

    get_current_context()["city"] = city
    return f"{city}: sunny"


@task
def report(lines):
    return list(lines)


with DAG(
    dag_id="rt_map_max_active_template",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "mapping"],
):
    report(weather.expand(city=["oslo", "lima", "pune"]))
