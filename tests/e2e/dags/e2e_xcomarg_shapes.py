import pendulum
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import dag, task


@dag(schedule=None, start_date=pendulum.datetime(2025, 1, 1, tz="UTC"))
def e2e_xcomarg_shapes():
    @task
    def nums():
        return [1, 2]

    @task
    def letters():
        return ["a", "b", "c"]

    @task
    def pairs():
        return {"k1": 1, "k2": 2}

    @task
    def is_tuple(v):
        if type(v) is not tuple or len(v) != 2:
            raise ValueError(f"expected a pair tuple, got {v!r}")
        return list(v)

    @task
    def check(vals, want, tuples=False):
        if tuples and not all(type(v) is tuple for v in vals):
            raise ValueError(f"expected tuples, got {vals!r}")
        got = [list(v) for v in vals] if tuples else list(vals)
        if got != want:
            raise ValueError(f"expected {want!r}, got {vals!r}")
        return got

    @task
    def one(v):
        return v

    @task
    def kw(key, val):
        return f"{key}={val}"

    n, l, p = nums(), letters(), pairs()
    doubled = PythonOperator.partial(task_id="classic", python_callable=lambda v: v * 2).expand(
        op_args=n.map(lambda v: [v])
    )
    check.override(task_id="check_classic")(doubled.output, [2, 4])
    zipped = n.zip(l, fillvalue=0)
    check.override(task_id="check_zip")(zipped, [[1, "a"], [2, "b"], [0, "c"]], tuples=True)
    check.override(task_id="check_concat")(n.concat(p), [1, 2, "k1", "k2"])
    is_tuple.override(task_id="zip_item").expand(v=n.zip(l))
    is_tuple.override(task_id="dict_item").expand(v=p)
    is_tuple.override(task_id="literal_tuple").expand(v=[(1, 2)])
    one.override(task_id="map_dict").expand(v=p.map(lambda kv: kv))
    kw.expand_kwargs(n.map(lambda v: {"key": f"k{v}", "val": v}))


e2e_xcomarg_shapes()
