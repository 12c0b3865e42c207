"""The local executor: one OS process per task try, running `python -m leoflow_agent`.

At most `parallelism` agents run at once; more launches wait for a slot in FIFO order. Each
agent gets its own session (process group), so a kill also reaches the shell or Python children
of the task. The agent enforces `execution_timeout` itself (as Airflow's task runner does); the
executor only keeps a backstop that kills the group `KILL_GRACE_S` after the timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from leoflow.errors import ExecutorError
from leoflow.executors.base import ExitCallback, TaskExit, TaskLaunch, TryCalls
from leoflow.paths import agent_root, shim_root

log = logging.getLogger(__name__)

PARALLELISM = 32
KILL_GRACE_S = 5.0  # SIGTERM -> SIGKILL, and backstop delay past execution_timeout
FORKSERVER_START_S = 30.0
LINE_LIMIT = 16 * 1024 * 1024  # a try's end report on its line (the agent sends <= 8 MiB)


def agent_pythonpath(base: Mapping[str, str]) -> str:
    """The agent and shim roots first, then `base`'s own PYTHONPATH (ADR 0002)."""
    roots = [str(agent_root()), str(shim_root())]
    if base.get("PYTHONPATH"):
        roots.append(base["PYTHONPATH"])
    return os.pathsep.join(roots)


def agent_vars(launch: TaskLaunch, base: Mapping[str, str]) -> dict[str, str]:
    """The variables ADR 0002 sets for one agent process on top of the environment `base`."""
    own = {
        "PYTHONPATH": agent_pythonpath(base),
        "PYTHONUNBUFFERED": "1",
        "LEOFLOW_EXECUTION_API": launch.api_url,
        "LEOFLOW_TI_ID": str(launch.ti_id),
        "LEOFLOW_TI_TOKEN": launch.token,
        "LEOFLOW_LOG_PATH": str(launch.log_path),
        "LEOFLOW_DAG_FILE": str(launch.dag_file),
    }
    own.update(launch.extra_env)
    return own


def agent_env(launch: TaskLaunch, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of one agent process, per ADR 0002."""
    env = dict(os.environ if base is None else base)
    env.update(agent_vars(launch, env))
    return env


def _open_output(path: Path) -> IO[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("ab")


GONE_POLL_S = 0.2  # how often the end of a try whose fork server died is checked


def process_ended(pid: int) -> bool:
    """Whether process `pid` has ended (an exited one lingers as a zombie until its parent
    reaps it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


async def _gone(pid: int) -> None:
    """Return once process `pid` has ended. It is not a child of this process, so it cannot be
    waited for: a pidfd becomes readable when it ends (Linux), else its state is polled."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        while not process_ended(pid):  # noqa: ASYNC110 (no event tells of a non-child's end here)
            await asyncio.sleep(GONE_POLL_S)
        return
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if not ended.done():
            ended.set_result(None)

    loop.add_reader(fd, readable)
    try:
        await ended
    finally:
        loop.remove_reader(fd)
        os.close(fd)


def _answer(writer: asyncio.StreamWriter, status: int, body: bytes) -> None:
    """One answer on a try's line (`leoflow_agent.channel`); a try that is gone misses it."""
    if not writer.is_closing():
        writer.write(b'{"status":%d,"body":%s}\n' % (status, body or b"null"))


async def _serve_try(
    calls: TryCalls | None,
    launch: TaskLaunch,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> bytes:
    """Answer the try's calls on its line (with `calls`) until the fork server's exit line,
    which is returned; b"" when the connection ended without one."""
    while True:
        try:
            line = await reader.readline()
        except ValueError:  # over LINE_LIMIT, which neither the server nor the agent sends
            return b""
        if calls is None or not line.startswith(b'{"call"'):
            return line
        try:
            msg = json.loads(line)
            name, body = str(msg["call"]), msg.get("body")
        except (ValueError, KeyError, TypeError) as exc:
            _answer(writer, 400, json.dumps({"detail": f"a malformed call: {exc}"}).encode())
            continue
        # Shielded: the end state is written even if the try's timeout backstop fires now.
        status, answer = await asyncio.shield(
            calls.call(launch.ti_id, launch.try_number, name, body)
        )
        _answer(writer, status, answer)


def _raw_environ() -> Mapping[Any, Any]:
    """`os.environ` in a form compared in C: CPython's dict of encoded names and values behind
    it (comparing `os.environ` itself decodes every entry, ~0.15 ms per try), else itself."""
    data = getattr(os.environ, "_data", None)
    return data if isinstance(data, dict) else os.environ


class _ForkServer:
    """`python -m leoflow_agent.forkserver` for one interpreter: imports once, forks per try."""

    def __init__(self, python: str, socket_path: Path) -> None:
        self.python, self.socket_path = python, socket_path
        self.proc: asyncio.subprocess.Process | None = None
        self._environ: dict[str, str] = {}  # this process's environment when the server started
        self._environ_raw: Any = None  # the same, in the form `_raw_environ` gives
        self._env: dict[str, str] = {}  # the server's own environment

    def server_env(self) -> dict[str, str]:
        """The server's environment, from this process's as it is now (kept: each request
        says how a try's differs from it)."""
        self._environ = dict(os.environ)
        self._environ_raw = dict(_raw_environ())
        env = dict(self._environ)
        env.setdefault("LD_BIND_NOW", "1")  # symbols bound once here, not again in each try
        env["PYTHONPATH"] = agent_pythonpath(self._environ)
        self._env = env
        return env

    async def start(self) -> None:
        env = self.server_env()
        self.proc = await asyncio.create_subprocess_exec(
            self.python,
            "-m",
            "leoflow_agent.forkserver",
            "--socket",
            str(self.socket_path),
            "--preload-shim",
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        async with asyncio.timeout(FORKSERVER_START_S):
            line = await self.proc.stdout.readline()
        if not json.loads(line or b"{}").get("ready"):
            raise ExecutorError(f"the agent fork server of {self.python} did not start")

    def request(self, launch: TaskLaunch) -> dict[str, Any]:
        """What the try's environment changes in the server's (ADR 0002's variables, mostly):
        a try gets exactly `agent_env(launch)` without this process sending all of it."""
        if _raw_environ() == self._environ_raw:  # as when the server started: the try's own
            env = agent_vars(launch, self._environ)
            full = {**self._environ, **env}
        else:
            full = agent_env(launch)
            env = full
        return {
            "env": {k: v for k, v in env.items() if self._env.get(k) != v},
            "unset": [k for k in self._env if k not in full],
        }

    async def spawn(
        self, launch: TaskLaunch, *, channel: bool
    ) -> tuple[int, asyncio.StreamReader, asyncio.StreamWriter]:
        """Fork the try; with `channel`, the try gets this connection too (its run context and
        end state go over it)."""
        reader, writer = await asyncio.open_unix_connection(str(self.socket_path), limit=LINE_LIMIT)
        request = self.request(launch)
        if channel:
            request["channel"] = True
        writer.write((json.dumps(request) + "\n").encode())
        await writer.drain()
        async with asyncio.timeout(FORKSERVER_START_S):
            answer = json.loads(await reader.readline() or b"{}")
        if "pid" not in answer:
            writer.close()
            raise ExecutorError(f"the agent fork server refused the try: {answer}")
        return int(answer["pid"]), reader, writer

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.terminate()
            try:
                async with asyncio.timeout(KILL_GRACE_S):
                    await self.proc.wait()
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.proc.kill()


class LocalExecutor:
    """Runs each task try as a child process of this one (forked from a warm agent when
    `forkserver` is on, else a fresh interpreter)."""

    def __init__(
        self,
        *,
        on_exit: ExitCallback,
        parallelism: int = PARALLELISM,
        kill_grace_s: float = KILL_GRACE_S,
        forkserver: bool = False,
        run_dir: Path | None = None,
    ) -> None:
        self._on_exit = on_exit
        self._use_forkserver = forkserver
        self._run_dir = run_dir
        self._forkservers: dict[str, _ForkServer | None] = {}
        self._fs_lock = asyncio.Lock()
        self._pids: dict[UUID, int] = {}
        self._slots = asyncio.Semaphore(parallelism)
        self._grace = kill_grace_s
        self._procs: dict[UUID, asyncio.subprocess.Process] = {}
        self._killed: set[UUID] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._warming: set[asyncio.Task[None]] = set()
        self._calls: TryCalls | None = None
        self.parallelism = parallelism

    async def start(self) -> None:
        """Nothing to prepare: each try is a fresh interpreter."""

    @property
    def active(self) -> int:
        return len(self._tasks)

    def bind(self, on_exit: ExitCallback) -> LocalExecutor:
        """This executor, now reporting exits to `on_exit` (an executor made before its engine,
        to start warming its fork server first)."""
        self._on_exit = on_exit
        return self

    def answer_with(self, calls: TryCalls) -> None:
        """Answer the start and the end of forked tries with `calls` over their fork-server
        connection, as Airflow's supervisor does for its task process, instead of the tries
        calling the execution API over HTTP for them (ADR 0002 *The executor's channel*)."""
        self._calls = calls

    def warm(self, python: str) -> None:
        """Start the fork server of this interpreter now, in the background, rather than at
        the first launch (no-op without a fork server)."""
        if not self._use_forkserver:
            return
        task = asyncio.create_task(self._warm(python), name=f"forkserver:{python}")
        self._warming.add(task)
        task.add_done_callback(self._warming.discard)

    async def _warm(self, python: str) -> None:
        await self._forkserver(python)

    async def warmed(self) -> None:
        """Wait until the fork servers being warmed are up (or could not start)."""
        if self._warming:
            await asyncio.gather(*self._warming, return_exceptions=True)

    def launch(self, launch: TaskLaunch) -> None:
        task = asyncio.create_task(self._supervise(launch), name=f"agent:{launch.ti_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def kill(self, ti_id: UUID, reason: str) -> None:
        pid = self._pids.get(ti_id)
        if pid is not None:
            self._killed.add(ti_id)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            await asyncio.sleep(0)
            loop = asyncio.get_running_loop()
            loop.call_later(self._grace, self._hard_kill, pid)
            return
        proc = self._procs.get(ti_id)
        if proc is None:
            return
        log.info(
            "Killing a task try.",
            extra={"event": "executor.kill", "ti_id": str(ti_id), "reason": reason},
        )
        self._killed.add(ti_id)
        await self._terminate(proc)

    @staticmethod
    def _hard_kill(pid: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)

    async def stop(self) -> None:
        for ti_id in list(self._procs) + list(self._pids):
            await self.kill(ti_id, "executor stopping")
        if self._tasks or self._warming:
            await asyncio.gather(*self._tasks, *self._warming, return_exceptions=True)
        for fs in self._forkservers.values():
            if fs is not None:
                await fs.stop()

    async def _forkserver(self, python: str) -> _ForkServer | None:
        """The warm agent of this interpreter, started on first use; None if it cannot start."""
        async with self._fs_lock:
            if python in self._forkservers:
                return self._forkservers[python]
            run_dir = self._run_dir or Path(tempfile.gettempdir())
            sock = run_dir / f"leoflow-agent-{os.getpid()}-{len(self._forkservers)}.sock"
            fs: _ForkServer | None = _ForkServer(python, sock)
            try:
                assert fs is not None
                await fs.start()
            except (OSError, ValueError, TimeoutError, ExecutorError) as exc:
                log.warning(
                    "The agent fork server did not start; starting a fresh interpreter per try.",
                    extra={
                        "event": "executor.forkserver_failed",
                        "python": python,
                        "error": str(exc),
                    },
                )
                if fs is not None:
                    await fs.stop()
                fs = None
            self._forkservers[python] = fs
            return fs

    async def _run_forked(self, fs: _ForkServer, launch: TaskLaunch) -> TaskExit | None:
        """One try through the fork server; None when the server could not take it."""
        calls = self._calls
        try:
            pid, reader, writer = await fs.spawn(launch, channel=calls is not None)
        except (OSError, ValueError, TimeoutError, ExecutorError):
            return None
        self._pids[launch.ti_id] = pid
        timed_out = False
        code: int | None = None
        try:
            if calls is not None:  # the try waits for its run context on the connection
                status, body = await calls.start(launch.ti_id, launch.try_number, pid)
                _answer(writer, status, body)
            deadline = (
                None
                if launch.execution_timeout_s is None
                else asyncio.get_running_loop().time() + launch.execution_timeout_s + self._grace
            )
            try:
                async with asyncio.timeout_at(deadline):
                    line = await _serve_try(calls, launch, reader, writer)
                    if not line:  # the server died: the try runs on, orphaned; wait for its end
                        self._forget(fs)
                        await _gone(pid)
            except TimeoutError:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                line = await _serve_try(calls, launch, reader, writer)
            with contextlib.suppress(ValueError, TypeError):
                code = int(json.loads(line or b"{}").get("exit_code"))
        finally:
            if self._pids.get(launch.ti_id) == pid:  # a sensor's next poke may have started
                del self._pids[launch.ti_id]
            writer.close()
        killed = launch.ti_id in self._killed
        self._killed.discard(launch.ti_id)
        return TaskExit(
            ti_id=launch.ti_id,
            try_number=launch.try_number,
            returncode=code,
            timed_out=timed_out,
            killed=killed,
        )

    async def _terminate(self, proc: asyncio.subprocess.Process) -> None:
        if proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            async with asyncio.timeout(self._grace):
                await proc.wait()
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

    async def _supervise(self, launch: TaskLaunch) -> None:
        async with self._slots:
            result = await self._run(launch)
        await asyncio.shield(self._report(result))

    async def _report(self, result: TaskExit) -> None:
        try:
            await self._on_exit(result)
        except Exception:
            log.exception(
                "The exit handler failed.",
                extra={"event": "executor.exit_handler_failed", "ti_id": str(result.ti_id)},
            )

    def _forget(self, fs: _ForkServer) -> None:
        """Drop a fork server that died (killed, crashed): the next try starts a new one."""
        if self._forkservers.get(fs.python) is fs:
            log.warning(
                "The agent fork server stopped; the next try starts a new one.",
                extra={"event": "executor.forkserver_died", "python": fs.python},
            )
            del self._forkservers[fs.python]

    async def _run(self, launch: TaskLaunch) -> TaskExit:
        if self._use_forkserver:
            fs = await self._forkserver(launch.python or sys.executable)
            if fs is not None:
                result = await self._run_forked(fs, launch)
                if result is not None:
                    return result
                if fs.proc is not None and fs.proc.returncode is not None:
                    self._forget(fs)
        out_path = launch.log_path.with_suffix(".out")
        try:
            out = await asyncio.to_thread(_open_output, out_path)
        except OSError as exc:
            return TaskExit(
                ti_id=launch.ti_id,
                try_number=launch.try_number,
                returncode=None,
                error=f"cannot open {out_path}: {exc}",
            )
        try:
            try:
                proc = await asyncio.create_subprocess_exec(
                    launch.python or sys.executable,
                    "-m",
                    "leoflow_agent",
                    env=agent_env(launch),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=out,
                    stderr=asyncio.subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as exc:
                return TaskExit(
                    ti_id=launch.ti_id,
                    try_number=launch.try_number,
                    returncode=None,
                    error=f"cannot start {launch.python}: {exc}",
                )
            self._procs[launch.ti_id] = started = proc
            log.debug(
                "Started an agent.",
                extra={
                    "event": "executor.started",
                    "ti_id": str(launch.ti_id),
                    "task_id": launch.task_id,
                    "pid": proc.pid,
                },
            )
            timed_out = False
            try:
                if launch.execution_timeout_s is None:
                    await proc.wait()
                else:
                    try:
                        async with asyncio.timeout(launch.execution_timeout_s + self._grace):
                            await proc.wait()
                    except TimeoutError:
                        timed_out = True
                        await self._terminate(proc)
                        await proc.wait()
            except asyncio.CancelledError:
                await asyncio.shield(self._terminate(proc))
                raise
            finally:
                if self._procs.get(launch.ti_id) is started:  # as in _run_forked
                    del self._procs[launch.ti_id]
            killed = launch.ti_id in self._killed
            self._killed.discard(launch.ti_id)
            return TaskExit(
                ti_id=launch.ti_id,
                try_number=launch.try_number,
                returncode=proc.returncode,
                timed_out=timed_out,
                killed=killed,
            )
        finally:
            await asyncio.to_thread(out.close)
