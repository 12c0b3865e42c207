"""PythonVirtualenvOperator, ExternalPythonOperator, their branch variants and decorators, run
natively as Airflow's standard provider runs them: the callable's source goes into a script that
another Python runs, with the arguments pickled in and the return value pickled out."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from ..context import unwrap_lazy
from ..errors import AgentError, AirflowSkipException
from . import Call
from .bash import run_command, skip_codes
from .python import determine_kwargs, follow_branches, get_callable

# Airflow's _BasePythonVirtualenvOperator.*_SERIALIZABLE_CONTEXT_KEYS (Airflow 3.2).
BASE_CONTEXT_KEYS = frozenset(
    {
        "ds",
        "ds_nodash",
        "expanded_ti_count",
        "inlets",
        "outlets",
        "run_id",
        "task_instance_key_str",
        "test_mode",
        "ts",
        "ts_nodash",
        "ts_nodash_with_tz",
        "next_ds",
        "next_ds_nodash",
        "prev_ds",
        "prev_ds_nodash",
        "tomorrow_ds",
        "tomorrow_ds_nodash",
        "yesterday_ds",
        "yesterday_ds_nodash",
    }
)
PENDULUM_CONTEXT_KEYS = frozenset(
    {
        "data_interval_end",
        "data_interval_start",
        "logical_date",
        "prev_data_interval_end_success",
        "prev_data_interval_start_success",
        "prev_start_date_success",
        "prev_end_date_success",
        "execution_date",
        "next_execution_date",
        "prev_execution_date",
        "prev_execution_date_success",
    }
)
AIRFLOW_CONTEXT_KEYS = frozenset(
    {"macros", "conf", "dag", "dag_run", "task", "params", "triggering_asset_events"}
)

# Airflow's python_virtualenv_script.jinja2, for an environment without Airflow.
SCRIPT = """\
from __future__ import annotations

import {serializer}
import sys
import os

os.environ["PYTHON_OPERATORS_VIRTUAL_ENV_MODE"] = "1"

# Script
{source}

with open(sys.argv[1], "rb") as file:
    arg_dict = {serializer}.load(file)

# Read string args
with open(sys.argv[3], "r") as file:
    virtualenv_string_args = list(map(lambda x: x.strip(), list(file)))

try:
    res = {name}(*arg_dict["args"], **arg_dict["kwargs"])
except Exception as e:
    with open(sys.argv[4], "w") as file:
        file.write(str(e))
    raise

# Write output
with open(sys.argv[2], "wb") as file:
    if res is not None:
        {serializer}.dump(res, file)
"""


def run_virtualenv(call: Call) -> Any:
    """PythonVirtualenvOperator / @task.virtualenv: a new virtualenv (or the one cached under
    venv_cache_path) with the requirements, then the callable in it."""
    cache = call.args.get("venv_cache_path")
    if cache:
        return _run_in(call, _cached_venv(call, Path(cache)) / "bin" / "python")
    with tempfile.TemporaryDirectory(prefix="venv") as tmp:
        _create_venv(call, Path(tmp))
        return _run_in(call, Path(tmp) / "bin" / "python")


def run_external_python(call: Call) -> Any:
    """ExternalPythonOperator / @task.external_python: the callable in an existing Python."""
    python = Path(str(call.args.get("python") or ""))
    if not python.exists():
        raise ValueError(f"Python Path '{python}' must exists")
    if not python.is_file():
        raise ValueError(f"Python Path '{python}' must be a file")
    if not python.is_absolute():
        raise ValueError(f"Python Path '{python}' must be an absolute path.")
    return _run_in(call, python)


def run_branch_virtualenv(call: Call) -> Any:
    result = run_virtualenv(call)
    return follow_branches(call, result, result)


def run_branch_external_python(call: Call) -> Any:
    result = run_external_python(call)
    return follow_branches(call, result, result)


def _requirement_names(call: Call) -> set[str]:
    names = set()
    for raw in call.args.get("requirements") or []:
        for line in str(raw).splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                name = line
                for sep in "<>=!~;[ @":
                    name = name.split(sep, 1)[0]
                names.add(name.strip().lower().replace("_", "-"))
    return names


def _context_keys(call: Call) -> frozenset[str]:
    """The context keys Airflow passes into the other Python (`_iter_serializable_context_keys`)."""
    op = call.task_doc.get("operator_class", "")
    if "External" in op:
        found_airflow, found_pendulum = False, bool(call.args.get("expect_pendulum"))
    elif call.args.get("system_site_packages", True):
        found_airflow = found_pendulum = True
    else:
        names = _requirement_names(call)
        found_airflow = "apache-airflow" in names
        found_pendulum = found_airflow or "pendulum" in names
    if found_airflow:
        return BASE_CONTEXT_KEYS | PENDULUM_CONTEXT_KEYS | AIRFLOW_CONTEXT_KEYS
    return BASE_CONTEXT_KEYS | PENDULUM_CONTEXT_KEYS if found_pendulum else BASE_CONTEXT_KEYS


def _source(fn: Any) -> str:
    """The callable's source without its decorators (Airflow's get_python_source /
    remove_task_decorator)."""
    try:
        text = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as exc:
        raise AgentError(f"cannot read the source of {fn!r} to run it in another Python") from exc
    node = ast.parse(text).body[0]
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise AgentError(f"{fn!r} is not a function defined with def")
    return "\n".join(text.splitlines()[node.lineno - 1 :]) + "\n"


def _run_in(call: Call, python: Path) -> Any:
    """Airflow's `_execute_python_callable_in_subprocess`."""
    fn = get_callable(call)
    name = call.args.get("serializer") or "pickle"
    try:
        serializer = importlib.import_module(name)
    except ImportError as exc:
        raise AgentError(f"serializer {name!r} is not installed in the DAG's environment") from exc
    op_args = list(call.args.get("op_args") or [])
    op_kwargs = dict(call.args.get("op_kwargs") or {})
    if call.args.get("templates_dict"):
        op_kwargs["templates_dict"] = call.args["templates_dict"]
    allowed = _context_keys(call)
    # prev_*_success proxies go over as their values (pickle would need this module there)
    context = {k: unwrap_lazy(v) for k, v in call.ctx.items() if k in allowed}
    context.update(op_kwargs)
    kwargs = determine_kwargs(fn, op_args, context)
    passed_airflow = sorted(k for k in kwargs if k in AIRFLOW_CONTEXT_KEYS and k not in op_kwargs)
    if passed_airflow:
        raise AgentError(
            f"Leoflow cannot pass the Airflow context object(s) {', '.join(passed_airflow)} into "
            "another Python: read what you need from them in an upstream task and pass it as an "
            "argument"
        )
    with tempfile.TemporaryDirectory(prefix="venv-call") as tmp:
        d = Path(tmp)
        if op_args or op_kwargs:
            call.journal.info(f"Use {name!r} as serializer.")
        with open(d / "script.in", "wb") as f:
            serializer.dump({"args": op_args, "kwargs": kwargs}, f)
        (d / "string_args.txt").write_text("\n".join(map(str, call.args.get("string_args") or [])))
        (d / "script.py").write_text(
            SCRIPT.format(serializer=name, source=_source(fn), name=fn.__name__)
        )
        env = dict(os.environ) if call.args.get("inherit_env", True) else {}
        env.update({str(k): str(v) for k, v in (call.args.get("env_vars") or {}).items()})
        dag_file = getattr(call.rt, "dag_file", None)
        if dag_file:  # Airflow puts the bundle root on PYTHONPATH
            root = os.path.dirname(dag_file)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), root) if p)
        argv = [str(python), *(str(d / f) for f in _FILES)]
        result = run_command(call, argv, env=env, cwd=None, encoding="utf-8")
        codes = skip_codes(call.args.get("skip_on_exit_code"))
        if result.exit_code != 0:
            if result.exit_code in codes:
                raise AirflowSkipException(
                    f"Process exited with code {result.exit_code}. Skipping."
                )
            log = d / "termination.log"
            detail = log.read_text() if log.exists() else ""
            raise AgentError(
                f"Process returned non-zero exit status {result.exit_code}.\n{detail}".rstrip()
            )
        if 0 in codes:
            raise AirflowSkipException("Process exited with code 0. Skipping.")
        out = d / "script.out"
        return serializer.loads(out.read_bytes()) if out.stat().st_size else None


_FILES = ("script.py", "script.in", "script.out", "string_args.txt", "termination.log", "ctx.json")


def _create_venv(call: Call, path: Path) -> None:
    """`python -m venv` (the interpreter of python_version, else this one), then pip install."""
    version = call.args.get("python_version")
    python = f"python{version}" if version else sys.executable
    requirements = [str(r) for r in call.args.get("requirements") or []]
    cmd = [python, "-m", "venv", str(path)]
    if call.args.get("system_site_packages", True):
        cmd.append("--system-site-packages")
    if not requirements:
        cmd.append("--without-pip")
    _check(call, cmd, "create the virtualenv")
    if requirements:
        pip = [str(path / "bin" / "python"), "-m", "pip", "install"]
        for i, url in enumerate(call.args.get("index_urls") or []):
            pip += ["--index-url" if i == 0 else "--extra-index-url", str(url)]
        pip += [str(o) for o in call.args.get("pip_install_options") or []]
        _check(call, [*pip, *requirements], "install the requirements")


def _cached_venv(call: Call, cache: Path) -> Path:
    key = repr(
        (
            call.args.get("python_version") or sys.version_info[:2],
            sorted(str(r) for r in call.args.get("requirements") or []),
            bool(call.args.get("system_site_packages", True)),
            call.args.get("pip_install_options"),
            call.args.get("index_urls"),
        )
    )
    path = cache / f"venv-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    done = path / "install_complete_marker.json"
    if done.exists():
        call.journal.info(f"Reusing cached Python virtual environment in {path}")
        return path
    cache.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "w") as lock:  # as Airflow: parallel tries build it once
        import fcntl

        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            _create_venv(call, path)
            done.write_text("{}")
    return path


def _check(call: Call, cmd: list[str], what: str) -> None:
    call.journal.info(f"Executing cmd: {' '.join(cmd)}")
    proc = subprocess.run(
        cmd, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    for line in (proc.stdout + proc.stderr).splitlines():
        call.journal.info(line)
    if proc.returncode != 0:
        raise AgentError(f"could not {what} (exit code {proc.returncode}): {' '.join(cmd)}")
