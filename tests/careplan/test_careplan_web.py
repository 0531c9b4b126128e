"""Care plan, worklist and conference pages through the web forms (CSRF, redirects, rendering)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from painpath.services import careplan, workflow
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from tests.conftest import FrozenClock, World, context_for, web_login


def _post(client: TestClient, url: str, csrf: str, **data: str) -> int:
    response = client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)
    assert response.status_code == 303, response.text[-2000:]
    return response.status_code


def test_careplan_web_clinician_builds_plan_and_sees_gas_and_history(
    app_client: TestClient, world: World
) -> None:
    csrf = web_login(app_client, world, "drbo")
    base = f"/patients/{world.ada}/care-plan"
    assert "No care plan yet." in app_client.get(base).text
    _post(
        app_client,
        base,
        csrf,
        summary="Neuropathic pain",
        priorities="lift my daughter\nback to work part-time",
        problems="pain: burning right arm\nwork: off work",
        reason="Drafted after intake",
    )
    _post(
        app_client,
        f"{base}/goals",
        csrf,
        statement="Lift my daughter for one minute",
        horizon="short",
        patient_priority="lift my daughter",
        target_text="psfs item >= 7",
        target_item_link_id="psfs-1",
        weight="2",
        baseline_level="-1",
        gas_0="Lifts 12 kg for 1 minute",
        reason="Agreed with Ada",
    )
    page = app_client.get(base).text
    assert "Lift my daughter for one minute" in page
    assert "Lifts 12 kg for 1 minute" in page
    assert "v2" in page and "Why: Agreed with Ada" in page
    # One goal rated 0 with weight 2: T = 50 + 10*0/... = 50.0
    goal_id = page.split(f"{base}/goals/")[1].split("/")[0]
    _post(
        app_client,
        f"{base}/goals/{goal_id}/rating",
        csrf,
        level="0",
        state="active",
        reason="Review",
    )
    assert 'data-testid="gas-t">50.0<' in app_client.get(base).text


def test_careplan_web_missing_reason_rerenders_with_error(
    app_client: TestClient, world: World
) -> None:
    csrf = web_login(app_client, world, "drbo")
    base = f"/patients/{world.ada}/care-plan"
    _post(app_client, base, csrf, reason="Drafted after intake")
    response = app_client.post(
        f"{base}/goals",
        data={"csrf_token": csrf, "statement": "x", "horizon": "short", "reason": ""},
    )
    assert response.status_code == 422
    assert "say why you are changing the plan" in response.text


def test_careplan_web_patient_sees_plain_view_and_agrees(
    app_client: TestClient, world: World, container: Container
) -> None:
    drbo = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.create_plan(uow, drbo, world.ada, priorities=["lift my daughter"], reason="intake")
    csrf = web_login(app_client, world, "ada")
    page = app_client.get(f"/patients/{world.ada}/care-plan").text
    assert "Your care plan" in page and "lift my daughter" in page
    assert "Version history" not in page
    _post(app_client, f"/patients/{world.ada}/care-plan/agree", csrf)
    assert "You agreed to this plan" in app_client.get(f"/patients/{world.ada}/care-plan").text


def test_careplan_web_worklist_puts_safety_first_and_completes_with_a_note(
    app_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        workflow.raise_alerts(
            uow,
            ctx,
            world.ada,
            [
                workflow.NewAlert(
                    "flare", "routine", "k1", "physician", "Routine check", "r", "s", {}
                ),
                workflow.NewAlert(
                    "urgent-safety", "urgent", "k2", "physician", "PHQ-9 item 9", "r", "s", {}, True
                ),
            ],
        )
        uow.commit()
    clock.advance(days=5)
    csrf = web_login(app_client, world, "drbo")
    page = app_client.get("/tasks").text
    assert page.index("PHQ-9 item 9") < page.index("Routine check")
    assert "overdue" in page
    task_id = page.split('action="/tasks/')[1].split("/")[0]
    response = app_client.post(
        f"/tasks/{task_id}/complete",
        data={"csrf_token": csrf, "note": "Called Ada", "back": "/tasks"},
        follow_redirects=True,
    )
    assert f"Task {task_id} marked done" in response.text


def test_careplan_web_conference_agenda_actions_and_note(
    app_client: TestClient, world: World, container: Container
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.create_plan(uow, ctx, world.ada, reason="intake")
    with container.uow() as uow:
        careplan.add_decision_point(
            uow, ctx, world.ada, rule_code="peg-mcid-week-8", due_on=date(2026, 3, 5), reason="wk 8"
        )
    csrf = web_login(app_client, world, "drbo")
    assert "decision point due 2026-03-05" in app_client.get("/conferences").text
    created = app_client.post(
        "/conferences", data={"csrf_token": csrf, "held_on": "2026-03-02"}, follow_redirects=False
    )
    assert created.status_code == 303
    url = created.headers["location"]
    page = app_client.get(url).text
    item_id = page.split(f"{url}/items/")[1].split('"')[0]
    _post(
        app_client,
        f"{url}/items/{item_id}",
        csrf,
        discussion="Trial continues; review PEG at week 8.",
        action_1_title="Send PEG questionnaire",
        action_1_owner="coordinator",
        action_1_due="2026-03-04",
    )
    assert "Send PEG questionnaire" in app_client.get(url).text
    patient_page = app_client.get(f"/patients/{world.ada}").text
    assert "Case conference 2026-03-02" in patient_page
    with container.uow() as uow:
        titles = [t.title for t in workflow.list_tasks(uow, context_for(container, world, "lena"))]
    assert "Send PEG questionnaire" in titles
    assert RequestContext(SYSTEM_ACTOR, "x").actor.role.value == "admin"


def test_careplan_web_plan_prints_as_a_pdf_for_the_patient(
    app_client: TestClient, world: World, container: Container, tmp_path: Path
) -> None:
    drbo = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.create_plan(uow, drbo, world.ada, priorities=["lift my daughter"], reason="intake")
    web_login(app_client, world, "ada")
    response = app_client.get(f"/patients/{world.ada}/care-plan.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (tmp_path / "plan.pdf").write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "plan.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Care plan for Ada Moreno" in text and "lift my daughter" in text


def test_careplan_web_check_due_decision_points_from_the_worklist(
    app_client: TestClient, world: World, container: Container
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.create_plan(uow, ctx, world.ada, reason="intake")
    with container.uow() as uow:
        careplan.add_decision_point(
            uow, ctx, world.ada, rule_code="peg-mcid-week-8", due_on=date(2026, 3, 2), reason="wk 8"
        )
    csrf = web_login(app_client, world, "drbo")
    page = app_client.post(
        "/decision-points/evaluate", data={"csrf_token": csrf}, follow_redirects=True
    ).text
    assert "1 due decision point checked" in page
    assert "PEG not improved by its MCID at week 8: scores missing, collect them" in page


def test_careplan_web_coordinator_reads_without_edit_forms(
    app_client: TestClient, world: World, container: Container
) -> None:
    drbo = context_for(container, world, "drbo")
    with container.uow() as uow:
        careplan.create_plan(uow, drbo, world.ada, priorities=["lift my daughter"], reason="intake")
    web_login(app_client, world, "lena")
    page = app_client.get(f"/patients/{world.ada}/care-plan")
    assert page.status_code == 200
    assert "lift my daughter" in page.text
    assert "Add a goal" not in page.text and 'name="reason"' not in page.text
    overview = app_client.get(f"/patients/{world.ada}").text
    assert "1 goals" not in overview and "0 goals · plan version 1" in overview
