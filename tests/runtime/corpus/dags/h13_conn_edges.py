import os
from datetime import datetime, timezone
from airflow.sdk import DAG, task, Connection
from airflow.providers.standard.operators.python import PythonOperator

os.environ["AIRFLOW_CONN_H13E_JSON"] = '{"conn_type": "postgres", "host": "h", "login": "u", "password": "p", "port": 5432, "schema": "s", "extra": "{\\"a\\": 1}"}'
os.environ["AIRFLOW_CONN_H13E_EXTRA"] = "http://h:80/?__extra__=%7B%22x%22%3A+%5B1%2C+2%5D%7D"

@task
def js():
    c = Connection.get("h13e_json")
    return [c.conn_type, c.host, c.port, c.extra, c.extra_dejson, c.get_uri()]

@task
def ext():
    c = Connection.get("h13e_extra")
    return [c.conn_type, c.host, c.port, c.schema, c.extra_dejson, c.get_uri()]

@task
def missing_type():
    try:
        Connection.get("h13e_nope")
    except KeyError:
        return "keyerror"
    except Exception as e:
        return type(e).__name__

def echo(v):
    return v

with DAG(dag_id="h13_conn_edges", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    js(); ext(); missing_type()
    PythonOperator(task_id="tpl_conn", python_callable=echo, op_args=["{{ conn.h13e_json.host }}:{{ conn.h13e_json.port }}:{{ conn.h13e_extra.extra_dejson.x }}"])
    PythonOperator(task_id="tpl_conn_missing", python_callable=echo, op_args=["{{ conn.h13e_nope.host }}"])
    PythonOperator(task_id="tpl_conn_get", python_callable=echo, op_args=["{{ conn.get('h13e_nope', 'dflt') }}"])
