"""DAG and task params with Param JSON schemas of every common shape."""

from __future__ import annotations

import datetime

import pendulum

from airflow.sdk import DAG, Param, task
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="fid_params_schemas",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule=None,
    params={
        "plain_string": "hello",
        "plain_number": 3,
        "plain_list": [1, 2],
        "plain_none": None,
        "count": Param(5, type="integer", minimum=0, maximum=100, description="How many rows"),
        "ratio": Param(0.5, type="number", exclusiveMaximum=1),
        "env": Param("dev", enum=["dev", "staging", "prod"], title="Environment"),
        "email": Param("ops@example.com", type="string", format="idn-email", minLength=5),
        "when": Param(f"{datetime.date(2024, 1, 1)}", type="string", format="date"),
        "at": Param("2024-01-01T00:00:00+00:00", type="string", format="date-time"),
        "flag": Param(False, type="boolean"),
        "tags": Param(["a", "b"], type="array", items={"type": "string"}, uniqueItems=True),
        "config": Param(
            {"depth": 2},
            type="object",
            properties={"depth": {"type": "integer"}},
            required=["depth"],
        ),
        "maybe": Param(None, type=["null", "string"]),
        "choice": Param("b", type="string", examples=["a", "b", "c"], values_display={"a": "Alpha"}),
        "secret": Param("", type="string", format="password", description_md="**Never** logged"),
        "multiline": Param("line1\nline2", type="string", format="multiline"),
    },
) as dag:
    BashOperator(
        task_id="show",
        bash_command="echo {{ params.count }} {{ params.env }}",
        params={"count": 7, "task_only": Param("t", type="string")},
    )

    @task(params={"extra": Param(1, type="integer")})
    def use_params(params=None):
        return params["count"]

    use_params()
