"""The root of Leoflow's errors; each stage has its own subclass."""

from __future__ import annotations


class LeoflowError(Exception):
    """Something went wrong that the user can act on; the message says what to do."""


class CompileError(LeoflowError):
    """A DAG file could not be compiled into dag.json."""


class StoreError(LeoflowError):
    """The metadata store could not be reached or used."""


class ExecutorError(LeoflowError):
    """A task try could not be launched or supervised."""
