"""`python -m leoflow_agent`: run one task try described by the LEOFLOW_* environment;
`python -m leoflow_agent dag-callback`: run a DAG's callbacks of a run's end (dagcallback)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["dag-callback"]:
        from .dagcallback import run_dag_callbacks

        return run_dag_callbacks(dict(os.environ))
    from .runner import run_try

    return run_try(dict(os.environ))


if __name__ == "__main__":
    sys.exit(main())
