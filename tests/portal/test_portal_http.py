"""Portal pages and JSON API through HTTP: diary idempotency, journal privacy, exports, dashboard."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from tests.conftest import FrozenClock, World, api_login, web_login


def diary_body(key: str, pain: int = 5, **extra: object) -> dict[str, object]:
    return {"idempotency_key": key, "pain_nrs": pain, **extra}


def test_api_diary_retry_returns_200_with_the_same_entry(
    app_client: TestClient, world: World
) -> None:
    headers = api_login(app_client, world, "ada")
    url = f"/api/v1/patients/{world.ada}/diary"
    first = app_client.post(url, headers=headers, json=diary_body("api-key-0001", sleep_quality=4))
    again = app_client.post(url, headers=headers, json=diary_body("api-key-0001", sleep_quality=4))
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert first.json()["id"] == again.json()["id"]
    listed = app_client.get(url, headers=headers).json()
    assert [e["pain_nrs"] for e in listed] == [5]


def test_api_diary_refuses_unknown_fields_and_out_of_range_values(
    app_client: TestClient, world: World
) -> None:
    headers = api_login(app_client, world, "ada")
    url = f"/api/v1/patients/{world.ada}/diary"
    assert (
        app_client.post(url, headers=headers, json=diary_body("api-key-0002", 11)).status_code
        == 422
    )
    extra = diary_body("api-key-0003", shoe_size=9)
    assert app_client.post(url, headers=headers, json=extra).status_code == 422


def test_api_clinician_cannot_write_the_diary(app_client: TestClient, world: World) -> None:
    headers = api_login(app_client, world, "drbo")
    response = app_client.post(
        f"/api/v1/patients/{world.ada}/diary", headers=headers, json=diary_body("api-key-0004")
    )
    assert response.status_code == 403


def test_journal_staff_see_only_shared_entries(app_client: TestClient, world: World) -> None:
    ada = api_login(app_client, world, "ada")
    url = f"/api/v1/patients/{world.ada}/journal"
    private = app_client.post(
        url, headers=ada, json={"idempotency_key": "jr-private-1", "body": "Scared of the MRI."}
    )
    shared = app_client.post(
        url,
        headers=ada,
        json={"idempotency_key": "jr-shared-01", "body": "Walked to the shop.", "is_shared": True},
    )
    assert (private.status_code, shared.status_code) == (201, 201)
    as_ada = app_client.get(url, headers=ada).json()
    assert {e["body"] for e in as_ada} == {"Scared of the MRI.", "Walked to the shop."}
    doctor = api_login(app_client, world, "drbo")
    assert [e["body"] for e in app_client.get(url, headers=doctor).json()] == [
        "Walked to the shop."
    ]
    # The web page shows the same: nothing of the private entry reaches staff.
    web_login(app_client, world, "drbo")
    page = app_client.get(f"/patients/{world.ada}/journal")
    assert "Walked to the shop." in page.text and "MRI" not in page.text
    # Sharing is per entry and can be taken back.
    entry_id = private.json()["id"]
    app_client.cookies.clear()
    share = app_client.post(f"{url}/{entry_id}/share", headers=ada, json={"is_shared": True})
    assert share.status_code == 200 and share.json()["is_shared"]
    assert len(app_client.get(url, headers=doctor).json()) == 2
    app_client.post(f"{url}/{entry_id}/share", headers=ada, json={"is_shared": False})
    assert len(app_client.get(url, headers=doctor).json()) == 1


def test_journal_staff_cannot_write_or_share(app_client: TestClient, world: World) -> None:
    doctor = api_login(app_client, world, "drbo")
    url = f"/api/v1/patients/{world.ada}/journal"
    body = {"idempotency_key": "jr-doctor-1", "body": "x"}
    assert app_client.post(url, headers=doctor, json=body).status_code == 403
    coordinator = api_login(app_client, world, "lena")
    assert app_client.get(url, headers=coordinator).status_code == 403  # no journal grant


def test_web_patient_records_an_entry_from_my_day(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "ada")
    page = app_client.get("/me")
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key is not None
    form = {
        "csrf_token": csrf,
        "idempotency_key": key.group(1),
        "pain_nrs": "6",
        "sleep_quality": "2",
        "mood": "3",
        "activity_minutes": "20",
        "is_flare": "1",
        "flare_trigger": "long drive",
    }
    saved = app_client.post(f"/patients/{world.ada}/diary", data=form, follow_redirects=True)
    assert saved.status_code == 200
    assert "Saved." in saved.text and "long drive" in saved.text
    # The browser retries the same form (no reply seen): still one entry.
    app_client.post(f"/patients/{world.ada}/diary", data=form, follow_redirects=True)
    headers = api_login(app_client, world, "ada")
    assert len(app_client.get(f"/api/v1/patients/{world.ada}/diary", headers=headers).json()) == 1


def test_web_missing_pain_keeps_what_was_typed(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "ada")
    form = {"csrf_token": csrf, "idempotency_key": "web-key-0009", "note": "forgot the score"}
    page = app_client.post(f"/patients/{world.ada}/diary", data=form)
    assert page.status_code == 422
    assert "choose how bad your pain is" in page.text
    assert "forgot the score" in page.text and "web-key-0009" in page.text


def test_exports_csv_and_pdf(
    app_client: TestClient, world: World, clock: FrozenClock, container: Container
) -> None:
    for n, pain in enumerate((7, 5)):
        headers = api_login(app_client, world, "ada")  # a new day, a new session
        app_client.post(
            f"/api/v1/patients/{world.ada}/diary",
            headers=headers,
            json=diary_body(f"export-key-{n}", pain, note="=HYPERLINK(evil)" if n else "ok"),
        )
        clock.advance(days=1)
    web_login(app_client, world, "ada")
    exported = app_client.get(f"/patients/{world.ada}/diary/export.csv")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["local_date"], r["pain_nrs_0_10"]) for r in rows] == [
        ("2026-03-02", "7"),
        ("2026-03-03", "5"),
    ]
    assert rows[1]["note"] == "'=HYPERLINK(evil)"  # never run as a spreadsheet formula
    pdf = app_client.get(f"/patients/{world.ada}/diary/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "2026-03-04" in pdf.headers["content-disposition"]  # dated on the day it was made


def test_diary_page_has_accessible_charts_for_the_team(
    app_client: TestClient, world: World
) -> None:
    headers = api_login(app_client, world, "ada")
    app_client.post(
        f"/api/v1/patients/{world.ada}/diary", headers=headers, json=diary_body("chart-key-1", 4)
    )
    web_login(app_client, world, "drbo")
    page = app_client.get(f"/patients/{world.ada}/diary")
    assert page.status_code == 200
    assert page.text.count('role="img"') == 3
    assert '<title id="chart-pain-title">' in page.text
    assert "Show the numbers behind the charts" in page.text
    overview = app_client.get(f"/patients/{world.ada}")
    assert "7-day mean pain 4.0/10" in overview.text


def test_monitoring_page_for_staff_and_my_day_redirects(
    app_client: TestClient, world: World
) -> None:
    web_login(app_client, world, "drbo")
    page = app_client.get("/monitoring")
    assert page.status_code == 200 and "patients by need" in page.text
    assert app_client.get("/me", follow_redirects=False).headers["location"] == "/monitoring"


def test_web_entry_sent_late_keeps_the_time_it_was_typed(
    app_client: TestClient, world: World
) -> None:
    # The phone says the entry was typed 90 minutes ago (offline); the server clock decides
    # the instant: 09:30 - 1:30 = 08:00 UTC. A wrong clock on the phone cannot move it further.
    csrf = web_login(app_client, world, "ada")
    form = {
        "csrf_token": csrf,
        "idempotency_key": "late-key-001",
        "pain_nrs": "4",
        "age_seconds": "5400",
    }
    saved = app_client.post(f"/patients/{world.ada}/diary", data=form, follow_redirects=True)
    assert saved.status_code == 200
    headers = api_login(app_client, world, "ada")
    (entry,) = app_client.get(f"/api/v1/patients/{world.ada}/diary", headers=headers).json()
    assert entry["recorded_at"].startswith("2026-03-02T08:00:00")
