"""SQLExecuteQueryOperator from apache-airflow-providers-common-sql: inline SQL, statement lists,
.sql template files, parameters, default_args conn_id, and a mapped query."""

from __future__ import annotations

import os

import pendulum

from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.sdk import DAG

SQL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sql")

with DAG(
    dag_id="fidp_sql_execute_query",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="@daily",
    template_searchpath=SQL_DIR,
    default_args={"conn_id": "warehouse", "retries": 1},
) as dag:
    create = SQLExecuteQueryOperator(
        task_id="create_table",
        sql="CREATE TABLE IF NOT EXISTS daily_totals (ds date PRIMARY KEY, total numeric)",
        autocommit=True,
    )
    load = SQLExecuteQueryOperator(task_id="load_totals", sql="daily_totals.sql", database="analytics")
    statements = SQLExecuteQueryOperator(
        task_id="statements",
        conn_id="postgres_default",
        sql=["DELETE FROM staging WHERE ds = %(ds)s", "VACUUM staging"],
        parameters={"ds": "{{ ds }}"},
        split_statements=False,
        return_last=False,
        show_return_value_in_logs=True,
        hook_params={"options": "-c search_path=etl"},
    )
    select = SQLExecuteQueryOperator(
        task_id="select_rows",
        sql="SELECT id, amount FROM orders WHERE ds = '{{ ds }}' LIMIT 10",
        handler=None,
        do_xcom_push=False,
    )
    per_table = SQLExecuteQueryOperator.partial(task_id="analyze", conn_id="warehouse").expand(
        sql=["ANALYZE orders", "ANALYZE customers"]
    )
    create >> load >> statements >> select >> per_table
