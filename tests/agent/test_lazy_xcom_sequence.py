"""`LazyXComSequence`: what an XComArg of a mapped upstream resolves to in a task (Airflow's
`airflow.sdk.execution_time.lazy_sequence.LazyXComSequence`), checked in the DAG environment's
interpreter. The corpus DAGs `h10_lazy_return` / `h10_lazy_partial` pin it against Airflow."""

from __future__ import annotations

import textwrap

from conftest import run_agent_script

SCRIPT = textwrap.dedent(
    """
    import json
    from leoflow_agent import serde
    from leoflow_agent.context import encode_xcom
    from leoflow_agent.errors import AgentError

    seq = serde.LazyXComSequence([10, 40])
    out = {"repr_before": repr(seq), "str_before": str(seq)}
    out["len"] = len(seq)
    out.update(
        repr_after=repr(seq),
        is_list=isinstance(seq, list),
        items=list(seq),
        last=seq[-1],
        slice=seq[0:5],
        eq=seq == [10, 40],
        ne=seq == [10, 40, 50],
        hash_eq=hash(seq) == hash((10, 40)),
        one=repr(serde.LazyXComSequence([1])[0:0]) + repr(len(serde.LazyXComSequence([1]))),
    )
    for what, value in (("direct", seq), ("nested", {"all": seq})):
        try:
            encode_xcom(value, "Returned value")
            out[what] = "stored"
        except AgentError as exc:
            out[what] = str(exc)
    try:
        seq[5]
    except IndexError as exc:
        out["index_error"] = exc.args
    print(json.dumps(out))
    """
)


def test_lazy_sequence_acts_as_airflows_and_cannot_be_returned() -> None:
    out = run_agent_script(SCRIPT)
    assert out.pop("direct").startswith("Returned value is not JSON-serializable")
    assert "LazyXComSequence" in out.pop("nested")
    assert out == {
        "repr_before": "LazyXComSequence(<unevaluated length>)",
        "str_before": "LazyXComSequence(<unevaluated length>)",
        "len": 2,
        "repr_after": "LazyXComSequence([2 items])",
        "is_list": False,
        "items": [10, 40],
        "last": 40,
        "slice": [10, 40],
        "eq": True,
        "ne": False,
        "hash_eq": True,
        "one": "[]1",
        "index_error": [5],
    }
