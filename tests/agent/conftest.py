"""A real execution API server on 127.0.0.1 and a helper that runs the real agent against it.

The agent runs with the real shim root on PYTHONPATH (as the local executor starts it), so DAG
files written by the tests are plain Airflow 3 DAG files.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from leoflow import environments
from leoflow.paths import agent_root, shim_root

AGENT_ROOT = agent_root()
SHIM_ROOT = shim_root()
TEST_HOME = Path.home() / ".cache" / "leoflow-test" / "home"
# The agent runs in a DAG environment, as the executor starts it: the packages a plain Airflow
# install gives DAG code (pendulum, jinja2, ...), never Leoflow's own venv.
PYTHON = str(environments.ensure(home=TEST_HOME).python)
TOKEN = "test-token"
NOW = "2025-01-01T00:00:00+00:00"
DAG_HEADER = (
    "import pendulum\n"
    "from airflow.sdk import DAG, PokeReturnValue, task\n"
    "from airflow.providers.standard.operators.python import (\n"
    "    BranchPythonOperator, PythonOperator, ShortCircuitOperator)\n"
    "from airflow.providers.standard.operators.empty import EmptyOperator\n"
    "from airflow.providers.standard.operators.bash import BashOperator\n"
    "from airflow.providers.standard.sensors.python import PythonSensor\n"
    "START = pendulum.datetime(2025, 1, 1, tz='UTC')\n"
)


def compile_dag_file(path: Path) -> dict[str, dict[str, Any]]:
    """Compile a DAG file with the real shim (`python -m leoflow_shim`): dag_id -> dag.json doc."""
    proc = subprocess.run(
        [PYTHON, "-m", "leoflow_shim", str(path), "--now", NOW],
        env={**os.environ, "PYTHONPATH": str(SHIM_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(proc.stdout)
    assert not result["errors"], result["errors"]
    return {doc["dag_id"]: doc for doc in result["dags"]}


def split_doc(doc: dict[str, Any], task_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the dag.json doc minus its tasks, the task's doc), as the run-context carries them."""
    dag = {k: v for k, v in doc.items() if k != "tasks"}
    task = next((t for t in doc["tasks"] if t["task_id"] == task_id), None)
    assert task is not None, f"no task {task_id!r} in {sorted(t['task_id'] for t in doc['tasks'])}"
    return dag, task


def make_task(
    task_id: str, operator_class: str, init_args: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """A dag.json task in the golden shape (only the fields the agent reads)."""
    task = {
        "task_id": task_id,
        "operator_class": operator_class,
        "task_type": operator_class.rsplit(".", 1)[-1],
        "init_args": init_args,
        "template_fields": [],
        "downstream_task_ids": [],
        "upstream_task_ids": [],
        "do_xcom_push": True,
        "multiple_outputs": False,
        "execution_timeout": None,
        "retries": 0,
        "outlets": [],
        "inlets": [],
    }
    task.update(extra)
    return task


BASH = "airflow.providers.standard.operators.bash.BashOperator"
PYTHON_OP = "airflow.providers.standard.operators.python.PythonOperator"
TASK_DECORATED = "airflow.providers.standard.decorators.python._PythonDecoratedOperator"
PY_FIELDS = ["op_args", "op_kwargs", "templates_dict"]


def bash_task(task_id: str, command: str, **init: Any) -> dict[str, Any]:
    args = {
        "bash_command": command,
        "append_env": False,
        "cwd": None,
        "env": None,
        "output_encoding": "utf-8",
        "output_processor": {"__type": "callable", "name": "BashOperator.<lambda>"},
        "skip_on_exit_code": [99],
    }
    args.update(init)
    return make_task(task_id, BASH, args, template_fields=["bash_command", "cwd", "env"])


def python_task(task_id: str, cls: str = PYTHON_OP, **init: Any) -> dict[str, Any]:
    args = {
        "op_args": [],
        "op_kwargs": {},
        "python_callable": {"__type": "callable", "name": task_id},
        "show_return_value_in_logs": True,
        "templates_dict": None,
    }
    args.update(init)
    return make_task(task_id, cls, args, template_fields=PY_FIELDS)


@dataclass
class TI:
    rc: dict[str, Any]
    state: str = "queued"
    reports: list[dict[str, Any]] = field(default_factory=list)
    heartbeats: int = 0
    stop: bool = False
    rendered_fields: dict[str, Any] | None = None  # the last PUT .../rtif or end state's


class ExecutionServer:
    """Serves ADR 0002 from memory and records every call the agent makes."""

    def __init__(self) -> None:
        self.tis: dict[str, TI] = {}
        self.xcoms: dict[tuple[str, str, str, str, int], Any] = {}
        self.variables: dict[str, str] = {}
        self.connections: dict[str, dict[str, Any]] = {}
        self.asset_events: list[dict[str, Any]] = []
        self.triggered: list[tuple[str, dict[str, Any]]] = []
        self.external_states: dict[str, Any] = {}
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: Any = None) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._reply(401, {"detail": "bad token"})
                    return
                parsed = urllib.parse.urlsplit(self.path)
                parts = [urllib.parse.unquote(p) for p in parsed.path.split("/") if p][1:]
                query = urllib.parse.parse_qs(parsed.query)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                with server.lock:
                    server.calls.append((method, parsed.path))
                    status, answer = server.route(method, parts, query, body)
                self._reply(status, answer)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PATCH(self) -> None:
                self._handle("PATCH")

            def do_PUT(self) -> None:
                self._handle("PUT")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/execution"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(
        self, method: str, p: list[str], q: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        if p[:1] == ["task-instances"] and len(p) == 3:
            ti = self.tis.get(p[1])
            if ti is None:
                return 404, {"detail": "no such ti"}
            if p[2] == "run-context" and method == "GET":
                if ti.state != "queued":
                    return 409, {"detail": f"ti is {ti.state}"}
                ti.state = "running"
                return 200, ti.rc
            if p[2] == "heartbeat":
                ti.heartbeats += 1
                return (
                    (409, {"detail": "stop"}) if ti.stop or ti.state != "running" else (204, None)
                )
            if p[2] == "rtif" and method == "PUT":
                if ti.state != "running":
                    return 409, {"detail": "not running"}
                ti.rendered_fields = body["rendered_fields"]
                return 204, None
            if p[2] == "state" and method == "PATCH":
                if ti.state != "running":
                    return 409, {"detail": "not running"}
                ti.reports.append(body)
                ti.state = body["state"]
                if body.get("rendered_fields") is not None:
                    ti.rendered_fields = body["rendered_fields"]
                info = ti.rc["ti"]  # ADR 0002: the return value XComs come with the end state
                for x in body.get("xcoms") or []:
                    key = (info["dag_id"], info["run_id"], info["task_id"], x["key"])
                    self.xcoms[(*key, info["map_index"])] = x["value"]
                return 204, None
        if p[:2] == ["task-instances", "states"]:
            ids = q.get("task_ids", [])
            return 200, {
                "dag_run_state": self.external_states.get("__run__"),
                "states": {t: self.external_states.get(t) for t in ids},
            }
        if p[:1] == ["xcoms"] and len(p) == 5:
            dag_id, run_id, task_id, key = p[1:]
            if method == "POST":
                index = int(q.get("map_index", ["-1"])[0])
                self.xcoms[(dag_id, run_id, task_id, key, index)] = body["value"]
                return 201, None
            if "map_index" in q:
                k = (dag_id, run_id, task_id, key, int(q["map_index"][0]))
                return (
                    (200, {"key": key, "value": self.xcoms[k]})
                    if k in self.xcoms
                    else (404, {"detail": "none"})
                )
            found = sorted(
                (k[4], v) for k, v in self.xcoms.items() if k[:4] == (dag_id, run_id, task_id, key)
            )
            if not found:
                return 404, {"detail": "none"}
            if found[0][0] == -1:
                return 200, {"key": key, "value": found[0][1]}
            return 200, {"key": key, "value": [v for _, v in found]}
        if p[:1] == ["variables"]:
            if p[1] in self.variables:
                return 200, {"key": p[1], "value": self.variables[p[1]]}
            return 404, {"detail": "Variable not found"}
        if p[:1] == ["connections"]:
            if p[1] in self.connections:
                return 200, {"conn_id": p[1], **self.connections[p[1]]}
            return 404, {"detail": "Connection not found"}
        if p == ["asset-events"]:
            self.asset_events.append(body)
            return 201, None
        if p[:1] == ["dag-runs"] and method == "POST":
            if any(d == p[1] and b["run_id"] == body["run_id"] for d, b in self.triggered):
                return 409, {"detail": "exists"}
            self.triggered.append((p[1], body))
            return 201, {"run_id": body["run_id"]}
        return 404, {"detail": f"no route {method} {p}"}

    def add_ti(
        self,
        task: dict[str, Any],
        *,
        dag: dict[str, Any] | None = None,
        try_number: int = 1,
        max_tries: int = 0,
        conf: dict[str, Any] | None = None,
        map_index: int = -1,
        expanded: dict[str, Any] | None = None,
        run_type: str = "manual",
        logical_date: str = "2025-01-01T00:00:00+00:00",
        **extra: Any,
    ) -> str:
        ti_id = str(uuid.uuid4())
        dag_doc = {
            "dag_id": "d",
            "params": {},
            "render_template_as_native_obj": False,
            "task_ids": [],
        }
        dag_doc.update(dag or {})
        rc = {
            "task": copy.deepcopy(task),
            "dag": dag_doc,
            "ti": {
                "id": ti_id,
                "dag_id": dag_doc["dag_id"],
                "run_id": "manual__2025-01-01T00:00:00+00:00",
                "task_id": task["task_id"],
                "map_index": map_index,
                "try_number": try_number,
                "max_tries": max_tries,
                "start_date": "2025-01-01T00:00:05+00:00",
            },
            "dag_run": {
                "run_id": "manual__2025-01-01T00:00:00+00:00",
                "logical_date": logical_date,
                "data_interval_start": logical_date,
                "data_interval_end": logical_date,
                "run_after": logical_date,
                "run_type": run_type,
                "conf": conf or {},
                "start_date": "2025-01-01T00:00:01+00:00",
            },
            "prev": {},
            "expanded": expanded,
            "upstream_map_indexes": {},
        }
        rc.update(extra)
        self.tis[ti_id] = TI(rc=rc)
        return ti_id


@dataclass
class Outcome:
    returncode: int
    ti: TI
    log: list[dict[str, Any]]
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        assert len(self.ti.reports) == 1, self.ti.reports
        return self.ti.reports[0]

    @property
    def state(self) -> str:
        return self.report["state"]

    def events(self, logger: str | None = None) -> list[str]:
        """Each line's text as the UI shows it: the event, then its structured traceback."""
        return [rendered(line) for line in self.log if logger is None or line["logger"] == logger]

    def text(self) -> str:
        return "\n".join(self.events())


def rendered(line: dict[str, Any]) -> str:
    """A log line's event and `error_detail` as the UI's text view renders them."""
    text = str(line["event"])
    for stack in line.get("error_detail") or ():
        text += f"\n{stack['exc_type']}: {stack['exc_value']}\n"
        text += "".join(
            f"    File {f['filename']}, line {f['lineno']} in {f['name']}\n"
            for f in stack["frames"]
        )
    return text


def agent_env(
    server: ExecutionServer, ti_id: str, log_path: Path, dag_file: Path | None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(AGENT_ROOT), str(SHIM_ROOT)]),
        LEOFLOW_EXECUTION_API=server.url,
        LEOFLOW_TI_ID=ti_id,
        LEOFLOW_TI_TOKEN=TOKEN,
        LEOFLOW_LOG_PATH=str(log_path),
        LEOFLOW_HEARTBEAT_S="0.5",
    )
    if dag_file is not None:
        env["LEOFLOW_DAG_FILE"] = str(dag_file)
    return env


def run_agent_script(script: str) -> Any:
    """Run a Python script with the agent's root on PYTHONPATH in the DAG environment's
    interpreter; the JSON it prints."""
    proc = subprocess.run(
        [PYTHON, "-c", script],
        env={"PYTHONPATH": str(AGENT_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


def read_log(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def server():
    srv = ExecutionServer()
    yield srv
    srv.close()


@pytest.fixture
def run_agent(server: ExecutionServer, tmp_path: Path):
    """Run `python -m leoflow_agent` for one ti as a real subprocess; returns an Outcome."""

    def run(
        ti_id: str,
        *,
        dag_file: Path | None = None,
        timeout: float = 60,
        env: dict[str, str] | None = None,
    ) -> Outcome:
        log_path = tmp_path / f"{ti_id}.ndjson"
        full_env = agent_env(server, ti_id, log_path, dag_file)
        full_env.update(env or {})
        proc = subprocess.run(
            [PYTHON, "-m", "leoflow_agent"],
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Outcome(
            proc.returncode, server.tis[ti_id], read_log(log_path), proc.stdout, proc.stderr
        )

    return run


@pytest.fixture
def dag_file(tmp_path: Path):
    """Write an Airflow DAG file (after DAG_HEADER's imports) in tmp/dags; returns its path."""

    def write(source: str, name: str = "dag.py") -> Path:
        path = tmp_path / "dags" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(DAG_HEADER + source)
        return path

    return write


@pytest.fixture
def compiled_ti(server: ExecutionServer):
    """Compile a DAG file with the real shim and queue one of its tasks with its dag.json docs."""
    cache: dict[Path, dict[str, dict[str, Any]]] = {}

    def add(path: Path, task_id: str, *, dag_id: str = "d", **kwargs: Any) -> str:
        if path not in cache:
            cache[path] = compile_dag_file(path)
        dag, task = split_doc(cache[path][dag_id], task_id)
        dag.update(kwargs.pop("dag", None) or {})
        return server.add_ti(task, dag=dag, **kwargs)

    return add


@pytest.fixture
def fork_server(server, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A real fork server (`python -m leoflow_agent.forkserver`) on a socket under tmp_path:
    (its process, the socket path)."""
    sock = str(tmp_path / "agent.sock")
    proc = subprocess.Popen(
        [PYTHON, "-m", "leoflow_agent.forkserver", "--socket", sock],
        env=agent_env(server, "unused", tmp_path / "x.log", None),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert json.loads(proc.stdout.readline())["ready"] is True
    sys.path.insert(0, str(AGENT_ROOT))
    yield proc, sock
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)
    proc.stdout.close()
