#!/usr/bin/env python3
"""Start-up and idle memory of `leoflow lite`, side by side with `airflow standalone` 3.2.1
(run by hand).

    .venv/bin/python bench/lite.py [--runs 3] [--airflow-runs 2] [--no-airflow]
                                   [--idle-s 10] [--out F.json]

Leoflow: `leoflow lite WS --no-tui --postgres managed` in a throw-away LEOFLOW_HOME on an empty
folder (so it scaffolds the starter workspace). Cold = a fresh home (initdb, migrations, the
compile server's first start); warm = the same home again (Postgres initialized and stopped by
the previous clean exit). Airflow: `airflow standalone` from the oracle virtualenv
(~/.cache/leoflow-oracle/af-3.2.1 or $AF_VENV) in a throw-away AIRFLOW_HOME (its defaults:
SQLite, the example DAGs; `simple_auth_manager_all_admins` so the API needs no token). Cold =
its first start (it migrates the database), warm = the next ones.

Measured from the process start: `healthy` = /api/v2/monitor/health answers 200 with the
metadatabase healthy (Lite answers it from its start gate once Postgres is up, before its API
application runs: requests other than health wait until it does); `listed` = /api/v2/dags
lists every DAG (the count that then stays the same for --settle-s); `scheduler healthy` = the
health's scheduler status turns healthy. CPU: the CPU seconds all processes of the run spent
until listed (/proc/PID/stat, with the children they reaped), a figure the load of a shared
machine does not inflate as much as wall times. Idle memory: --idle-s after listed, the PSS
(/proc/PID/smaps_rollup) of every process whose environment names this run's home (the
service, its children, the detached Postgres and compile server), summed. Figures are medians
over the runs; the load average is printed: the machine's cores may be shared.

Recorded for `airflow standalone`'s services on this machine (shared/reference/
airflow-3.2.1-baseline.md, 4a/4d): 7.3 s to healthy, 9.3 s to 94 DAGs listed, 766 MiB PSS
without its database. Targets for Lite: <= 1.5 s warm to healthy, <= 2 s to all DAGs listed,
<= 150 MiB PSS.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEOFLOW = REPO / ".venv" / "bin" / "leoflow"
AF_VENV = Path(os.environ.get("AF_VENV", Path.home() / ".cache/leoflow-oracle/af-3.2.1"))
RECORDED = {"healthy_s": 7.3, "listed_s": 9.3, "dags": 94, "pss_mib_without_db": 766}
POLL_S = 0.025  # the poller's own CPU competes with what it measures on few cores
TARGETS = {"healthy_s": 1.5, "listed_s": 2.0, "pss_mib": 150}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return json.loads(resp.read())
    except (OSError, ValueError):
        return None


def marked(entry: bytes) -> list[int]:
    """Processes whose environment holds `entry` (NAME=value)."""
    pids = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if entry in (p / "environ").read_bytes().split(b"\0"):
                pids.append(int(p.name))
    return pids


def with_descendants(pids: list[int]) -> set[int]:
    """`pids` and every process under them (Postgres' backends rewrite their environment
    area for their titles, so they are found through their postmaster)."""
    out, stack = set(), list(pids)
    while stack:
        pid = stack.pop()
        if pid in out:
            continue
        out.add(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                stack += [int(c) for c in (task / "children").read_text().split()]
    return out


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_s(pid: int) -> float:
    """CPU seconds of `pid` and of its children it has waited for (utime, stime, cutime,
    cstime of /proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu_s(root: int, marker: bytes) -> float:
    """CPU seconds spent so far by the run: every process of it, and the children each reaped."""
    return sum(cpu_s(pid) for pid in with_descendants([root, *marked(marker)]))


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def measure(
    argv: list[str], env: dict[str, str], base: str, marker: bytes, settle_s: float, idle_s: float
) -> dict:
    """Start `argv`, time healthy and listed, sample idle PSS, stop it (SIGINT, bounded)."""
    with tempfile.TemporaryFile() as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        out: dict = {"healthy_s": None, "listed_s": None, "scheduler_s": None, "dags": 0}
        try:
            deadline = t0 + 300
            while time.perf_counter() < deadline and proc.poll() is None:
                health = get_json(base + "/api/v2/monitor/health")
                if health and (health.get("metadatabase") or {}).get("status") == "healthy":
                    out["healthy_s"] = time.perf_counter() - t0
                    break
                time.sleep(POLL_S)  # bounded by the deadline
            last_change, count, first_seen, cpu_at_listed = time.perf_counter(), -1, 0.0, 0.0
            while out["healthy_s"] is not None and time.perf_counter() < deadline:
                data = get_json(base + "/api/v2/dags?limit=1")
                n = int(data.get("total_entries") or 0) if data else count
                now = time.perf_counter()
                if n != count:
                    count, last_change, first_seen = n, now, now - t0
                    cpu_at_listed = tree_cpu_s(proc.pid, marker)
                elif n > 0 and now - last_change >= settle_s:
                    break
                if out["scheduler_s"] is None:  # the scheduler's own health, for the record
                    health = get_json(base + "/api/v2/monitor/health") or {}
                    if (health.get("scheduler") or {}).get("status") == "healthy":
                        out["scheduler_s"] = time.perf_counter() - t0
                time.sleep(POLL_S)  # bounded by the deadline
            out["listed_s"], out["dags"] = first_seen, max(count, 0)
            out["cpu_listed_s"] = cpu_at_listed
            time.sleep(max(0.0, idle_s - settle_s))
            by_name: dict[str, int] = {}
            procs = with_descendants([proc.pid, *marked(marker)])
            for pid in procs:
                name = "postgres" if comm(pid).startswith("postgres") else "other"
                by_name[name] = by_name.get(name, 0) + pss_kib(pid)
            out["pss_mib"] = sum(by_name.values()) / 1024
            out["pss_db_mib"] = by_name.get("postgres", 0) / 1024
            out["processes"] = len(procs)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            deadline = time.monotonic() + 15  # detached helpers exit after their parent
            while marked(marker) and time.monotonic() < deadline:
                time.sleep(0.2)
            for pid in marked(marker):  # only processes of this run's own home
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            out["exit"] = proc.returncode
            log.seek(0)
            text = log.read().decode(errors="replace")
            if out["healthy_s"] is None:
                out["log_tail"] = text[-2000:]
            started = [ln for ln in text.splitlines() if "Started in" in ln]  # Lite's own clock
            if started:
                out["own_clock"] = started[-1].split("INFO", 1)[-1].strip()
        return out


def lite_runs(runs: int, settle_s: float, idle_s: float) -> dict[str, list[dict]]:
    res: dict[str, list[dict]] = {"cold": [], "warm": []}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="leoflow-bench-lite-") as tmp:
            home = Path(tmp) / "home"
            env = {k: v for k, v in os.environ.items() if not k.startswith("LEOFLOW_")}
            env["LEOFLOW_HOME"] = str(home)
            if os.environ.get("LEOFLOW_DAG_PYTHON"):
                env["LEOFLOW_DAG_PYTHON"] = os.environ["LEOFLOW_DAG_PYTHON"]
            for kind in ("cold", "warm"):
                port = free_port()
                argv = [str(LEOFLOW), "lite", str(Path(tmp) / "ws"), "--no-tui"]
                argv += ["--port", str(port), "--postgres", "managed"]
                r = measure(
                    argv,
                    env,
                    f"http://127.0.0.1:{port}",
                    f"LEOFLOW_HOME={home}".encode(),
                    settle_s,
                    idle_s,
                )
                res[kind].append(r)
                print(f"  lite {kind}: {fmt(r)}", flush=True)
    return res


def airflow_runs(runs: int, settle_s: float, idle_s: float) -> dict[str, list[dict]]:
    res: dict[str, list[dict]] = {"cold": [], "warm": []}
    airflow = AF_VENV / "bin" / "airflow"
    with tempfile.TemporaryDirectory(prefix="leoflow-bench-af-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LEOFLOW_"))}
        env.update(
            AIRFLOW_HOME=tmp,
            PATH=f"{AF_VENV / 'bin'}:{env.get('PATH', '')}",
            AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS="True",
        )
        for i in range(runs + 1):
            port = free_port()
            env["AIRFLOW__API__PORT"] = str(port)
            env["AIRFLOW__API__HOST"] = "127.0.0.1"
            r = measure(
                [str(airflow), "standalone"],
                env,
                f"http://127.0.0.1:{port}",
                f"AIRFLOW_HOME={tmp}".encode(),
                max(settle_s, 15.0),  # its DAG processor adds DAGs in batches
                idle_s,
            )
            kind = "cold" if i == 0 else "warm"
            res[kind].append(r)
            print(f"  airflow {kind}: {fmt(r)}", flush=True)
    return res


def fmt(r: dict) -> str:
    if r.get("healthy_s") is None:
        return f"not healthy (exit {r.get('exit')}): {r.get('log_tail', '')[-400:]}"
    return (
        f"healthy {r['healthy_s']:.2f} s, {r['dags']} DAGs listed {r['listed_s']:.2f} s, "
        f"scheduler healthy {r['scheduler_s'] or float('nan'):.2f} s, "
        f"CPU to listed {r['cpu_listed_s']:.2f} s (all processes), "
        f"PSS {r['pss_mib']:.0f} MiB ({r['pss_db_mib']:.0f} MiB Postgres, "
        f"{r['processes']} processes), exit {r['exit']}"
        + (f"; its log: {r['own_clock']}" if r.get("own_clock") else "")
    )


def med(rows: list[dict], key: str) -> float | None:
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def table(results: dict[str, dict[str, list[dict]]]) -> str:
    def cell(v: float | None, unit: str) -> str:
        return "-" if v is None else f"{v:.2f} {unit}" if unit == "s" else f"{v:.0f} {unit}"

    lines = [
        f"| | {' | '.join(results)} |",
        "|---|" + "---|" * len(results),
    ]
    rows = [
        ("cold start -> healthy", "cold", "healthy_s", "s"),
        ("cold start -> all DAGs listed", "cold", "listed_s", "s"),
        ("warm start -> healthy", "warm", "healthy_s", "s"),
        ("warm start -> all DAGs listed", "warm", "listed_s", "s"),
        ("warm start -> scheduler healthy", "warm", "scheduler_s", "s"),
        ("CPU to listed, all processes (cold)", "cold", "cpu_listed_s", "s"),
        ("CPU to listed, all processes (warm)", "warm", "cpu_listed_s", "s"),
        ("DAGs listed", "warm", "dags", ""),
        ("idle PSS, all processes (warm)", "warm", "pss_mib", "MiB"),
        ("  of which Postgres", "warm", "pss_db_mib", "MiB"),
        ("processes", "warm", "processes", ""),
    ]
    for label, kind, key, unit in rows:
        cells = []
        for res in results.values():
            v = med(res.get(kind, []), key)
            cells.append(cell(v, unit) if unit else ("-" if v is None else f"{v:.0f}"))
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="Lite: cold + warm starts (default 3)")
    ap.add_argument("--airflow-runs", type=int, default=2, help="Airflow: warm starts after 1 cold")
    ap.add_argument("--no-airflow", action="store_true")
    ap.add_argument("--settle-s", type=float, default=3.0, help="DAG count unchanged this long")
    ap.add_argument("--idle-s", type=float, default=10.0, help="after listed, before the PSS")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    results = {"leoflow lite": lite_runs(args.runs, args.settle_s, args.idle_s)}
    if not args.no_airflow:
        if (AF_VENV / "bin" / "airflow").exists():
            results["airflow standalone 3.2.1"] = airflow_runs(
                args.airflow_runs, args.settle_s, args.idle_s
            )
        else:
            print(f"no Airflow at {AF_VENV}: skipped (set AF_VENV)")
    load_after = os.getloadavg()
    print(f"\nload average after: {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")
    print(table(results))
    print(
        f"\nRecorded for Airflow's services (baseline 4a/4d): {RECORDED['healthy_s']} s healthy, "
        f"{RECORDED['listed_s']} s to {RECORDED['dags']} DAGs, "
        f"{RECORDED['pss_mib_without_db']} MiB PSS without its database. Targets for Lite "
        f"(warm): <= {TARGETS['healthy_s']} s, <= {TARGETS['listed_s']} s, "
        f"<= {TARGETS['pss_mib']} MiB."
    )
    if args.out:
        args.out.write_text(json.dumps({"load": [load, load_after], "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
