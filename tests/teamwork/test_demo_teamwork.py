"""The demo clinic shows Ada's return-to-work plan, a report awaiting her approval, a note
waiting for a physician's co-signature and fictional community resources."""

from __future__ import annotations

from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import UserAccount
from painpath.services import demo, note_templates, resources, return_to_work, workflow
from painpath.services.access import actor_for
from painpath.services.context import RequestContext


def _ctx(container: Container, username: str) -> RequestContext:
    with container.uow() as uow:
        user = uow.session.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None
        actor = actor_for(uow, user, now=container.clock())
    return RequestContext(actor, "test", container.clock)


def test_demo_teamwork(container: Container) -> None:
    with container.uow() as uow:
        demo.seed_demo(uow, now=container.clock(), patient_count=6)
    maya = _ctx(container, "maya.okafor@demo.painpath.org")
    with container.uow() as uow:
        ada_id = uow.session.scalar(
            select(UserAccount.patient_id).where(UserAccount.username.like("ada.moreno%"))
        )
    assert ada_id is not None
    with container.uow() as uow:
        plan = return_to_work.get_plan(uow, maya, ada_id)
    assert plan is not None and plan.job_title.startswith("Warehouse")
    # Graded hours: 4x3 = 12, 4x5 = 20, 6x5 = 30, 8x5 = 40 hours a week.
    assert [w.hours_per_week for w in plan.weeks] == [12, 20, 30, 40]
    assert any("lifting" in r.lower() for r in plan.restrictions)
    with container.uow() as uow:
        reports = return_to_work.list_reports(uow, maya, ada_id)
    assert [r.state for r in reports] == [return_to_work.ReportState.AWAITING_APPROVAL]
    assert reports[0].content["goals"]  # read from Ada's care plan goals
    with container.uow() as uow:
        notes = note_templates.list_team_notes(uow, maya, ada_id)
    pending = [n for n in notes if n.is_cosign_pending]
    assert [(n.title, n.cosign_role) for n in pending] == [
        ("Medication review override", "physician")
    ]
    with container.uow() as uow:
        tasks = workflow.list_tasks(uow, maya, owner_role="physician", patient_id=ada_id)
    assert any(t.title.startswith("Co-sign") for t in tasks)
    with container.uow() as uow:
        found = resources.search_resources(uow, maya)
    assert len(found) == 6 and all(r.name.endswith("(demo)") for r in found)
    assert all(r.contact.endswith("@example.org") for r in found)
