import os
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowFailException

@task(retries=2, retry_delay=timedelta(seconds=1))
def m(x, ti=None):
    if x == 1:
        raise AirflowFailException("no retry")
    if x == 2:
        p = "/tmp/h13_mapped_failexc_2"
        if not os.path.exists(p):
            open(p, "w").close()
            raise ValueError("retry once")
        os.remove(p)
    return [x, ti.try_number, ti.map_index]

@task(trigger_rule="all_done")
def collect(vals):
    return list(vals)

with DAG(dag_id="h13_mapped_failexc", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    collect(m.expand(x=[0, 1, 2]))
