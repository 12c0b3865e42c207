"""What the fork server builds once for every try (the masker, the logging handler) stays per try:
a forked try still gets a fresh masker, its own log, its own `random` state."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from conftest import AGENT_ROOT, PYTHON, agent_env, read_log

sys.path.insert(0, str(AGENT_ROOT))

from leoflow_agent import masking
from leoflow_agent.logs import TaskLog, install_logging

SECRET = "s3cr3t-value"


def test_a_forked_try_gets_a_fresh_masker_its_own_log_and_random_state(
    server, tmp_path: Path, dag_file, compiled_ti
) -> None:
    """Tries of one DAG file alternate through one fork server (which preloads the file after
    two): a try that fetched a sensitive variable masks it in what it printed and logged, the
    next try that prints the same text through a non-sensitive variable does not; every line a
    try prints or logs is in its own log only, with a timestamp; no two tries draw the same
    random number."""
    path = dag_file(
        "with DAG('d', schedule=None, start_date=START):\n"
        "    @task\n"
        "    def reveal(name):\n"
        "        import logging, random\n"
        "        from airflow.sdk import Variable\n"
        "        value = Variable.get(name)\n"
        "        print(f'printed {value}')\n"
        "        logging.getLogger('user').warning('logged %s', value)\n"
        "        return random.random()\n"
        "    reveal.override(task_id='secret')('api_key')\n"
        "    reveal.override(task_id='plain')('greeting')\n"
    )
    server.variables.update(api_key=SECRET, greeting=SECRET)
    sock = tmp_path / "agent.sock"
    proc = subprocess.Popen(
        [PYTHON, "-m", "leoflow_agent.forkserver", "--socket", str(sock), "--preload-shim"],
        env=agent_env(server, "unused", tmp_path / "x.log", None),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert json.loads(proc.stdout.readline())["ready"] is True
        from leoflow_agent.forkserver import spawn

        draws = []
        for i, task_id in enumerate(["secret", "plain"] * 3):
            ti = compiled_ti(path, task_id)
            log_path = tmp_path / f"{i}.log"
            assert spawn(str(sock), agent_env(server, ti, log_path, path)).wait(30) == 0
            report = server.tis[ti].reports[0]
            assert report["state"] == "success", read_log(log_path)
            draws.append(report["xcoms"][0]["value"])
            lines = read_log(log_path)
            shown = "***" if task_id == "secret" else SECRET
            printed = [x for x in lines if x["logger"] == "task.stdout"]
            logged = [x for x in lines if x["logger"] == "user"]
            assert [x["event"] for x in printed] == [f"printed {shown}"]
            assert [x["event"] for x in logged] == [f"logged {shown}"]
            assert all(x["timestamp"].endswith("Z") for x in lines)
            assert lines[0]["task_id"] == task_id  # the first line is this try's own
        assert len(set(draws)) == len(draws)
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_configure_keeps_only_a_masker_that_is_still_fresh() -> None:
    """`masking.configure` keeps the current masker when it holds no secret and has the same
    settings; after a try masked something, or with other settings, it builds a new one."""
    env = {"AIRFLOW__LOGGING__MIN_LENGTH_MASKED_SECRET": "4"}
    first = masking.configure(env)
    assert masking.configure(dict(env)) is first
    first.add_mask("abcdefgh")
    assert masking.redact_text("x abcdefgh") == "x ***"
    second = masking.configure(env)
    assert second is not first
    assert masking.redact_text("x abcdefgh") == "x abcdefgh"
    third = masking.configure({"AIRFLOW__LOGGING__MIN_LENGTH_MASKED_SECRET": "8"})
    assert third is not second
    assert third.min_length == 8
    adapted = {"AIRFLOW__LOGGING__SECRET_MASK_ADAPTER": "urllib.parse.quote"}
    assert masking.configure(adapted) is not masking.configure(adapted)  # imported anew
    masking.configure({})


def test_install_logging_points_the_installed_handler_at_the_new_log(tmp_path: Path) -> None:
    """A second `install_logging` reuses the handler the first one left on the root logger, and
    records go to the new log only; a handler added meanwhile makes it start over."""
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        idle = install_logging(None)
        logging.getLogger("user").warning("dropped")  # no log yet: nowhere
        one, two = TaskLog(str(tmp_path / "1.log")), TaskLog(str(tmp_path / "2.log"))
        assert install_logging(one) is idle
        logging.getLogger("user").warning("to one")
        assert install_logging(two) is idle
        logging.getLogger("user").warning("to two")
        extra = logging.NullHandler()
        root.addHandler(extra)
        three = TaskLog(str(tmp_path / "3.log"))
        fresh = install_logging(three)
        assert fresh is not idle
        assert root.handlers == [fresh]
        logging.getLogger("user").info("to three")
        for log in (one, two, three):
            log.close()
        events = {n: [x["event"] for x in read_log(tmp_path / f"{n}.log")] for n in "123"}
        assert events == {"1": ["to one"], "2": ["to two"], "3": ["to three"]}
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)


def test_task_log_appends_whole_lines_and_drops_what_comes_after_close(tmp_path: Path) -> None:
    """The log appends to what is there, writes one JSON line per event (a line that cannot be
    encoded is dropped, not half written), and ignores events after `close`."""
    path = tmp_path / "sub" / "try.log"
    path.parent.mkdir()
    path.write_text('{"event": "earlier"}\n')
    log = TaskLog(str(path))
    log.info("first", extra="ünïcode")
    log.info("bad \udc80 surrogate")
    log.error("second")
    log.close()
    log.info("after close")
    lines = read_log(path)
    assert [x["event"] for x in lines] == ["earlier", "first", "second"]
    assert lines[1]["extra"] == "ünïcode"
    assert lines[2]["level"] == "error"
    assert TaskLog(str(tmp_path / "new" / "dir.log")) is not None  # a missing folder is made
