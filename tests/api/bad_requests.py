"""Bad requests to `/api/v2` and how one live server answers them, beside the statuses Airflow
3.2.1 answered (recorded in `test_bad_requests.CASES`).

    .venv/bin/python -m tests.api.bad_requests http://127.0.0.1:8099 --token "$TOKEN" \
        --dag check_bash_chain --run probe_run --task say_hello --var probe_var --conn probe_conn

Run it against the Airflow reference server (`/work/shared/tools/api-ui-checks/airflow_ref.sh`)
to re-record the statuses (`--emit` prints the case list with what the server answered), and
against `leoflow lite` to see where Leoflow differs. The placeholders `{dag}`, `{run}`, `{task}`,
`{var}` and `{conn}` in a case name things that exist on the server (a DAG with a run and a task
instance, a variable, a connection); the flags say which.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from typing import Any

import aiohttp

PLACEHOLDERS = ("dag", "run", "task", "var", "conn")


@dataclass(frozen=True)
class Raw:
    """A request body sent as these bytes (not JSON-encoded)."""

    text: str
    content_type: str = "application/json"


@dataclass(frozen=True)
class Case:
    """One bad request and Airflow 3.2.1's answer: its status and, when it is a plain string,
    its `detail` (placeholders in it stand for the names the case was sent with)."""

    method: str
    path: str
    body: Any = None  # None: no body; Raw: as is; anything else: JSON
    status: int = 0
    detail: str | None = None


def fill(value: Any, names: dict[str, str]) -> Any:
    """`value` with every `{placeholder}` in its strings replaced by the name given for it."""
    if isinstance(value, str):
        for key, name in names.items():
            value = value.replace("{" + key + "}", name)
        return value
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, dict):
        return {fill(k, names): fill(v, names) for k, v in value.items()}
    if isinstance(value, Raw):
        return Raw(fill(value.text, names), value.content_type)
    return value


def unfill(detail: str, names: dict[str, str]) -> str:
    """The inverse of `fill` on a server's detail (longest names first)."""
    for key, name in sorted(names.items(), key=lambda kv: -len(kv[1])):
        detail = detail.replace(name, "{" + key + "}")
    return detail


async def send(
    http: aiohttp.ClientSession, base: str, case: Case, names: dict[str, str]
) -> tuple[int, Any]:
    """Send one case to `base` (the server's root URL); its status and decoded body."""
    path = fill(case.path, names)
    body = fill(case.body, names)
    kw: dict[str, Any] = {}
    if isinstance(body, Raw):
        kw["data"] = body.text.encode()
        kw["headers"] = {"Content-Type": body.content_type}
    elif body is not None:
        kw["data"] = json.dumps(body).encode()
        kw["headers"] = {"Content-Type": "application/json"}
    url = base.rstrip("/") + "/api/v2" + path
    async with http.request(case.method, aiohttp.client.URL(url, encoded=True), **kw) as r:
        text = await r.text()
        try:
            return r.status, json.loads(text)
        except ValueError:
            return r.status, text


def detail_of(body: Any) -> Any:
    return body.get("detail") if isinstance(body, dict) else body


async def probe(base: str, token: str | None, names: dict[str, str], emit: bool) -> int:
    from tests.api.test_bad_requests import CASES

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    timeout = aiohttp.ClientTimeout(total=30)
    differ = 0
    connector = aiohttp.TCPConnector(force_close=True)  # a 500 may leave a connection unusable
    async with aiohttp.ClientSession(headers=headers, timeout=timeout, connector=connector) as http:
        for case in CASES:
            try:
                status, body = await send(http, base, case, names)
            except aiohttp.ClientError as exc:  # Airflow drops the connection on some bodies
                status, body = 500, f"no answer: {exc}"
            detail = detail_of(body)
            plain = unfill(detail, names) if isinstance(detail, str) else None
            if emit:
                print(json.dumps([status, plain]))
                continue
            same = status == case.status and (case.detail is None or plain == case.detail)
            differ += not same
            mark = "ok  " if same else "DIFF"
            shown = json.dumps(detail)[:150]
            print(
                f"{mark} {status} (airflow {case.status}) {case.method} {case.path} {case.body!r}"
            )
            if not same:
                print(f"       detail: {shown}")
                if case.detail is not None:
                    print(f"       airflow: {case.detail[:150]}")
    if not emit:
        print(f"{len(CASES) - differ}/{len(CASES)} cases answered as Airflow 3.2.1")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the server's root URL, e.g. http://127.0.0.1:8099")
    parser.add_argument("--token", help="a bearer token (Airflow: GET /auth/token)")
    parser.add_argument(
        "--emit", action="store_true", help="print each answer as JSON [status, detail]"
    )
    for name in PLACEHOLDERS:
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    names = {name: getattr(args, name) for name in PLACEHOLDERS}
    return asyncio.run(probe(args.base, args.token, names, args.emit))


if __name__ == "__main__":  # the cases' classes are this module's, imported under its name
    from tests.api.bad_requests import main as imported_main

    sys.exit(imported_main())
