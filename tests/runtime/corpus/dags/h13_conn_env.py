import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, Connection, BaseHook

os.environ["AIRFLOW_CONN_H13_DB"] = "mysql://u%40x:p%2Fw@host.example:3307/db%2Fname?charset=utf8&x=1"
os.environ["AIRFLOW_CONN_H13_BAD"] = "{not json"
os.environ["AIRFLOW_CONN_H13_NOSCHEME"] = "just-a-string"

@task
def ok():
    c = Connection.get("h13_db")
    return [c.conn_id, c.conn_type, c.host, c.login, c.password, c.port, c.schema, c.extra_dejson, c.get_uri()]

@task
def bad():
    return Connection.get("h13_bad").host

@task
def noscheme():
    c = BaseHook.get_connection("h13_noscheme")
    return [c.conn_type, c.host, c.login, c.schema]

@task
def catch_missing():
    try:
        Connection.get("h13_nothere")
    except Exception as e:
        return [type(e).__name__, str(e)]

with DAG(dag_id="h13_conn_env", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    ok(); bad(); noscheme(); catch_missing()
