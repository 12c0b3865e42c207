"""Operator classes the DAG file derives from standard ones run the standard execute natively:
BashOperator and PythonOperator subclasses (also through super().execute), a BaseSensorOperator
subclass's poke loop, and a BaseBranchOperator subclass's choice."""

from __future__ import annotations

RUN = "manual__2025-01-01T00:00:00+00:00"

SRC = """
from airflow.sdk import BaseBranchOperator, BaseOperator, BaseSensorOperator

class Greet(BashOperator):
    def __init__(self, *, who, **kwargs):
        super().__init__(bash_command=f"echo hello {who}", **kwargs)

class Double(PythonOperator):
    def execute(self, context):
        return super().execute(context) * 2

class Third(BaseSensorOperator):
    def poke(self, context):
        ti = context["ti"]
        n = (ti.xcom_pull(key="n") or 0) + 1
        ti.xcom_push(key="n", value=n)
        return n >= 3

class Left(BaseBranchOperator):
    def choose_branch(self, context):
        return "left"

class Abstract(BaseOperator):
    pass

with DAG("d", schedule=None, start_date=START):
    Greet(task_id="greet", who="{{ ds }}")
    Double(task_id="double", python_callable=lambda: 21)
    Third(task_id="third", poke_interval=0.1, timeout=30)
    Left(task_id="pick") >> [EmptyOperator(task_id="left"), EmptyOperator(task_id="right")]
    Abstract(task_id="abstract")
"""


def _xcom(server, task_id, key="return_value"):
    return server.xcoms.get(("d", RUN, task_id, key, -1))


def test_subclasses_of_bash_and_python_operators(server, run_agent, compiled_ti, dag_file):
    """The subclass's own __init__ and execute run around the native BashOperator /
    PythonOperator execute; a BaseOperator without execute fails with NotImplementedError."""
    path = dag_file(SRC)
    out = run_agent(compiled_ti(path, "greet"), dag_file=path)
    assert out.state == "success", out.text()
    assert _xcom(server, "greet") == "hello 2025-01-01"  # bash_command is rendered
    out = run_agent(compiled_ti(path, "double"), dag_file=path)
    assert out.state == "success", out.text()
    assert _xcom(server, "double") == 42
    out = run_agent(compiled_ti(path, "abstract"), dag_file=path)
    assert out.state == "failed"
    assert "NotImplementedError" in out.text()


def test_custom_sensor_and_branch(server, run_agent, compiled_ti, dag_file):
    """A BaseSensorOperator subclass pokes until its poke is true; a BaseBranchOperator
    subclass reports its choice as the branch to follow."""
    path = dag_file(SRC)
    out = run_agent(compiled_ti(path, "third"), dag_file=path)
    assert out.state == "success", out.text()
    assert _xcom(server, "third", "n") == 3
    out = run_agent(compiled_ti(path, "pick"), dag_file=path)
    assert out.state == "success", out.text()
    assert out.report["next_branch"] == ["left"]
