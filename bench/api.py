#!/usr/bin/env python3
"""API latency with a big store, Leoflow side by side with Airflow 3.2.1 (run by hand).

    .venv/bin/python bench/api.py [--dags 1000 --runs 100 --tasks 20] [-n 200] [--no-airflow]
                                  [--home /tmp/leoflow-bench-api] [--reseed] [--out F.json]

Seeds (once; kept in --home and reused while the sizes match, `--reseed` to redo) an embedded
Postgres with `dags` x `runs` x `tasks` task instances (bench/_seed_api.py), starts Leoflow's
API server on it (a subprocess: `create_app` + aiohttp, one process, as `leoflow lite` serves
it), and, unless --no-airflow, the same data set in a second database `airflow` of the same
Postgres served by Airflow 3.2.1's `airflow api-server` (the oracle virtualenv
~/.cache/leoflow-oracle/af-3.2.1 or $AF_VENV; psycopg2-binary is installed with pip --target
into the home, the virtualenv is not touched; one worker).

Each endpoint is called sequentially by one aiohttp client, `--warmup` times then `-n` times
measured, with the SPA's query strings and a bearer token; the table shows p50/p95 in ms, the
CPU each request cost the server and Postgres (their process trees, from /proc: less disturbed
than latency by other load on shared cores) and Airflow / Leoflow ratios. Leoflow's server also
times each request inside itself (`timed`): its p50/p95 beside the client's tell the server's
own tail from the client's and the scheduler's. The machine's load average is printed with the
figures. `--src old/src` serves Leoflow from another tree (e.g.
`git archive <rev> src | tar -x -C old`) for before/after comparisons.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _seed_api as seed  # noqa: E402  (bench/ is not a package)

AF_VENV = Path(os.environ.get("AF_VENV", Path.home() / ".cache/leoflow-oracle/af-3.2.1"))
AF_DB = "airflow"
DAG = "bench_0007"  # has logs on disk (seed.LOG_DAGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def endpoints(runs: int, tasks: int) -> list[tuple[str, str, dict[str, str]]]:
    """(name, path, headers) of the measured requests, as the SPA sends them."""
    newest = [seed.run_id(r) for r in range(runs - 1, max(-1, runs - 11), -1)]
    ti_run = seed.run_id(runs - 2)  # finished, has logs
    q = "&".join(f"run_ids={r.replace('+', '%2B')}" for r in newest)
    return [
        ("(floor) /api/v2/version", "/api/v2/version", {}),
        (
            "/ui/dags",
            "/ui/dags?dag_runs_limit=14&limit=50&offset=0&tags_match_mode=any"
            "&exclude_stale=true&order_by=dag_display_name",
            {},
        ),
        ("/ui/grid/runs", f"/ui/grid/runs/{DAG}?limit=10&order_by=-run_after", {}),
        ("/ui/grid/ti_summaries", f"/ui/grid/ti_summaries/{DAG}?{q}", {}),
        (
            "dagRuns/~/taskInstances",
            f"/api/v2/dags/{DAG}/dagRuns/~/taskInstances?limit=50&offset=0&order_by=-run_after",
            {},
        ),
        (
            "taskInstances?task_id",
            f"/api/v2/dags/{DAG}/dagRuns/~/taskInstances?task_id=t_05&limit=14&order_by=-run_after",
            {},
        ),
        (
            "logs (ndjson)",
            f"/api/v2/dags/{DAG}/dagRuns/{ti_run.replace('+', '%2B')}/taskInstances/t_05"
            "/logs/1?map_index=-1",
            {"Accept": "application/x-ndjson"},
        ),
    ]


# -- stores ------------------------------------------------------------------------------------


def start_postgres(home: Path) -> Any:
    from leoflow.store.db import start_embedded

    return start_embedded(home / "postgres", durable=False)


def leoflow_store(server: Any, home: Path, args: argparse.Namespace) -> str:
    from leoflow.store.db import drop_database, ensure_database, upgrade_head

    sizes = {
        "dag": args.dags,
        "dag_run": args.dags * args.runs,
        "task_instance": args.dags * args.runs * args.tasks,
    }
    url = ensure_database(server.url("postgres"), "leoflow")
    upgrade_head(url)
    if not args.reseed and seed.counts(url) == sizes:
        return url
    drop_database(server.url("postgres"), "leoflow")
    shutil.rmtree(home / "logs", ignore_errors=True)
    url = ensure_database(server.url("postgres"), "leoflow")
    upgrade_head(url)
    t0 = time.perf_counter()
    asyncio.run(
        seed.seed_leoflow(
            url, home / "logs", home / "dags", dags=args.dags, runs=args.runs, tasks=args.tasks
        )
    )
    print(f"seeded Leoflow {seed.counts(url)} in {time.perf_counter() - t0:.0f} s", flush=True)
    return url


def airflow_env(home: Path, server: Any, port: int) -> dict[str, str]:
    pg = f"postgresql+psycopg2://postgres@/{AF_DB}?host={server.socket_dir}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PG"))}
    env.update(
        PYTHONPATH=str(home / "afpg"),
        AIRFLOW_HOME=str(home / "airflow"),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=pg,
        AIRFLOW__CORE__DAGS_FOLDER=str(home / "airflow" / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        AIRFLOW__CORE__AUTH_MANAGER="airflow.api_fastapi.auth.managers.simple."
        "simple_auth_manager.SimpleAuthManager",
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS="True",
        AIRFLOW__API__HOST="127.0.0.1",
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{port}",
        AIRFLOW__API__WORKERS="1",
        AIRFLOW__API__SECRET_KEY="bench-secret-key",
        AIRFLOW__API_AUTH__JWT_SECRET="bench-jwt-secret-0123456789abcdef",
        AIRFLOW__LOGGING__BASE_LOG_FOLDER=str(home / "airflow" / "logs"),
    )
    return env


def airflow_store(server: Any, home: Path, args: argparse.Namespace, env: dict[str, str]) -> str:
    from leoflow.store.db import drop_database, ensure_database, with_database

    url = with_database(server.url("postgres"), AF_DB)
    sizes = {
        "dag": args.dags,
        "dag_run": args.dags * args.runs,
        "task_instance": args.dags * args.runs * args.tasks,
    }
    if not (home / "afpg" / "asyncpg").is_dir():
        subprocess.run(
            [
                str(AF_VENV / "bin/python"),
                "-m",
                "pip",
                "install",
                "-q",
                "--target",
                str(home / "afpg"),
                "psycopg2-binary",
                "asyncpg",
            ],
            check=True,
        )
    ensure_database(server.url("postgres"), AF_DB)
    with contextlib.suppress(Exception):  # not migrated yet: seeded below
        if not args.reseed and seed.counts(url) == sizes:
            return url
    drop_database(server.url("postgres"), AF_DB)
    shutil.rmtree(home / "airflow", ignore_errors=True)
    ensure_database(server.url("postgres"), AF_DB)
    t0 = time.perf_counter()
    dags = home / "airflow" / "dags"
    dags.mkdir(parents=True)
    (dags / "bench_dags.py").write_text(seed.CHAIN_SOURCE.format(dags=args.dags, tasks=args.tasks))
    airflow = str(AF_VENV / "bin/airflow")
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(AF_VENV / "bin/python"), "-c", seed.AIRFLOW_SYNC, str(dags)], env=env, check=True
    )
    seed.seed_airflow_rows(url, runs=args.runs, tasks=args.tasks)
    seed.write_logs(home / "airflow" / "logs", args.dags, args.runs, args.tasks, airflow=True)
    print(f"seeded Airflow {seed.counts(url)} in {time.perf_counter() - t0:.0f} s", flush=True)
    return url


# -- servers -----------------------------------------------------------------------------------


TIMINGS_PATH = "/_bench/timings"


def timed(app: Any) -> None:
    """Record the wall and CPU time of every request inside the server (from the outermost
    middleware to the handler's response), and serve them (then forget them) at TIMINGS_PATH:
    the client's figures minus these are the client and the loopback, plus the time the server
    waited for a core before it read the request."""
    from aiohttp import web

    spent: list[tuple[float, float]] = []

    @web.middleware
    async def timing(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == TIMINGS_PATH:
            response: web.StreamResponse = await handler(request)
            return response
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            response = await handler(request)
        finally:
            spent.append(((time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000))
        return response

    async def timings(request: web.Request) -> web.Response:
        out = list(spent)
        spent.clear()
        return web.json_response(out)

    app.middlewares.insert(0, timing)
    app.router.add_get(TIMINGS_PATH, timings)


async def serve_leoflow(url: str, logs_dir: Path, port: int) -> None:
    """The `_serve` subcommand: Leoflow's API app on `port` until SIGTERM."""
    from aiohttp import web

    from leoflow.api.app import create_app
    from leoflow.store.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    app = create_app(make_sessionmaker(engine), logs_dir=logs_dir, extra_routes=timed)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    gc.freeze()  # as `leoflow lite` does once started: collections skip what the start made
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()
    await engine.dispose()


def start(cmd: list[str], env: dict[str, str] | None, log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(
        cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# -- measuring ---------------------------------------------------------------------------------


def tree_cpu_s(root: int) -> float:
    """User + system CPU seconds of process `root` and all its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0.0))[1]
        todo += [child for child, (ppid, _) in stats.items() if ppid == pid]
    return total


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def wait_up(base: str, proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    import aiohttp

    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"server {base} exited with {proc.returncode}")
            try:
                async with http.get(base + "/api/v2/version") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)
    raise SystemExit(f"server {base} not up after {timeout_s:.0f} s")


async def measure(
    base: str,
    eps: list[tuple[str, str, dict[str, str]]],
    n: int,
    warmup: int,
    pids: tuple[int, int],
) -> dict[str, dict[str, Any]]:
    """p50/p95 of each endpoint, and the CPU the server and Postgres (`pids`) spent per request
    (a figure the other load of a shared machine disturbs less than the latency)."""
    import aiohttp

    out: dict[str, dict[str, Any]] = {}
    async with aiohttp.ClientSession() as http:
        async with http.get(base + TIMINGS_PATH) as resp:  # Leoflow's bench server only
            server_side = resp.status == 200 and resp.content_type == "application/json"
        token = ""
        async with http.get(base + "/auth/token") as resp:
            if resp.status in (200, 201):
                token = (await resp.json()).get("access_token", "")
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        for name, path, headers in eps:
            samples: list[float] = []
            size = status = 0
            cpu = (0.0, 0.0)
            client_cpu = 0.0
            for i in range(warmup + n):
                if i == warmup:
                    if server_side:  # forget the warm-up's
                        async with http.get(base + TIMINGS_PATH) as resp:
                            await resp.read()
                    cpu = (tree_cpu_s(pids[0]), tree_cpu_s(pids[1]))
                    client_cpu = time.process_time()
                t0 = time.perf_counter()
                async with http.get(base + path, headers={**auth, **headers}) as resp:
                    body = await resp.read()
                    status = resp.status
                elapsed = (time.perf_counter() - t0) * 1000
                if status != 200:
                    raise SystemExit(f"{base}{path}: {status} {body[:300]!r}")
                size = len(body)
                if i >= warmup:
                    samples.append(elapsed)
            client_cpu = (time.process_time() - client_cpu) * 1000 / n
            m = out[name] = {
                "p50_ms": round(statistics.median(samples), 2),
                "p95_ms": round(pct(samples, 0.95), 2),
                "max_ms": round(max(samples), 2),
                "server_cpu_ms": round((tree_cpu_s(pids[0]) - cpu[0]) * 1000 / n, 2),
                "db_cpu_ms": round((tree_cpu_s(pids[1]) - cpu[1]) * 1000 / n, 2),
                "client_cpu_ms": round(client_cpu, 2),
                "bytes": size,
            }
            inside = ""
            if server_side:
                async with http.get(base + TIMINGS_PATH) as resp:
                    spent = await resp.json()
                walls = [w for w, _ in spent]
                m["handler_p50_ms"] = round(statistics.median(walls), 2)
                m["handler_p95_ms"] = round(pct(walls, 0.95), 2)
                m["handler_cpu_ms"] = round(statistics.fmean(c for _, c in spent), 2)
                inside = (
                    f" (in the server: p50 {m['handler_p50_ms']} ms, p95 {m['handler_p95_ms']}"
                    f" ms, CPU {m['handler_cpu_ms']} ms)"
                )
            print(
                f"  {base} {name}: p50 {m['p50_ms']} ms, p95 {m['p95_ms']} ms, max"
                f" {m['max_ms']} ms{inside}, CPU/request server {m['server_cpu_ms']} ms + db"
                f" {m['db_cpu_ms']} ms + client {m['client_cpu_ms']} ms, {size} bytes",
                flush=True,
            )
    return out


def table(leo: dict[str, Any], af: dict[str, Any] | None) -> str:
    rows = [
        "| endpoint | Leoflow p50 / p95 ms | (in its server) | Airflow p50 / p95 ms "
        "| ratio p50 / p95 | CPU ms/req Leoflow (server+db) | Airflow | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, m in leo.items():
        a = (af or {}).get(name)
        cpu = m["server_cpu_ms"] + m["db_cpu_ms"]
        leo_cpu = f"{cpu:.1f} ({m['server_cpu_ms']:.1f}+{m['db_cpu_ms']:.1f})"
        ratio = af_cell = af_cpu_cell = cpu_ratio = "-"
        if a:
            ratio = f"{a['p50_ms'] / m['p50_ms']:.1f}x / {a['p95_ms'] / m['p95_ms']:.1f}x"
            af_cell = f"{a['p50_ms']:.1f} / {a['p95_ms']:.1f}"
            af_cpu = a["server_cpu_ms"] + a["db_cpu_ms"]
            af_cpu_cell = f"{af_cpu:.1f} ({a['server_cpu_ms']:.1f}+{a['db_cpu_ms']:.1f})"
            cpu_ratio = f"{af_cpu / cpu:.1f}x" if cpu else "-"
        inside = "-"
        if "handler_p50_ms" in m:
            inside = f"{m['handler_p50_ms']:.1f} / {m['handler_p95_ms']:.1f}"
        rows.append(
            f"| {name} | {m['p50_ms']:.1f} / {m['p95_ms']:.1f} | {inside} | {af_cell} | {ratio} "
            f"| {leo_cpu} | {af_cpu_cell} | {cpu_ratio} |"
        )
    return "\n".join(rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home", type=Path, default=Path("/tmp/leoflow-bench-api"))
    p.add_argument("--dags", type=int, default=1000)
    p.add_argument("--runs", type=int, default=100)
    p.add_argument("--tasks", type=int, default=20)
    p.add_argument("-n", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--reseed", action="store_true")
    p.add_argument("--no-airflow", action="store_true")
    p.add_argument("--out", type=Path)
    p.add_argument("--src", type=Path, help="serve Leoflow from this src/ (A/B: an old tree)")
    sub = p.add_subparsers(dest="cmd")
    serve = sub.add_parser("_serve")
    serve.add_argument("url")
    serve.add_argument("logs_dir", type=Path)
    serve.add_argument("port", type=int)
    args = p.parse_args()
    if args.cmd == "_serve":
        asyncio.run(serve_leoflow(args.url, args.logs_dir, args.port))
        return 0

    home: Path = args.home.absolute()
    home.mkdir(parents=True, exist_ok=True)
    server = start_postgres(home)
    url = leoflow_store(server, home, args)
    af_port = free_port()
    env = airflow_env(home, server, af_port)
    if not args.no_airflow:
        airflow_store(server, home, args, env)
    eps = endpoints(args.runs, args.tasks)
    results: dict[str, Any] = {
        "dags": args.dags,
        "runs": args.runs,
        "tasks": args.tasks,
        "n": args.n,
    }
    port = free_port()
    proc = start(
        [sys.executable, __file__, "_serve", url, str(home / "logs"), str(port)],
        {**os.environ, "PYTHONPATH": str(args.src)} if args.src else None,
        home / "leoflow-server.log",
    )
    try:
        asyncio.run(wait_up(f"http://127.0.0.1:{port}", proc, 60))
        results["leoflow"] = asyncio.run(
            measure(f"http://127.0.0.1:{port}", eps, args.n, args.warmup, (proc.pid, server.pid))
        )
    finally:
        stop(proc)
    results["airflow"] = None
    if not args.no_airflow:
        proc = start(
            [
                str(AF_VENV / "bin/airflow"),
                "api-server",
                "--host",
                "127.0.0.1",
                "--port",
                str(af_port),
                "--workers",
                "1",
            ],
            env,
            home / "airflow-server.log",
        )
        try:
            asyncio.run(wait_up(f"http://127.0.0.1:{af_port}", proc, 180))
            results["airflow"] = asyncio.run(
                measure(
                    f"http://127.0.0.1:{af_port}", eps, args.n, args.warmup, (proc.pid, server.pid)
                )
            )
        finally:
            stop(proc)
    results["loadavg"] = os.getloadavg()
    print(
        f"\n{args.dags} DAGs x {args.runs} runs x {args.tasks} tasks, n={args.n} sequential,"
        f" load average {' '.join(f'{x:.2f}' for x in results['loadavg'])}"
    )
    print(table(results["leoflow"], results["airflow"]))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
