"""The agents' fork server dies (kill -9) while a try runs: the executor waits for that
orphaned try's end instead of losing it, so a try that then dies without reporting ends as a
failed try at once (not after the 300 s heartbeat timeout), and the next try gets a new server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import shared_dag_python

pytestmark = pytest.mark.slow

DAG = """
from airflow.sdk import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG("fs_death", schedule=None):
    slow = BashOperator(task_id="slow", bash_command="echo $$ > {pidfile}; sleep 60")
    BashOperator(task_id="after", bash_command="echo after", trigger_rule="all_done") << slow
"""


def _ppid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_a_dead_fork_server_loses_no_try(db_uri: str, tmp_path: Path) -> None:
    pidfile = tmp_path / "bash.pid"
    dag = tmp_path / "fs_death.py"
    dag.write_text(DAG.format(pidfile=pidfile))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
    env.update({"LEOFLOW_DATABASE_URL": db_uri, "LEOFLOW_HOME": str(tmp_path / "home")})
    env["LEOFLOW_DAG_PYTHON"] = shared_dag_python()
    proc = subprocess.Popen(
        [sys.executable, "-m", "leoflow.cli.main", "dags", "test", str(dag), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        while not (pidfile.exists() and pidfile.read_text().strip()):
            assert time.monotonic() < deadline, "the slow task never started"
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)  # polling a file the task writes, bounded by the deadline
        bash = int(pidfile.read_text())
        agent = _ppid(bash)
        server = _ppid(agent)
        assert b"leoflow_agent.forkserver" in Path(f"/proc/{server}/cmdline").read_bytes()
        os.kill(server, signal.SIGKILL)
        time.sleep(0.5)
        os.killpg(agent, signal.SIGKILL)  # the orphaned try dies without reporting
        os.kill(bash, signal.SIGKILL)
        out, err = proc.communicate(timeout=60)  # well under the 300 s heartbeat timeout
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    doc = json.loads(out)
    states = {t["task_id"]: (t["state"], t["try_number"]) for t in doc["task_instances"]}
    assert states == {"slow": ("failed", 1), "after": ("success", 1)}, err[-3000:]
    assert "Task exception was never retrieved" not in err
