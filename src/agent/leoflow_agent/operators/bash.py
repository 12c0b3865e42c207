"""BashOperator, @task.bash and the shared subprocess runner (as Airflow's SubprocessHook)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Container, Mapping
from typing import Any, NamedTuple

from .. import procs, serde
from ..context import airflow_env_vars
from ..errors import AgentError, AirflowException, AirflowSkipException
from ..logs import STDOUT_LOGGER
from . import Call
from .python import call_python

BASH_EXT = (".sh", ".bash")
HIDDEN_ENV = ("LEOFLOW_TI_TOKEN",)


class Result(NamedTuple):
    exit_code: int
    output: str


def run_command(
    call: Call, command: list[str], *, env: Mapping[str, str] | None, cwd: str | None, encoding: str
) -> Result:
    """Run a command in its own session, log each output line, return (exit code, last line)."""
    with contextlib.ExitStack() as stack:
        if cwd is None:
            cwd = stack.enter_context(tempfile.TemporaryDirectory(prefix="airflowtmp"))
        call.journal.info(f"Running command: {command}")
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            start_new_session=True,
            restore_signals=True,
        )
        procs.register(proc)
        line = ""
        try:
            call.journal.info("Output:")
            assert proc.stdout is not None
            for raw in iter(proc.stdout.readline, b""):
                line = raw.decode(encoding or "utf-8", errors="backslashreplace").rstrip()
                call.journal.emit(line, logger=STDOUT_LOGGER)
            proc.wait()
        finally:
            procs.kill_group(proc)  # a timeout or a stop unwinds through here: end the group
            procs.unregister(proc)
            if proc.stdout is not None:
                proc.stdout.close()
        call.journal.info(f"Command exited with return code {proc.returncode}")
        return Result(proc.returncode, line)


def skip_codes(value: Any) -> Container[int]:
    if value is None:
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict):  # a container of its keys, which dag.json's JSON made strings
        return [int(k) if isinstance(k, str) and k.lstrip("-").isdigit() else k for k in value]
    return list(value) if isinstance(value, (list, tuple, set)) else value


def task_env(call: Call) -> dict[str, str]:
    """BashOperator.get_env: env (or the process env), append_env, plus AIRFLOW_CTX_*."""
    system = {k: v for k, v in os.environ.items() if k not in HIDDEN_ENV}
    env = call.args.get("env")
    if env is None:
        out = system
    elif call.args.get("append_env"):  # values as given: Popen refuses an int, as in Airflow
        system.update(env)
        out = system
    else:
        out = dict(env)
    out.update(airflow_env_vars(call.ctx))
    return out


def execute_bash(call: Call, command: Any) -> Any:
    if not isinstance(command, str) or command is serde.SET_DURING_EXECUTION:
        raise AgentError(f"bash_command must be a string, got {type(command).__name__}")
    cwd = call.args.get("cwd")
    if cwd is not None:
        if not os.path.exists(cwd):
            raise AirflowException(f"Can not find the cwd: {cwd}")
        if not os.path.isdir(cwd):
            raise AirflowException(f"The cwd {cwd} must be a directory")
    env = task_env(call)
    bash = shutil.which("bash") or "bash"
    encoding = call.args.get("output_encoding") or "utf-8"
    if command.endswith(BASH_EXT):  # a script file that was not rendered: run the file content
        with tempfile.TemporaryDirectory(prefix="airflowtmp") as tmp:
            workdir = cwd or tmp
            with tempfile.NamedTemporaryFile("w", dir=workdir, suffix=".sh") as script:
                script.write(command)
                script.flush()
                result = run_command(
                    call,
                    [bash, os.path.basename(script.name)],
                    env=env,
                    cwd=workdir,
                    encoding=encoding,
                )
    else:
        result = run_command(call, [bash, "-c", command], env=env, cwd=cwd, encoding=encoding)
    if result.exit_code in skip_codes(call.args.get("skip_on_exit_code", 99)):
        raise AirflowSkipException(f"Bash command returned exit code {result.exit_code}. Skipping.")
    if result.exit_code != 0:
        raise AirflowException(
            f"Bash command failed. The command returned a non-zero exit code {result.exit_code}."
        )
    processor = call.args.get("output_processor")
    if callable(processor) and not serde.is_opaque(processor):
        return processor(result.output)
    return result.output


def run_bash(call: Call) -> Any:
    return execute_bash(call, call.args.get("bash_command"))


def run_bash_decorated(call: Call) -> Any:
    """@task.bash: the callable returns the command, which is then rendered and run."""
    command = call_python(call, log_result=False)
    if not isinstance(command, str) or command.strip() == "":
        raise TypeError("The returned value from the TaskFlow callable must be a non-empty string.")
    if call.render is not None:
        command = call.render(command)
    return execute_bash(call, command)
