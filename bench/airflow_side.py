"""Airflow 3.2.1 run side by side with bench/run_latency.py, through the scripts in
/work/shared/bench-airflow (used as they are, with the oracle venv's python):

- e2e_scheduler.py: api-server + scheduler (LocalExecutor) + dag-processor + triggerer on a
  fresh SQLite AIRFLOW_HOME, n triggered runs per DAG read back through the REST API; run inside
  `unshare -n` (a private network namespace) when that works;
- e2e_dags_test.py: `airflow dags test` (warm-up + n runs) per DAG.

Each call has a timeout; on expiry the script gets SIGINT (its `finally` stops the services it
started), then SIGKILL, and the case reports "timed out". `recorded()` gives the figures kept in
results/*.json, for `--no-airflow`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shlex
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

SHARED = Path("/work/shared/bench-airflow")
VENV_SH = Path("/work/shared/tools/airflow_venv.sh")


@functools.cache
def airflow_python() -> str:
    """The oracle venv's python (the script creates the venv if needed; last line = path); run
    once per process."""
    out = subprocess.run(["bash", str(VENV_SH)], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def unshare_works() -> bool:
    try:
        r = subprocess.run(
            ["unshare", "-n", "--", "sh", "-c", "ip link set lo up"],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def children_cpu_s() -> float:
    """CPU of waited-for descendants: a script and every service/process it waited for."""
    t = os.times()
    return t.children_user + t.children_system


def _venv_processes(venv: str) -> set[int]:
    """Pids of the processes whose command line runs something of the venv `venv`."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if venv.encode() in f.read():
                    found.add(int(entry))
        except OSError:
            continue
    return found


def _stop_leftovers(venv: str, before: set[int]) -> None:
    """Kill what a timed-out script started and left running: its services run in sessions of
    their own, which the script's process group does not reach (seen: the api-server and
    LocalExecutor workers of a timed-out fan-out kept 2 cores busy)."""
    for pid in _venv_processes(venv) - before:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _run(cmd: list[str], log: Path, timeout: float) -> str | None:
    """Run cmd in its own process group, output to log; None if it finished, else the reason
    (then every process of the Airflow venv it started is gone too)."""
    venv = str(Path(airflow_python()).parent.parent)
    before = _venv_processes(venv)
    with log.open("wb") as f:
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(
                p.pid, signal.SIGINT
            )  # KeyboardInterrupt: the script's finally stops its services
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            _stop_leftovers(venv, before)
            return f"timed out after {timeout:.0f} s"
    return None if rc == 0 else f"exit {rc} (log {log})"


def scheduler(
    py: str, dags_dir: Path, dag_ids: list[str], n: int, timeout: float, netns: bool
) -> dict[str, dict[str, Any]]:
    """Per DAG id: gap_median_s, per_task_s (trigger -> done / tasks), tasks_per_s, load_1m,
    or {"error": ...}."""
    out = Path(tempfile.mkstemp(prefix="af-sched-", suffix=".json", dir=dags_dir.parent)[1])
    args = [py, str(SHARED / "e2e_scheduler.py"), "--dags-dir", str(dags_dir), "-n", str(n)]
    args += ["--idle-seconds", "1", "--settle-seconds", "5", "--out", str(out), *dag_ids]
    if netns:
        inner = "ip link set lo up && exec " + shlex.join(args)
        args = ["unshare", "-n", "--", "sh", "-c", inner]
    c0 = children_cpu_s()
    err = _run(args, out.with_suffix(".log"), timeout)
    cpu, load = children_cpu_s() - c0, os.getloadavg()[0]
    if err is not None:
        return {d: {"error": err, "load_1m": load} for d in dag_ids}
    dags = json.loads(out.read_text())["dags"]
    result = {}
    for dag_id in dag_ids:
        s = dags[dag_id]
        runs = s["runs"]
        result[dag_id] = {
            "gap_median_s": s["gap_median_s"],
            "per_task_s": s["per_task_overhead_s"],
            "tasks_per_s": statistics.median(r["tasks"] / r["queued_to_end_s"] for r in runs),
            "load_1m": load,
            "call_cpu_s": cpu,  # the whole call: migrate, start-up, idle, every DAG's runs
            "states": sorted({r["state"] for r in runs}),
            "raw": s,
        }
    return result


def dags_test(py: str, dags_dir: Path, dag_id: str, n: int, timeout: float) -> dict[str, Any]:
    """dags_test_per_task_s (the whole `airflow dags test` call / tasks), load_1m, or error."""
    out = Path(tempfile.mkstemp(prefix="af-dags-test-", suffix=".json", dir=dags_dir.parent)[1])
    args = [py, str(SHARED / "e2e_dags_test.py"), "--dags-dir", str(dags_dir), "-n", str(n)]
    c0 = children_cpu_s()
    err = _run([*args, "--out", str(out), dag_id], out.with_suffix(".log"), timeout)
    cpu, load = children_cpu_s() - c0, os.getloadavg()[0]
    if err is not None:
        return {"error": err, "load_1m": load}
    s = json.loads(out.read_text())[dag_id]
    return {
        "dags_test_per_task_s": s["per_task_wall_s"],
        # CPU of the whole call (one migrate, warm-up + n runs) per task run: an upper bound
        "cpu_per_task_s": cpu / (s["tasks"] * (n + 1)),
        "load_1m": load,
        "raw": s,
    }


def recorded() -> dict[str, dict[str, Any]]:
    """The figures recorded earlier (sched_noex.json, dags_test.json): 20-task chains only; the
    100-task chains get the 20-task ones, the fan-out none."""
    sched = json.loads((SHARED / "results/sched_noex.json").read_text())["dags"]
    dt = json.loads((SHARED / "results/dags_test.json").read_text())
    out: dict[str, dict[str, Any]] = {}
    for kind in ("bash", "task"):
        ref = f"chain_{kind}_20"
        for n in (20, 100):
            out[f"chain_{kind}_{n}"] = {
                "gap_median_s": sched[ref]["gap_median_s"],
                "per_task_s": sched[ref]["per_task_overhead_s"],
                "dags_test_per_task_s": dt[ref]["per_task_wall_s"],
                "source": f"recorded ({ref})",
            }
    return out


def measure(
    work: Path, cases: dict[str, str], n: int, fan_timeout: float
) -> tuple[dict[str, dict[str, Any]], str]:
    """Run Airflow on the DAG files `cases` (dag id -> source). Returns per-case figures and a
    one-line note on how it was run."""
    py = airflow_python()
    netns = unshare_works()
    note = f"Airflow 3.2.1 measured in this run ({py}; " + (
        "inside unshare -n)" if netns else "unshare -n unavailable: run without it)"
    )
    figures: dict[str, dict[str, Any]] = {d: {"source": "measured"} for d in cases}
    groups = {
        "chains": [d for d in cases if d.startswith("chain_")],
        "fan": [d for d in cases if d.startswith("fan_")],
    }
    for name, ids in groups.items():
        if not ids:
            continue
        dags_dir = work / f"airflow-{name}"
        dags_dir.mkdir()
        for d in ids:
            (dags_dir / f"{d}.py").write_text(cases[d])
        tasks = sum(int(d.rsplit("_", 1)[1]) for d in ids)
        timeout = fan_timeout if name == "fan" else 180 + 3.0 * tasks * n
        t0 = time.monotonic()
        print(f"airflow scheduler: {', '.join(ids)} (timeout {timeout:.0f} s) ...", flush=True)
        for d, fig in scheduler(
            py, dags_dir, ids, n if name == "chains" else 1, timeout, netns
        ).items():
            figures[d].update(fig)
        print(f"  done in {time.monotonic() - t0:.0f} s", flush=True)
        if name == "fan":
            continue  # `dags test` of 1,000 tasks takes ~40 min (2.3 s per task): not run
        for d in ids:
            tasks = int(d.rsplit("_", 1)[1])
            timeout = 180 + 6.0 * tasks * (n + 1)
            t0 = time.monotonic()
            print(f"airflow dags test: {d} (timeout {timeout:.0f} s) ...", flush=True)
            r = dags_test(py, dags_dir, d, n, timeout)
            if "error" in r:
                r["dags_test_error"] = r.pop("error")
            r["dags_test_load_1m"] = r.pop("load_1m", None)
            r["dags_test_cpu_per_task_s"] = r.pop("cpu_per_task_s", None)
            r["dags_test_raw"] = r.pop("raw", None)
            figures[d].update(r)
            print(f"  done in {time.monotonic() - t0:.0f} s", flush=True)
    return figures, note
