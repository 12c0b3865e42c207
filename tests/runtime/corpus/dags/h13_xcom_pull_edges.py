from datetime import datetime, timezone
from airflow.sdk import DAG, task

@task
def a(ti=None):
    ti.xcom_push(key="k", value="from_a")
    return "ra"

@task
def b(ti=None):
    ti.xcom_push(key="k", value="from_b")
    return "rb"

@task
def pulls(ti=None):
    return {
        "none_taskids": ti.xcom_pull(key="k"),
        "missing_task": ti.xcom_pull(task_ids="nope"),
        "missing_key_default": ti.xcom_pull(task_ids="a", key="zz", default="D"),
        "list_two": ti.xcom_pull(task_ids=["a", "b"], key="k"),
        "list_one": ti.xcom_pull(task_ids=["b"]),
        "tuple": ti.xcom_pull(task_ids=("a",)),
        "map_idx0": ti.xcom_pull(task_ids="a", map_indexes=0),
        "map_idx_list": ti.xcom_pull(task_ids="a", map_indexes=[-1]),
    }

with DAG(dag_id="h13_xcom_pull_edges", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    [a(), b()] >> pulls()
