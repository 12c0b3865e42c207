"""A try whose task does not unwind after its execution_timeout (it swallows
AirflowTaskTimeout) is ended by the agent's watchdog: it runs the end state's callbacks, as the
main thread would, with a bounded wait, reports, and exits within the executor's backstop
(5 s after the timeout)."""

from __future__ import annotations

from datetime import datetime

from conftest import NOW

RUN = f"manual__{NOW}"

DAG_SRC = """
import os, time
from datetime import timedelta

MARKS = MARKS_DIR

def mark(name):
    def cb(context):
        err = context.get("exception")
        with open(os.path.join(MARKS, name), "a") as f:
            f.write(f"{context['ti'].task_id}:{type(err).__name__}\\n")
    return cb

def stuck_callback(context):
    time.sleep(60)

def stubborn():
    while True:
        try:
            time.sleep(30)
        except BaseException:
            pass

with DAG("d", schedule=None, start_date=START):
    PythonOperator(task_id="stubborn", python_callable=stubborn,
                   execution_timeout=timedelta(seconds=1),
                   on_failure_callback=mark("failure"), on_retry_callback=mark("retry"))
    PythonOperator(task_id="stubborn_stuck_cb", python_callable=stubborn,
                   execution_timeout=timedelta(seconds=1),
                   on_failure_callback=[mark("before"), stuck_callback])
"""


def _seconds_to_report(out) -> float:
    """From the try's first log line to its reported end_date."""
    first = datetime.fromisoformat(out.log[0]["timestamp"].replace("Z", "+00:00"))
    return (datetime.fromisoformat(out.report["end_date"]) - first).total_seconds()


def _dag(dag_file, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    return dag_file(DAG_SRC.replace("MARKS_DIR", repr(str(marks)))), marks


def test_watchdog_runs_the_callbacks_of_a_hung_try(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    """With retries left on_retry_callback runs, on the last try on_failure_callback, each
    with the timeout as context["exception"]; the end state is reported before the process
    exits, well within the 5 s backstop."""
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "stubborn", max_tries=1), dag_file=path)
    assert out.state == "up_for_retry", out.text()
    assert _seconds_to_report(out) < 1 + 5, out.text()
    assert (marks / "retry").read_text() == "stubborn:AirflowTaskTimeout\n"
    assert "did not stop; killed" in out.report["error"]
    out = run_agent(compiled_ti(path, "stubborn", try_number=2, max_tries=1), dag_file=path)
    assert out.state == "failed", out.text()
    assert (marks / "failure").read_text() == "stubborn:AirflowTaskTimeout\n"


def test_a_stuck_callback_does_not_hold_the_report(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    """A callback that never returns is given HANG_CALLBACKS_S; the failed state is still
    reported, with a warning, before the executor's backstop would kill the process."""
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "stubborn_stuck_cb"), dag_file=path)
    assert out.state == "failed", out.text()
    assert (marks / "before").read_text() == "stubborn_stuck_cb:AirflowTaskTimeout\n"
    assert any("did not finish within" in e for e in out.events()), out.text()
    assert _seconds_to_report(out) < 1 + 5, out.text()
