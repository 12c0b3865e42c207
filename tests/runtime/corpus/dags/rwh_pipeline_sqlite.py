"""Adapted from the "Building a Running Pipeline" tutorial: the Postgres database is a sqlite file
in /tmp and the CSV download is generated locally."""

from __future__ import annotations

import csv
import logging
import os
import sqlite3
from datetime import timedelta

import pendulum

from airflow.sdk import dag, task
from airflow.sdk.exceptions import AirflowSkipException

log = logging.getLogger(__name__)

DB_PATH = "/tmp/employees/employees.db"
DATA_PATH = "/tmp/employees/employees.csv"

ROWS = [
    ("1", "Alice", "2020-01-01", "yes"),
    ("2", "Bob", "2021-05-03", "no"),
    ("3", "Carol", "2019-09-30", "yes"),
    ("2", "Bob", "2021-05-03", "no"),
]


def _connect():
    os.makedirs(os.path.dirname(DB_PATH), exist_ok=True)
    return sqlite3.connect(DB_PATH)


@dag(
    dag_id="rwh_pipeline_sqlite",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    dagrun_timeout=timedelta(minutes=60),
    default_args={"retries": 1, "retry_delay": timedelta(seconds=1)},
)
def ProcessEmployees():
    @task
    def create_employees_table():
        with _connect() as conn:
            conn.execute(
                """
                CREATE TABLE IF NOT EXISTS employees (
                    "Serial Number" NUMERIC PRIMARY KEY,
                    "Company Name" TEXT,
                    "Employee Markme" TEXT,
                    "Leave" INTEGER
                );"""
            )

    @task
    def create_employees_temp_table():
        with _connect() as conn:
            conn.execute("DROP TABLE IF EXISTS employees_temp;")
            conn.execute(
                """
                CREATE TABLE employees_temp (
                    "Serial Number" NUMERIC,
                    "Company Name" TEXT,
                    "Employee Markme" TEXT,
                    "Leave" INTEGER
                );"""
            )

    @task
    def get_data():
        os.makedirs(os.path.dirname(DATA_PATH), exist_ok=True)
        with open(DATA_PATH, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["Serial Number", "Company Name", "Employee Markme", "Leave"])
            writer.writerows(ROWS)
        with _connect() as conn, open(DATA_PATH) as f:
            reader = csv.reader(f)
            next(reader)
            conn.executemany("INSERT INTO employees_temp VALUES (?, ?, ?, ?)", list(reader))
        return DATA_PATH

    @task
    def merge_data():
        query = """
            INSERT OR REPLACE INTO employees
            SELECT DISTINCT * FROM employees_temp;
        """
        try:
            with _connect() as conn:
                conn.execute(query)
                (n,) = conn.execute("SELECT count(*) FROM employees").fetchone()
            log.info("merged %s rows", n)
            return n
        except Exception:
            return 1

    @task
    def report(n: int):
        if n == 0:
            raise AirflowSkipException("nothing merged")
        with _connect() as conn:
            names = [r[0] for r in conn.execute('SELECT "Company Name" FROM employees ORDER BY 1')]
        return {"count": n, "names": names}

    [create_employees_table(), create_employees_temp_table()] >> get_data() >> report(merge_data())


dag = ProcessEmployees()
