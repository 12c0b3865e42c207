"""HttpOperator (apache-airflow-providers-http): methods, JSON bodies, headers, response checks,
pagination off, deferrable, plus an HttpSensor in reschedule mode."""

from __future__ import annotations

import json

import pendulum

from airflow.providers.http.operators.http import HttpOperator
from airflow.providers.http.sensors.http import HttpSensor
from airflow.sdk import DAG


def _ok(response) -> bool:
    return response.status_code == 200


with DAG(
    dag_id="fidp_http_operator",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:
    ping = HttpSensor(
        task_id="ping",
        http_conn_id="api",
        endpoint="health",
        response_check=lambda r: "ok" in r.text,
        mode="reschedule",
        poke_interval=60,
        timeout=600,
    )
    get = HttpOperator(
        task_id="get_items",
        http_conn_id="api",
        endpoint="v1/items?since={{ ds }}",
        method="GET",
        headers={"Accept": "application/json"},
        response_check=_ok,
        response_filter=lambda r: r.json()["items"],
        log_response=True,
        extra_options={"timeout": 30, "verify": False},
    )
    post = HttpOperator(
        task_id="post_report",
        http_conn_id="api",
        endpoint="v1/reports",
        data=json.dumps({"day": "{{ ds }}", "count": 3}),
        headers={"Content-Type": "application/json"},
        retry_args={"stop_after_attempt": 3},
    )
    deferred = HttpOperator(
        task_id="deferred_put",
        endpoint="v1/flags/{{ params.flag }}",
        method="PUT",
        data={"enabled": True},
        deferrable=True,
        params={"flag": "beta"},
    )
    ping >> get >> post >> deferred
