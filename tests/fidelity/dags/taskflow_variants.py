"""Every @task flavour: sensor, bash, virtualenv, external_python, branch*, short_circuit, override."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, PokeReturnValue, task
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(
    dag_id="fid_taskflow_variants",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:

    @task.sensor(poke_interval=60, timeout=3600, mode="reschedule", soft_fail=False)
    def wait_for_upstream() -> PokeReturnValue:
        return PokeReturnValue(is_done=True, xcom_value="ready")

    @task.sensor(task_id="wait_quick", poke_interval=datetime.timedelta(seconds=5), exponential_backoff=True)
    def wait_quick() -> bool:
        return True

    @task.bash(env={"MODE": "fast"}, cwd="/tmp")
    def run_script(flag: str) -> str:
        return f"./run.sh --flag {flag}"

    @task.virtualenv(requirements=["pandas==2.2.2"], system_site_packages=False, python_version="3.11")
    def in_venv(x: int) -> int:
        import pandas  # noqa: F401

        return x * 2

    @task.external_python(python="/opt/py311/bin/python", expect_airflow=False)
    def in_external() -> str:
        return "external"

    @task.branch
    def pick(value: str) -> str:
        return "fast_path" if value == "ready" else "slow_path"

    @task.branch_virtualenv(requirements=[])
    def pick_in_venv() -> list[str]:
        return ["fast_path"]

    @task.branch_external_python(python="/opt/py311/bin/python")
    def pick_external() -> str:
        return "slow_path"

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def should_continue() -> bool:
        return True

    @task.python(multiple_outputs=True, task_display_name="Compute stats")
    def stats() -> dict:
        return {"a": 1, "b": 2}

    @task(task_id="custom_id", retries=4, pool="small", doc_md="Renamed task")
    def renamed() -> int:
        return 1

    ready = wait_for_upstream()
    wait_quick() >> ready
    fast = EmptyOperator(task_id="fast_path")
    slow = EmptyOperator(task_id="slow_path")
    choice = pick(ready)
    choice >> [fast, slow]
    pick_in_venv() >> [fast, slow]
    pick_external() >> [fast, slow]
    fast >> run_script("{{ ds }}") >> in_venv(3) >> in_external()
    s = stats()
    should_continue() >> s
    renamed() >> renamed.override(task_id="renamed_again", retries=0)() >> slow
    run_script.override(task_id="second_script")(s["a"])
