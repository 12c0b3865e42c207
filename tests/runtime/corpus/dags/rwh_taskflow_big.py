"""Large TaskFlow DAG: a @task_group called once per region (group ids given with override and
auto-suffixed), the same @task called many times (task_id suffixes), nested groups, JSON strings
passed through XCom, and a final reconciliation."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pendulum

from airflow.sdk import dag, task, task_group, Label
from airflow.providers.standard.operators.empty import EmptyOperator

logger = logging.getLogger(__name__)

REGIONS = ["emea", "amer", "apac"]
PRODUCTS = {"emea": ["a", "b"], "amer": ["a", "c"], "apac": ["b", "c"]}
PRICE = {"a": 3, "b": 5, "c": 7}


@task
def fetch_sales(region: str, product: str) -> str:
    units = (len(region) * 7 + ord(product)) % 11
    if region == "apac" and product == "c":
        units = -1
    return json.dumps({"region": region, "product": product, "units": units})


@task
def validate(raw: str) -> str:
    rec = json.loads(raw)
    if rec["units"] < 0:
        raise ValueError(f"negative units {rec}")
    return raw


@task
def price(raw: str) -> float:
    rec = json.loads(raw)
    return rec["units"] * PRICE[rec["product"]]


@task
def add(values: list) -> float:
    return float(sum(v for v in values if v is not None))


@task_group
def region_pipeline(region: str):
    @task_group(group_id="products")
    def products():
        revenues = []
        for product in PRODUCTS[region]:
            raw = fetch_sales.override(task_id=f"fetch_{product}")(region, product)
            revenues.append(price(validate(raw)))
        return revenues

    revs = products()
    return add.override(trigger_rule="all_done")(revs)


@dag(
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 0, "retry_delay": timedelta(seconds=1)},
)
def rwh_taskflow_big():
    start = EmptyOperator(task_id="start")
    totals = {}
    for region in REGIONS:
        totals[region] = region_pipeline.override(group_id=f"region_{region}")(region)
        start >> Label(region) >> totals[region]

    extra = region_pipeline("emea")
    extra2 = region_pipeline("amer")

    @task(trigger_rule="all_done")
    def reconcile(**totals_by_region):
        return json.dumps(totals_by_region, sort_keys=True)

    @task
    def double_check(s: str, a: float, b: float) -> bool:
        d = json.loads(s)
        return d["emea"] == a and d["amer"] == b

    r = reconcile(**totals)
    double_check(r, extra, extra2)
    for _ in range(3):
        add([1, 2, 3])


rwh_taskflow_big()
