"""The @dag decorator with most DAG arguments, DAG-level params fed to the function, and a
DAG with no tasks."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, Param, dag, task


@dag(
    schedule=datetime.timedelta(days=1),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    end_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=True,
    max_active_runs=1,
    max_active_tasks=4,
    dagrun_timeout=datetime.timedelta(minutes=90),
    is_paused_upon_creation=True,
    fail_fast=True,
    tags=["decorator"],
    default_args={"owner": "platform", "retries": 1},
    params={"batch": Param(100, type="integer")},
    description="All the @dag knobs",
    owner_links={"platform": "https://example.com/platform"},
)
def fid_dag_decorator_options(batch: int = 100):
    @task
    def show(n):
        print(n)

    @task
    def second(n):
        return n

    show(batch) >> second(batch)


fid_dag_decorator_options()

with DAG(dag_id="fid_empty_dag", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC")):
    pass
