"""Dynamic task mapping counts and per-index kwargs."""

from __future__ import annotations

import pytest

from leoflow.scheduler.mapping import (
    UnmappableXCom,
    expand,
    expanded_kwargs,
    initial_map_indexes,
    mapped_ti_count,
    pushed_length,
)

from .helpers import dag, task


def _ref(tid: str) -> dict:
    return {"__type": "xcomarg", "kind": "PlainXComArg", "task_id": tid, "key": "return_value"}


def test_cross_product_and_literal_expansion_at_run_creation() -> None:
    """Several expand kwargs multiply; literal inputs are expanded when the run is created;
    the last kwarg varies fastest in the per-index kwargs."""
    ei = {"type": "DictOfListsExpandInput", "value": {"a": [1, 2], "b": ["x", "y", "z"]}}
    d = dag(task("m", is_mapped=True, expand_input=ei))
    assert mapped_ti_count(d, "m") == 6
    assert initial_map_indexes(d, "m") == tuple(range(6))
    kw = [expanded_kwargs(ei, i, lambda t, k: None, lambda t, k: None) for i in range(6)]
    assert kw[0] == {"a": 1, "b": "x"}
    assert kw[1] == {"a": 1, "b": "y"}
    assert kw[3] == {"a": 2, "b": "x"}


def test_expand_kwargs_zip_concat_and_map() -> None:
    """expand_kwargs counts dicts; zip takes the shortest (longest with fillvalue); concat
    sums; map keeps its argument's length; values resolve through the callback."""
    values = {"p": [1, 2, 3], "q": ["a", "b"]}
    lengths = lambda t, k: len(values[t])  # noqa: E731
    zip_ref = {
        "__type": "xcomarg",
        "kind": "ZipXComArg",
        "args": [
            {"type": "", "task_id": "p", "key": "return_value"},
            {"type": "", "task_id": "q", "key": "return_value"},
        ],
    }
    d = dag(
        task("p"),
        task("q"),
        task(
            "z",
            "p",
            "q",
            is_mapped=True,
            expand_input={"type": "DictOfListsExpandInput", "value": {"v": zip_ref}},
        ),
    )
    assert mapped_ti_count(d, "z", lengths) == 2
    kw = expanded_kwargs(d.tasks["z"].expand_input, 1, lambda t, k: values[t], lengths)
    assert kw == {"v": (2, "b")}
    concat = {"__type": "xcomarg", "kind": "ConcatXComArg", "args": zip_ref["args"]}
    d2 = dag(
        task("p"),
        task("q"),
        task(
            "c",
            "p",
            "q",
            is_mapped=True,
            expand_input={"type": "ListOfDictsExpandInput", "value": concat},
        ),
    )
    assert mapped_ti_count(d2, "c", lengths) == 5
    mapped = {
        "__type": "xcomarg",
        "kind": "MapXComArg",
        "arg": {"type": "", "task_id": "p", "key": "return_value"},
        "callables": ["f"],
    }
    d3 = dag(
        task("p"),
        task(
            "m",
            "p",
            is_mapped=True,
            expand_input={"type": "DictOfListsExpandInput", "value": {"v": mapped}},
        ),
    )
    assert mapped_ti_count(d3, "m", lengths) == 3


def test_unresolved_empty_and_oversized_inputs() -> None:
    """A missing upstream value makes the -1 TI upstream_failed, an empty one skipped, and a
    pushed value over max_map_length (1024) or not a list/dict is unmappable."""
    d = dag(
        task("src"),
        task(
            "m",
            "src",
            is_mapped=True,
            expand_input={"type": "DictOfListsExpandInput", "value": {"x": _ref("src")}},
        ),
    )
    assert initial_map_indexes(d, "m") == (-1,)
    assert expand(d, "m", lambda t, k: None).unmapped_state == "upstream_failed"
    assert expand(d, "m", lambda t, k: 0).unmapped_state == "skipped"
    assert expand(d, "m", lambda t, k: 3).new_keys == (("m", 0), ("m", 1), ("m", 2))
    assert pushed_length(list(range(1024))) == 1024
    with pytest.raises(UnmappableXCom, match="1025 > 1024"):
        pushed_length(list(range(1025)))
    with pytest.raises(UnmappableXCom):
        pushed_length("abc")


def test_references_inside_map_and_zip_args() -> None:
    """The nested args of `.map()` and `.zip()` carry no `__type`; their references count."""
    from leoflow.scheduler.mapping import iter_references

    zipped = {
        "__type": "xcomarg",
        "kind": "ZipXComArg",
        "args": [{"task_id": "a", "key": "return_value"}, {"task_id": "b", "key": "k"}],
    }
    mapped = {
        "__type": "xcomarg",
        "kind": "MapXComArg",
        "arg": {"task_id": "c", "key": "return_value"},
        "callables": ["def f(x):\n    return x\n"],
    }
    ei = {"type": "DictOfListsExpandInput", "value": {"p": zipped, "q": mapped}}
    assert sorted(iter_references(ei)) == [("a", "return_value"), ("b", "k"), ("c", "return_value")]


def _group_dag() -> object:
    """tg (mapped over [1, 2, 3]) holds `inner` <- `first`; `after` reads `first` from outside."""
    groups = [
        {
            "group_id": "tg",
            "parent_group_id": None,
            "is_mapped": True,
            "expand_input": {"type": "DictOfListsExpandInput", "value": {"n": [1, 2, 3]}},
        }
    ]
    return dag(
        task("tg.first", task_group="tg", mapped_task_group="tg"),
        task("tg.inner", "tg.first", task_group="tg", mapped_task_group="tg"),
        task("after", "tg.first"),
        task_groups=groups,
    )


def test_mapped_arguments_of_a_task_in_a_mapped_group() -> None:
    """A task inside a mapped task group sees the group's kwargs at its own map index."""
    from leoflow.scheduler.mapping import mapped_arguments

    d = _group_dag()
    got = [mapped_arguments(d, "tg.inner", i, lambda t, k: None, lambda t, k: None) for i in (0, 2)]
    assert got == [{"n": 1}, {"n": 3}]


def test_relevant_map_indexes_follow_airflow() -> None:
    """Same mapped group: one index; outside any common group (or unmapped TI): the whole value."""
    from leoflow.scheduler.mapping import relevant_map_indexes

    d = _group_dag()
    assert relevant_map_indexes(d, "tg.inner", 1, 3, "tg.first", None) == 1
    assert relevant_map_indexes(d, "after", -1, None, "tg.first", None) is None
    assert relevant_map_indexes(d, "tg.inner", -1, 3, "tg.first", None) is None


def _plain(tid: str) -> dict:
    return {"task_id": tid, "key": "return_value"}


def _input(value: object, kind: str = "DictOfListsExpandInput") -> dict:
    return {"type": kind, "value": value}


def test_items_of_zip_and_of_dicts_are_tuples() -> None:
    """A pushed serde tuple stays a tuple (and can be mapped over); a zipped item and the item
    of a dict (upstream or literal) are the tuples Airflow gives the task."""
    from leoflow.scheduler.mapping import xcom_plain

    stored = [{"__classname__": "builtins.tuple", "__version__": 1, "__data__": [1, "x"]}]
    assert xcom_plain(stored) == [(1, "x")]
    assert pushed_length((1, 2)) == 2
    values = {"p": [1, 2, 3], "q": ["a", "b"], "d": {"k2": 2, "k1": 1}}
    get, length = (lambda t, k: values[t]), (lambda t, k: len(values[t]))
    zipped = {"__type": "xcomarg", "kind": "ZipXComArg", "args": [_plain("p"), _plain("q")]}
    zipped["fillvalue"] = 0
    assert expanded_kwargs(_input({"v": zipped}), 2, get, length) == {"v": (3, 0)}
    assert expanded_kwargs(_input({"v": _ref("d")}), 1, get, length) == {"v": ("k1", 1)}
    assert expanded_kwargs(_input({"v": {"k": 1}}), 0, get, length) == {"v": ("k", 1)}


def test_map_over_a_dict_misses_and_concat_of_a_dict_gives_keys() -> None:
    """Airflow's _MapResult reads `dict[i]`: each item of a `.map()` over a dict is missing
    (the try fails with KeyError); `.concat()` of a dict gives its keys; `.zip()` gives the
    fillvalue for a dict."""
    from leoflow.scheduler.mapping import MapCall, MissingKey

    values = {"p": [1, 2], "d": {"k2": 2, "k1": 1}}
    get, length = (lambda t, k: values[t]), (lambda t, k: len(values[t]))
    mapped = {"__type": "xcomarg", "kind": "MapXComArg", "arg": _plain("d"), "callables": ["f"]}
    assert expanded_kwargs(_input({"v": mapped}), 1, get, length) == {
        "v": MapCall(MissingKey(1), ("f",))
    }
    concat = {"__type": "xcomarg", "kind": "ConcatXComArg", "args": [_plain("p"), _plain("d")]}
    got = [expanded_kwargs(_input({"v": concat}), i, get, length)["v"] for i in range(4)]
    assert got == [1, 2, "k2", "k1"]
    zipped = {"__type": "xcomarg", "kind": "ZipXComArg", "args": [_plain("p"), _plain("d")]}
    zipped["fillvalue"] = None
    assert expanded_kwargs(_input({"v": zipped}), 0, get, length) == {"v": (1, None)}


def test_expand_kwargs_over_a_map_is_left_to_the_agent() -> None:
    """`expand_kwargs(x.map(f))`: the item is the `.map()` call itself (the agent applies f and
    checks it gives a dict), not a scheduler error."""
    from leoflow.scheduler.mapping import MapCall

    values = {"p": [1, 2]}
    get, length = (lambda t, k: values[t]), (lambda t, k: len(values[t]))
    mapped = {"__type": "xcomarg", "kind": "MapXComArg", "arg": _plain("p"), "callables": ["f"]}
    ei = _input(mapped, "ListOfDictsExpandInput")
    assert expanded_kwargs(ei, 1, get, length) == MapCall(2, ("f",))


def test_literal_tuples_kept_aside_by_the_compiler() -> None:
    """dag.json's expand_input lists a literal tuple (Airflow's golden form); the model takes
    the compiler's `leoflow.expand_value` instead, so the item is a tuple again."""
    kept = {"v": [{"__type": "tuple", "__var": [1, 2]}, {"__type": "tuple", "__var": [3, 4]}]}
    d = dag(
        task(
            "m",
            is_mapped=True,
            expand_input=_input({"v": [[1, 2], [3, 4]]}),
            leoflow={"path": "native", "expand_value": kept},
        )
    )
    assert initial_map_indexes(d, "m") == (0, 1)
    none = lambda t, k: None  # noqa: E731
    assert expanded_kwargs(d.tasks["m"].expand_input, 1, none, none) == {"v": (3, 4)}
