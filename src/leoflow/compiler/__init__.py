"""The compiler driver: DAG files in, finalized dag.json documents out (see ADR 0001).

Each file is imported under the shim in the DAG environment's Python, in a sandboxed child
process (`forkserver`); `discover` decides which files of a folder are DAG files.
"""

from __future__ import annotations

from leoflow.compiler.driver import (
    DEFAULT_MEM_BYTES,
    DEFAULT_TIMEOUT_S,
    FROZEN_NOW,
    CompileOutput,
    compile_path,
    find_root,
)

__all__ = [
    "DEFAULT_MEM_BYTES",
    "DEFAULT_TIMEOUT_S",
    "FROZEN_NOW",
    "CompileOutput",
    "compile_path",
    "find_root",
]
