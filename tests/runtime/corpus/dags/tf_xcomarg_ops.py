from __future__ import annotations
from datetime import datetime, timezone
from airflow.sdk import DAG, task

with DAG("tf_xcomarg_ops", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False):
    @task
    def nums():
        return [1, 2, 3]

    @task
    def letters():
        return ["a", "b"]

    @task
    def d():
        return {"k2": 2, "k1": 1, "k3": 3}

    @task
    def show(*args):
        return list(args)

    @task
    def show1(v):
        return v

    @task
    def collect(vals):
        return list(vals)

    n, l, dd = nums(), letters(), d()
    z = n.zip(l, fillvalue="FILL")
    show.override(task_id="zipped").expand(args=z)
    z2 = n.zip(l)
    show.override(task_id="zipped_short").expand(args=z2)
    c = n.concat(l, dd)
    r = show1.override(task_id="concat").expand(v=c)
    collect.override(task_id="collect_concat")(r)
    m = dd.map(lambda kv: f"{kv[0]}={kv[1]}")
    r2 = show1.override(task_id="dict_mapped").expand(v=m)
    collect.override(task_id="collect_dict")(r2)
    mz = n.map(lambda x: x * 10).zip(l.map(lambda s: s.upper()), fillvalue=None)
    show.override(task_id="map_zip").expand(args=mz)
    cm = n.concat(l).map(lambda v: {"v": v})
    show1.override(task_id="concat_map").expand(v=cm)
    collect.override(task_id="collect_whole")(z)
