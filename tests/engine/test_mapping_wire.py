"""The mapped values of the run context (ADR 0002 `expanded`): tuples, `.map()` items and
missing dict items in the forms the agent decodes."""

from __future__ import annotations

from leoflow.engine.backend import _jsonable
from leoflow.scheduler.mapping import MapCall, MissingKey


def test_tuples_travel_in_airflow_serde_form() -> None:
    """A zipped or dict item is a tuple in Airflow's serde form (the agent turns it back into
    a tuple), also inside a `.map()` item; lists and dicts stay as they are; a missing dict item
    is a `key_error`."""
    value = {"a": (1, [2, (3,)]), "b": MapCall(("k", 1), ("f",)), "c": MapCall(MissingKey(0), ())}
    assert _jsonable(value) == {
        "a": {
            "__classname__": "builtins.tuple",
            "__version__": 1,
            "__data__": [
                1,
                [2, {"__classname__": "builtins.tuple", "__version__": 1, "__data__": [3]}],
            ],
        },
        "b": {
            "__type": "mapcall",
            "value": {"__classname__": "builtins.tuple", "__version__": 1, "__data__": ["k", 1]},
            "callables": ("f",),
        },
        "c": {"__type": "mapcall", "value": {"__type": "key_error", "key": 0}, "callables": ()},
    }
