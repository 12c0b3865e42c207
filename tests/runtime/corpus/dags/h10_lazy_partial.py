from datetime import datetime, timezone
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowSkipException

with DAG("h10_lazy_partial", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def m(x):
        if x == 2:
            raise AirflowSkipException("skip 2")
        if x == 3:
            raise ValueError("boom 3")
        return x * 10

    @task(trigger_rule="all_done")
    def summary(values):
        return {"list": list(values), "len": len(values), "repr": repr(values), "slice": values[0:5], "eq": values == [10, 40]}

    @task(trigger_rule="all_done")
    def pulled(ti=None):
        return {"all": ti.xcom_pull(task_ids="m"), "idx": ti.xcom_pull(task_ids="m", map_indexes=[0, 1, 2, 3])}

    @task(trigger_rule="all_done")
    def printed(values):
        print(values)
        s = str(values)
        return s

    vals = m.expand(x=[1, 2, 3, 4])
    summary(vals)
    vals >> pulled()
    printed(vals)
