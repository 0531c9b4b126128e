"""Medicines pages through the web forms (server-rendered, CSRF-protected)."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal

from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from painpath.services import medications as meds
from tests.conftest import World, context_for, web_login
from tests.medication.test_medication_services import TODAY, ben_regimen, renal


def test_physician_previews_a_capped_schedule_then_starts_it(
    app_client: TestClient, world: World, container: Container
) -> None:
    renal(container, world, "drbo", world.ada, "2.0")  # CrCl 46.5 -> pregabalin max 300 mg/day
    csrf = web_login(app_client, world, "drbo")
    form = {
        "csrf_token": csrf,
        "drug": "pregabalin",
        "mode": "titrate",
        "target_daily_dose_mg": "600",
        "start_on": TODAY.isoformat(),
        "session_at": "10:00",
        "session_days": ["1", "3"],
        "purpose": "Calms the burning pain in your arm",
        "reason": "Neuropathic pain after brachial plexus injury",
        "action": "preview",
    }
    page = app_client.post(f"/patients/{world.ada}/medication/orders", data=form)
    assert page.status_code == 200, page.text
    assert "Target capped at 300 mg/day" in page.text
    assert "peak at 10:00 session" in page.text
    started = app_client.post(
        f"/patients/{world.ada}/medication/orders",
        data={**form, "action": "start"},
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    review = app_client.get(started.headers["location"])
    assert "Pregabalin" in review.text
    assert "titrating to 300 mg/day" in review.text
    overview = app_client.get(f"/patients/{world.ada}")
    assert "Pregabalin: 25 mg × 3/day" in overview.text or "Pregabalin:" in overview.text


def test_start_form_shows_errors_in_the_page(
    app_client: TestClient, world: World, container: Container
) -> None:
    csrf = web_login(app_client, world, "drbo")
    page = app_client.post(
        f"/patients/{world.ada}/medication/orders",
        data={"csrf_token": csrf, "drug": "", "start_on": TODAY.isoformat(), "action": "start"},
    )
    assert page.status_code == 422
    assert "choose a medicine" in page.text


def test_pharmacist_overrides_a_finding_with_a_reason(
    app_client: TestClient, world: World, container: Container
) -> None:
    from tests.medication.conftest import add_pharmacist

    add_pharmacist(container, world)
    ben_regimen(container, world)
    csrf = web_login(app_client, world, "sam")
    page = app_client.get(f"/patients/{world.ben}/medication")
    assert page.status_code == 200
    assert "Interaction: diazepam + oxycodone" in page.text
    assert "FDA Drug Safety Communication Aug 2016" in page.text
    with container.uow() as uow:
        view = meds.get_regimen(uow, context_for(container, world, "sam"), world.ben)
    finding = next(f for f in view.findings if f.code == "opioid-benzodiazepine")
    empty = app_client.post(
        f"/patients/{world.ben}/medication/findings",
        data={"csrf_token": csrf, "finding_id": finding.id, "decision": "override", "reason": ""},
    )
    assert empty.status_code == 422
    assert "give a reason" in empty.text
    done = app_client.post(
        f"/patients/{world.ben}/medication/findings",
        data={
            "csrf_token": csrf,
            "finding_id": finding.id,
            "decision": "override",
            "reason": "Benzodiazepine taper agreed; naloxone supplied",
        },
    )
    assert done.status_code == 200
    assert "Benzodiazepine taper agreed; naloxone supplied" in done.text
    # A finding of another patient cannot be answered through this patient's URL.
    wrong = app_client.post(
        f"/patients/{world.ada}/medication/findings",
        data={
            "csrf_token": csrf,
            "finding_id": finding.id,
            "decision": "override",
            "reason": "x" * 12,
        },
    )
    assert wrong.status_code == 404


def test_patient_sees_calendar_and_reports_a_side_effect(
    app_client: TestClient, world: World, container: Container
) -> None:
    with container.uow() as uow:
        meds.start_medication(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            meds.StartOrder(
                drug="pregabalin",
                reason="neuropathic arm pain",
                start_on=TODAY,
                target_daily_dose_mg=Decimal(300),
                sessions=(meds.SessionInput(at=time(10, 0)),),
            ),
        )
    csrf = web_login(app_client, world, "ada")
    page = app_client.get(f"/patients/{world.ada}/medication")
    assert page.status_code == 200
    assert "My medicines" in page.text
    assert "What it is for:" in page.text
    assert "for physio at 10:00" in page.text
    assert "Findings" not in page.text
    sent = app_client.post(
        f"/patients/{world.ada}/medication/side-effects",
        data={
            "csrf_token": csrf,
            "drug": "pregabalin",
            "effect": "Dizzy",
            "severity": "mild",
            "noted_on": TODAY.isoformat(),
        },
    )
    assert sent.status_code == 200
    assert "Your care team will see this" in sent.text
    # Ada cannot open Ben's calendar.
    assert app_client.get(f"/patients/{world.ben}/medication/calendar").status_code == 404
    assert re.search(r"Dizzy", sent.text) is None  # the patient page lists no clinician data


def test_preview_shows_the_findings_a_new_medicine_would_bring(
    app_client: TestClient, world: World, container: Container
) -> None:
    with container.uow() as uow:
        meds.start_medication(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            meds.StartOrder(
                drug="oxycodone",
                reason="short course after surgery",
                start_on=TODAY,
                dose_mg=Decimal(5),
                times_per_day=2,
            ),
        )
    csrf = web_login(app_client, world, "drbo")
    page = app_client.post(
        f"/patients/{world.ada}/medication/orders",
        data={
            "csrf_token": csrf,
            "drug": "diazepam",
            "mode": "fixed",
            "dose_mg": "5",
            "times_per_day": "1",
            "start_on": TODAY.isoformat(),
            "action": "preview",
        },
    )
    assert page.status_code == 200, page.text
    assert "Safety checks if started" in page.text
    assert "Interaction: diazepam + oxycodone" in page.text
    assert "FDA Drug Safety Communication Aug 2016" in page.text


def test_trial_check_on_the_review_page(
    app_client: TestClient, world: World, container: Container
) -> None:
    with container.uow() as uow:
        order = meds.start_medication(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            meds.StartOrder(
                drug="duloxetine",
                reason="neuropathic pain and low mood",
                start_on=date(2026, 1, 19),
                dose_mg=Decimal(60),
                times_per_day=1,
            ),
        )
    csrf = web_login(app_client, world, "drbo")
    page = app_client.post(
        f"/patients/{world.ada}/medication/trial",
        data={
            "csrf_token": csrf,
            "order_id": order.id,
            "measure": "peg",
            "baseline": "8",
            "current": "7",
        },
    )
    assert page.status_code == 200, page.text
    # 12.5 % reduction after 6 weeks at target (of 4): partial response -> add.
    assert "Trial check: add" in page.text
    assert "6.0 weeks at target of 4 needed" in page.text


def test_opioid_risk_tool_on_the_review_page(
    app_client: TestClient, world: World, container: Container
) -> None:
    from tests.medication.test_medication_services import ben_regimen

    ben_regimen(container, world)
    csrf = web_login(app_client, world, "outsider")  # Ben's physician in the test world
    page = app_client.get(f"/patients/{world.ben}/medication")
    assert "Score the Opioid Risk Tool" in page.text
    scored = app_client.post(
        f"/patients/{world.ben}/medication/ort",
        data={"csrf_token": csrf, "ort-personal-alcohol": "1", "ort-depression": "1"},
    )
    assert scored.status_code == 200
    # Ben is female in the test world: personal alcohol 3 + depression 1 = 4 -> moderate (4-7).
    assert "ORT 4: moderate risk" in scored.text
