"""The fork server: a spare child forked ahead of each request, one loop that reaps every try."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from conftest import PYTHON, agent_env, make_task

EMPTY = "airflow.providers.standard.operators.empty.EmptyOperator"


def _children(pid: int) -> set[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(p) for p in text.split()}


def _ended(pid: int) -> bool:
    """Gone, or a zombie waiting for init to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _script_answer(server, tmp_path: Path, script: str, *args: str, timeout_s: float) -> Any:
    """Run `script` (with the agent importable) and decode the JSON of its last output line."""
    proc = subprocess.run(
        [PYTHON, "-c", script, *args],
        env=agent_env(server, "unused", tmp_path / "x.log", None),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _wait_for(check, timeout_s: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_a_dead_spare_is_replaced_and_every_try_gets_its_exit_code(server, fork_server, tmp_path):
    """The server keeps one child forked ahead of the next request; when that spare is killed,
    the server forks another and requests still run, tries running at once each get their own
    exit code (0 for a success, 2 for an agent started without its token), and stopping the
    server ends the spare it kept."""
    from leoflow_agent.forkserver import spawn

    proc, sock = fork_server
    spare = _wait_for(lambda: _children(proc.pid))
    assert len(spare) == 1
    os.kill(next(iter(spare)), signal.SIGKILL)
    _wait_for(lambda: _children(proc.pid) - spare)  # reaped, and a new spare forked
    tis = [server.add_ti(make_task(f"e{i}", EMPTY, {})) for i in range(3)]
    started = [spawn(sock, agent_env(server, ti, tmp_path / f"{ti}.log", None)) for ti in tis]
    broken = agent_env(server, "x", tmp_path / "broken.log", None)
    del broken["LEOFLOW_TI_TOKEN"]  # the server has one in its own environment: removed
    no_token = spawn(sock, broken, unset=["LEOFLOW_TI_TOKEN"])
    assert len({s.pid for s in [*started, no_token]}) == 4
    assert [s.wait(30) for s in started] == [0, 0, 0]
    assert no_token.wait(30) == 2
    assert [server.tis[ti].reports[0]["state"] for ti in tis] == ["success"] * 3
    spare = _wait_for(lambda: _children(proc.pid))
    proc.terminate()
    proc.wait(10)
    _wait_for(lambda: all(_ended(pid) for pid in spare))


HOLES_CHECK = """
import gc, json, os, resource
from leoflow_agent import forkserver

def copies(work):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    for _ in range(20):
        pid = os.fork()
        if pid == 0:
            work()
            os._exit(0)
        os.waitpid(pid, 0)
    return (resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before) / 20

keep = [[str(i) * 3 for i in range(50)] for _ in range(2000)]  # a server heap with holes:
del keep[::2]  # half of it freed
data = json.dumps([f"task_{i:04d}" for i in range(1000)]).encode()
gc.collect()
gc.freeze()
plain = copies(lambda: json.loads(data)) - copies(lambda: None)
forkserver.fill_malloc_holes()
gc.freeze()
filled = copies(lambda: json.loads(data)) - copies(lambda: None)
print(json.dumps({"plain": plain, "filled": filled}))
"""


def test_filled_malloc_holes_spare_a_forked_child_page_copies(server, tmp_path):
    """After `fill_malloc_holes`, what a forked child allocates (here: decoding 1,000 names)
    lands on fresh pages rather than in free blocks spread over pages shared with the server:
    far fewer pages are copied (measured: 145 -> 81 here)."""
    out = _script_answer(server, tmp_path, HOLES_CHECK, timeout_s=60)
    assert out["filled"] < out["plain"] * 0.7, out


ALTERNATE = """
import json, sys
from leoflow_agent import forkserver
sizes = []
for i in range(12):
    assert forkserver.preload_dag_file(sys.argv[1 + i % 2])
    sizes.append(len(forkserver._FILLERS))
print(json.dumps(sizes))
"""


def test_fillers_stay_bounded_when_dag_files_alternate(server, tmp_path, dag_file):
    """Preloading another DAG file releases the fillers before it refills the holes, so the
    server's memory does not grow with every switch between two files."""
    body = "    @task\n    def hello():\n        return 1\n"
    files = [
        dag_file(
            f"with DAG('{name}', schedule=None, start_date=START):\n{body}"
            f"    [hello.override(task_id=f'w_{{i}}')() for i in range(300)]\n",
            name=f"{name}.py",
        )
        for name in ("a", "b")
    ]
    sizes = _script_answer(server, tmp_path, ALTERNATE, *map(str, files), timeout_s=120)
    assert max(sizes[4:]) < 2 * max(sizes[:4]), sizes


def test_sigterm_stops_the_server_at_any_moment(server, tmp_path):
    """SIGTERM right after the ready line (while the server forks its first spare, inside
    `os.fork`'s at-fork callbacks, where an exception from a handler would be ignored) still
    stops it at once, socket removed, spare gone."""
    for i in range(8):
        sock = tmp_path / f"agent{i}.sock"
        proc = subprocess.Popen(
            [PYTHON, "-m", "leoflow_agent.forkserver", "--socket", str(sock), "--preload-shim"],
            env=agent_env(server, "unused", tmp_path / "x.log", None),
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert json.loads(proc.stdout.readline())["ready"] is True
        time.sleep(0.002 * i)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(5) == 0
        proc.stdout.close()
        assert not sock.exists()


FORKS = """
import json, os, random, threading
from leoflow_agent import forkserver

def child_values(n):
    values = []
    for _ in range(n):
        r, w = os.pipe()
        pid = forkserver.fork()
        if pid == 0:
            os.write(w, json.dumps([random.random(), os.getpid()]).encode())
            os._exit(0)
        os.close(w)
        values.append(json.loads(os.read(r, 100)))
        os.close(r)
        os.waitpid(pid, 0)
    return values

raw = child_values(3)
parent_next = random.random()
stop = threading.Event()
threading.Thread(target=stop.wait).start()
with_thread = child_values(2)  # another thread alive: Python's own fork
stop.set()
print(json.dumps({"raw": raw, "parent_next": parent_next, "with_thread": with_thread}))
"""


def test_forked_spares_each_get_their_own_random_sequence(server, tmp_path):
    """A spare forked without Python's after-fork work still reseeds `random`, as Python's own
    fork does: siblings and the server never share a sequence. With another thread alive the
    server forks as Python does."""
    out = _script_answer(server, tmp_path, FORKS, timeout_s=60)
    values = [v for v, _ in out["raw"] + out["with_thread"]]
    assert len({*values, out["parent_next"]}) == len(values) + 1, out
    assert len({pid for _, pid in out["raw"]}) == 3


PREPARED_CHECK = """
import inspect, json, sys
from leoflow_agent import forkserver, live
from leoflow_agent.operators import python

assert forkserver.preload_dag_file(sys.argv[1])
dag = next(iter(live.PRELOADED.values()))[1]["prep"]
out = {}
for task_id, task in dag.task_dict.items():
    fn = live.live_attr(task, "python_callable")
    plain = python.unwrap(fn)
    prepared = python.PREPARED.get(fn)
    ctx = {"ds": "2025-01-01", "ti": "TI", "params": {}}
    out[task_id] = {
        "prepared": prepared is not None and prepared[0] is plain,
        "same_signature": prepared is not None and prepared[1] == inspect.signature(plain),
        "kwargs": sorted(python.determine_kwargs(plain, [], ctx)),
    }
print(json.dumps(out))
"""


def test_preloading_a_dag_file_prepares_its_callables(server, tmp_path, dag_file):
    """The server unwraps each callable of a preloaded DAG file and reads its signature once;
    a try's context injection uses them and gets what `inspect` would give."""
    path = dag_file(
        "with DAG('prep', schedule=None, start_date=START):\n"
        "    @task\n"
        "    def plain(ds, ti=None):\n"
        "        return ds\n"
        "    @task\n"
        "    def anything(**context):\n"
        "        return 1\n"
        "    def fn(params):\n"
        "        return params\n"
        "    plain() >> anything() >> PythonOperator(task_id='op', python_callable=fn)\n",
        name="prep.py",
    )
    out = _script_answer(server, tmp_path, PREPARED_CHECK, str(path), timeout_s=120)
    assert all(v["prepared"] and v["same_signature"] for v in out.values()), out
    assert out["plain"]["kwargs"] == ["ds", "ti"]
    assert out["anything"]["kwargs"] == ["ds", "params", "ti"]
    assert out["op"]["kwargs"] == ["params"]


ENV_CHECK = """
import json, os, sys
from leoflow_agent import forkserver, live

before = dict(os.environ)
loaded = forkserver.preload_dag_file(sys.argv[1])
print(json.dumps({"loaded": loaded, "same_env": dict(os.environ) == before,
                  "leaked": os.environ.get("LEOFLOW_TEST_LEAK"), "kept": len(live.PRELOADED)}))
"""


def test_a_dag_file_that_sets_variables_is_not_preloaded(server, tmp_path, dag_file):
    """A DAG file whose top level sets os.environ is not preloaded, and the server's environment
    (every later try's, of any DAG) is put back: its own tries run the file themselves."""
    path = dag_file(
        "import os\n"
        "os.environ['LEOFLOW_TEST_LEAK'] = '1'\n"
        "with DAG('leaky', schedule=None, start_date=START):\n"
        "    @task\n"
        "    def t():\n"
        "        return os.environ.get('LEOFLOW_TEST_LEAK')\n"
        "    t()\n",
        name="leaky.py",
    )
    out = _script_answer(server, tmp_path, ENV_CHECK, str(path), timeout_s=120)
    assert out == {"loaded": False, "same_env": True, "leaked": None, "kept": 0}


def test_spares_are_forked_in_batches_while_one_dag_files_tries_come(server, fork_server, tmp_path):
    """One spare at a time at first; once SPARES requests in a row were for one DAG file, the
    server forks SPARES spares back to back when it runs out (its own page copies after a fork
    are then paid once per batch); requests for files in turn get one at a time again."""
    from leoflow_agent.forkserver import SPARES, spawn

    proc, sock = fork_server
    assert len(_wait_for(lambda: _children(proc.pid))) == 1
    dag = tmp_path / "one.py"
    dag.write_text("")
    for i in range(SPARES):
        ti = server.add_ti(make_task(f"e{i}", EMPTY, {}))
        assert spawn(sock, agent_env(server, ti, tmp_path / f"{i}.log", dag)).wait(30) == 0
    _wait_for(lambda: len(_children(proc.pid)) == SPARES)
    other = tmp_path / "other.py"
    other.write_text("")
    for i in range(2 * SPARES):  # two files in turn: the batch is used up, then one at a time
        ti = server.add_ti(make_task(f"o{i}", EMPTY, {}))
        path = (dag, other)[i % 2]
        assert spawn(sock, agent_env(server, ti, tmp_path / f"o{i}.log", path)).wait(30) == 0
    _wait_for(lambda: len(_children(proc.pid)) == 1)
    time.sleep(0.3)  # the server would have forked more by now
    assert len(_children(proc.pid)) == 1
