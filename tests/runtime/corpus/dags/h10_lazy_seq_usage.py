from datetime import datetime, timezone
from airflow.sdk import dag, task


@dag(dag_id="h10_lazy_seq_usage", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False)
def d():
    @task
    def m(x):
        return x * 2

    @task
    def as_list(vals):
        return list(vals)

    @task
    def in_dict(vals):
        return {"v": vals}

    @task
    def first_last(vals):
        return [vals[0], vals[-1]]

    @task
    def sliced(vals):
        return list(vals[1:3])

    @task
    def ops(vals):
        return [len(vals), bool(vals), 4 in vals, sorted(vals, reverse=True), vals == [2, 4, 6], sum(vals)]

    @task
    def as_str(vals):
        return str(vals)

    @task
    def type_name(vals):
        return type(vals).__name__

    @task
    def tupled(vals):
        return tuple(vals)

    r = m.expand(x=[1, 2, 3])
    for t in (as_list, in_dict, first_last, sliced, ops, as_str, type_name, tupled):
        t(r)


d()
