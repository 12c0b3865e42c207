"""Where Leoflow's path roots (the shim, the agent) live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _root(name: str) -> Path:
    installed = _PKG / "_roots" / name
    if installed.is_dir():
        return installed
    return _PKG.parent / name  # source checkout / editable install: src/<name>


def shim_root() -> Path:
    """The folder to put first on sys.path so that `import airflow` finds the shim."""
    return _root("shim")


def agent_root() -> Path:
    """The folder to put on sys.path so that `import leoflow_agent` works in any interpreter."""
    return _root("agent")
