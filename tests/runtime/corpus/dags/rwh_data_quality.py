"""Astronomer "data quality" pattern: load a table into sqlite, run a set of column / table checks
generated from a module-level config, each check its own task inside a TaskGroup; failures are
collected by an all_done reporter and a ShortCircuit guards the publish step."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import timedelta

import pendulum

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator, ShortCircuitOperator
from airflow.sdk import DAG, TaskGroup, Variable, chain

log = logging.getLogger(__name__)

DB = "/tmp/dq/dq.db"
TABLE = Variable.get("dq_table", default="birds")

COLUMN_CHECKS = {
    "bird_name": {"null_check": {"equal_to": 0}, "distinct_check": {"geq_to": 3}},
    "observation_year": {"max": {"less_than": 2025}, "min": {"geq_to": 2000}},
    "bird_happiness": {"min": {"greater_than": 0}, "max": {"leq_to": 10}},
}
TABLE_CHECKS = {
    "row_count_check": "COUNT(*) >= 5",
    "average_happiness_check": "AVG(bird_happiness) >= 9",
}

SQL_FOR = {
    "null_check": "SUM(CASE WHEN {col} IS NULL THEN 1 ELSE 0 END)",
    "distinct_check": "COUNT(DISTINCT {col})",
    "max": "MAX({col})",
    "min": "MIN({col})",
}
CMP = {
    "equal_to": lambda a, b: a == b,
    "geq_to": lambda a, b: a >= b,
    "leq_to": lambda a, b: a <= b,
    "less_than": lambda a, b: a < b,
    "greater_than": lambda a, b: a > b,
}


def _conn():
    os.makedirs(os.path.dirname(DB), exist_ok=True)
    return sqlite3.connect(DB)


def load_table():
    with _conn() as c:
        c.execute(f"CREATE TABLE {TABLE} (bird_name TEXT, observation_year INT, bird_happiness INT)")
        c.executemany(
            f"INSERT INTO {TABLE} VALUES (?, ?, ?)",
            [("robin", 2018, 8), ("owl", 2021, 9), ("wren", 2022, 10), ("jay", 2019, 7), ("tit", 2023, 9)],
        )
    return TABLE


def run_column_check(column, check, condition, **_):
    (value,) = _conn().execute(f"SELECT {SQL_FOR[check].format(col=column)} FROM {TABLE}").fetchone()
    (op, expected), = condition.items()
    ok = CMP[op](value, expected)
    log.info("%s.%s = %s (%s %s) -> %s", column, check, value, op, expected, ok)
    if not ok:
        raise ValueError(f"{column} {check}: {value} not {op} {expected}")
    return value


def run_table_check(expr, **_):
    (ok,) = _conn().execute(f"SELECT {expr} FROM {TABLE}").fetchone()
    if not ok:
        raise ValueError(f"table check failed: {expr}")
    return bool(ok)


def collect(ti=None, dag_run=None, **_):
    failed = sorted(
        t.task_id for t in dag_run.get_task_instances(state="failed")
    ) if hasattr(dag_run, "get_task_instances") else None
    values = {}
    for col, checks in COLUMN_CHECKS.items():
        for check in checks:
            values[f"{col}.{check}"] = ti.xcom_pull(task_ids=f"column_checks.{col}_{check}")
    return values


with DAG(
    dag_id="rwh_data_quality",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 0, "retry_delay": timedelta(seconds=1)},
) as dag:
    load = PythonOperator(task_id="load_table", python_callable=load_table)

    with TaskGroup("column_checks") as column_checks:
        for col, checks in COLUMN_CHECKS.items():
            for check, condition in checks.items():
                PythonOperator(
                    task_id=f"{col}_{check}",
                    python_callable=run_column_check,
                    op_kwargs={"column": col, "check": check, "condition": condition},
                )

    with TaskGroup("table_checks", prefix_group_id=False) as table_checks:
        for name, expr in TABLE_CHECKS.items():
            PythonOperator(task_id=name, python_callable=run_table_check, op_args=[expr])

    report = PythonOperator(task_id="collect_results", python_callable=collect, trigger_rule="all_done")
    gate = ShortCircuitOperator(
        task_id="all_checks_passed",
        python_callable=lambda **ctx: False,
        trigger_rule="all_done",
        ignore_downstream_trigger_rules=False,
    )
    publish = EmptyOperator(task_id="publish")
    audit = EmptyOperator(task_id="audit", trigger_rule="all_done")

    chain(load, [column_checks, table_checks], report, gate, publish, audit)
