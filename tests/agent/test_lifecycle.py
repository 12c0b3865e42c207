"""The try's lifecycle: heartbeats, stop requests, the generic path, triggers, the fork server."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import AGENT_ROOT, PYTHON, agent_env, bash_task, make_task, read_log

RUN = "manual__2025-01-01T00:00:00+00:00"


def test_heartbeat_409_stops_the_try_without_report(server, run_agent):
    """When a heartbeat gets 409 the agent kills the task and exits without reporting."""
    ti = server.add_ti(bash_task("long", "sleep 30"))
    server.tis[ti].stop = True
    started = time.monotonic()
    out = run_agent(ti, timeout=30)
    assert time.monotonic() - started < 15
    assert out.returncode == 0
    assert out.ti.reports == []
    assert any("asked this try to stop" in e for e in out.events("airflow.task"))


def test_run_context_409_is_not_ours(server, run_agent):
    """A try that is not queued any more is left alone: no report, exit 0."""
    ti = server.add_ti(bash_task("x", "echo hi"))
    server.tis[ti].state = "running"
    out = run_agent(ti)
    assert out.returncode == 0
    assert out.ti.reports == []


def test_generic_operator_without_airflow_fails_with_hint(server, run_agent):
    """A provider operator without real Airflow installed fails naming `connectors:`."""
    task = make_task("g", "airflow.providers.http.operators.http.HttpOperator", {"endpoint": "/x"})
    out = run_agent(server.add_ti(task))
    assert out.state == "failed"
    assert "needs the provider installed: add `connectors:`" in out.report["error"]


def test_empty_operator_and_outlet_asset_event(server, run_agent):
    """EmptyOperator succeeds and its outlets become asset events."""
    asset = {"__type": "asset", "name": "a", "uri": "s3://b/a", "group": "asset", "extra": {}}
    task = make_task(
        "e", "airflow.providers.standard.operators.empty.EmptyOperator", {}, outlets=[asset]
    )
    out = run_agent(server.add_ti(task))
    assert out.state == "success"
    assert server.asset_events == [{"asset": asset, "extra": {}}]


def test_trigger_dag_run_posts_and_pushes_run_id(server, run_agent):
    """TriggerDagRunOperator creates the run through the API and pushes trigger_run_id."""
    task = make_task(
        "trig",
        "airflow.providers.standard.operators.trigger_dagrun.TriggerDagRunOperator",
        {"trigger_dag_id": "target", "conf": {"k": "{{ ds }}"}, "trigger_run_id": "r1"},
        template_fields=["conf", "trigger_dag_id", "trigger_run_id"],
    )
    out = run_agent(server.add_ti(task))
    assert out.state == "success", out.text()
    assert server.triggered[0][0] == "target"
    assert server.triggered[0][1]["conf"] == {"k": "2025-01-01"}
    assert server.xcoms[("d", RUN, "trig", "trigger_run_id", -1)] == "r1"


def test_agent_imports_only_stdlib_and_jinja2():
    """Every agent module imports only the standard library, jinja2 and the agent itself (and,
    lazily inside the macros that need them, what Airflow's macros import from the DAG's
    environment: dateutil, pendulum, babel, yaml)."""
    macros = {"dateutil", "pendulum", "babel", "yaml"}
    allowed = set(sys.stdlib_module_names) | {"jinja2", "leoflow_agent", "leoflow_shim"} | macros
    for path in (AGENT_ROOT / "leoflow_agent").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_fork_server_runs_tries_and_is_cheaper_than_cold_start(server, tmp_path):
    """The fork server runs a try like the CLI does, and a forked start beats a cold start."""
    sock = tmp_path / "agent.sock"
    env = agent_env(server, "unused", tmp_path / "x.log", None)
    proc = subprocess.Popen(
        [PYTHON, "-m", "leoflow_agent.forkserver", "--socket", str(sock)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert json.loads(proc.stdout.readline())["ready"] is True
        sys.path.insert(0, str(AGENT_ROOT))
        from leoflow_agent.forkserver import spawn

        empty = "airflow.providers.standard.operators.empty.EmptyOperator"
        forked, cold = [], []
        for i in range(3):
            ti = server.add_ti(make_task(f"e{i}", empty, {}))
            started = time.perf_counter()
            code = spawn(str(sock), agent_env(server, ti, tmp_path / f"{i}.log", None)).wait(30)
            forked.append(time.perf_counter() - started)
            assert code == 0
            assert server.tis[ti].reports[0]["state"] == "success"
            assert read_log(tmp_path / f"{i}.log")
        for i in range(3):
            ti = server.add_ti(make_task(f"c{i}", empty, {}))
            started = time.perf_counter()
            subprocess.run(
                [PYTHON, "-m", "leoflow_agent"],
                env=agent_env(server, ti, tmp_path / f"c{i}.log", None),
                check=True,
            )
            cold.append(time.perf_counter() - started)
        print(
            f"\nEmptyOperator try: cold {min(cold) * 1000:.0f} ms, "
            f"forked {min(forked) * 1000:.0f} ms"
        )
        assert min(forked) < min(cold)
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        if os.path.exists(sock):
            Path(sock).unlink()


def test_fork_server_preloads_the_real_shim(server, tmp_path, dag_file, compiled_ti):
    """`--preload-shim` imports the real shim once; forked tries load DAG files with it."""
    sock = tmp_path / "shim.sock"
    env = agent_env(server, "unused", tmp_path / "x.log", None)
    proc = subprocess.Popen(
        [PYTHON, "-m", "leoflow_agent.forkserver", "--socket", str(sock), "--preload-shim"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["ready"] is True
        assert ready["not_preloaded"] == []
        sys.path.insert(0, str(AGENT_ROOT))
        from leoflow_agent.forkserver import spawn

        path = dag_file(
            "with DAG('d', schedule=None, start_date=START):\n"
            "    @task\n"
            "    def hello(who):\n"
            "        return f'hello {who}'\n"
            "    hello('{{ ds }}')\n"
        )
        # The first try loads the file in a fresh fork; after it the server preloads the file
        # (`preload_dag_file`), so the later ones reuse the server's objects: same result.
        for i in range(3):
            ti = compiled_ti(path, "hello")
            log = tmp_path / f"s{i}.log"
            assert spawn(str(sock), agent_env(server, ti, log, path)).wait(30) == 0
            assert server.tis[ti].reports[0]["state"] == "success", read_log(log)
        run = "manual__2025-01-01T00:00:00+00:00"
        assert server.xcoms[("d", run, "hello", "return_value", -1)] == "hello 2025-01-01"
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


PRELOAD_CHECK = """
import json, os, sys
from leoflow_agent import live
from leoflow_agent.forkserver import preload_dag_file
stable, unstable = sys.argv[1], sys.argv[2]
out = {"unstable": preload_dag_file(unstable), "stable": preload_dag_file(stable)}
out["found"] = sorted(live.preloaded_dags(stable) or {})
with open(stable, "a") as fh:
    fh.write("# changed\\n")
out["after_change"] = live.preloaded_dags(stable)
print(json.dumps(out))
"""


def test_fork_server_preloads_only_stable_dag_files(server, tmp_path: Path, dag_file) -> None:
    """A DAG file is preloaded in the fork server only when its top level reads no Variable and
    loads cleanly, and the preloaded objects are dropped once the file changes."""
    stable = dag_file(
        "with DAG('d', schedule=None, start_date=START):\n"
        "    @task\n"
        "    def hello():\n"
        "        return 1\n"
        "    hello()\n"
    )
    unstable = dag_file(
        "from airflow.sdk import Variable\n"
        "with DAG('v', schedule=None, start_date=START):\n"
        "    @task\n"
        "    def hello():\n"
        "        return Variable.get('x', default=1)\n"
        "    hello.override(task_id=Variable.get('name', default='t'))()\n",
        name="var.py",
    )
    env = agent_env(server, "unused", tmp_path / "x.log", None)
    proc = subprocess.run(
        [PYTHON, "-c", PRELOAD_CHECK, str(stable), str(unstable)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"stable": True, "unstable": False, "found": ["d"], "after_change": None}


def test_heartbeats_start_one_interval_into_the_try(server, run_agent):
    """A try shorter than the heartbeat interval (0.5 s here) sends no heartbeat; a longer one
    sends one per interval from the first interval on."""
    short = server.add_ti(bash_task("short", "true"))
    long = server.add_ti(bash_task("long", "sleep 1.6"))
    assert run_agent(short).state == "success"
    assert server.tis[short].heartbeats == 0
    assert run_agent(long).state == "success"
    assert 2 <= server.tis[long].heartbeats <= 4


NOISY = """
import os, sys
with DAG('d', schedule=None, start_date=START):
    @task
    def noisy():
        for i in range(3000):  # ~200 KB: more than a pipe holds
            print(f"out {i} " + "x" * 60)
        sys.stderr.write("err line\\n")
        sys.stderr.flush()
        sys.stdout.flush()
        os.write(1, b"no end of line")
    noisy()
"""


def test_task_output_on_fds_1_and_2_becomes_log_lines(server, run_agent, dag_file, compiled_ti):
    """Everything the task writes to fds 1 and 2 becomes `task.stdout` / `task.stderr` lines, in
    order, beyond a pipe's capacity, and a last line without its end of line is kept."""
    path = dag_file(NOISY)
    out = run_agent(compiled_ti(path, "noisy"), dag_file=path)
    assert out.state == "success", out.text()
    stdout = out.events("task.stdout")
    assert stdout == [f"out {i} " + "x" * 60 for i in range(3000)] + ["no end of line"]
    assert out.events("task.stderr") == ["err line"]
