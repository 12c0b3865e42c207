"""A callback's `context["ti"].state` is the try's end state, as Airflow's task runner sets it
before the callbacks of that state (on_execute_callback sees `running`)."""

from __future__ import annotations

DAG_SRC = """
import os
from airflow.sdk.exceptions import AirflowSkipException

MARKS = MARKS_DIR

def mark(name):
    def cb(context):
        with open(os.path.join(MARKS, name), "w") as f:
            f.write(str(context["ti"].state))
    return cb

with DAG("d", schedule=None, start_date=START):
    @task(on_execute_callback=mark("execute"), on_success_callback=mark("success"))
    def ok():
        return 1

    @task(on_retry_callback=mark("retry"), on_failure_callback=mark("failure"))
    def fails():
        raise ValueError("no")

    @task(on_skipped_callback=mark("skipped"))
    def skips():
        raise AirflowSkipException("not today")

    ok(); fails(); skips()
"""


def test_callbacks_see_the_end_state(server, run_agent, compiled_ti, dag_file, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    path = dag_file(DAG_SRC.replace("MARKS_DIR", repr(str(marks))))
    assert run_agent(compiled_ti(path, "ok"), dag_file=path).state == "success"
    assert run_agent(compiled_ti(path, "fails", max_tries=1), dag_file=path).state == "up_for_retry"
    out = run_agent(compiled_ti(path, "fails", try_number=2, max_tries=1), dag_file=path)
    assert out.state == "failed"
    assert run_agent(compiled_ti(path, "skips"), dag_file=path).state == "skipped"
    seen = {p.name: p.read_text() for p in marks.iterdir()}
    assert seen == {
        "execute": "TaskInstanceState.RUNNING",
        "success": "TaskInstanceState.SUCCESS",
        "retry": "TaskInstanceState.UP_FOR_RETRY",
        "failure": "TaskInstanceState.FAILED",
        "skipped": "TaskInstanceState.SKIPPED",
    }
