"""Several DAGs generated in a loop from a config dict, registered via globals()."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, dag, task
from airflow.providers.standard.operators.bash import BashOperator

CUSTOMERS = {
    "acme": {"schedule": "0 1 * * *", "tables": ["orders", "users"]},
    "globex": {"schedule": "0 2 * * *", "tables": ["invoices"]},
    "initech": {"schedule": None, "tables": []},
}

for name, cfg in CUSTOMERS.items():
    dag_id = f"fid_dynamic_{name}"
    with DAG(
        dag_id=dag_id,
        start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
        schedule=cfg["schedule"],
        tags=["dynamic", name],
        params={"customer": name},
    ) as generated:
        previous = None
        for table in cfg["tables"]:
            current = BashOperator(task_id=f"load_{table}", bash_command=f"echo {name}.{table}")
            if previous is not None:
                previous >> current
            previous = current
    globals()[dag_id] = generated


def make_decorated(suffix: str):
    @dag(dag_id=f"fid_dynamic_decorated_{suffix}", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC"))
    def generated_flow():
        @task
        def hello():
            return suffix

        hello()

    return generated_flow()


for suffix in ("one", "two"):
    make_decorated(suffix)
