"""Config-driven warehouse load: tasks generated in loops from a module-level dict, one TaskGroup
per source, nested groups for staging/validation, chain() between layers, Label edges and a
dimension load that fails for one source (only-once failure recovers via retry, another doesn't)."""

from __future__ import annotations

import json
import logging
import os
from datetime import timedelta

import pendulum

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, Label, TaskGroup, chain

log = logging.getLogger(__name__)

BASE = "/tmp/warehouse"

SOURCES = {
    "crm": {"tables": ["accounts", "contacts", "deals"], "flaky": False, "broken": False},
    "erp": {"tables": ["orders", "invoices"], "flaky": True, "broken": False},
    "web": {"tables": ["sessions", "events", "pageviews"], "flaky": False, "broken": True},
}

default_args = {
    "owner": "analytics",
    "retries": 1,
    "retry_delay": timedelta(seconds=1),
}


def _path(*parts):
    p = os.path.join(BASE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def extract_table(source, table, **context):
    rows = [{"id": i, "table": table, "value": (i * len(table)) % 7} for i in range(5)]
    with open(_path(source, f"{table}.json"), "w") as f:
        json.dump(rows, f)
    return len(rows)


def validate_table(source, table, ti=None, **_):
    count = ti.xcom_pull(task_ids=f"{source}.staging.extract_{table}")
    with open(_path(source, f"{table}.json")) as f:
        rows = json.load(f)
    assert len(rows) == count, "row count mismatch"
    return {"table": table, "rows": count, "checksum": sum(r["value"] for r in rows)}


def load_dimension(source, flaky, broken, ti=None, **_):
    marker = _path(source, ".attempted")
    if broken:
        raise ValueError(f"schema drift in {source}")
    if flaky and not os.path.exists(marker):
        open(marker, "w").close()
        raise ConnectionError("warehouse connection reset")
    results = ti.xcom_pull(task_ids=[f"{source}.validation.validate_{t}" for t in SOURCES[source]["tables"]])
    return {"source": source, "total": sum(r["rows"] for r in results), "try": ti.try_number}


def publish(ti=None, **_):
    loaded = ti.xcom_pull(task_ids=[f"{s}.load_dimension" for s in SOURCES])
    return [x for x in loaded if x is not None]


with DAG(
    dag_id="rwh_warehouse_loop",
    default_args=default_args,
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_tasks=4,
    doc_md=__doc__,
) as dag:
    begin = EmptyOperator(task_id="begin")
    loads = []
    for source, cfg in SOURCES.items():
        with TaskGroup(group_id=source, tooltip=f"Load {source}") as tg:
            with TaskGroup(group_id="staging") as staging:
                extracts = [
                    PythonOperator(
                        task_id=f"extract_{table}",
                        python_callable=extract_table,
                        op_kwargs={"source": source, "table": table},
                    )
                    for table in cfg["tables"]
                ]
            with TaskGroup(group_id="validation") as validation:
                validates = [
                    PythonOperator(
                        task_id=f"validate_{table}",
                        python_callable=validate_table,
                        op_args=[source, table],
                    )
                    for table in cfg["tables"]
                ]
            for e, v in zip(extracts, validates):
                e >> v
            load = PythonOperator(
                task_id="load_dimension",
                python_callable=load_dimension,
                op_kwargs={"source": source, "flaky": cfg["flaky"], "broken": cfg["broken"]},
            )
            validation >> load
        begin >> Label(f"start {source}") >> tg
        loads.append(tg)

    facts = PythonOperator(task_id="build_facts", python_callable=publish, trigger_rule="all_done")
    notify_failure = EmptyOperator(task_id="notify_failure", trigger_rule="one_failed")
    notify_success = EmptyOperator(task_id="notify_success", trigger_rule="none_failed")
    done = EmptyOperator(task_id="done", trigger_rule="none_skipped")

    chain(loads, facts, [notify_failure, notify_success], done)
