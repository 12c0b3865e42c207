"""Python operators: callables from the DAG file, XCom in and out, context injection, branching."""

from __future__ import annotations

from conftest import TASK_DECORATED, python_task

RUN = "manual__2025-01-01T00:00:00+00:00"
BRANCH = "airflow.providers.standard.operators.python.BranchPythonOperator"
SHORT = "airflow.providers.standard.operators.python.ShortCircuitOperator"

DAG_SRC = """
import json
def produce():
    return {"a": 1, "b": [1, 2]}
def consume(value, extra, ds, ti, templates_dict=None):
    ti.xcom_push(key="manual", value=ti.xcom_pull(task_ids="produce")["b"])
    return {"got": value, "extra": extra, "ds": ds, "td": templates_dict}
def boom():
    raise ValueError("user code exploded")
def not_json():
    return object()
def chained():
    try:
        {}["inner"]
    except KeyError as exc:
        raise RuntimeError("wrapped") from exc
def multi():
    return {"x": 1, "y": "two"}
def choose(params):
    return params["go"]
def cond(**context):
    return context["params"].get("flag", False)
def mapped(x, y):
    return x * 10 + y
with DAG("d", schedule=None, start_date=START, params={"go": "right"}):
    for tid, fn in [("produce", produce), ("consume", consume), ("boom", boom),
                    ("not_json", not_json), ("multi", multi), ("mapped", mapped),
                    ("chained", chained)]:
        PythonOperator(task_id=tid, python_callable=fn)
    branch = BranchPythonOperator(task_id="branch", python_callable=choose)
    short = ShortCircuitOperator(task_id="short", python_callable=cond)
    left, right = EmptyOperator(task_id="left"), EmptyOperator(task_id="right")
    branch >> [left, right]
    short >> right >> EmptyOperator(task_id="after_right")
"""


def test_python_xcom_in_and_out_with_context_injection(server, run_agent, dag_file):
    """op_args XComArgs are pulled, context keys injected by name, the return value pushed."""
    path = dag_file(DAG_SRC)
    server.xcoms[("d", RUN, "produce", "return_value", -1)] = {"a": 1, "b": [1, 2]}
    task = python_task(
        "consume",
        op_args=[
            {
                "__type": "xcomarg",
                "key": "return_value",
                "kind": "PlainXComArg",
                "task_id": "produce",
            }
        ],
        op_kwargs={"extra": "{{ ds_nodash }}"},
        templates_dict={"when": "{{ ts }}"},
    )
    out = run_agent(server.add_ti(task), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "consume", "return_value", -1)] == {
        "got": {"a": 1, "b": [1, 2]},
        "extra": "20250101",
        "ds": "2025-01-01",
        "td": {"when": "2025-01-01T00:00:00+00:00"},
    }
    assert server.xcoms[("d", RUN, "consume", "manual", -1)] == [1, 2]


def test_multiple_outputs_push_each_key(server, run_agent, dag_file):
    """multiple_outputs=True pushes every key of the returned dict and the dict itself."""
    task = python_task("multi", cls=TASK_DECORATED, multiple_outputs=True)
    task["multiple_outputs"] = True
    out = run_agent(server.add_ti(task), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "multi", "x", -1)] == 1
    assert server.xcoms[("d", RUN, "multi", "y", -1)] == "two"
    assert server.xcoms[("d", RUN, "multi", "return_value", -1)] == {"x": 1, "y": "two"}


def test_mapped_task_gets_expanded_kwargs(server, run_agent, dag_file):
    """A mapped @task gets its `expanded` arguments as kwargs and pushes under its map index."""
    task = python_task("mapped", cls=TASK_DECORATED, op_kwargs={"y": 2})
    ti = server.add_ti(task, map_index=3, expanded={"x": 4})
    out = run_agent(ti, dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "mapped", "return_value", 3)] == 42


def test_callable_exception_fails_with_user_traceback(server, run_agent, dag_file):
    """A raising callable fails the try; the log holds the user's frame, not the agent's."""
    path = dag_file(DAG_SRC)
    out = run_agent(server.add_ti(python_task("boom")), dag_file=path)
    assert out.returncode == 0
    assert out.state == "failed"
    assert out.report["error"] == "ValueError: user code exploded"
    line = next(e for e in out.log if e["event"] == "Task failed with exception")
    [stack] = line["error_detail"]  # Airflow's structured traceback, which the UI folds
    assert (stack["exc_type"], stack["exc_value"]) == ("ValueError", "user code exploded")
    assert stack["frames"][-1]["filename"] == str(path)
    assert stack["frames"][-1]["name"] == "boom"
    assert not any("leoflow_agent" in f["filename"] for f in stack["frames"])


def test_chained_exception_is_logged_with_its_cause(server, run_agent, dag_file):
    """`raise X from Y`: as Airflow, the raised exception first, then its cause (is_cause)."""
    out = run_agent(server.add_ti(python_task("chained")), dag_file=dag_file(DAG_SRC))
    assert out.state == "failed"
    line = next(e for e in out.log if e["event"] == "Task failed with exception")
    assert [(s["exc_type"], s["exc_value"], s["is_cause"]) for s in line["error_detail"]] == [
        ("RuntimeError", "wrapped", False),
        ("KeyError", "'inner'", True),
    ]


def test_non_json_return_value_fails(server, run_agent, dag_file):
    """A return value JSON cannot carry fails the try with a clear reason."""
    out = run_agent(server.add_ti(python_task("not_json")), dag_file=dag_file(DAG_SRC))
    assert out.state == "failed"
    assert "not JSON-serializable" in out.report["error"]


def test_missing_dag_file_fails_clearly(server, run_agent, tmp_path):
    """Without a loadable DAG file a Python task fails (it never crashes silently)."""
    out = run_agent(server.add_ti(python_task("produce")), dag_file=tmp_path / "nope.py")
    assert out.returncode == 0
    assert out.state == "failed"
    assert "does not exist" in out.report["error"]


def test_branch_reports_next_branch_and_skipmixin(server, run_agent, dag_file):
    """A branch reports the chosen downstream ids; skipping others means no return_value XCom."""
    task = python_task("branch", cls=BRANCH)
    task["downstream_task_ids"] = ["left", "right"]
    dag = {"params": {"go": {"default": "right", "description": None, "schema": {}}}}
    dag["task_ids"] = ["branch", "left", "right", "after_right"]
    out = run_agent(server.add_ti(task, dag=dag), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert out.report["next_branch"] == ["right"]
    assert server.xcoms[("d", RUN, "branch", "skipmixin_key", -1)] == {"followed": ["right"]}
    assert ("d", RUN, "branch", "return_value", -1) not in server.xcoms


def test_branch_to_unknown_task_fails(server, run_agent, dag_file):
    """Branching to a task id the DAG does not have fails the try."""
    task = python_task("branch", cls=BRANCH)
    task["downstream_task_ids"] = ["left", "right"]
    dag = {"task_ids": ["branch", "left", "right"]}
    out = run_agent(
        server.add_ti(task, dag=dag, conf={"go": "nowhere"}), dag_file=dag_file(DAG_SRC)
    )
    assert out.state == "failed"
    assert "Invalid tasks found" in out.report["error"]


def test_short_circuit_false_skips_downstream(server, run_agent, dag_file):
    """A falsy short-circuit reports no branch to follow and skips every descendant."""
    task = python_task("short", cls=SHORT)
    task["downstream_task_ids"] = ["right"]
    out = run_agent(server.add_ti(task), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert out.report["next_branch"] == []
    assert out.report["skip_descendants"] is True
    assert ("d", RUN, "short", "return_value", -1) not in server.xcoms


def test_short_circuit_true_continues(server, run_agent, dag_file):
    """A truthy short-circuit pushes its value and sets no branch."""
    task = python_task("short", cls=SHORT)
    task["downstream_task_ids"] = ["right"]
    out = run_agent(server.add_ti(task, conf={"flag": True}), dag_file=dag_file(DAG_SRC))
    assert out.state == "success"
    assert "next_branch" not in out.report
    assert server.xcoms[("d", RUN, "short", "return_value", -1)] is True


def test_return_value_xcoms_travel_with_the_end_state(server, run_agent, dag_file):
    """ADR 0002: the return value XComs (each multiple_outputs key too) are sent in the state
    report, encoded as stored, and not with separate XCom calls; the explicit push is a call."""
    task = python_task("multi", cls=TASK_DECORATED, multiple_outputs=True)
    task["multiple_outputs"] = True
    out = run_agent(server.add_ti(task), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert out.report["xcoms"] == [
        {"key": "x", "value": 1},
        {"key": "y", "value": "two"},
        {"key": "return_value", "value": {"x": 1, "y": "two"}},
    ]
    assert not [c for c in server.calls if c[1].startswith("/execution/xcoms/") and c[0] == "POST"]
    server.xcoms[("d", RUN, "produce", "return_value", -1)] = {"a": 1, "b": [1, 2]}
    task = python_task("consume", op_args=[1], op_kwargs={"extra": 2})
    out = run_agent(server.add_ti(task), dag_file=dag_file(DAG_SRC))
    assert out.state == "success", out.text()
    assert [k["key"] for k in out.report["xcoms"]] == ["return_value"]
    posts = [c[1] for c in server.calls if c[0] == "POST" and "/xcoms/" in c[1]]
    assert posts == [
        f"/execution/xcoms/d/{RUN.replace(':', '%3A').replace('+', '%2B')}/consume/manual"
    ]


def test_failed_try_reports_no_return_value(server, run_agent, dag_file):
    """A callable that raises has no return value: its failure report carries no XComs."""
    out = run_agent(server.add_ti(python_task("boom")), dag_file=dag_file(DAG_SRC))
    assert out.state == "failed", out.text()
    assert "xcoms" not in out.report
