import os
from datetime import datetime, timedelta, timezone
from airflow.sdk import DAG, task

@task(retries=2, retry_delay=timedelta(seconds=1))
def flaky(ti=None):
    p = "/tmp/h13_retries_counter"
    n = int(open(p).read()) if os.path.exists(p) else 0
    n += 1
    open(p, "w").write(str(n))
    if n < 3:
        raise ValueError("try %d" % ti.try_number)
    os.remove(p)
    return {"try_number": ti.try_number, "max_tries": ti.max_tries, "n": n}

@task
def after(v, ti=None):
    return [v, ti.try_number]

with DAG(dag_id="h13_retries_counter", schedule=None, start_date=datetime(2024,1,1,tzinfo=timezone.utc), catchup=False):
    after(flaky())
