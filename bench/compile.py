"""Compile speed: Leoflow vs Apache Airflow 3.2.1, measured on this machine in the same run.

    .venv/bin/python bench/compile.py [--airflow-python PY] [--examples DIR] [-n 5]

Three cases, each timed as a whole fresh command (interpreter start, imports, parse,
serialize, exit), 1 warm-up + n runs, median shown, wall time and CPU time (user + sys):

* one example DAG file (`tutorial_taskflow_api.py`);
* the whole example folder (69 files, 92 DAGs in Airflow);
* a generated 1,000-task BashOperator chain (shared/bench-airflow/gen_synthetic.py).

Leoflow: `leoflow compile PATH --json` (stdout discarded), with its modules' bytecode compiled
as a wheel install has it, twice:

* cold: no compile server is running (it is stopped before every run), so the command starts
  one: interpreter, shim and pendulum imports, then the files. This is what the first compile
  costs, and about what every compile costs with LEOFLOW_COMPILE_SERVER=0;
* warm: the server of an earlier command is running. Its CPU time for the command (the forked
  children included) is added to the command's own.

Airflow: the worker of
shared/bench-airflow/parse_bench.py (`DagBag` + `DagSerialization.to_dict` of every DAG, the
dag-processor's work) in the oracle venv, with a throw-away AIRFLOW_HOME and load_examples=True
as in the recorded baseline (shared/bench-airflow/results/parse.json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PARSE_BENCH = SHARED / "bench-airflow" / "parse_bench.py"
GEN = SHARED / "bench-airflow" / "gen_synthetic.py"
LEOFLOW = REPO / ".venv" / "bin" / "leoflow"


class Figure:
    """Medians of n runs: wall and CPU seconds, the load average, the last run's stdout."""

    def __init__(self, runs: list[tuple[float, float, str]], load: str) -> None:
        self.wall = statistics.median(r[0] for r in runs)
        self.cpu = statistics.median(r[1] for r in runs)
        self.stdout = runs[-1][2]
        self.load = load

    def __str__(self) -> str:
        return f"{self.wall * 1000:7.0f}ms {self.cpu * 1000:6.0f}ms"


def _proc_cpu(pid: int | None) -> float:
    """CPU seconds of a running process and of its waited-for children (/proc/PID/stat)."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _timed(
    argv: list[str], env: dict[str, str], server: Server | None = None, cold: bool = False
) -> tuple[float, float, str]:
    """Run argv once: wall, CPU and stdout. With `server`, the CPU that server spent on the
    command is added: all of it for a cold run (the command started it), else the delta."""
    server_pid = server.pid() if server and not cold else None
    before = _proc_cpu(server_pid)
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = 0  # reaped by wait4
        out.seek(0)
        stdout = out.read().decode()
    if cold and server:
        server_pid = server.pid()  # the one this command started
    cpu = usage.ru_utime + usage.ru_stime + _proc_cpu(server_pid) - before
    return wall, cpu, stdout


def measure(
    argv: list[str], env: dict[str, str], n: int, server: Server | None = None, cold: bool = False
) -> Figure:
    """1 warm-up + n runs (`cold`: each after stopping the compile server)."""
    _timed(argv, env)  # warm-up: page cache, .pyc files, the DAG environment, the server
    runs = []
    for _ in range(n):
        if cold and server:
            server.stop()
        runs.append(_timed(argv, env, server, cold))
    return Figure(runs, Path("/proc/loadavg").read_text().split()[0])


class Server:
    """The warm compile server of the default DAG environment and Leoflow's shim."""

    def __init__(self) -> None:
        sys.path.insert(0, str(REPO / "src"))
        from leoflow import environments, paths

        self.home = str(environments.leoflow_home())
        self.python = str(environments.ensure().python.absolute())
        self.shim = str(paths.shim_root().resolve())

    def pid(self) -> int | None:
        from leoflow.compiler import client

        return client.running_pid(self.home, self.python, self.shim)

    def stop(self) -> None:
        from leoflow.compiler import client

        pid = self.pid()
        client.stop(self.home, self.python, self.shim)
        while pid and Path(f"/proc/{pid}").exists():
            time.sleep(0.02)


def leoflow_counts(stdout: str) -> str:
    try:
        doc = json.loads(stdout)
    except ValueError:
        return "no JSON"
    tasks = sum(len(d.get("tasks") or []) for d in doc["dags"])
    return f"{len(doc['dags'])} dags/{tasks} tasks/{len(doc['errors'])} errors"


def airflow_counts(stdout: str) -> str:
    try:
        doc = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "no JSON"
    return f"{doc['dags']} dags/{doc['tasks']} tasks/{doc['import_errors']} errors"


def airflow_python() -> str:
    out = subprocess.run(
        [str(SHARED / "tools" / "airflow_venv.sh")], capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--airflow-python", default=None)
    ap.add_argument("--examples", type=Path, default=Path("/tmp/wheel/x/airflow/example_dags"))
    ap.add_argument("-n", type=int, default=5)
    a = ap.parse_args()
    af_py = a.airflow_python or airflow_python()
    synth = Path(tempfile.mkdtemp(prefix="leoflow-bench-synth-"))
    subprocess.run([sys.executable, str(GEN), str(synth)], check=True, capture_output=True)
    home = tempfile.mkdtemp(prefix="af-bench-home-")
    af_env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW__")}
    af_env.update(
        {
            "AIRFLOW_HOME": home,
            "AIRFLOW__CORE__LOAD_EXAMPLES": "True",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "ERROR",
        }
    )
    lf_env = {k: v for k, v in os.environ.items() if k != "LEOFLOW_COMPILE_SERVER"}
    # Leoflow's modules with their bytecode compiled, as `pip install` of a wheel leaves them
    # (an editable checkout under PYTHONDONTWRITEBYTECODE=1 would recompile them every run;
    # the oracle venv's Airflow has its bytecode from pip too)
    subprocess.run(
        [str(LEOFLOW.with_name("python")), "-m", "compileall", "-q", str(REPO / "src" / "leoflow")],
        check=True,
        capture_output=True,
    )
    server = Server()
    cases = [
        ("one file (tutorial_taskflow_api.py)", a.examples / "tutorial_taskflow_api.py"),
        ("example folder", a.examples),
        ("1,000-task chain (chain_bash_1000.py)", synth / "chain_bash_1000.py"),
    ]
    print(
        f"{'':38s} {'Leoflow cold':>16s} {'Leoflow warm':>16s} {'Airflow':>16s} "
        f"{'ratio cold':>11s} {'ratio warm':>11s}\n"
        f"{'case':38s} {'wall':>8s} {'cpu':>7s} {'wall':>8s} {'cpu':>7s} {'wall':>8s} {'cpu':>7s} "
        f"{'wall':>5s} {'cpu':>5s} {'wall':>5s} {'cpu':>5s}  load  counts (Leoflow | Airflow)"
    )
    for name, path in cases:
        lf_argv = [str(LEOFLOW), "compile", str(path), "--json"]
        cold = measure(lf_argv, lf_env, a.n, server, cold=True)
        warm = measure(lf_argv, lf_env, a.n, server)
        af = measure([af_py, str(PARSE_BENCH), "one", str(path)], af_env, a.n)
        print(
            f"{name:38s} {cold} {warm} {af} "
            f"{af.wall / cold.wall:4.1f}x {af.cpu / cold.cpu:4.1f}x "
            f"{af.wall / warm.wall:4.1f}x {af.cpu / warm.cpu:4.1f}x  "
            f"{'/'.join((cold.load, warm.load, af.load))}  "
            f"{leoflow_counts(warm.stdout)} | {airflow_counts(af.stdout)}",
            flush=True,
        )
    print(
        f"(median of {a.n} fresh commands after 1 warm-up; ratio = Airflow / Leoflow; cpu = "
        "user+sys of the command's process tree, + the warm server's share; load = 1-min load "
        "average after the cold / warm / Airflow runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
