"""An XComArg whose upstream pushed no return value resolves to None, as Airflow's
PlainXComArg.resolve does (rt_ctx_xcom_errors: `multiple_outputs=True` returning None)."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
with DAG("d", schedule=None, start_date=START):
    @task(multiple_outputs=True)
    def nothing():
        return None

    @task
    def use(x):
        return repr(x)

    @task
    def plain():
        return None

    @task
    def use_key(x):
        return repr(x)

    use(nothing())
    use_key(plain()["k"])
"""


def test_missing_return_value_resolves_to_none(server, run_agent, compiled_ti, dag_file):
    """With no return_value XCom upstream the argument is None; a missing custom key of a task
    without multiple_outputs still fails with Airflow's XComNotFound message."""
    path = dag_file(DAG_SRC)
    out = run_agent(compiled_ti(path, "use"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "use", "return_value", -1)] == "None"
    out = run_agent(compiled_ti(path, "use_key"), dag_file=path)
    assert out.state == "failed"
    assert 'XComArg result from plain at d with key="k" is not found!' in out.report["error"]
