"""Libraries the API server needs only once it serves, kept off its start path.

PyJWT (with `cryptography`, which it loads to offer RSA/EC keys) costs ~50 ms of imports: the
start of `leoflow lite` waits for every import of the API and the engine, while the first token
is signed or checked only later. `warm` (a `cleanup_ctx` of the application) imports them in a
worker thread as soon as the server runs; `module` hands one to a handler, awaiting that import
instead of running it on the event loop. Synchronous users (`execution.TokenSigner`) import
them where they use them: after the warm import that is a dictionary lookup.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
from collections.abc import AsyncIterator
from types import ModuleType

from aiohttp import web

LATER = ("jwt",)


def _import_all() -> None:
    for name in LATER:
        importlib.import_module(name)


async def module(name: str) -> ModuleType:
    """The module `name`, imported in a worker thread when it is not imported yet."""
    found = sys.modules.get(name)
    if found is not None:
        return found
    return await asyncio.to_thread(importlib.import_module, name)


async def warm(app: web.Application) -> AsyncIterator[None]:
    """`cleanup_ctx`: import LATER in a worker thread while the server runs."""
    task = asyncio.create_task(asyncio.to_thread(_import_all), name="api.warm_imports")
    yield
    with contextlib.suppress(Exception):  # a failed import fails again where it is used
        await task
