from datetime import datetime, timezone
from airflow.sdk import DAG, task, Asset
from airflow.providers.standard.operators.python import PythonOperator

a1 = Asset("h13_a1", uri="file:///tmp/h13/a1.txt", extra={"k": "v"})
a2 = Asset(uri="s3://bucket/h13/a2")

@task(outlets=[a1, a2])
def produce(**context):
    outs = context["outlets"]
    res = [(o.name, o.uri) for o in outs]
    context["outlet_events"][a1].extra = {"rows": 3}
    return res

@task(inlets=[a1, a2])
def consume(**context):
    ins = context["inlets"]
    return {"inlets": [(i.name, i.uri) for i in ins], "outlets": list(context["outlets"])}

def po(**context):
    return [o.uri for o in context["outlets"]] + [i.uri for i in context["inlets"]]

with DAG(dag_id="h13_assets_outlets", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    p = produce()
    c = consume()
    p >> c
    PythonOperator(task_id="po", python_callable=po, outlets=[a2], inlets=[a1]) << c
