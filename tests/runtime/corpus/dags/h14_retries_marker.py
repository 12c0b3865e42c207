from __future__ import annotations
from datetime import datetime, timedelta, timezone
import os
from airflow.sdk import DAG, task
from airflow.exceptions import AirflowFailException, AirflowSkipException

D = "/tmp/h14_h14_retries_marker"


def bump(name):
    os.makedirs(D, exist_ok=True)
    p = os.path.join(D, name)
    n = int(open(p).read()) + 1 if os.path.exists(p) else 1
    open(p, "w").write(str(n))
    return n


with DAG("h14_retries_marker", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc), catchup=False,
         default_args={"retries": 2, "retry_delay": timedelta(seconds=1)}):
    @task
    def flaky(**context):
        n = bump("flaky")
        if n < 3:
            raise ConnectionError(f"attempt {n} failed")
        return {"attempts": n, "try_number": context["ti"].try_number}

    @task(retries=1)
    def always_fails():
        bump("always")
        raise RuntimeError("nope")

    @task(retries=3)
    def hard_fail():
        bump("hard")
        raise AirflowFailException("bad config, do not retry")

    @task
    def fail_then_skip(**context):
        if context["ti"].try_number == 1:
            raise RuntimeError("first try")
        raise AirflowSkipException("skip on retry")

    @task(trigger_rule="all_done")
    def counts():
        return {n: int(open(os.path.join(D, n)).read()) for n in ["flaky", "always", "hard"]}

    [flaky(), always_fails(), hard_fail(), fail_then_skip()] >> counts()
