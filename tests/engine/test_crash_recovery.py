"""Crash safety (issue 4, acceptance 2): kill -9 the scheduler and running agents, restart.

A 200-task DAG (5 chains of 40 bash tasks, retries=10) runs under `leoflow scheduler`, a real
process on a real Postgres. Twenty times, at a random moment, the test kills with SIGKILL the
scheduler's whole process group, a random running agent, or both; then it restarts the
scheduler and lets the run finish. Every try appends `task_id try_number` to a side-effect file,
so the test counts executions: every task must have succeeded exactly once, with nothing
executed after its success, and the only other executions are earlier tries that were killed or
reset before they reported.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.e2e.conftest import shared_dag_python

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

DAGS = Path(__file__).parent / "dags" / "crash_chains.py"
DAG_ID = "crash_chains"
RUN_ID = "manual__crash"
TASKS = 200
KILLS = 20
SEED = int(os.environ.get("LEOFLOW_CRASH_SEED", "4242"))
PROGRESS_TIMEOUT_S = 60.0
FINISH_TIMEOUT_S = 180.0


class Scheduler:
    """`leoflow scheduler` as a child process in its own process group."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with (self.logs / f"scheduler-{self.starts}.log").open("wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "leoflow.cli.main",
                    "scheduler",
                    "--dags",
                    str(DAGS),
                    "--trigger",
                    DAG_ID,
                    "--run-id",
                    RUN_ID,
                    "--logical-date",
                    "2025-01-01T00:00:00+00:00",
                ],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        """SIGKILL the scheduler's process group (the scheduler and its fork server)."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill9()


class Store:
    """Reads of the run's state straight from Postgres."""

    def __init__(self, uri: str) -> None:
        self.conn = psycopg.connect(uri, autocommit=True)

    def run_state(self) -> str | None:
        row = self.conn.execute(
            "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", (DAG_ID, RUN_ID)
        ).fetchone()
        return None if row is None else str(row[0])

    def states(self) -> Counter[str | None]:
        rows = self.conn.execute(
            "SELECT state, count(*) FROM task_instance WHERE dag_id = %s GROUP BY state",
            (DAG_ID,),
        ).fetchall()
        return Counter({r[0]: int(r[1]) for r in rows})

    def running_pids(self) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM task_instance WHERE dag_id = %s AND state = 'running' "
            "AND pid IS NOT NULL ORDER BY task_id",
            (DAG_ID,),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def tis(self) -> dict[str, tuple[str, str | None, int]]:
        rows = self.conn.execute(
            "SELECT task_id, id, state, try_number FROM task_instance WHERE dag_id = %s",
            (DAG_ID,),
        ).fetchall()
        return {r[0]: (str(r[1]), r[2], int(r[3])) for r in rows}

    def history(self) -> Counter[str]:
        rows = self.conn.execute(
            "SELECT task_id, count(*) FROM task_instance_history WHERE dag_id = %s "
            "GROUP BY task_id",
            (DAG_ID,),
        ).fetchall()
        return Counter({r[0]: int(r[1]) for r in rows})


def wait_for(predicate, timeout_s: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def store(db_uri: str) -> Iterator[Store]:
    s = Store(db_uri)
    yield s
    s.conn.close()


def test_kill_9_scheduler_and_agents_twenty_times(
    db_uri: str, store: Store, tmp_path: Path
) -> None:
    """Twenty SIGKILLs of the scheduler group and/or a running agent at random moments of a
    200-task run, each followed by a restart: the run ends `success`, every task succeeded
    exactly once, nothing ran after a recorded success, no task is lost, every abandoned try
    is in the history, and no process of the run (fork server, agent, bash) outlives it."""
    rng = random.Random(SEED)
    print(f"crash test seed: {SEED} (set LEOFLOW_CRASH_SEED to replay)")
    side_effects = tmp_path / "side_effects.log"
    logs = tmp_path / "logs"
    logs.mkdir()
    env = {
        **os.environ,
        "LEOFLOW_DATABASE_URL": db_uri,
        "LEOFLOW_HOME": str(tmp_path / "home"),
        "LEOFLOW_SIDE_EFFECTS": str(side_effects),
        "LEOFLOW_DAG_PYTHON": shared_dag_python(),
        "LEOFLOW_TASK_SLEEP_S": "1.0",  # the run must outlast twenty kills
    }
    env_item = f"LEOFLOW_SIDE_EFFECTS={side_effects}".encode()
    sched = Scheduler(env, logs)
    kills: Counter[str] = Counter()
    try:
        for i in range(KILLS):
            if not sched.alive:
                sched.start()
            done = store.states().get("success", 0)
            wait_for(
                lambda done=done: store.states().get("success", 0) > done,  # type: ignore[misc]
                PROGRESS_TIMEOUT_S,
                f"progress after kill {i}",
            )
            time.sleep(rng.uniform(0.0, 1.2))
            assert store.run_state() == "running", f"the run ended before kill {i + 1}"
            what = rng.choices(["scheduler", "agent", "both"], weights=[4, 3, 3])[0]
            if what in ("agent", "both"):
                pids = store.running_pids()
                if pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(rng.choice(pids), signal.SIGKILL)
                else:
                    what = "scheduler"
            if what in ("scheduler", "both"):
                sched.kill9()
            kills[what] += 1
            print(f"kill {i + 1:2d}: {what:<9} at {store.states().get('success', 0)} successes")
        if not sched.alive:
            sched.start()
        wait_for(
            lambda: store.run_state() in ("success", "failed"),
            FINISH_TIMEOUT_S,
            "the run to finish",
        )
    finally:
        sched.terminate()
    print(f"kills: {dict(kills)}; scheduler starts: {sched.starts}")

    assert store.run_state() == "success"
    tis = store.tis()
    assert len(tis) == TASKS
    assert {t: s for t, (_, s, _) in tis.items() if s != "success"} == {}

    executions: dict[str, list[int]] = defaultdict(list)
    for line in side_effects.read_text().splitlines():
        task_id, try_number = line.split()
        executions[task_id].append(int(try_number))
    assert set(executions) == set(tis), "a task never executed"
    history = store.history()
    extra = 0
    for task_id, (_, _, final_try) in tis.items():
        tries = executions[task_id]
        assert tries.count(final_try) == 1, f"{task_id}: its successful try ran {tries}"
        assert tries[-1] == final_try, f"{task_id}: executed after its success: {tries}"
        assert max(tries) == final_try, f"{task_id}: a try after the success: {tries}"
        assert history[task_id] == final_try - 1, f"{task_id}: a lost try record"
        extra += len(tries) - 1
    print(f"executions: {sum(map(len, executions.values()))} ({extra} by killed tries)")
    assert sum(kills.values()) == KILLS
    wait_for(lambda: not processes_with(env_item), 10.0, "every process of the run to be gone")


def processes_with(item: bytes) -> list[int]:
    """Processes whose exec-time environment holds `item` (fork servers, agents, bash)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if item in (entry / "environ").read_bytes().split(b"\0"):
                    out.append(int(entry.name))
    return out
