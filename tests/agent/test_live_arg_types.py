"""Template fields keep the Python types the DAG file gave them (dag.json turns tuples and sets
into lists and dates into strings; Airflow renders the parsed task's own values: corpus
rt_ctx_task_args.nested_op_kwargs)."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
import datetime as dt

def types(t, when, s, items, ref):
    return [type(t).__name__, list(t), type(when).__name__, sorted(s), type(items[0]).__name__,
            ref]

with DAG("d", schedule=None, start_date=START, params={"n": 2}) as dag:
    @task
    def produce():
        return "pushed"

    PythonOperator(
        task_id="types", python_callable=types,
        op_args=[("{{ ds }}", 1), dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc)],
        op_kwargs={"s": {3, 1}, "items": [("{{ params.n }}",)], "ref": produce()})
"""


def test_tuples_sets_and_dates_reach_the_callable(server, run_agent, compiled_ti, dag_file):
    """A tuple (rendered inside), a datetime, a set and a nested tuple arrive as such, next to
    an XComArg that is still resolved."""
    path = dag_file(DAG_SRC)
    server.xcoms[("d", RUN, "produce", "return_value", -1)] = "pushed"
    out = run_agent(compiled_ti(path, "types"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "types", "return_value", -1)] == [
        "tuple",
        ["2025-01-01", 1],
        "datetime",
        [1, 3],
        "tuple",
        "pushed",
    ]
