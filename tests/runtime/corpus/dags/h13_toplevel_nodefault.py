import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, Variable, Connection

os.environ["AIRFLOW_VAR_H13N_TOP"] = "topval"
os.environ["AIRFLOW_CONN_H13N_DB"] = "postgres://u:p@tophost:1/s"
TOP = Variable.get("h13n_top")
HOST = Connection.get("h13n_db").host

@task
def show():
    return [TOP, HOST]

with DAG(dag_id="h13_toplevel_nodefault", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    show.override(task_id="show_" + TOP)()
