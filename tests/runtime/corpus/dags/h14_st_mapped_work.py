from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG("h14_st_mapped_work", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def create_table():
        return "tmp_table"

    @task
    def drop_table(name):
        return f"dropped {name}"

    @task
    def insert(tbl, part):
        if part == 2:
            raise ValueError(f"partition {part} bad")
        return f"{tbl}:{part}"

    @task(trigger_rule="all_done")
    def count(rows):
        return len([r for r in rows if r])

    t = create_table()
    ins = insert.partial(tbl=t).expand(part=[1, 2, 3])
    c = count(ins)
    d = drop_table(t)
    t >> ins >> c >> d.as_teardown(setups=t)
    end = EmptyOperator(task_id="end")
    c >> end
