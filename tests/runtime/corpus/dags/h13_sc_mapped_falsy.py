from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.providers.standard.operators.empty import EmptyOperator

@task.short_circuit
def sc(v):
    return v

@task
def after(x):
    return x

with DAG(dag_id="h13_sc_mapped_falsy", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    s = sc.expand(v=[1, 0, "", "a"])
    e = EmptyOperator(task_id="e")
    s >> e
    @task.short_circuit
    def sc_dict():
        return {"k": 0}
    @task
    def use(d):
        return d
    use(sc_dict())
    @task.short_circuit
    def sc_str0():
        return "0"
    sc_str0() >> EmptyOperator(task_id="after_str0")
