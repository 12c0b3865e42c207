"""A DAG-file operator's hooks run in the order of Airflow's task runner (`_execute_task`):
pre_execute, then on_execute_callback, then execute, then post_execute (corpus
rt_ctx_callback_order holds what real Airflow did)."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
from airflow.sdk import BaseOperator

CALLS = []

def on_execute(context):
    CALLS.append("on_execute_callback")

class Ordered(BaseOperator):
    def __init__(self, *, word="", **kwargs):
        super().__init__(**kwargs)
        self.word = word

    def pre_execute(self, context):
        CALLS.append("pre_execute")

    def execute(self, context):
        CALLS.append("execute")
        return list(CALLS)

    def post_execute(self, context, result=None):
        CALLS.append("post_execute")

with DAG("d", schedule=None, start_date=START):
    Ordered(task_id="ordered", on_execute_callback=on_execute)
    Ordered.partial(task_id="mapped", on_execute_callback=on_execute).expand(
        word=["x", "y"])
"""


def test_on_execute_callback_runs_after_pre_execute(server, run_agent, compiled_ti, dag_file):
    """The return value lists the calls made before `execute` returned, in order; the same
    for a map index of a mapped DAG-file operator."""
    path = dag_file(DAG_SRC)
    out = run_agent(compiled_ti(path, "ordered"), dag_file=path)
    assert out.state == "success", out.text()
    expected = ["pre_execute", "on_execute_callback", "execute"]
    assert server.xcoms[("d", RUN, "ordered", "return_value", -1)] == expected
    out = run_agent(compiled_ti(path, "mapped", map_index=1), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "mapped", "return_value", 1)] == expected
