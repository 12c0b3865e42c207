"""A missing custom key of a `multiple_outputs` upstream resolves to None, as Airflow's
PlainXComArg.resolve does (it looks at the parsed operator's multiple_outputs); without
multiple_outputs the try fails with XComNotFound (corpus rt_xcom_missing_output_key)."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
with DAG("d", schedule=None, start_date=START):
    @task(multiple_outputs=True)
    def pair():
        return {"a": 1}

    @task
    def use(x):
        return ["got", x]

    p = pair()
    use.override(task_id="use_a")(p["a"])
    use.override(task_id="use_missing")(p["missing_key"])
    plain = PythonOperator(task_id="plain", python_callable=lambda: {"a": 1})
    use.override(task_id="use_plain_key")(plain.output["a"])
    multi = PythonOperator(
        task_id="multi", python_callable=lambda: {"a": 1}, multiple_outputs=True)
    use.override(task_id="use_multi_missing")(multi.output["zzz"])
"""


def test_missing_key_of_multiple_outputs_upstream_is_none(server, run_agent, compiled_ti, dag_file):
    """Keys the upstreams pushed resolve to their values; a key a multiple_outputs upstream
    (decorated or classic) did not push is None; the same key of an upstream without
    multiple_outputs fails the try with Airflow's XComNotFound."""
    path = dag_file(DAG_SRC)
    server.xcoms[("d", RUN, "pair", "a", -1)] = 1
    server.xcoms[("d", RUN, "pair", "return_value", -1)] = {"a": 1}
    server.xcoms[("d", RUN, "plain", "return_value", -1)] = {"a": 1}
    server.xcoms[("d", RUN, "multi", "a", -1)] = 1
    for task_id, expected in [
        ("use_a", ["got", 1]),
        ("use_missing", ["got", None]),
        ("use_multi_missing", ["got", None]),
    ]:
        out = run_agent(compiled_ti(path, task_id), dag_file=path)
        assert out.state == "success", out.text()
        assert server.xcoms[("d", RUN, task_id, "return_value", -1)] == expected
    out = run_agent(compiled_ti(path, "use_plain_key"), dag_file=path)
    assert out.state == "failed"
    assert out.report["error"] == (
        'XComNotFound: XComArg result from plain at d with key="a" is not found!'
    )
