"""`python -m leoflow_agent`: run one task try described by the LEOFLOW_* environment."""

from __future__ import annotations

import os
import sys

from .runner import run_try


def main() -> int:
    return run_try(dict(os.environ))


if __name__ == "__main__":
    sys.exit(main())
