"""Connections and Variables from the environment (AIRFLOW_CONN_* as a URI and as JSON,
AIRFLOW_VAR_* plain and JSON, set by the DAG file as a deployment would set them): read with
Connection.get / BaseHook.get_connection (host, login, password, port, schema, extra_dejson,
get_uri), in templates through conn.* and var.value / var.json, and with Variable.get; a missing
connection fails its task. (Every task here runs Python from the DAG file: a natively run
BashOperator does not import the file in Leoflow, so it would not see what the file sets.)"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, BaseHook, Connection, Variable, task

os.environ.setdefault(
    "AIRFLOW_CONN_RT_RW_WAREHOUSE",
    "postgres://etl_user:s3cret@db.internal:5433/analytics?sslmode=require&region=eu",
)
os.environ.setdefault(
    "AIRFLOW_CONN_RT_RW_API",
    '{"conn_type": "http", "host": "api.example.com", "schema": "https", '
    '"extra": {"timeout": 5, "headers": {"X-Team": "data"}}}',
)
os.environ.setdefault("AIRFLOW_VAR_RT_RW_STAGE", "prod")
os.environ.setdefault("AIRFLOW_VAR_RT_RW_LIMITS", '{"rows": 1000, "tables": ["a", "b"]}')


@task
def read_connections():
    wh = Connection.get("rt_rw_warehouse")
    api = BaseHook.get_connection("rt_rw_api")
    return {
        "wh": [wh.conn_type, wh.host, wh.login, wh.password, wh.port, wh.schema],
        "wh_extra": wh.extra_dejson,
        "wh_uri": wh.get_uri(),
        "api_uri": api.get_uri(),
        "api": [api.conn_type, api.host, api.schema, api.extra_dejson],
    }


@task
def read_variables():
    return {
        "stage": Variable.get("rt_rw_stage"),
        "limits": Variable.get("rt_rw_limits", deserialize_json=True),
    }


@task
def missing_connection():
    return Connection.get("rt_rw_not_defined").host


with DAG(
    dag_id="rt_rw_env_conn_var",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    read_connections()
    read_variables()
    missing_connection()
    PythonOperator(
        task_id="templated",
        python_callable=lambda **kw: kw["text"],
        op_kwargs={
            "text": "{{ conn.rt_rw_warehouse.host }}:{{ conn.rt_rw_warehouse.port }}"
            " {{ conn.rt_rw_api.extra_dejson.headers['X-Team'] }}"
            " {{ var.value.rt_rw_stage }} {{ var.json.rt_rw_limits.rows }}"
        },
    )
