"""Return values that are not JSON types, as Airflow's serializer stores them: a tuple, a set,
a frozenset, a datetime, a date, a timedelta, a Decimal, a tuple nested in a dict and a list; a
downstream task receives them back as Python objects. A list holding float inf fails its task
(Airflow's HTTP client refuses out-of-range floats), so the run fails."""

from __future__ import annotations

import datetime as dt
import decimal
from datetime import datetime, timezone

from airflow.sdk import DAG, task


@task
def a_tuple():
    return (1, "a")


@task
def a_set():
    return {3}


@task
def a_frozenset():
    return frozenset({"z"})


@task
def a_datetime():
    return datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)


@task
def a_date():
    return dt.date(2024, 5, 6)


@task
def a_timedelta():
    return dt.timedelta(hours=1, seconds=5)


@task
def a_decimal():
    return decimal.Decimal("1.25")


@task
def nested():
    return {"pair": (1, 2), "rows": [(3, 4)], "when": datetime(2024, 1, 2, tzinfo=timezone.utc)}


@task
def floats():
    return [float("inf"), 1.5]


@task
def receive(t, s, fs, d, day, delta, dec, n):
    return {
        "t": [type(t).__name__, list(t)],
        "s": [type(s).__name__, sorted(s)],
        "fs": type(fs).__name__,
        "d": [type(d).__name__, d.isoformat()],
        "day": [type(day).__name__, day.isoformat()],
        "delta": [type(delta).__name__, delta.total_seconds()],
        "dec": [type(dec).__name__, str(dec)],
        "pair": type(n["pair"]).__name__,
        "row": type(n["rows"][0]).__name__,
        "when": type(n["when"]).__name__,
    }


with DAG(
    dag_id="rt_ctx_serde_values",
    schedule=None,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["leoflow-corpus", "xcom"],
):
    receive(a_tuple(), a_set(), a_frozenset(), a_datetime(), a_date(), a_timedelta(), a_decimal(), nested())
    floats()
