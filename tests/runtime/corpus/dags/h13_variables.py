import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, Variable
from airflow.providers.standard.operators.bash import BashOperator

os.environ["AIRFLOW_VAR_H13_NOTJSON"] = "not json {"
os.environ["AIRFLOW_VAR_H13_JSONLIST"] = "[1, 2, 3]"

@task
def defaults():
    return {
        "d1": Variable.get("h13_missing", default="dflt"),
        "d2": Variable.get("h13_missing", default=None),
        "d3": Variable.get("h13_missing", default={"a": 1}, deserialize_json=True),
        "d4": Variable.get("h13_jsonlist", deserialize_json=True),
        "d5": Variable.get("h13_jsonlist"),
    }

@task
def bad_json():
    return Variable.get("h13_notjson", deserialize_json=True)

@task
def missing_nodefault():
    return Variable.get("h13_missing2")

@task
def catch_missing():
    try:
        Variable.get("h13_missing3")
    except Exception as e:
        return [type(e).__name__, str(e)]

@task
def catch_bad_json():
    try:
        Variable.get("h13_notjson", deserialize_json=True)
    except Exception as e:
        return type(e).__name__

with DAG(dag_id="h13_variables", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    defaults(); bad_json(); missing_nodefault(); catch_missing(); catch_bad_json()
    BashOperator(task_id="tpl_missing_json", bash_command="echo {{ var.json.h13_missing_tpl }}")
    BashOperator(task_id="tpl_missing_value", bash_command="echo {{ var.value.h13_missing_tpl }}")
    BashOperator(task_id="tpl_get_default", bash_command="echo {{ var.value.get('h13_missing_tpl', 'fallback') }} {{ var.json.get('h13_missing_tpl', {'x': 1}) }}")
