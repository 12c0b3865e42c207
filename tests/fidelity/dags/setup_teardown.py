"""Setup/teardown: decorators, as_setup/as_teardown, teardown(setups=...), on_failure_fail_dagrun."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, TaskGroup, setup, task, teardown
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(
    dag_id="fid_setup_teardown",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:
    create_bucket = BashOperator(task_id="create_bucket", bash_command="echo create")
    delete_bucket = BashOperator(task_id="delete_bucket", bash_command="echo delete")
    use_bucket = BashOperator(task_id="use_bucket", bash_command="echo use")
    create_bucket >> use_bucket >> delete_bucket.as_teardown(setups=create_bucket)

    start_db = EmptyOperator(task_id="start_db").as_setup()
    stop_db = EmptyOperator(task_id="stop_db").as_teardown(setups=start_db, on_failure_fail_dagrun=True)
    query = EmptyOperator(task_id="query")
    start_db >> query >> stop_db

    @setup
    def provision() -> str:
        return "vm-1"

    @teardown(on_failure_fail_dagrun=False)
    def destroy(vm: str):
        print("destroy", vm)

    @task
    def work(vm: str):
        print("work on", vm)

    with TaskGroup("scoped"):
        vm = provision()
        work(vm) >> destroy(vm)

    # context-manager form: everything inside is between setup and teardown
    lock = EmptyOperator(task_id="acquire_lock")
    unlock = EmptyOperator(task_id="release_lock")
    with unlock.as_teardown(setups=lock):
        EmptyOperator(task_id="critical_section")
