from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_mapped_push_keys", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def m(x, ti=None):
        ti.xcom_push(key="k", value=x * 2)
        if x == 2:
            ti.xcom_push(key="only2", value="two")
            return None
        return x

    @task(multiple_outputs=True)
    def mo(x):
        return {"v": x, "w": -x}

    @task
    def pull(ti=None):
        return {
            "k": list(ti.xcom_pull(task_ids="m", key="k")),
            "only2_all": list(ti.xcom_pull(task_ids="m", key="only2")),
            "only2_idx": ti.xcom_pull(task_ids="m", key="only2", map_indexes=1),
            "ret": list(ti.xcom_pull(task_ids="m")),
            "mo_v": list(ti.xcom_pull(task_ids="mo", key="v")),
            "mo_ret": ti.xcom_pull(task_ids="mo", map_indexes=0),
        }

    @task
    def consume(v):
        return list(v)

    r = m.expand(x=[1, 2, 3])
    o = mo.expand(x=[5, 6])
    [r, o] >> pull()
    consume(r)
    consume.override(task_id="consume_mo")(o)
