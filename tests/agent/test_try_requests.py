"""The calls a try makes (ADR 0002): rendered fields with the end state or at the first
heartbeat, upstream XComs from the run context instead of `GET /xcoms`."""

from __future__ import annotations

from conftest import bash_task, python_task

RUN = "manual__2025-01-01T00:00:00+00:00"
XCOMARG = {"__type": "xcomarg", "key": "return_value", "kind": "PlainXComArg", "task_id": "up"}

DAG_SRC = """
def consume(value, ti):
    return {
        "arg": value,
        "t_type": type(value.get("t")).__name__,
        "pulled": ti.xcom_pull(task_ids="up"),
        "pulled_at": ti.xcom_pull(task_ids="up", map_indexes=None),
        "other": ti.xcom_pull(task_ids="up", key="other"),
    }
with DAG("d", schedule=None, start_date=START):
    PythonOperator(task_id="consume", python_callable=consume)
"""


def _calls(server, kind: str) -> list[str]:
    return [m for m, p in server.calls if f"/{kind}" in p]


def test_short_try_sends_rendered_fields_with_the_end_state(server, run_agent):
    """A try that ends before its first heartbeat makes two calls: the run context and the end
    state, which carries the rendered fields (stored as before)."""
    ti = server.add_ti(bash_task("b", "echo {{ ds }}"))
    out = run_agent(ti, env={"LEOFLOW_HEARTBEAT_S": "60"})
    assert out.state == "success", out.text()
    assert [m for m, _ in server.calls] == ["GET", "PATCH"]
    assert server.tis[ti].reports[0]["rendered_fields"]["bash_command"] == "echo 2025-01-01"
    assert server.tis[ti].rendered_fields["bash_command"] == "echo 2025-01-01"


def test_failed_try_still_sends_its_rendered_fields(server, run_agent):
    """A try that fails after rendering stores its rendered fields too (Airflow stores them
    before execute)."""
    ti = server.add_ti(bash_task("b", "echo {{ ds }}; exit 3"))
    out = run_agent(ti, env={"LEOFLOW_HEARTBEAT_S": "60"})
    assert out.state == "failed", out.text()
    assert server.tis[ti].reports[0]["rendered_fields"]["bash_command"] == "echo 2025-01-01; exit 3"


def test_long_try_stores_rendered_fields_at_its_first_heartbeat(server, run_agent):
    """A try that outlives the heartbeat interval sends its rendered fields (`PUT .../rtif`)
    with its first heartbeat after rendering, so they show while it runs; the end state then
    has none."""
    ti = server.add_ti(bash_task("b", "echo {{ ds }}; sleep 1.5"))
    out = run_agent(ti, env={"LEOFLOW_HEARTBEAT_S": "0.3"})
    assert out.state == "success", out.text()
    methods = [(m, p.rsplit("/", 1)[-1]) for m, p in server.calls]
    assert methods[0] == ("GET", "run-context")
    assert methods.count(("PUT", "rtif")) == 1
    sent = methods.index(("PUT", "rtif"))
    assert methods[sent + 1] == ("POST", "heartbeat")
    assert methods[-1] == ("PATCH", "state")
    assert "rendered_fields" not in server.tis[ti].reports[0]
    assert server.tis[ti].rendered_fields["bash_command"] == "echo 2025-01-01; sleep 1.5"


def test_refused_rendered_fields_only_warn(server, run_agent):
    """A try whose rendered fields the server refuses at its first heartbeat still runs and
    reports its end state; the refusal is logged before the end."""
    ti = server.add_ti(bash_task("b", "sleep 1.5"))
    original = server.route

    def refuse(method, p, q, body):
        if p[-1:] == ["rtif"]:
            return 500, {"detail": "store down"}
        return original(method, p, q, body)

    server.route = refuse
    out = run_agent(ti, env={"LEOFLOW_HEARTBEAT_S": "0.3"})
    assert out.state == "success", out.text()
    events = out.events("airflow.task")
    warned = [i for i, e in enumerate(events) if "rendered template fields" in e]
    assert warned
    assert warned[0] < events.index("Task instance finished")
    assert server.tis[ti].rendered_fields is None


def test_prefetched_upstream_xcom_needs_no_call(server, run_agent, dag_file):
    """An XComArg argument and an equivalent `ti.xcom_pull` use the run context's upstream
    XCom (no `GET /xcoms`) and give what a pull gives; another key is still pulled."""
    value = {
        "a": [1, 2],
        "t": {"__classname__": "builtins.tuple", "__version__": 1, "__data__": [1]},
    }
    server.xcoms[("d", RUN, "up", "return_value", -1)] = {"stale": True}  # not what is used
    server.xcoms[("d", RUN, "up", "other", -1)] = "pulled"
    task = python_task("consume", op_args=[XCOMARG])
    up = [{"task_id": "up", "key": "return_value", "value": value}]
    ti = server.add_ti(task, upstream_xcoms=up)
    out = run_agent(ti, dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    got = server.xcoms[("d", RUN, "consume", "return_value", -1)]
    decoded = value  # the tuple decoded, then encoded again in the pushed return value
    assert got == {
        "arg": decoded,
        "t_type": "tuple",
        "pulled": decoded,
        "pulled_at": decoded,
        "other": "pulled",
    }
    assert _calls(server, "xcoms/d") == ["GET"]  # only key="other"


def test_not_prefetched_upstream_xcom_is_pulled(server, run_agent, dag_file):
    """Without an upstream XCom in the run context (absent, too large, mapped), the XComArg
    and the pulls go to `GET /xcoms`, with the same results."""
    server.xcoms[("d", RUN, "up", "return_value", -1)] = {"a": [1, 2]}
    server.xcoms[("d", RUN, "up", "other", -1)] = "pulled"
    ti = server.add_ti(python_task("consume", op_args=[XCOMARG]), upstream_xcoms=[])
    out = run_agent(ti, dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    got = server.xcoms[("d", RUN, "consume", "return_value", -1)]
    pulled = {"a": [1, 2]}
    assert got == {
        "arg": pulled,
        "t_type": "NoneType",
        "pulled": pulled,
        "pulled_at": pulled,
        "other": "pulled",
    }
    assert _calls(server, "xcoms/d") == ["GET"] * 4
