from datetime import datetime, timezone
from airflow.sdk import DAG, task, Asset

a1 = Asset("h13_ie_a1", uri="file:///tmp/h13/ie_a1.txt")

@task(outlets=[a1])
def produce(**context):
    context["outlet_events"][a1].extra = {"n": 7}
    return "p"

@task(inlets=[a1])
def consume(**context):
    evs = context["inlet_events"][a1]
    lst = list(evs)
    return {"len_ge1": len(lst) >= 1, "last_extra": lst[-1].extra if lst else None, "asset_uri": lst[-1].asset.uri if lst else None, "src_task": lst[-1].source_task_id if lst else None}

with DAG(dag_id="h13_inlet_events", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    produce() >> consume()
