"""Variables: airflow.sdk's Variable.get of a missing key with `default` (also None), and with
deserialize_json and a default; `default_var` (airflow.models.Variable's name) is a TypeError
for the SDK's Variable (that task fails) and works with airflow.models.Variable; the
`var.value` / `var.json` template accessors with defaults, and Variable.get of a missing key
without a default (the task fails). (Variable.set is in `rt_variable_set_delete`.)"""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.models import Variable as ModelsVariable
from airflow.sdk import DAG, Variable, task


@task
def defaults():
    return {
        "plain": Variable.get("rt_var_missing", default_var="fallback"),
        "none": Variable.get("rt_var_missing", default_var=None),
        "json": Variable.get("rt_var_missing", default_var={"a": 1}, deserialize_json=True),
    }


@task
def sdk_defaults():
    return {
        "plain": Variable.get("rt_var_missing", default="fallback"),
        "none": Variable.get("rt_var_missing", None),
        "json": Variable.get("rt_var_missing", default={"a": 1}, deserialize_json=True),
    }


@task
def models_defaults():
    return {
        "plain": ModelsVariable.get("rt_var_missing", default_var="fallback"),
        "json": ModelsVariable.get("rt_var_missing", default_var=[1], deserialize_json=True),
    }


@task
def missing():
    return Variable.get("rt_var_never_set")


with DAG(
    dag_id="rt_variables",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus"],
):
    BashOperator(
        task_id="templ",
        bash_command=(
            'echo \'{{ var.value.get("rt_var_missing", "dflt") }} '
            '{{ var.json.get("rt_var_missing", {"z": 0}).z }}\''
        ),
    )
    defaults()
    sdk_defaults()
    models_defaults()
    missing()
