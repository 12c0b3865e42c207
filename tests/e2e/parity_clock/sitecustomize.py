"""Put the clock of every Python process of one parity run at the logical date, as the oracle did.

Only on PYTHONPATH while `test_runtime_parity` runs a DAG whose outcome depends on the clock
(BranchDateTimeOperator, BranchDayOfWeekOperator). Airflow's oracle ran `dag.test()` under
time-machine travelling (and ticking) to the logical date; this does the same with the same
library in the agent fork server (its forked tries inherit the travel), the fresh agents and the
compiler's child. Like there, subprocesses such as bash's `date` keep the real clock: time-machine
patches Python's clock functions only.
"""

from __future__ import annotations

import os

_AT = os.environ.get("LEOFLOW_PARITY_CLOCK")
if _AT:
    import time_machine

    time_machine.travel(_AT, tick=True).start()
