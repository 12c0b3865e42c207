"""Tokens of the simple auth manager: PyJWT stays off the server's start path, and a token
the server remembers as verified still expires."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from leoflow.api import auth
from leoflow.api.app import create_app
from leoflow.api.auth import AuthSettings

from .conftest import start


def test_importing_the_server_does_not_import_pyjwt() -> None:
    """`leoflow.api.app` and `leoflow.api.execution` (what `leoflow lite` imports before it
    serves) leave PyJWT and `cryptography` to the first token (`api.later`)."""
    code = (
        "import sys, leoflow.api.app, leoflow.api.execution\n"
        "print(sorted(m for m in ('jwt', 'cryptography') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


async def test_a_verified_token_is_refused_once_it_expires(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A token accepted before (and remembered as verified) answers 401 `Token Expired` once
    its `exp` has passed; a token signed with another secret stays 403."""
    settings = AuthSettings(all_admins=False, users={"admin": ("pw", "ADMIN")}, ttl_s=2)
    runner, url = await start(create_app(sessionmaker, auth_settings=settings))
    try:
        token = auth.issue(settings, "admin")
        forged = auth.issue(AuthSettings(), "admin")
        bearer = {"Authorization": f"Bearer {token}"}
        async with aiohttp.ClientSession() as http:
            for _ in range(2):  # the second answer comes from the remembered verification
                async with http.get(url + "/ui/auth/me", headers=bearer) as r:
                    assert r.status == 200
                    assert await r.json() == {"id": "admin", "username": "admin"}
            async with http.get(
                url + "/ui/config", headers={"Authorization": f"Bearer {forged}"}
            ) as r:
                assert (r.status, await r.json()) == (403, {"detail": "Invalid JWT token"})

            async def expired() -> None:
                while True:
                    async with http.get(url + "/ui/config", headers=bearer) as r:
                        if r.status != 200:
                            assert (r.status, await r.json()) == (401, {"detail": "Token Expired"})
                            return
                    await asyncio.sleep(0.1)

            await asyncio.wait_for(expired(), 5)
    finally:
        await runner.cleanup()
