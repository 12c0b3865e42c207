from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.python import PythonOperator

@task
def keys_tf(**context):
    return sorted(context.keys())

def keys_po(**kwargs):
    return sorted(kwargs.keys())

@task
def macro_attrs(**context):
    m = context["macros"]
    return sorted(n for n in dir(m) if not n.startswith("_"))

with DAG(dag_id="h13_ctx_keys", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    keys_tf()
    PythonOperator(task_id="keys_po", python_callable=keys_po)
    macro_attrs()
