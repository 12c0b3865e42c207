"""A complete Leoflow server for end-to-end tests: `leoflow lite --no-tui` in a subprocess.

It serves a workspace (leoflow.yaml + dags/) on a free 127.0.0.1 port over a real Postgres
database (`--postgres external`), with the real Airflow 3.2.1 UI bundle (extracted from the
cached wheel into a private `LEOFLOW_UI_CACHE`), the engine, the local executor and the
execution API: the same process a user starts, talked to only over HTTP.

- `ui_cache(dest)`: the UI bundle cache folder (downloads the pinned wheel once when missing).
- `make_workspace(root, dag_files)`: a workspace whose dags/ holds copies of `dag_files`.
- `LiveServer.start(...)`: start it and wait until `/api/v2/version` answers; `stop()` sends
  SIGTERM to that one process and waits (SIGKILL after a grace period).
- `LiveServer.call(...)`: a small JSON client (all-admins mode: token from `GET /auth/token`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leoflow import uibundle

REPO = Path(__file__).resolve().parents[2]
WHEELS = Path.home() / ".cache" / "leoflow-test" / "wheels"
START_TIMEOUT_S = 120.0
STOP_GRACE_S = 20.0
HTTP_TIMEOUT_S = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ui_cache(dest: Path) -> Path:
    """A `LEOFLOW_UI_CACHE` folder holding the Airflow 3.2.1 UI bundle (from the cached wheel)."""
    if uibundle.installed(dest) is None:
        WHEELS.mkdir(parents=True, exist_ok=True)
        wheel = WHEELS / uibundle.WHEEL_NAME
        if not wheel.is_file():
            uibundle.download_wheel(WHEELS)
        uibundle.fetch(wheel=wheel, root=dest)
    return dest


def make_workspace(root: Path, dag_files: Iterable[Path]) -> Path:
    """Write a workspace at `root` whose dags/ holds copies of `dag_files`."""
    dags = root / "dags"
    dags.mkdir(parents=True, exist_ok=True)
    (root / "leoflow.yaml").write_text("dags_folder: dags\nenvironment: default\n")
    for src in dag_files:
        shutil.copy2(src, dags / src.name)
    return root


def quote(value: str) -> str:
    """A path segment as the checks send it (everything percent-encoded)."""
    return urllib.parse.quote(value, safe="")


def wait_for(check: Callable[[], Any], timeout_s: float, every_s: float = 0.25) -> Any:
    """`check()` until it returns something truthy; TimeoutError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout_s} s: {check}")
        time.sleep(every_s)


@dataclass
class LiveServer:
    """One running `leoflow lite` subprocess."""

    url: str
    workspace: Path
    proc: subprocess.Popen[bytes]
    log_file: Path
    env: dict[str, str] = field(repr=False)
    _token: str | None = None

    @classmethod
    def start(
        cls,
        workspace: Path,
        *,
        home: Path,
        database_url: str,
        ui_cache_dir: Path,
        dag_python: Path,
        timeout_s: float = START_TIMEOUT_S,
    ) -> LiveServer:
        """Start `leoflow lite --no-tui` on a free port; return once the API answers."""
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
        env.update(
            {
                "LEOFLOW_HOME": str(home),
                "LEOFLOW_DATABASE_URL": database_url,
                "LEOFLOW_UI_CACHE": str(ui_cache_dir),
                "LEOFLOW_DAG_PYTHON": str(dag_python),
                "PYTHONUNBUFFERED": "1",
            }
        )
        home.mkdir(parents=True, exist_ok=True)
        log_file = home / "lite.stderr.log"
        with log_file.open("wb") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "leoflow.cli.main",
                    "lite",
                    "--no-tui",
                    "--postgres",
                    "external",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--grace",
                    "2",
                    str(workspace),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=REPO,
            )
        server = cls(f"http://127.0.0.1:{port}", workspace, proc, log_file, env)
        try:
            wait_for(server._answers, timeout_s)
        except BaseException:
            server.stop()
            raise
        return server

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"leoflow lite exited ({self.proc.returncode}):\n{self.output()}")
        try:
            with urllib.request.urlopen(self.url + "/api/v2/version", timeout=2) as resp:
                return bool(resp.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def output(self, tail: int = 4000) -> str:
        """The end of the server's own output (for failure messages)."""
        try:
            return self.log_file.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the server process and wait; SIGKILL it after the grace period."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    # ------------------------------------------------------------------ HTTP

    def token(self) -> str:
        """A bearer token (all-admins mode: `GET /auth/token`)."""
        if self._token is None:
            _, body = self.raw("GET", "/auth/token")
            self._token = str(body["access_token"])
        return self._token

    def raw(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """One request; (status, parsed JSON body or text or None)."""
        hdrs = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT_S) as resp:
                status, raw, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            status, raw, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
        if not raw.strip():
            return status, None
        if "json" in ctype and "ndjson" not in ctype:
            return status, json.loads(raw)
        return status, raw.decode(errors="replace")

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One authenticated `/api/v2` (or any) request."""
        return self.raw(method, path, body, {"Authorization": f"Bearer {self.token()}"})

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        """An authenticated request that must answer 2xx; its body."""
        status, out = self.call(method, path, body)
        if not 200 <= status < 300:
            raise AssertionError(f"{method} {path}: HTTP {status} {out!r}")
        return out

    # ------------------------------------------------------------------ DAGs and runs

    def wait_dags(self, dag_ids: Iterable[str], timeout_s: float = 120.0) -> None:
        """Wait until every DAG of `dag_ids` is registered."""
        wanted = set(dag_ids)

        def listed() -> bool:
            _, body = self.call("GET", "/api/v2/dags?limit=1000")
            return wanted <= {d["dag_id"] for d in (body or {}).get("dags", [])}

        wait_for(listed, timeout_s, 0.5)

    def trigger(self, dag_id: str, run_id: str, conf: dict[str, Any] | None = None) -> None:
        """Unpause `dag_id` and trigger the run `run_id`."""
        self.ok("PATCH", f"/api/v2/dags/{quote(dag_id)}", {"is_paused": False})
        self.ok(
            "POST",
            f"/api/v2/dags/{quote(dag_id)}/dagRuns",
            {"dag_run_id": run_id, "logical_date": None, "conf": conf or {}},
        )

    def run_state(self, dag_id: str, run_id: str) -> str:
        body = self.ok("GET", f"/api/v2/dags/{quote(dag_id)}/dagRuns/{quote(run_id)}")
        return str(body["state"])

    def wait_run(self, dag_id: str, run_id: str, timeout_s: float = 180.0) -> str:
        """Wait until the run has ended; its final state."""
        return str(
            wait_for(
                lambda: (s := self.run_state(dag_id, run_id)) in ("success", "failed") and s,
                timeout_s,
                0.5,
            )
        )
