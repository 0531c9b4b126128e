"""Episode pages and JSON API: open, start, review bundle, worklist filters, one-click reminder;
the demo episodes of Ada and Ben."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import Patient, UserAccount
from painpath.records.models_episode import Episode
from painpath.services import episodes as svc
from painpath.services.access import actor_for
from painpath.services.context import RequestContext
from painpath.services.demo import seed_demo
from tests.conftest import FrozenClock, World, api_login, web_login

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_episode_api_open_start_review_and_remind(
    app_client: TestClient, world: World, clock: FrozenClock
) -> None:
    today = clock().date()
    lena = api_login(app_client, world, "lena")
    made = app_client.post(
        f"/api/v1/patients/{world.ada}/episodes",
        json={"referred_on": (today - timedelta(days=50)).isoformat()},
        headers=lena,
    )
    assert made.status_code == 201, made.text
    eid = made.json()["id"]
    started = app_client.post(
        f"/api/v1/patients/{world.ada}/episodes/{eid}/start",
        json={"started_on": (today - timedelta(days=42)).isoformat()},
        headers=lena,
    )
    assert started.status_code == 204, started.text
    review = app_client.post(f"/api/v1/patients/{world.ada}/episodes/{eid}/reviews", headers=lena)
    assert review.status_code == 201, review.text
    listing = app_client.get(f"/api/v1/patients/{world.ada}/episodes", headers=lena).json()
    points = listing["episodes"][0]["points"]
    assert [p["point"] for p in points] == ["referral", "episode-start", "review", "review"]
    # Review 1 opened (start + 42 days = today) with its bundle; review 2 planned 6 weeks later.
    assert points[2]["bundle_code"] == "review" and points[2]["due_on"] == today.isoformat()
    assert points[3]["id"] is None
    assert points[3]["planned_on"] == (today + timedelta(days=42)).isoformat()
    work = app_client.get("/api/v1/episodes/worklist?point=review", headers=lena).json()
    assert [(w["patient_name"], w["point_label"]) for w in work] == [("Ada Moreno", "Review 1")]
    bundle_id = work[0]["bundle_id"]
    reminded = app_client.post(
        f"/api/v1/bundles/{bundle_id}/reminders", json={"channel": "in-app"}, headers=lena
    )
    assert reminded.status_code == 201, reminded.text
    outsider = api_login(app_client, world, "outsider")
    refused = app_client.post(
        f"/api/v1/bundles/{bundle_id}/reminders", json={"channel": "in-app"}, headers=outsider
    )
    assert refused.status_code == 404
    bad = app_client.post(
        f"/api/v1/patients/{world.ada}/episodes/{eid}/pathways",
        json={"kind": "solo", "started_on": today.isoformat()},
        headers=lena,
    )
    assert bad.status_code == 422


def test_episode_page_and_worklist_reminder_for_coordinator(
    app_client: TestClient, world: World, clock: FrozenClock
) -> None:
    today = clock().date()
    csrf = web_login(app_client, world, "lena")
    opened = app_client.post(
        f"/patients/{world.ben}/episodes",
        data={"csrf_token": csrf, "referred_on": today.isoformat(), "referral_source": "GP"},
        follow_redirects=True,
    )
    assert opened.status_code == 200 and "Episode opened at referral." in opened.text
    assert "referred, waiting for intake" in opened.text
    send = re.search(r'action="(/patients/\d+/episodes/\d+/points/\d+/bundle)"', opened.text)
    assert send is not None
    sent = app_client.post(send.group(1), data={"csrf_token": csrf}, follow_redirects=True)
    assert "referral bundle: 0 of 9 done" in sent.text
    page = app_client.get("/episodes/worklist?point=referral&name=hugh")
    assert "Ben Hughes" in page.text and "Referral" in page.text
    remind = re.search(r'action="(/episodes/bundles/\d+/reminders)"', page.text)
    assert remind is not None
    done = app_client.post(
        remind.group(1),
        data={"csrf_token": csrf, "channel": "in-app", "back": "point=referral"},
        follow_redirects=True,
    )
    assert "Reminder set (in app)" in done.text and "reminders on" in done.text
    overview = app_client.get(f"/patients/{world.ben}")
    assert "Episode: referred, waiting for intake" in overview.text


def test_demo_episodes_tie_bundles_to_their_points(container: Container) -> None:
    with container.uow() as uow:
        seed_demo(uow, now=NOW, patient_count=12)
    with container.uow() as uow:
        user = uow.session.scalars(
            select(UserAccount).where(UserAccount.username == "lena.fischer@demo.painpath.org")
        ).one()
        ctx = RequestContext(actor_for(uow, user, now=NOW), "t", lambda: NOW)
        ids = {
            p.given_name: p.id
            for p in uow.session.scalars(
                select(Patient).where(Patient.given_name.in_(["Ada", "Ben"]))
            )
        }
        assert uow.session.scalar(select(Episode.id).where(Episode.patient_id == ids["Ada"]))
    with container.uow() as uow:
        ada = svc.list_episodes(uow, ctx, ids["Ada"]).current
        ben = svc.list_episodes(uow, ctx, ids["Ben"]).current
    assert ada is not None and ben is not None
    shown = [(p.label, p.bundle_code, p.state.value) for p in ada.points if p.id is not None]
    # Referral bundle complete (demo_assessment); review 1 = start (40 days ago) + 42 days.
    assert shown == [
        ("Referral", "referral", "complete"),
        ("Episode start", None, "not-sent"),
        ("Pathway start (Physician, physiotherapy and psychology)", None, "not-sent"),
        ("Review 1", "review", "open"),
    ]
    review = next(p for p in ada.points if p.label == "Review 1")
    assert review.due_on == date(2026, 3, 4)
    assert [(p.label, p.state.value) for p in ben.points] == [("Referral", "overdue")]
