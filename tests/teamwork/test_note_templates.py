"""Structured notes from templates; co-signature as clinic data, shown as a task and on the note;
co-signing is audited and closes the task."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.enums import Role
from painpath.records.models import AuditEvent, ClinicalNote
from painpath.records.models_workflow import TaskRecord
from painpath.services import note_templates, workflow
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.conftest import World, context_for

FOLLOW_UP = {
    "progress": "Walking 20 minutes a day.",
    "adverse_effects": "Mild dizziness in week 1, settled.",
    "plan": "Continue pregabalin; review at week 8.",
}


def _student_rule(container: Container, world: World) -> None:
    admin = context_for(container, world, "admin")
    with container.uow() as uow:
        note_templates.add_cosign_rule(
            uow,
            admin,
            cosigner_role=Role.PHYSICIAN,
            reason="Physiotherapy student: physician co-signs.",
            author_user_id=world.users["tom"],
        )


def test_templated_note_writes_a_clinical_note_with_headings(
    container: Container, world: World
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow:
        view = note_templates.write_templated_note(uow, ctx, world.ada, "follow-up", FOLLOW_UP)
    assert not view.is_cosign_pending
    with container.uow() as uow:
        note = uow.session.get_one(ClinicalNote, view.id)
        assert note.title == "Follow-up"
        # Optional "adherence" left empty, so it is left out of the body.
        assert note.body == (
            "Progress since last review:\nWalking 20 minutes a day.\n\n"
            "Adverse effects:\nMild dizziness in week 1, settled.\n\n"
            "Plan and changes:\nContinue pregabalin; review at week 8."
        )


@pytest.mark.parametrize(
    ("template", "fields", "message"),
    [
        pytest.param("follow-up", {"progress": "ok"}, "Adverse effects", id="missing-required"),
        pytest.param("nope", {}, "unknown note template", id="unknown-template"),
        pytest.param("follow-up", {**FOLLOW_UP, "x": "1"}, "unknown fields", id="unknown-field"),
    ],
)
def test_templated_note_rejects_bad_input(
    container: Container, world: World, template: str, fields: dict[str, str], message: str
) -> None:
    ctx = context_for(container, world, "drbo")
    with container.uow() as uow, pytest.raises(InvalidInput, match=message):
        note_templates.write_templated_note(uow, ctx, world.ada, template, fields)


def test_cosign_rule_makes_a_task_for_the_cosigner_and_cosigning_is_audited(
    container: Container, world: World
) -> None:
    _student_rule(container, world)
    tom = context_for(container, world, "tom")
    with container.uow() as uow:
        view = note_templates.write_templated_note(uow, tom, world.ada, "follow-up", FOLLOW_UP)
    assert view.is_cosign_pending and view.cosign_role == "physician"

    doctor = context_for(container, world, "drbo")
    with container.uow() as uow:
        tasks = workflow.list_tasks(uow, doctor, owner_role="physician")
    assert [t.title for t in tasks] == [f"Co-sign follow-up note #{view.id}"]

    with container.uow() as uow, pytest.raises(PermissionDenied):
        note_templates.cosign_note(uow, context_for(container, world, "lena"), view.id)
    with container.uow() as uow:
        signed = note_templates.cosign_note(uow, doctor, view.id)
    assert signed.cosigned_by == "Drbo" and not signed.is_cosign_pending
    with container.uow() as uow, pytest.raises(Conflict):
        note_templates.cosign_note(uow, doctor, view.id)
    with container.uow() as uow:
        task = uow.session.scalars(select(TaskRecord)).one()
        assert task.state == "done"
        actions = set(
            uow.session.scalars(
                select(AuditEvent.action).where(AuditEvent.actor_id == world.users["drbo"])
            )
        )
    assert {"note.cosign", "task.complete"} <= actions


def test_notes_by_other_authors_need_no_cosign(container: Container, world: World) -> None:
    _student_rule(container, world)
    with container.uow() as uow:
        view = note_templates.write_templated_note(
            uow, context_for(container, world, "drbo"), world.ada, "follow-up", FOLLOW_UP
        )
    assert view.cosign_role is None


def test_only_admin_configures_cosign_rules(container: Container, world: World) -> None:
    with container.uow() as uow, pytest.raises(PermissionDenied):
        note_templates.add_cosign_rule(
            uow,
            context_for(container, world, "drbo"),
            cosigner_role=Role.PHYSICIAN,
            reason="x rule",
            author_role=Role.PHARMACIST,
        )


def test_outsider_cannot_cosign(container: Container, world: World) -> None:
    _student_rule(container, world)
    with container.uow() as uow:
        view = note_templates.write_templated_note(
            uow, context_for(container, world, "tom"), world.ada, "follow-up", FOLLOW_UP
        )
    with container.uow() as uow, pytest.raises(NotFound):
        note_templates.cosign_note(uow, context_for(container, world, "outsider"), view.id)
