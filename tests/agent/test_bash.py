"""BashOperator runs natively: output, XCom, skip codes, retries, env and logs."""

from __future__ import annotations

import signal
import subprocess
import time

from conftest import PYTHON, agent_env, bash_task


def test_bash_success_pushes_last_line_and_logs_stdout(server, run_agent):
    """A successful bash task reports success, pushes its last stdout line and logs each line."""
    ti = server.add_ti(bash_task("hello", "echo first; echo 'last line'"))
    out = run_agent(ti)
    assert out.returncode == 0, out.stderr
    assert out.state == "success"
    assert (
        server.xcoms[("d", "manual__2025-01-01T00:00:00+00:00", "hello", "return_value", -1)]
        == "last line"
    )
    assert out.events("task.stdout")[-2:] == ["first", "last line"]
    assert all(set(line) >= {"timestamp", "event", "level", "logger"} for line in out.log)


def test_bash_exit_99_and_custom_skip_code_skip(server, run_agent):
    """Exit code 99 (default) and a configured skip_on_exit_code end the try as skipped."""
    default = server.add_ti(bash_task("s99", "exit 99"))
    custom = server.add_ti(bash_task("s3", "exit 3", skip_on_exit_code=3))
    assert run_agent(default).state == "skipped"
    assert run_agent(custom).state == "skipped"


def test_bash_failure_retries_then_fails(server, run_agent):
    """A failing try with tries left is up_for_retry, the last one failed; the reason is logged."""
    first = server.add_ti(bash_task("f", "echo boom >&2; exit 2"), try_number=1, max_tries=1)
    last = server.add_ti(bash_task("f", "exit 2"), try_number=2, max_tries=1)
    out = run_agent(first)
    assert out.returncode == 0
    assert out.state == "up_for_retry"
    assert "non-zero exit code 2" in out.report["error"]
    assert "boom" in out.events("task.stdout")
    assert run_agent(last).state == "failed"


def test_bash_env_append_env_cwd_and_airflow_ctx(server, run_agent, tmp_path):
    """env/append_env/cwd are honoured and AIRFLOW_CTX_* variables are exported."""
    ti = server.add_ti(
        bash_task(
            "envy",
            'echo "$FOO|$AIRFLOW_CTX_DAG_ID|$AIRFLOW_CTX_TASK_ID|$(pwd)|${PATH:+haspath}"',
            env={"FOO": "{{ ds }}"},
            append_env=True,
            cwd=str(tmp_path),
        )
    )
    out = run_agent(ti)
    assert out.state == "success", out.text()
    value = server.xcoms[("d", "manual__2025-01-01T00:00:00+00:00", "envy", "return_value", -1)]
    assert value == f"2025-01-01|d|envy|{tmp_path}|haspath"


def test_bash_env_without_append_replaces_environment(server, run_agent):
    """Without append_env the command sees only `env` plus AIRFLOW_CTX_*, never the token."""
    ti = server.add_ti(
        bash_task("clean", 'echo "${LEOFLOW_TI_TOKEN:-none}|${HOME:-nohome}|$X"', env={"X": "1"})
    )
    run_agent(ti)
    assert (
        server.xcoms[("d", "manual__2025-01-01T00:00:00+00:00", "clean", "return_value", -1)]
        == "none|nohome|1"
    )


def test_bash_template_file_from_dag_folder(server, run_agent, dag_file):
    """A bash_command ending in .sh is loaded from the DAG folder and rendered."""
    path = dag_file(
        "with DAG('d', schedule=None, start_date=START):\n"
        "    BashOperator(task_id='script', bash_command='run.sh')\n"
    )
    (path.parent / "run.sh").write_text("echo script {{ ds_nodash }}\n")
    ti = server.add_ti(bash_task("script", "run.sh"))
    out = run_agent(ti, dag_file=path)
    assert out.state == "success", out.text()
    assert (
        server.xcoms[("d", "manual__2025-01-01T00:00:00+00:00", "script", "return_value", -1)]
        == "script 20250101"
    )


def test_execution_timeout_kills_the_process_group(server, run_agent, tmp_path):
    """execution_timeout ends the try (up_for_retry) and kills bash and its children."""
    pid_file = tmp_path / "pid"
    task = bash_task("slow", f"sleep 60 & echo $! > {pid_file}; wait")
    task["execution_timeout"] = {"__type": "timedelta", "__var": 1.0}
    ti = server.add_ti(task, max_tries=1)
    out = run_agent(ti, timeout=30)
    assert out.state == "up_for_retry"
    assert "AirflowTaskTimeout" in out.report["error"]
    assert wait_dead(int(pid_file.read_text()), 5.0), "the sleep child survived the timeout"


def wait_dead(pid: int, within_s: float) -> bool:
    """True once `pid` is gone or a zombie (killed, not yet reaped by a container's init)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/status") as fh:
                if "State:\tZ" in fh.read():
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_sigterm_ends_the_bash_process_group_as_on_kill(server, tmp_path):
    """A stop request (SIGTERM to the agent, as the executor sends to a cleared try) reaches the
    bash command's own process group, even with an `env` that hides the try's variables from
    it, as Airflow's task runner calls `on_kill`; the try ends failed with bash's exit code."""
    pid_file = tmp_path / "pid"
    task = bash_task("stopped", f"sleep 60 & echo $! > {pid_file}; wait", env={"ONLY": "this"})
    ti = server.add_ti(task, max_tries=0)
    log_path = tmp_path / "stopped.ndjson"
    proc = subprocess.Popen(
        [PYTHON, "-m", "leoflow_agent"], env=agent_env(server, ti, log_path, None)
    )
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text().strip():
            assert time.monotonic() < deadline, "bash did not start"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert wait_dead(int(pid_file.read_text()), 5.0), "the sleep survived the stop request"
        assert proc.wait(30) == 0
    finally:
        proc.kill()
    assert server.tis[ti].reports[-1]["state"] == "failed"
    assert "-15" in server.tis[ti].reports[-1]["error"]
