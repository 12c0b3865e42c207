"""Notifiers (BaseNotifier subclasses) as task callbacks, as Airflow 3.2.1 runs them: called
with the callback's context, a notifier renders its template fields against it (the DAG's Jinja
environment), then calls `notify(context)`; one that raises is logged (by the notifier, then as
a failed task callback) and changes nothing (the corpus DAG h11_notifier holds what Airflow did).
"""

from __future__ import annotations

DAG_SRC = """
import os
from airflow.sdk import BaseNotifier

MARKS = MARKS_DIR

class FileNotifier(BaseNotifier):
    template_fields = ("message", "fname")

    def __init__(self, message, fname):
        super().__init__()
        self.message = message
        self.fname = fname

    def notify(self, context):
        with open(os.path.join(MARKS, self.fname), "a") as f:
            f.write(self.message + "\\n")

class BadNotifier(BaseNotifier):
    def notify(self, context):
        raise RuntimeError("notifier boom")

def plain(context):
    with open(os.path.join(MARKS, "plain"), "a") as f:
        f.write(f"{context['ti'].task_id}:{context.get('message')}\\n")

with DAG("d", schedule=None, start_date=START, params={"p": "P"}):
    @task(on_success_callback=FileNotifier("ok {{ ti.task_id }} {{ ds }} {{ params.p }}",
                                           "succ_{{ ti.task_id }}"))
    def ok():
        return 1

    @task(on_failure_callback=[BadNotifier(), plain,
                               FileNotifier("failed {{ ti.try_number }} {{ exception }}", "fail"),
                               plain])
    def bad():
        raise ValueError("vv")

    @task(on_success_callback=FileNotifier("m {{ ti.map_index }}", "map_{{ ti.map_index }}"))
    def mapped(x):
        return x

    ok(); bad(); mapped.expand(x=[0, 1])
"""


def _dag(dag_file, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    return dag_file(DAG_SRC.replace("MARKS_DIR", repr(str(marks)))), marks


def test_notifier_renders_its_template_fields_on_success(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "ok"), dag_file=path)
    assert out.state == "success", out.text()
    assert (marks / "succ_ok").read_text() == "ok ok 2025-01-01 P\n"
    assert not [e for e in out.log if e["event"] == "Failed to run task callback"], out.text()


def test_notifier_on_a_mapped_task(server, run_agent, compiled_ti, dag_file, tmp_path):
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "mapped", map_index=1, expanded={"x": 1}), dag_file=path)
    assert out.state == "success", out.text()
    assert (marks / "map_1").read_text() == "m 1\n"


def test_notifiers_and_functions_on_failure_a_raising_one_is_logged(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    """A raising notifier is logged and the next callbacks still run; the state stays failed.
    Each notifier adds its (unrendered) template fields to the context the next callbacks get."""
    path, marks = _dag(dag_file, tmp_path)
    out = run_agent(compiled_ti(path, "bad"), dag_file=path)
    assert out.state == "failed", out.text()
    assert (marks / "fail").read_text() == "failed 1 vv\n"
    assert (marks / "plain").read_text() == (
        "bad:None\nbad:failed {{ ti.try_number }} {{ exception }}\n"
    )
    failed = [e for e in out.log if e["event"] == "Failed to run task callback"]
    assert [(e["kind"], e["index"]) for e in failed] == [("on_failure_callback", 0)], failed
    assert any("Failed to send notification (sync): notifier boom" in e for e in out.events())


NATIVE_SRC = """
import os
from airflow.sdk import BaseNotifier

class TypeNotifier(BaseNotifier):
    template_fields = ("value",)

    def __init__(self, value):
        super().__init__()
        self.value = value

    def notify(self, context):
        with open(MARKS_FILE, "w") as f:
            f.write(repr(self.value))

with DAG("d", schedule=None, start_date=START, render_template_as_native_obj=True):
    @task(on_success_callback=TypeNotifier("{{ [1, 1 + 1] }}"))
    def ok():
        return 1

    ok()
"""


def test_notifier_renders_natively_in_a_native_dag(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    """Airflow's notifier takes the DAG's environment and its `render_template_as_native_obj`."""
    mark = tmp_path / "mark"
    path = dag_file(NATIVE_SRC.replace("MARKS_FILE", repr(str(mark))))
    out = run_agent(compiled_ti(path, "ok"), dag_file=path)
    assert out.state == "success", out.text()
    assert mark.read_text() == "[1, 2]"


KINDS_SRC = """
import os
from airflow.sdk import BaseNotifier
from airflow.exceptions import AirflowSkipException

MARKS = MARKS_DIR

class Mark(BaseNotifier):
    template_fields = ("text",)

    def __init__(self, name, text):
        super().__init__()
        self.name, self.text = name, text

    def notify(self, context):
        with open(os.path.join(MARKS, self.name), "a") as f:
            f.write(self.text + "\\n")

default_args = {"on_execute_callback": Mark("execute", "x {{ ti.task_id }}")}

with DAG("d", schedule=None, start_date=START, default_args=default_args):
    @task(on_retry_callback=[Mark("retry", "r {{ ti.try_number }}")])
    def flaky():
        raise ValueError("once")

    @task(on_skipped_callback=Mark("skipped", "s {{ ti.task_id }}"))
    def skips():
        raise AirflowSkipException("no")

    flaky(); skips()
"""


def test_notifiers_from_default_args_and_each_kind(
    server, run_agent, compiled_ti, dag_file, tmp_path
):
    marks = tmp_path / "marks"
    marks.mkdir()
    path = dag_file(KINDS_SRC.replace("MARKS_DIR", repr(str(marks))))
    out = run_agent(compiled_ti(path, "flaky", max_tries=1), dag_file=path)
    assert out.state == "up_for_retry", out.text()
    out = run_agent(compiled_ti(path, "skips"), dag_file=path)
    assert out.state == "skipped", out.text()
    assert (marks / "execute").read_text() == "x flaky\nx skips\n"
    assert (marks / "retry").read_text() == "r 1\n"
    assert (marks / "skipped").read_text() == "s skips\n"
