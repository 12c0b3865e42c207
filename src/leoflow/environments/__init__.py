"""DAG environments: the Python interpreters that import and run DAG code, never Leoflow's own.

The default environment is a venv under the Leoflow home with the packages that a plain
`apache-airflow==3.2.1` install gives DAG code (`DEFAULT_PACKAGES`, the one list). It is built
once with `uv venv` + `uv pip install`, guarded by a file lock, and reused while its recorded
package list matches.

`ready_python()` is on the hot path of `leoflow compile`: it imports neither pathlib, json nor
hashlib; what only building needs (subprocess, shutil, logging, fcntl) is imported when building.
"""

from __future__ import annotations

import os
import sys

from leoflow.errors import LeoflowError
from leoflow.spec import fastjson, sha256_hex

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing slows `leoflow compile`
if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_NAME = "default"
MARKER = ".leoflow-env.json"
UV_TIMEOUT_S = 600.0

# What `pip install apache-airflow==3.2.1` puts next to DAG code that DAG files commonly import,
# pinned to the versions of a clean Airflow 3.2.1 install (shared/bench-airflow/results/
# pip-freeze-clean-install.txt). Airflow's own control-plane dependencies (SQLAlchemy,
# FastAPI, ...) are deliberately absent: DAG code must not reach Leoflow's internals.
DEFAULT_PACKAGES: tuple[str, ...] = (
    "pendulum==3.3.0",
    "python-dateutil==4.0.0",
    "tzdata==2026.6",
    "requests==2.34.2",
    "httpx==0.28.1",
    "Jinja2==3.1.6",
    "MarkupSafe==3.0.4",
    "PyYAML==6.0.4",
    "tabulate==0.10.0",
    "croniter==7.0.0",
    "attrs==26.1.0",
    "pydantic==2.14.4",
    "methodtools==0.4.7",
    "typing_extensions==4.16.0",
    "babel==2.19.0",  # macros.ds_format_locale
)


class EnvironmentBuildError(LeoflowError):
    """A DAG environment could not be created."""


class Environment:
    """A ready DAG environment."""

    __slots__ = ("name", "root")

    def __init__(self, name: str, root: Path) -> None:
        self.name, self.root = name, root

    def __repr__(self) -> str:
        return f"Environment(name={self.name!r}, root={self.root!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Environment):
            return NotImplemented
        return (self.name, self.root) == (other.name, other.root)

    def __hash__(self) -> int:
        return hash((self.name, self.root))

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"


def leoflow_home() -> Path:
    """`$LEOFLOW_HOME`, else the platform's user data dir for "leoflow"."""
    from pathlib import Path

    return Path(home_dir())


def home_dir() -> str:
    """`leoflow_home()` as a string, without importing pathlib."""
    env = os.environ.get("LEOFLOW_HOME")
    if env:
        return os.path.realpath(os.path.expanduser(env))
    if sys.platform.startswith("linux"):  # what platformdirs answers there, without importing it
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        base = xdg if xdg else os.path.join(os.path.expanduser("~"), ".local", "share")
        return os.path.join(os.path.normpath(base), "leoflow")
    from platformdirs import user_data_dir

    return user_data_dir("leoflow")


def _fingerprint(packages: tuple[str, ...], python: str) -> str:
    data = fastjson.dumps({"packages": sorted(packages), "python": python}).encode()
    return sha256_hex(data)[:16]


def _uv() -> str:
    import shutil

    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if found is None:
            raise EnvironmentBuildError(
                "cannot create a DAG environment: `uv` was not found\n"
                "  hint: install Leoflow with its dependencies (`pip install leoflow`) "
                "or put `uv` on PATH"
            ) from None
        return found


def _base_python() -> str:
    """The interpreter a new environment is built from: the one running Leoflow, un-venv'd."""
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    base = os.path.join(sys.base_prefix, "bin", version)
    return base if os.path.exists(base) else sys.executable


def _is_ready(root: str, fingerprint: str) -> bool:
    try:
        with open(os.path.join(root, MARKER), encoding="utf-8") as fh:
            marker = fastjson.loads(fh.read())
    except (OSError, ValueError):
        return False
    return bool(
        isinstance(marker, dict)
        and marker.get("fingerprint") == fingerprint
        and os.path.exists(os.path.join(root, "bin", "python"))
    )


def ready_python(
    name: str = DEFAULT_NAME, *, packages: tuple[str, ...] = DEFAULT_PACKAGES
) -> str | None:
    """The interpreter of the environment `name` if it is ready (`ensure()` would return it
    without building), else None. Imports neither pathlib, json nor hashlib."""
    root = os.path.join(home_dir(), "envs", name)
    if _is_ready(root, _fingerprint(packages, _base_python())):
        return os.path.join(root, "bin", "python")
    return None


def ensure(
    name: str = DEFAULT_NAME,
    *,
    packages: tuple[str, ...] = DEFAULT_PACKAGES,
    home: Path | None = None,
) -> Environment:
    """Create the environment `name` (if missing or stale) and return it.

    Safe to call from several processes at once: one builds while the others wait on a lock.
    """
    envs = (home or leoflow_home()) / "envs"
    root = envs / name
    python = _base_python()
    fingerprint = _fingerprint(packages, python)
    if _is_ready(str(root), fingerprint):  # fast path: no lock, no subprocess
        return Environment(name, root)
    import fcntl

    envs.mkdir(parents=True, exist_ok=True)
    with open(envs / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _is_ready(str(root), fingerprint):
            _build(root, python, packages, fingerprint)
    return Environment(name, root)


def _build(root: Path, python: str, packages: tuple[str, ...], fingerprint: str) -> None:
    import json
    import logging
    import shutil
    import subprocess

    log = logging.getLogger(__name__)
    log.info("Creating DAG environment.", extra={"event": "env.create", "path": str(root)})
    uv = _uv()
    if root.exists():
        shutil.rmtree(root)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    steps = [
        [uv, "venv", "--quiet", "--python", python, str(root)],
        [uv, "pip", "install", "--quiet", "--python", str(root / "bin" / "python"), *packages],
    ]
    for argv in steps:
        try:
            proc = subprocess.run(
                argv, env=env, capture_output=True, text=True, timeout=UV_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise EnvironmentBuildError(
                f"creating the DAG environment {root} timed out after {UV_TIMEOUT_S:.0f} s\n"
                "  hint: check that PyPI is reachable, then run the command again"
            ) from exc
        if proc.returncode != 0:
            shutil.rmtree(root, ignore_errors=True)
            raise EnvironmentBuildError(
                f"creating the DAG environment {root} failed: {' '.join(argv[1:3])} exited "
                f"{proc.returncode}: {proc.stderr.strip()[-500:]}\n"
                "  hint: check that PyPI is reachable, then run the command again"
            )
    tmp = root / f"{MARKER}.tmp"
    tmp.write_text(
        json.dumps({"fingerprint": fingerprint, "packages": list(packages), "python": python})
    )
    tmp.replace(root / MARKER)  # atomic: a reader without the lock sees all of it or nothing
