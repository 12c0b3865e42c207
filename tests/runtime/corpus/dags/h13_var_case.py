import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, Variable, Connection
from airflow.providers.standard.operators.python import PythonOperator

os.environ["AIRFLOW_VAR_H13C_UP"] = "upval"
os.environ["AIRFLOW_VAR_H13C_EMPTY"] = ""
os.environ["AIRFLOW_VAR_H13C_NULL"] = "null"
os.environ["AIRFLOW_CONN_H13C_DB"] = "postgres://u:p@h:1/s"

@task
def lower():
    return Variable.get("h13c_up")

@task
def upper():
    return Variable.get("H13C_UP")

@task
def mixed():
    return Variable.get("H13c_Up")

@task
def empty():
    v = Variable.get("h13c_empty", default="dflt")
    return [v, type(v).__name__]

@task
def null_json():
    return [Variable.get("h13c_null", default="dflt", deserialize_json=True)]

@task
def conn_upper():
    return Connection.get("H13C_DB").host

@task
def set_get():
    Variable.set("h13c_set", {"a": [1]}, serialize_json=True)
    return [Variable.get("h13c_set"), Variable.get("h13c_set", deserialize_json=True)]

@task
def set_plain_nonstr():
    Variable.set("h13c_set2", 5)
    return Variable.get("h13c_set2")

def echo(v):
    return v

with DAG(dag_id="h13_var_case", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    lower(); upper(); mixed(); empty(); null_json(); conn_upper(); set_get(); set_plain_nonstr()
    PythonOperator(task_id="tpl_empty", python_callable=echo, op_args=["[{{ var.value.h13c_empty }}]|{{ var.json.h13c_null }}|{{ var.value.H13C_UP }}"])
