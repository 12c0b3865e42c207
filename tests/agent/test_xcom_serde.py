"""XCom values are stored as Airflow 3.2.1's serde stores them, and pulled back as its
deserializer gives them; what it refuses, the agent refuses."""

from __future__ import annotations

import json
import textwrap
import uuid
from pathlib import Path

from conftest import run_agent_script

RECORDED = Path(__file__).parents[1] / "runtime" / "corpus" / "airflow" / "rt_ctx_serde_values.json"

SCRIPT = textwrap.dedent(
    """
    import datetime as dt, decimal, json, sys, uuid
    from collections import namedtuple
    from leoflow_agent import serde
    from leoflow_agent.context import ensure_json
    from leoflow_agent.errors import AgentError

    utc = dt.timezone.utc
    values = {  # the return values of rt_ctx_serde_values' tasks
        "a_tuple": (1, "a"),
        "a_set": {3},
        "a_frozenset": frozenset({"z"}),
        "a_datetime": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=utc),
        "a_date": dt.date(2024, 5, 6),
        "a_timedelta": dt.timedelta(hours=1, seconds=5),
        "a_decimal": decimal.Decimal("1.25"),
        "nested": {"pair": (1, 2), "rows": [(3, 4)], "when": dt.datetime(2024, 1, 2, tzinfo=utc)},
    }
    stored = {k: serde.xcom_serialize(v) for k, v in values.items()}
    back = {k: serde.xcom_deserialize(json.loads(json.dumps(v))) for k, v in stored.items()}
    Point = namedtuple("Point", "x y")
    refused = {}
    for name, value in {"inf": [float("inf")], "object": object(),
                        "reserved": {"__classname__": "x"}}.items():
        try:
            ensure_json(value, "XCom")
        except AgentError as exc:
            refused[name] = str(exc)
    print(json.dumps({
        "stored": stored,
        "same": {k: back[k] == values[k] for k in values},
        "types": {k: type(back[k]).__name__ for k in values},
        "tz": str(back["a_datetime"].tzinfo),
        "extra": [serde.xcom_serialize(Point(1, 2)), serde.xcom_serialize(decimal.Decimal("3")),
                  serde.xcom_serialize(uuid.UUID(int=1)), serde.xcom_serialize({1: "int key"})],
        "refused": refused,
    }))
    """
)


def _run() -> dict:
    return run_agent_script(SCRIPT)


def test_values_are_stored_as_airflow_stored_them():
    """Every value rt_ctx_serde_values' tasks return is stored exactly as real Airflow 3.2.1
    stored it (its recorded run), and a pull gives back an equal value of the same type."""
    recorded = {t["task_id"]: t for t in json.loads(RECORDED.read_text())["task_instances"]}
    out = _run()
    for task_id, value in out["stored"].items():
        assert value == recorded[task_id]["xcom_return_value"], task_id
    assert all(out["same"].values()), out["same"]
    assert out["types"]["a_set"] == "set"
    assert out["types"]["a_frozenset"] == "frozenset"
    assert out["types"]["a_datetime"] == "datetime"
    assert out["tz"] == "UTC"


def test_other_serde_types_and_refusals():
    """A namedtuple is a tuple, a whole Decimal an int, a UUID its text, dict keys strings; an
    out-of-range float (Airflow's HTTP client refuses it), an object with no serializer and a
    dict using serde's reserved key fail the try, as in Airflow (rt_ctx_serde_values.floats,
    rt_ctx_xcom_errors.opaque)."""
    out = _run()
    assert out["extra"] == [
        {"__classname__": "builtins.tuple", "__version__": 1, "__data__": [1, 2]},
        {"__classname__": "decimal.Decimal", "__version__": 1, "__data__": 3},
        {"__classname__": "uuid.UUID", "__version__": 1, "__data__": str(uuid.UUID(int=1))},
        {"1": "int key"},
    ]
    assert set(out["refused"]) == {"inf", "object", "reserved"}
    assert "cannot serialize object of type" in out["refused"]["object"]


def test_dataclass_is_stored_tagged_and_refused_on_pull():
    """A dataclass is stored with its class name and fields, as Airflow stores it; pulling it
    fails with Airflow's ImportError (its class is not in allowed_deserialization_classes)."""
    script = textwrap.dedent(
        """
        import dataclasses, json
        from leoflow_agent import serde

        @dataclasses.dataclass
        class P:
            x: int

        stored = serde.xcom_serialize(P(1))
        try:
            serde.xcom_deserialize(stored)
            error = None
        except ImportError as exc:
            error = str(exc)
        print(json.dumps({"stored": stored, "error": error}))
        """
    )
    out = run_agent_script(script)
    assert out["stored"] == {"__classname__": "__main__.P", "__version__": 0, "__data__": {"x": 1}}
    assert out["error"].startswith("__main__.P was not found in allow list")


def test_a_stdlib_fixed_offset_zone_is_stored_but_not_read_back():
    """Airflow's serde cannot name a `datetime.timezone(timedelta(hours=2))`: it stores the
    datetime with an empty zone, and reading it back raises ZoneInfo's ValueError (the pulling
    task fails), not a silent UTC."""
    script = textwrap.dedent(
        """
        import datetime, json
        from leoflow_agent import serde

        plus2 = datetime.timezone(datetime.timedelta(hours=2))
        moment = datetime.datetime(2024, 1, 1, 12, tzinfo=plus2)
        stored = serde.xcom_serialize(moment)
        try:
            serde.xcom_deserialize(stored)
            error = None
        except ValueError as exc:
            error = str(exc)
        print(json.dumps({"tz": stored["__data__"]["tz"]["__data__"], "error": error}))
        """
    )
    out = run_agent_script(script)
    assert out == {
        "tz": ["", "", 0, False],
        "error": "ZoneInfo keys must be normalized relative paths, got: ",
    }
