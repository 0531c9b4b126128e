"""Questionnaires on the real database: item-level saving, scoring, safety alerts, access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models_assessment import AssessmentAnswer
from painpath.records.models_workflow import AlertRecord, TaskRecord
from painpath.services import assessments as svc
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from painpath.services.workflow import list_tasks
from tests.conftest import FrozenClock, World, context_for

PHQ9_IDS = [f"phq-9-{n}" for n in range(1, 10)]


@pytest.fixture
def ctxs(container: Container, world: World) -> dict[str, RequestContext]:
    """Contexts built before any unit of work opens (SQLite allows one writer at a time)."""
    keys = ("ada", "ben", "drbo", "lena", "outsider")
    return {key: context_for(container, world, key) for key in keys}


def start(container: Container, world: World, code: str, key: str = "ada") -> int:
    ctx = context_for(container, world, key)
    with container.uow() as uow:
        view = svc.start_assessment(uow, ctx, world.ada, code)
    return view.status.id


def answer(
    container: Container, world: World, aid: int, link: str, value: int | str
) -> svc.SaveResult:
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        return svc.save_answer(uow, ctx, aid, link, value)


def test_assessment_partial_answer_is_saved_at_once_and_resave_is_harmless(
    ctxs: dict[str, RequestContext], container: Container, world: World
) -> None:
    aid = start(container, world, "peg")
    first = answer(container, world, aid, "peg-1", 7)
    again = answer(container, world, aid, "peg-1", "7")  # same answer, by code: no change
    assert (first.is_changed, again.is_changed) == (True, False)
    assert (again.answered, again.required, again.state) == (1, 3, svc.State.IN_PROGRESS)
    changed = answer(container, world, aid, "peg-1", 6)
    assert changed.is_changed
    with container.uow() as uow:
        rows = uow.session.scalars(
            select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == aid)
        ).all()
        assert [(r.link_id, r.value, r.revision) for r in rows] == [("peg-1", 6, 2)]
        view = svc.get_assessment(uow, ctxs["ada"], aid)
    assert view.items[0].answer_code == "6" and view.score is None


@pytest.mark.parametrize(
    ("link_id", "value"),
    [
        pytest.param("peg-1", 11, id="value-above-range"),
        pytest.param("peg-9", 1, id="unknown-item"),
        pytest.param("peg-1", "eleven", id="unknown-code"),
    ],
)
def test_assessment_invalid_answer_is_refused(
    container: Container, world: World, link_id: str, value: int | str
) -> None:
    aid = start(container, world, "peg")
    with pytest.raises(InvalidInput):
        answer(container, world, aid, link_id, value)


def test_assessment_completion_scores_with_registry_and_freezes(
    container: Container, world: World
) -> None:
    aid = start(container, world, "peg")
    for link, value in (("peg-1", 7), ("peg-2", 6)):
        answer(container, world, aid, link, value)
    ctx = context_for(container, world, "ada")
    with container.uow() as uow, pytest.raises(InvalidInput, match="3"):
        svc.complete_assessment(uow, ctx, aid)  # item 3 missing: no guessed total
    answer(container, world, aid, "peg-3", 8)
    with container.uow() as uow:
        view = svc.complete_assessment(uow, ctx, aid)
    # PEG = mean(7, 6, 8) = 21 / 3 = 7
    assert view.score is not None and view.score.total == Decimal(7)
    assert view.status.state is svc.State.COMPLETED
    with pytest.raises(Conflict):
        answer(container, world, aid, "peg-1", 2)  # append-only once completed


def test_assessment_correction_is_a_new_linked_assessment(
    container: Container, world: World
) -> None:
    aid = start(container, world, "peg")
    for link, value in (("peg-1", 7), ("peg-2", 6), ("peg-3", 8)):
        answer(container, world, aid, link, value)
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        svc.complete_assessment(uow, ctx, aid)
    with container.uow() as uow:
        fixed = svc.correct_assessment(uow, ctx, aid)
    assert fixed.status.corrects_id == aid and fixed.items[0].answer_code == "7"
    answer(container, world, fixed.status.id, "peg-1", 4)
    with container.uow() as uow:
        done = svc.complete_assessment(uow, ctx, fixed.status.id)
        old = svc.get_assessment(uow, ctx, aid)
    # (4 + 6 + 8) / 3 = 6
    assert done.score is not None and done.score.total == Decimal(6)
    assert old.status.corrected_by_id == fixed.status.id
    assert old.score is not None and old.score.total == Decimal(7)  # the original is kept
    with container.uow() as uow, pytest.raises(Conflict):
        svc.correct_assessment(uow, ctx, aid)


def test_assessment_phq9_item_9_raises_urgent_task_before_completion(
    ctxs: dict[str, RequestContext], container: Container, world: World
) -> None:
    aid = start(container, world, "phq-9")
    quiet = answer(container, world, aid, "phq-9-1", 2)
    assert not quiet.has_safety_flag and quiet.alert_ids == []
    flagged = answer(container, world, aid, "phq-9-9", "several-days")
    repeat = answer(container, world, aid, "phq-9-9", 2)
    assert flagged.has_safety_flag and len(flagged.alert_ids) == 1
    assert repeat.alert_ids == []  # one alert per assessment (dedupe key)
    with container.uow() as uow:
        alert = uow.session.scalars(select(AlertRecord)).one()
        task = uow.session.scalars(select(TaskRecord)).one()
        assert (alert.is_safety, alert.severity, alert.owner_role) == (True, "urgent", "physician")
        assert alert.dedupe_key == f"urgent-safety:assessment:{aid}"
        assert (task.is_safety, task.due_on) == (True, date(2026, 3, 2))  # same day
    with container.uow() as uow:
        tasks = list_tasks(uow, ctxs["drbo"])
    assert [t.is_safety for t in tasks] == [True]


def test_assessment_bundle_assigns_instruments_and_closes_when_all_done(
    ctxs: dict[str, RequestContext], container: Container, world: World, clock: FrozenClock
) -> None:
    with container.uow() as uow:
        bundle = svc.assign_bundle(uow, ctxs["lena"], world.ada, "weekly", due_on=date(2026, 3, 4))
    assert len(bundle.assessment_ids) == 2  # weekly: NRS + PEG
    nrs, peg = bundle.assessment_ids
    answer(container, world, nrs, "nrs-pain-1", 5)
    for link in ("peg-1", "peg-2", "peg-3"):
        answer(container, world, peg, link, 5)
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        svc.complete_assessment(uow, ctx, nrs)
    with container.uow() as uow:
        listing = svc.list_assessments(uow, ctx, world.ada)
    assert listing.bundles[0].completed_at is None
    with container.uow() as uow:
        svc.complete_assessment(uow, ctx, peg)
        listing = svc.list_assessments(uow, ctx, world.ada)
    assert listing.bundles[0].completed_at is not None


def test_assessment_coordinator_sees_status_only(container: Container, world: World) -> None:
    aid = start(container, world, "peg")
    answer(container, world, aid, "peg-1", 7)
    lena = context_for(container, world, "lena")
    with container.uow() as uow:
        view = svc.get_assessment(uow, lena, aid)
        listing = svc.list_assessments(uow, lena, world.ada)
    assert not view.can_read_answers and view.score is None
    assert all(i.answer_code is None for i in view.items)
    assert view.status.answered == 1  # progress is status, not content
    assert listing.scores == {} and listing.changes == []


def test_assessment_staff_cannot_answer_for_the_patient(
    ctxs: dict[str, RequestContext], container: Container, world: World
) -> None:
    aid = start(container, world, "peg")
    with container.uow() as uow, pytest.raises(PermissionDenied):
        svc.save_answer(uow, ctxs["drbo"], aid, "peg-1", 3)


@pytest.mark.parametrize("key", ["outsider", "ben"])
def test_assessment_out_of_scope_reader_gets_not_found(
    ctxs: dict[str, RequestContext], container: Container, world: World, key: str
) -> None:
    aid = start(container, world, "peg")
    with container.uow() as uow, pytest.raises(NotFound):
        svc.get_assessment(uow, ctxs[key], aid)
    with container.uow() as uow, pytest.raises(NotFound):
        svc.save_answer(uow, ctxs[key], aid, "peg-1", 3)


def test_assessment_change_from_baseline_reports_mcid_and_immpact(
    ctxs: dict[str, RequestContext], container: Container, world: World, clock: FrozenClock
) -> None:
    ctx = context_for(container, world, "ada")
    for answers in ((8, 7, 7), (4, 4, 5)):
        aid = start(container, world, "peg")
        for n, value in enumerate(answers, start=1):
            answer(container, world, aid, f"peg-{n}", value)
        with container.uow() as uow:
            svc.complete_assessment(uow, ctx, aid)
        clock.advance(days=30)
    with container.uow() as uow:
        listing = svc.list_assessments(uow, ctxs["drbo"], world.ada)
    (change,) = listing.changes
    # baseline (8+7+7)/3 = 22/3; current (4+4+5)/3 = 13/3; change = -9/3 = -3 points
    assert change.change == Decimal(-3)
    assert change.is_mcid_improvement  # MCID 1 point or 30%
    # PEG pain item 8 -> 4: (8 - 4) / 8 = 50% reduction -> IMMPACT substantial
    assert change.immpact == "substantial"
    (series,) = svc.score_series(listing)
    assert [p.value for p in series.points] == [Decimal(22) / 3, Decimal(13) / 3]
    # PEG range 0-10 (mean of 0-10 items); MCID target = baseline 22/3 - 1 point = 19/3
    assert (series.low, series.high, series.mcid_target) == (0, 10, Decimal(22) / 3 - 1)


def test_assessment_summary_lines_for_clinician_and_coordinator(
    ctxs: dict[str, RequestContext], container: Container, world: World
) -> None:
    aid = start(container, world, "phq-9")
    for link in PHQ9_IDS:
        answer(container, world, aid, link, 1)
    with container.uow() as uow:
        svc.complete_assessment(uow, ctxs["ada"], aid)
    start(container, world, "gad-7")
    with container.uow() as uow:
        doctor = svc.summary_lines(uow, ctxs["drbo"], world.ada)
        coordinator = svc.summary_lines(uow, ctxs["lena"], world.ada)
    # PHQ-9: 9 items x 1 = 9 -> mild (5-9); item 9 = 1 -> urgent
    assert doctor == ["PHQ-9 9 (mild), URGENT safety item", "1 questionnaire open"]
    assert coordinator == ["1 questionnaire open", "1 completed"]


def test_assessment_worklist_shows_due_bundles_in_the_teams_only(
    container: Container, world: World, ctxs: dict[str, RequestContext], clock: FrozenClock
) -> None:
    with container.uow() as uow:
        svc.assign_bundle(uow, ctxs["lena"], world.ada, "weekly", due_on=date(2026, 3, 1))
    with container.uow() as uow:
        svc.assign_bundle(uow, ctxs["lena"], world.ben, "weekly", due_on=date(2026, 3, 20))
    with container.uow() as uow:
        due = svc.list_due(uow, ctxs["lena"])
        overdue = svc.list_due(uow, ctxs["lena"], overdue_only=True)
        doctor = svc.list_due(uow, ctxs["drbo"])
    # Ada's is due yesterday (overdue); Ben's is 18 days ahead, beyond the 7-day horizon.
    assert [(d.patient_name, d.is_overdue, d.open_count) for d in due] == [("Ada Moreno", True, 2)]
    assert [d.patient_id for d in overdue] == [world.ada]
    assert [d.patient_id for d in doctor] == [world.ada]  # Dr Bo is in Team A only
    with container.uow() as uow, pytest.raises(PermissionDenied):
        svc.list_due(uow, ctxs["ada"])


def test_assessment_clinician_completes_full_dn4_with_examination_items(
    container: Container, world: World, ctxs: dict[str, RequestContext]
) -> None:
    doctor = ctxs["drbo"]
    with container.uow() as uow:
        view = svc.start_assessment(
            uow, doctor, world.ada, "dn4", respondent=svc.Respondent.CLINICIAN
        )
    aid = view.status.id
    answers = {f"dn4-{n}": ("yes" if n in (1, 3, 4, 8, 10) else "no") for n in range(1, 11)}
    with container.uow() as uow:
        svc.save_answers(uow, doctor, aid, answers)
    with container.uow() as uow:
        done = svc.complete_assessment(uow, doctor, aid)
    # five "yes" items x 1 = 5 >= cut-off 4: neuropathic likely
    assert done.score is not None and done.score.total == 5
    assert done.score.band == "neuropathic-likely"
    with container.uow() as uow, pytest.raises(PermissionDenied):
        svc.save_answer(uow, ctxs["ada"], aid, "dn4-1", "no")  # the patient cannot edit it
    with container.uow() as uow, pytest.raises(PermissionDenied):
        svc.start_assessment(
            uow, ctxs["lena"], world.ada, "dn4", respondent=svc.Respondent.CLINICIAN
        )
