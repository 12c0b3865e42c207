"""A DAG with every shape the UI pages show: a task group, a mapped task, XComs, a bash task."""

from datetime import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, task, task_group

with DAG(
    dag_id="ui_showcase",
    start_date=datetime(2025, 1, 1),
    schedule=None,
    catchup=False,
    tags=["ui"],
) as dag:

    @task
    def numbers():
        print("numbers ready")
        return [1, 2, 3]

    @task
    def double(n):
        print(f"double {n}")
        return n * 2

    @task_group(group_id="group_1")
    def group_1(values):
        @task
        def total(vs):
            print(f"total={sum(vs)}")
            return sum(vs)

        return total(values)

    done = BashOperator(task_id="done", bash_command='echo "showcase done"')
    group_1(double.expand(n=numbers())) >> done
