"""Producers with asset outlets and aliases, Metadata yielded from tasks, inlets read back."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, Asset, AssetAlias, Metadata, task
from airflow.providers.standard.operators.bash import BashOperator

raw = Asset("s3://lake/raw/events.json", extra={"format": "json"})
curated = Asset(name="curated_events", uri="s3://lake/curated/events.parquet")
alias = AssetAlias("daily-partitions")

with DAG(
    dag_id="fid_asset_producer",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
) as dag:
    land = BashOperator(task_id="land", bash_command="echo landing", outlets=[raw])

    @task(inlets=[raw], outlets=[curated])
    def curate():
        yield Metadata(curated, extra={"rows": 42})

    @task(outlets=[alias])
    def publish_partition(*, outlet_events=None, ds=None):
        outlet_events[alias].add(Asset(f"s3://lake/partitions/{ds}"), extra={"ds": ds})

    @task(inlets=[curated])
    def report(*, inlet_events=None):
        return len(inlet_events[curated])

    land >> curate() >> publish_partition() >> report()
