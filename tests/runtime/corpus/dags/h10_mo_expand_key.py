from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_mo_expand_key", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task(multiple_outputs=True)
    def cfg():
        return {"files": ["a", "b"], "opts": {"x": 1, "y": 2}, "n": 2}

    @task
    def files():
        return ["a", "b", "c"]

    @task
    def opts():
        return {"x": 1, "y": 2}

    @task
    def proc(f, mult, extra):
        return f * mult + str(extra)

    @task
    def kv(pair):
        return list(pair)

    @task
    def count(vals):
        return len(vals)

    c = cfg()
    r = proc.partial(mult=c["n"], extra=c["opts"]).expand(f=files())
    kv.expand(pair=opts())
    count(r)


d()
