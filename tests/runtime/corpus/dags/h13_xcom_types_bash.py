from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.bash import BashOperator

@task
def push(ti=None):
    ti.xcom_push(key="s", value="hello world")
    ti.xcom_push(key="i", value=42)
    ti.xcom_push(key="f", value=1.5)
    ti.xcom_push(key="b", value=True)
    ti.xcom_push(key="n", value=None)
    ti.xcom_push(key="l", value=[1, "a", None])
    ti.xcom_push(key="d", value={"x": {"y": [1, 2]}})
    ti.xcom_push(key="t", value=(1, 2))
    ti.xcom_push(key="st", value={3})
    ti.xcom_push(key="e", value="")
    return "rv"

with DAG(dag_id="h13_xcom_types_bash", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    p = push()
    b = BashOperator(task_id="pull", bash_command=(
        "echo \"{{ ti.xcom_pull(task_ids='push', key='s') }}|{{ ti.xcom_pull(task_ids='push', key='i') }}|"
        "{{ ti.xcom_pull(task_ids='push', key='f') }}|{{ ti.xcom_pull(task_ids='push', key='b') }}|"
        "{{ ti.xcom_pull(task_ids='push', key='n') }}|{{ ti.xcom_pull(task_ids='push', key='l') }}|"
        "{{ ti.xcom_pull(task_ids='push', key='d') }}|{{ ti.xcom_pull(task_ids='push', key='t') }}|"
        "{{ ti.xcom_pull(task_ids='push', key='st') }}|{{ ti.xcom_pull(task_ids='push', key='e') }}|"
        "{{ ti.xcom_pull(task_ids='push') }}|{{ ti.xcom_pull(task_ids=['push'], key='i') }}|"
        "{{ ti.xcom_pull(task_ids='push', key='nokey') }}|{{ ti.xcom_pull(task_ids='push', key='d')['x']['y'][1] }}\""))
    @task
    def typed(ti=None):
        return {k: type(ti.xcom_pull(task_ids="push", key=k)).__name__ for k in ["s","i","f","b","n","l","d","t","st","e"]}
    p >> b
    p >> typed()
