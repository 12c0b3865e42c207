from __future__ import annotations
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, Param, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    "h14_params_docs",
    schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
    params={
        "my_int_param": Param(5, type="integer", minimum=3),
        "multiple_of": Param(10, type="number", multipleOf=5),
        "color": Param("red", enum=["red", "green", "blue"]),
        "maybe": Param(None, type=["null", "string"]),
        "items": Param(["a", "b"], type="array"),
        "cfg": Param({"k": 1}, type="object"),
        "flag": Param(False, type="boolean"),
        "plain": "hello",
        "date": Param("2024-02-03", type="string", format="date"),
    },
):
    BashOperator(task_id="bash_params",
                 bash_command="echo {{ params.my_int_param + 1 }} {{ params.color }} {{ params.items | join(',') }} {{ params.maybe }}")

    @task
    def typed(**context):
        p = context["params"]
        return {k: [p[k], type(p[k]).__name__] for k in sorted(p)}

    @task(params={"color": "green", "extra": 7})
    def task_override(**context):
        p = context["params"]
        return [p["color"], p["extra"], p["my_int_param"]]

    typed()
    task_override()
