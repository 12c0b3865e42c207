# mypy: ignore-errors
# (a DAG file for the shim, imported by the compile server in the DAG environment: `airflow`
# is the shim there, which mypy does not see)
"""A DAG file the warm compile server imports once, in its own process, when first idle.

Importing a first DAG file fills caches that every DAG file needs (the ABC subclass caches of
the shim's classes, `inspect` signatures, compiled regular expressions, pendulum's time zones,
`copy` and `warnings` machinery): done once here, the forked children inherit them warm instead
of each filling them again. It uses the common constructs of DAG files; it changes no module.
"""

import datetime

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, Param, TaskGroup, chain, dag, task


def _callable(**context):
    return context


with DAG(
    dag_id="leoflow_warmup_classic",
    schedule="@daily",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"owner": "leoflow", "retries": 1, "retry_delay": datetime.timedelta(minutes=5)},
    params={"n": Param(1, type="integer", minimum=0)},
    tags=["warmup"],
    doc_md="warm-up",
) as classic:
    start = EmptyOperator(task_id="start")
    bash = BashOperator(task_id="bash", bash_command="echo {{ ds }}", env={"A": "1"})
    python = PythonOperator(task_id="python", python_callable=_callable, op_kwargs={"x": 1})
    with TaskGroup(group_id="group", tooltip="group") as group:
        inner = [EmptyOperator(task_id=f"inner_{i}") for i in range(2)]
    start >> [bash, python] >> group
    chain(*inner)


@dag(
    schedule=datetime.timedelta(hours=1),
    start_date=datetime.datetime(2025, 1, 1),
    catchup=False,
    tags=["warmup"],
)
def leoflow_warmup_taskflow():
    @task
    def extract() -> dict:
        return {"a": 1}

    @task(multiple_outputs=True)
    def transform(data: dict) -> dict:
        return data

    @task.bash
    def run(values: dict) -> str:
        return "echo 1"

    numbers = task(lambda x: x, task_id="numbers").expand(x=[1, 2, 3])
    run(transform(extract())) >> numbers


leoflow_warmup_taskflow()
