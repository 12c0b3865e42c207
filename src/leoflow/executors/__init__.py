"""Executors start one agent per task try: `local` (processes) now, Kubernetes later."""

from __future__ import annotations

from leoflow.executors.base import Executor, ExitCallback, TaskExit, TaskLaunch

__all__ = ["Executor", "ExitCallback", "TaskExit", "TaskLaunch"]
