"""Mapped tasks named by map_index_template: a classic operator's (rendered from its own
rendered field) and a @task's (from a context key the task sets); one index fails."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, get_current_context, task

with DAG("e2e_map_names", schedule=None, start_date=datetime(2025, 1, 1, tzinfo=timezone.utc)):
    BashOperator.partial(task_id="greet", map_index_template="say {{ task.bash_command }}").expand(
        bash_command=["echo a", "echo b"]
    )

    @task(map_index_template="{{ city_name }}")
    def city(name):
        get_current_context()["city_name"] = name.title()
        if name == "oslo":
            raise ValueError("no")
        return name

    city.expand(name=["paris", "oslo"])
