"""Task callbacks, SystemExit and custom operators' hooks, as Airflow 3.2.1's task runner runs
them (the corpus DAGs rt_ctx_callbacks, rt_ctx_exceptions and rt_ctx_custom_operator hold what
real Airflow did)."""

from __future__ import annotations

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
import os, sys
from airflow.sdk import BaseOperator

MARKS = MARKS_DIR

def mark(name):
    def cb(context):
        err = context.get("exception")
        with open(os.path.join(MARKS, name), "a") as f:
            f.write(f"{context['ti'].task_id}:{context['ti'].try_number}:{type(err).__name__}\\n")
    return cb

def boom(context):
    raise RuntimeError("the callback fails")

class Custom(BaseOperator):
    template_fields = ("msg",)

    def __init__(self, *, msg, **kwargs):
        super().__init__(**kwargs)
        self.msg = msg
        self.calls = []

    def pre_execute(self, context):
        self.calls.append("pre")

    def execute(self, context):
        self.log.info("custom %s", self.msg)
        self.calls.append("execute")
        return [self.msg, self.calls]

    def post_execute(self, context, result=None):
        with open(os.path.join(MARKS, "post"), "w") as f:
            f.write(",".join(self.calls))

with DAG("d", schedule=None, start_date=START):
    @task(on_success_callback=[boom, mark("success")], on_execute_callback=mark("execute"))
    def ok():
        return 1

    @task(on_failure_callback=mark("failure"), on_retry_callback=mark("retry"))
    def fails():
        raise ValueError("no")

    @task(on_skipped_callback=mark("skipped"))
    def exits_zero():
        sys.exit(0)

    ok(); fails(); exits_zero()
    Custom(task_id="custom", msg="{{ ds }}")
"""


def _dag(dag_file, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    return dag_file(DAG_SRC.replace("MARKS_DIR", repr(str(marks)))), marks


def test_callbacks_run_per_end_state_and_cannot_change_it(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    """on_execute and on_success run for a success (a raising callback is logged, the next one
    still runs, the state stays success); a failed try with retries left runs on_retry, the
    last one on_failure, each with the error as context["exception"]; all before the report."""
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "ok"), dag_file=path)
    assert out.state == "success", out.text()
    assert (marks / "execute").read_text() == "ok:1:NoneType\n"
    assert (marks / "success").read_text() == "ok:1:NoneType\n"
    failed = next(e for e in out.log if e["event"] == "Failed to run task callback")
    assert (failed["kind"], failed["index"]) == ("on_success_callback", 0), failed  # Airflow's
    assert failed["error_detail"][0]["exc_type"], failed

    out = run_agent(compiled_ti(path, "fails", max_tries=1), dag_file=path)
    assert out.state == "up_for_retry"
    assert (marks / "retry").read_text() == "fails:1:ValueError\n"
    assert not (marks / "failure").exists()
    out = run_agent(compiled_ti(path, "fails", try_number=2, max_tries=1), dag_file=path)
    assert out.state == "failed"
    assert (marks / "failure").read_text() == "fails:2:ValueError\n"


def test_system_exit_zero_fails_the_try(server, run_agent, compiled_ti, dag_file, tmp_path):
    """sys.exit(0) in a task is a failure, retried while retries are left (Airflow's task runner
    handles every SystemExit so), not a success."""
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "exits_zero", max_tries=1), dag_file=path)
    assert out.state == "up_for_retry", out.text()
    out = run_agent(compiled_ti(path, "exits_zero", try_number=2, max_tries=1), dag_file=path)
    assert out.state == "failed", out.text()
    assert not (marks / "skipped").exists()


def test_custom_operator_hooks_and_log(server, run_agent, compiled_ti, dag_file, tmp_path):
    """A BaseOperator subclass of the DAG file has `self.log`, and its own pre_execute and
    post_execute run around execute."""
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "custom"), dag_file=path)
    assert out.state == "success", out.text()
    assert server.xcoms[("d", RUN, "custom", "return_value", -1)] == [
        "2025-01-01",
        ["pre", "execute"],
    ]
    assert (marks / "post").read_text() == "pre,execute"
    assert "custom 2025-01-01" in out.events(), out.text()
