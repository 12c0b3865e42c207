"""The @asset and @asset.multi decorators (each defines a DAG) and a consumer of both."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, Asset, asset, task

START = pendulum.datetime(2024, 1, 1, tz="UTC")


@asset(schedule="@daily", uri="s3://lake/fid_daily_prices.json", tags=["assets"])
def fid_daily_prices():
    return {"AAPL": 1}


@asset(schedule=fid_daily_prices)
def fid_price_report(context, fid_daily_prices):
    return len(context["inlet_events"][fid_daily_prices])


@asset.multi(
    schedule=None,
    outlets=[Asset("fid_left"), Asset("fid_right")],
)
def fid_split_assets():
    pass


with DAG(
    dag_id="fid_asset_decorator_consumer",
    start_date=START,
    schedule=Asset("fid_left") & Asset("fid_right") & fid_price_report,
):

    @task
    def consume():
        return 1

    consume()
