"""Asset-driven schedules: single asset, lists, ``&``/``|`` conditions, aliases, AssetOrTimeSchedule."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, Asset, AssetAlias, AssetAll, AssetAny, AssetOrTimeSchedule
from airflow.timetables.assets import AssetOrTimeSchedule as LegacyAssetOrTimeSchedule
from airflow.timetables.trigger import CronTriggerTimetable
from airflow.providers.standard.operators.empty import EmptyOperator

START = pendulum.datetime(2024, 1, 1, tz="UTC")

orders = Asset("s3://warehouse/orders.parquet")
customers = Asset(uri="s3://warehouse/customers.parquet", name="customers", group="crm")
payments = Asset(name="payments", uri="postgres://db/public/payments", extra={"team": "billing"})
refunds = Asset("refunds")
by_alias = AssetAlias("nightly-exports")

with DAG(dag_id="fid_asset_single", start_date=START, schedule=orders):
    EmptyOperator(task_id="consume")

with DAG(dag_id="fid_asset_list", start_date=START, schedule=[orders, customers]):
    EmptyOperator(task_id="consume")

with DAG(dag_id="fid_asset_and_or", start_date=START, schedule=(orders & customers) | payments):
    EmptyOperator(task_id="consume")

with DAG(
    dag_id="fid_asset_nested_condition",
    start_date=START,
    schedule=AssetAny(AssetAll(orders, refunds), AssetAll(customers, payments), by_alias),
):
    EmptyOperator(task_id="consume")

with DAG(dag_id="fid_asset_alias_schedule", start_date=START, schedule=by_alias):
    EmptyOperator(task_id="consume")

with DAG(
    dag_id="fid_asset_or_time",
    start_date=START,
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 4 * * *", timezone="UTC"),
        assets=(orders | refunds),
    ),
):
    EmptyOperator(task_id="consume")

with DAG(
    dag_id="fid_asset_or_time_legacy_path",
    start_date=START,
    schedule=LegacyAssetOrTimeSchedule(
        timetable=CronTriggerTimetable("30 5 * * *", timezone="Europe/London"),
        assets=[payments, customers],
    ),
):
    EmptyOperator(task_id="consume")
