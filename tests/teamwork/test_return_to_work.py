"""Return-to-work plan and insurer reports: the patient approves before release; audited."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import AuditEvent
from painpath.records.models_careplan import CarePlan, CarePlanGoal
from painpath.services import return_to_work as rtw
from painpath.services.errors import Conflict, InvalidInput, PermissionDenied
from tests.conftest import World, context_for

PLAN = rtw.PlanInput(
    work_status=rtw.WorkStatus.OFF_WORK,
    job_title="Warehouse operative",
    employer="Demo employer",
    demands=[("Lifting", "boxes up to 20 kg")],
    restrictions=["No lifting over 5 kg with the right arm."],
    weeks=[rtw.WeekInput(4, 3, "Packing bench"), rtw.WeekInput(6, 5, "Packing and labels")],
    start_on=date(2026, 12, 7),
    review_on=date(2027, 1, 4),
)


def _goal(container: Container, world: World) -> None:
    with container.uow() as uow:
        now = container.clock()
        plan = CarePlan(patient_id=world.ada, created_at=now, updated_at=now)
        plan.goals = [
            CarePlanGoal(
                statement="Lift daughter", horizon="short", created_at=now, attained_level=0
            ),
            CarePlanGoal(statement="Work 4 hours", horizon="long", created_at=now),
        ]
        uow.session.add(plan)
        uow.commit()


def _pdf_text(body: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(body)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_plan_weeks_total_hours(container: Container, world: World) -> None:
    with container.uow() as uow:
        view = rtw.save_plan(uow, context_for(container, world, "drbo"), world.ada, PLAN)
    # 4 h x 3 days = 12 h; 6 h x 5 days = 30 h
    assert [w.hours_per_week for w in view.weeks] == [12, 30]
    assert view.work_status_label == "Off work"


@pytest.mark.parametrize(
    ("week", "message"),
    [
        pytest.param(rtw.WeekInput(13, 5, ""), "hours a day", id="thirteen-hours"),
        pytest.param(rtw.WeekInput(4, 8, ""), "days a week", id="eight-days"),
    ],
)
def test_plan_rejects_impossible_weeks(
    container: Container, world: World, week: rtw.WeekInput, message: str
) -> None:
    data = rtw.PlanInput(rtw.WorkStatus.OFF_WORK, "", "", [], [], [week])
    with container.uow() as uow, pytest.raises(InvalidInput, match=message):
        rtw.save_plan(uow, context_for(container, world, "drbo"), world.ada, data)


def test_report_release_is_blocked_until_the_patient_approves(
    container: Container, world: World, tmp_path: Path
) -> None:
    _goal(container, world)
    doctor = context_for(container, world, "drbo")
    with container.uow() as uow:
        rtw.save_plan(uow, doctor, world.ada, PLAN)
    with container.uow() as uow:
        report = rtw.draft_report(
            uow,
            doctor,
            world.ada,
            recipient="Case manager (demo)",
            period_from=date(2026, 10, 1),
            period_to=date(2026, 11, 26),
        )
    assert report.state is rtw.ReportState.AWAITING_APPROVAL
    assert report.content["goals"] == [
        {"goal": "Lift daughter", "status": "met (GAS level +0)"},
        {"goal": "Work 4 hours", "status": "in progress"},
    ]
    with container.uow() as uow, pytest.raises(Conflict, match="not approved"):
        rtw.release_report(uow, doctor, report.id)
    with container.uow() as uow, pytest.raises(PermissionDenied):
        rtw.decide_report(uow, doctor, report.id, approve=True)

    ada = context_for(container, world, "ada")
    with container.uow() as uow:
        preview = rtw.preview_pdf(uow, ada, report.id)
    assert "PREVIEW" in _pdf_text(preview, tmp_path)
    with container.uow() as uow:
        decided = rtw.decide_report(uow, ada, report.id, approve=True, comment="Fine")
    assert decided.state is rtw.ReportState.APPROVED
    with container.uow() as uow:
        body = rtw.release_report(uow, doctor, report.id)
    text = _pdf_text(body, tmp_path)
    for expected in (
        "Progress report",
        "Ada Moreno",
        "Case manager (demo)",
        "No lifting over 5 kg with the right arm.",
        "Lift daughter: met",
        "Release approved by the patient",
    ):
        assert expected in text, expected
    assert "PREVIEW" not in text
    with container.uow() as uow:
        actions = list(
            uow.session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("insurer-report.%"))
            )
        )
    assert actions.count("insurer-report.release") == 2  # the blocked attempt and the release
    assert {"insurer-report.draft", "insurer-report.approve", "insurer-report.preview"} <= set(
        actions
    )


def test_declined_report_cannot_be_released(container: Container, world: World) -> None:
    doctor = context_for(container, world, "drbo")
    with container.uow() as uow:
        report = rtw.draft_report(
            uow,
            doctor,
            world.ada,
            recipient="Insurer",
            period_from=date(2026, 10, 1),
            period_to=date(2026, 11, 1),
        )
    with container.uow() as uow:
        rtw.decide_report(uow, context_for(container, world, "ada"), report.id, approve=False)
    with container.uow() as uow, pytest.raises(Conflict):
        rtw.release_report(uow, doctor, report.id)
    with container.uow() as uow, pytest.raises(Conflict):
        rtw.decide_report(uow, context_for(container, world, "ada"), report.id, approve=True)
