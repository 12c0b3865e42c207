"""Where Leoflow's path roots (the shim, the agent) live, installed or in a source checkout."""

from __future__ import annotations

import functools
import os

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `leoflow compile` imports this module
if TYPE_CHECKING:
    from pathlib import Path

_PKG = os.path.dirname(os.path.realpath(__file__))


@functools.cache  # asked for every try; where the package lives does not change
def _root(name: str) -> str:
    installed = os.path.join(_PKG, "_roots", name)
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(_PKG), name)  # source checkout / editable: src/<name>


def shim_dir() -> str:
    """`shim_root()` as a string, without importing pathlib (`leoflow compile` needs it)."""
    return _root("shim")


def shim_root() -> Path:
    """The folder to put first on sys.path so that `import airflow` finds the shim."""
    from pathlib import Path

    return Path(_root("shim"))


def agent_root() -> Path:
    """The folder to put on sys.path so that `import leoflow_agent` works in any interpreter."""
    from pathlib import Path

    return Path(_root("agent"))
