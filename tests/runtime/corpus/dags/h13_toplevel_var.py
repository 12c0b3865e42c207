import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, Variable, Connection, Asset

os.environ["AIRFLOW_VAR_H13T_TOP"] = "topval"
os.environ["AIRFLOW_VAR_H13T_JS"] = '["a", "b"]'
os.environ["AIRFLOW_CONN_H13T_DB"] = "postgres://u:p@tophost:1/s"
TOP = Variable.get("h13t_top", default="dflt")
ITEMS = Variable.get("h13t_js", default=["z"], deserialize_json=True)
try:
    HOST = Connection.get("h13t_db").host
except Exception as e:
    HOST = "err:" + type(e).__name__

@task
def show():
    return [TOP, ITEMS, HOST]

@task
def per(x):
    return x

a = Asset("h13t_name_only")
b = Asset(uri="file:///tmp/h13t_b.txt")

@task(outlets=[a, b])
def assets(**context):
    return [[o.name, o.uri, o.group] for o in context["outlets"]]

with DAG(dag_id="h13_toplevel_var", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    show()
    for i in ITEMS:
        per.override(task_id="per_" + i)(i)
    assets()
