"""The /monitoring dashboard: patients by need, filters by kind and severity, acknowledge and
resolve (with a reason, audited), good news listed; pain chart markers with a legend table."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import AuditEvent
from painpath.records.models_medication import MedicationOrder, MedicationOrderChange
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import diary, monitoring, workflow
from tests.conftest import World, context_for, web_login


def raise_alert(
    container: Container, world: World, patient: int, kind: str, severity: str, key: str
) -> int:
    with container.uow() as uow:
        [alert_id] = workflow.raise_alerts(
            uow,
            context_for(container, world, "lena"),
            patient,
            [
                workflow.NewAlert(
                    kind=kind,
                    severity=severity,
                    dedupe_key=key,
                    owner_role="physician",
                    title=f"{kind} alert",
                    rationale="test",
                    source="test",
                    evidence={},
                )
            ],
        )
        uow.commit()
    return alert_id


def test_dashboard_orders_unacknowledged_need_first_and_filters(
    container: Container, world: World
) -> None:
    # Ada: high worsening, not acknowledged. Ben: urgent flag, acknowledged, plus good news.
    raise_alert(container, world, world.ada, "worsening", "high", "worsening:a:phq-9")
    urgent = raise_alert(container, world, world.ben, "flare", "urgent", "flare:b")
    raise_alert(container, world, world.ben, "responder", "info", "responder:b:pgic")
    lena = context_for(container, world, "lena")  # coordinator in both teams
    with container.uow() as uow:
        assert [n.patient_id for n in monitoring.dashboard(uow, lena)] == [world.ben, world.ada]
    with container.uow() as uow:
        monitoring.acknowledge_alert(uow, lena, urgent, note="called the patient")
    with container.uow() as uow:
        needs = monitoring.dashboard(uow, lena)
    # An acknowledged urgent alert has an owner: the unacknowledged high one now comes first.
    assert [n.patient_id for n in needs] == [world.ada, world.ben]
    ben = needs[1]
    assert [a.kind for a in ben.needs_action] == ["flare"]
    assert [a.kind for a in ben.good_news] == ["responder"]
    with container.uow() as uow:
        only_news = monitoring.dashboard(uow, lena, monitoring.DashboardFilter(kind="responder"))
        only_high = monitoring.dashboard(uow, lena, monitoring.DashboardFilter(severity="high"))
    assert [(n.patient_id, [a.kind for a in n.alerts]) for n in only_news] == [
        (world.ben, ["responder"])
    ]
    assert [n.patient_id for n in only_high] == [world.ada]


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_dashboard_acknowledge_and_resolve_through_the_page(
    app_client: TestClient, container: Container, world: World
) -> None:
    alert_id = raise_alert(container, world, world.ada, "worsening", "high", "worsening:a:gad-7")
    web_login(app_client, world, "drbo")
    page = app_client.get("/monitoring?kind=worsening&severity=high")
    assert page.status_code == 200
    assert "worsening alert" in page.text and 'id="f-kind"' in page.text
    token = _csrf(page.text)
    ack = app_client.post(
        f"/monitoring/alerts/{alert_id}/acknowledge",
        data={"csrf_token": token, "note": "seen", "kind": "worsening", "severity": "high"},
        follow_redirects=False,
    )
    assert ack.status_code == 303
    assert ack.headers["location"] == (
        f"/monitoring?kind=worsening&severity=high&done=acknowledged#alert-{alert_id}"
    )
    empty = app_client.post(
        f"/monitoring/alerts/{alert_id}/resolve", data={"csrf_token": token, "reason": "  "}
    )
    assert empty.status_code == 422 and "say how the alert was resolved" in empty.text
    done = app_client.post(
        f"/monitoring/alerts/{alert_id}/resolve",
        data={"csrf_token": token, "reason": "Reviewed; dose adjusted"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with container.uow() as uow:
        alert = uow.session.get(AlertRecord, alert_id)
        assert alert is not None
        assert (alert.state, alert.resolution) == ("resolved", "Reviewed; dose adjusted")
        tasks = uow.session.scalars(select(TaskRecord.state).where(TaskRecord.alert_id == alert_id))
        assert list(tasks) == ["done"]
        actions = set(
            uow.session.scalars(
                select(AuditEvent.action).where(AuditEvent.resource_id == str(alert_id))
            )
        )
    assert {"alert.acknowledge", "alert.acknowledged", "alert.resolve"} <= actions


def test_dashboard_outsider_cannot_resolve_another_teams_alert(
    app_client: TestClient, container: Container, world: World
) -> None:
    alert_id = raise_alert(container, world, world.ada, "worsening", "high", "worsening:a:pcs")
    token = web_login(app_client, world, "outsider")  # Team B physician
    response = app_client.post(
        f"/monitoring/alerts/{alert_id}/resolve", data={"csrf_token": token, "reason": "x"}
    )
    assert response.status_code in (403, 404)
    with container.uow() as uow:
        alert = uow.session.get(AlertRecord, alert_id)
        assert alert is not None and alert.state == "open"


def test_pain_chart_has_medicine_markers_with_a_legend_table(
    app_client: TestClient, container: Container, world: World
) -> None:
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        diary.record_entry(
            uow, ctx, world.ada, diary.DiaryInput(pain_nrs=5), idempotency_key="chart-0001"
        )
    with container.uow() as uow:
        now = container.clock()
        order = MedicationOrder(
            patient_id=world.ada,
            drug="pregabalin",
            status="active",
            started_on=date(2026, 2, 20),
            prescriber_id=world.users["drbo"],
            created_at=now,
            updated_at=now,
            exercise_sessions=[],
            schedule_warnings=[],
        )
        uow.session.add(order)
        uow.session.flush()
        uow.session.add(
            MedicationOrderChange(
                order_id=order.id,
                patient_id=world.ada,
                change="start",
                dose_mg=Decimal(75),
                times_per_day=2,
                reason="first line",
                changed_by_id=world.users["drbo"],
                changed_at=datetime(2026, 2, 20, 9, 0, tzinfo=UTC),
            )
        )
        uow.commit()
    web_login(app_client, world, "drbo")
    page = app_client.get(f"/patients/{world.ada}/diary?days=30")
    assert page.status_code == 200
    assert 'class="marker-med"' in page.text
    assert "Lines mark 1 medicine changes and 0 programme phases" in page.text
    row = re.search(r"<tr><td data-label=\"Mark\"><strong>M1</strong></td>(.*?)</tr>", page.text)
    assert row is not None
    assert "2026-02-20" in row.group(1) and "Pregabalin started 75 mg x 2/day" in row.group(1)


def test_medication_start_form_pre_fills_session_days_from_the_programme(
    app_client: TestClient, container: Container, world: World
) -> None:
    from painpath.services import rehab
    from tests.rehab_integration.conftest import programme_input

    with container.uow() as uow:
        rehab.save_programme(
            uow,
            context_for(container, world, "tom"),
            world.ada,
            programme_input(sessions_per_week=3),
        )
    web_login(app_client, world, "drbo")
    page = app_client.get(f"/patients/{world.ada}/medication/new")
    assert page.status_code == 200
    ticked = re.findall(r'name="session_days" value="(\d)" checked', page.text)
    # No sessions logged yet: 3 a week spread as Mon, Wed, Fri.
    assert ticked == ["0", "2", "4"]
    assert "Days ticked from the rehab programme: 3 sessions a week" in page.text


def test_dashboard_kind_filter_includes_the_same_condition_stored_before_the_feed(
    container: Container, world: World
) -> None:
    raise_alert(
        container, world, world.ada, "rehab-boom-bust", "routine", f"rehab-boom-bust:{world.ada}"
    )
    with container.uow() as uow:
        needs = monitoring.dashboard(
            uow, context_for(container, world, "tom"), monitoring.DashboardFilter(kind="boom-bust")
        )
    assert [(n.patient_id, [a.kind for a in n.alerts]) for n in needs] == [
        (world.ada, ["rehab-boom-bust"])
    ]
