"""Compile speed: Leoflow vs Apache Airflow 3.2.1, measured on this machine in the same run.

    .venv/bin/python bench/compile.py [--airflow-python PY] [--examples DIR] [-n 5]

Three cases, each timed as a whole fresh command (interpreter start, imports, parse,
serialize, exit), 1 warm-up + n runs, median shown:

* one example DAG file (`tutorial_taskflow_api.py`);
* the whole example folder (69 files, 92 DAGs in Airflow);
* a generated 1,000-task BashOperator chain (shared/bench-airflow/gen_synthetic.py).

Leoflow: `leoflow compile PATH --json` (stdout discarded). Airflow: the worker of
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


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, proc.stdout


def measure(argv: list[str], env: dict[str, str], n: int) -> tuple[float, str]:
    _timed(argv, env)  # warm-up: page cache, .pyc files, the DAG environment
    runs = [_timed(argv, env) for _ in range(n)]
    return statistics.median(r[0] for r in runs), runs[-1][1]


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
    lf_env = dict(os.environ)
    cases = [
        ("one file (tutorial_taskflow_api.py)", a.examples / "tutorial_taskflow_api.py"),
        ("example folder", a.examples),
        ("1,000-task chain (chain_bash_1000.py)", synth / "chain_bash_1000.py"),
    ]
    print(f"{'case':40s} {'Leoflow':>9s} {'Airflow':>9s} {'ratio':>7s}  counts (Leoflow | Airflow)")
    for name, path in cases:
        lf, lf_out = measure([str(LEOFLOW), "compile", str(path), "--json"], lf_env, a.n)
        af, af_out = measure([af_py, str(PARSE_BENCH), "one", str(path)], af_env, a.n)
        print(
            f"{name:40s} {lf * 1000:7.0f}ms {af * 1000:7.0f}ms {af / lf:6.1f}x  "
            f"{leoflow_counts(lf_out)} | {airflow_counts(af_out)}",
            flush=True,
        )
    print(f"(median of {a.n} fresh commands after 1 warm-up; ratio = Airflow / Leoflow)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
