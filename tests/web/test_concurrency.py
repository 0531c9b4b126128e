"""Concurrent signed-in requests on the embedded SQLite database all complete.

Regression: the session lookup once ran on the event loop inside a write transaction, so a
handful of simultaneous requests stalled the whole server.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import PASSWORD, World

CLIENTS = 8
REQUESTS_EACH = 5


def test_concurrent_writes_and_reads_all_complete(live_server: str, world: World) -> None:
    token = httpx.post(
        f"{live_server}/api/v1/auth/token",
        json={"username": world.username("drbo"), "password": PASSWORD},
        timeout=30,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    def client_run(n: int) -> list[int]:
        codes = []
        with httpx.Client(base_url=live_server, headers=headers, timeout=60) as client:
            for i in range(REQUESTS_EACH):
                note = client.post(
                    f"/api/v1/patients/{world.ada}/notes", json={"title": f"n{n}-{i}", "body": "ok"}
                )
                codes.append(note.status_code)
                codes.append(client.get(f"/api/v1/patients/{world.ada}").status_code)
        return codes

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [code for codes in pool.map(client_run, range(CLIENTS)) for code in codes]
    elapsed = time.monotonic() - started
    assert results.count(201) == CLIENTS * REQUESTS_EACH
    assert results.count(200) == CLIENTS * REQUESTS_EACH
    notes = httpx.get(
        f"{live_server}/api/v1/patients/{world.ada}/notes", headers=headers, timeout=30
    )
    assert len(notes.json()) == CLIENTS * REQUESTS_EACH  # nothing lost, nothing doubled
    assert elapsed < 60
