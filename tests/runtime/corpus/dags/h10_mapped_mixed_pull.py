from datetime import datetime, timedelta, timezone
from airflow.sdk import dag, task
from airflow.sdk.exceptions import AirflowSkipException


@dag(dag_id="h10_mapped_mixed_pull", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task(retries=1, retry_delay=timedelta(seconds=1))
    def m(x):
        if x == 1:
            raise AirflowSkipException("skip one")
        if x == 2:
            raise ValueError("two fails")
        return x

    @task(trigger_rule="all_done")
    def reduce_(vals, **context):
        ti = context["ti"]
        return {
            "list": list(vals),
            "len": len(vals),
            "sum": sum(v for v in vals if v is not None),
            "pull": ti.xcom_pull(task_ids="m", map_indexes=[0, 1, 2, 3], default="D"),
            "pull_all": ti.xcom_pull(task_ids="m"),
        }

    @task(trigger_rule="all_done")
    def direct(vals):
        return vals

    @task(trigger_rule="one_failed")
    def on_fail():
        return "saw failure"

    @task(trigger_rule="none_failed_min_one_success")
    def nfmos():
        return "nfmos"

    r = m.expand(x=[0, 1, 2, 3])
    reduce_(r)
    direct(r)
    r >> on_fail()
    r >> nfmos()


d()
