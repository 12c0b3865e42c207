"""Leoflow's structural stand-in for the `airflow` package (see leoflow_shim)."""

from __future__ import annotations

import sys as _sys

from leoflow_shim import finder as _finder

_finder.install()
_sys.modules.pop(__name__, None)
_sys.modules[__name__] = __import__(__name__)
