import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, Variable
from airflow.providers.standard.operators.python import PythonOperator

os.environ["AIRFLOW_VAR_H13E_NOTJSON"] = "not json {"
os.environ["AIRFLOW_VAR_H13E_NUM"] = "5"

@task
def bad_json_default():
    return Variable.get("h13e_notjson", default="dflt", deserialize_json=True)

@task
def num():
    v1 = Variable.get("h13e_num", deserialize_json=True)
    v2 = Variable.get("h13e_num")
    return [v1, type(v1).__name__, v2, type(v2).__name__]

@task
def except_keyerror():
    try:
        return Variable.get("h13e_missing")
    except KeyError:
        return "caught-keyerror"

@task
def macros_repr(**context):
    return [repr(context["macros"]), type(context["macros"]).__name__]

def tpl_bad_json(v):
    return v

with DAG(dag_id="h13_var_edges", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    bad_json_default(); num(); except_keyerror(); macros_repr()
    PythonOperator(task_id="tpl_bad_json", python_callable=tpl_bad_json, op_args=["{{ var.json.h13e_notjson }}"])
    PythonOperator(task_id="tpl_num_json", python_callable=tpl_bad_json, op_args=["{{ var.json.h13e_num + 1 }}"])
    PythonOperator(task_id="tpl_json_get_bad", python_callable=tpl_bad_json, op_args=["{{ var.json.get('h13e_notjson', 'dd') }}"])
