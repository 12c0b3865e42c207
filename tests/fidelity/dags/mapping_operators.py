"""Dynamic task mapping: expand, expand_kwargs, partial on classic operators, .map, .zip."""

from __future__ import annotations

import pendulum

from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator


def _load(path, mode="append"):
    print(path, mode)


with DAG(
    dag_id="fid_mapping_operators",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
) as dag:

    @task
    def list_files() -> list[str]:
        return ["a.csv", "b.csv", "c.csv"]

    @task
    def list_sizes() -> list[int]:
        return [10, 20, 30]

    @task
    def make_kwargs() -> list[dict]:
        return [{"op_args": ["x.csv"], "op_kwargs": {"mode": "replace"}}, {"op_args": ["y.csv"]}]

    @task
    def add(x: int, y: int) -> int:
        return x + y

    @task
    def total(values) -> int:
        return sum(values)

    @task
    def pair_up(pair) -> str:
        name, size = pair
        return f"{name}:{size}"

    files = list_files()
    sizes = list_sizes()

    # TaskFlow mapping: literal list, XComArg, partial + expand, cross product
    literal = add.partial(y=1).expand(x=[1, 2, 3])
    cross = add.expand(x=[1, 2], y=[10, 20])
    total(literal)
    total(cross)

    # classic operators: partial + expand, expand_kwargs, map_index_template
    BashOperator.partial(
        task_id="echo_file",
        retries=2,
        map_index_template="{{ task.bash_command }}",
    ).expand(bash_command=files.map(lambda f: f"echo {f}"))
    PythonOperator.partial(task_id="load", python_callable=_load).expand_kwargs(make_kwargs())
    BashOperator.partial(task_id="print_env", bash_command="echo $NAME").expand_kwargs(
        [{"env": {"NAME": "alpha"}}, {"env": {"NAME": "beta"}}]
    )

    # .zip of two XComArgs, mapped over
    pair_up.expand(pair=files.zip(sizes))
    # .zip with a fill value
    pair_up.override(task_id="pair_up_fill").expand(pair=files.zip(sizes, fillvalue=0))
