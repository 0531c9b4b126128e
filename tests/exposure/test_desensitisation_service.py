"""Desensitisation, sensory discrimination and GMI stage use cases on the real database, with the
core's decisions checked against constructed session histories."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.clinical.rehab.desensitisation import DesensitisationAction, SensoryStage, Zone
from painpath.clinical.rehab.gmi import GmiAction, GmiStage
from painpath.records.models import AuditEvent
from painpath.records.models_exposure import GmiSessionRecord, GmiStageChange
from painpath.records.models_rehab import RehabGmiTest
from painpath.services import desensitisation as ds
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import World, context_for

# Ada's ratings: silk 1, terry towel 3, corduroy 6 (0-10). The start is the most provoking stimulus
# still tolerable (<= 5): terry towel.
RATINGS = {"silk": 1, "terry-towel": 3, "corduroy": 6}


def _plan(container: Container, world: World, zone: Zone = Zone.EDGE) -> ds.DesensitisationView:
    with container.uow() as uow:
        return ds.save_plan(
            uow,
            context_for(container, world, "tom"),
            world.ada,
            ds.PlanInput(dict(RATINGS), zone=zone),
        )


def _session(
    container: Container, world: World, zone: Zone, discomfort: int, seconds: int, days_ago: int
) -> ds.DesensitisationView:
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        return ds.log_session(
            uow,
            ctx,
            world.ada,
            ds.SessionInput(
                "terry-towel",
                zone,
                ctx.now().date() - timedelta(days=days_ago),
                seconds,
                discomfort,
            ),
        )


def test_plan_starts_at_the_most_provoking_tolerable_stimulus(
    container: Container, team: World
) -> None:
    view = _plan(container, team)
    assert [s.stimulus_id for s in view.ladder] == ["silk", "terry-towel", "corduroy"]
    assert view.current is not None and view.current.stimulus_id == "terry-towel"
    assert view.zone is Zone.EDGE
    assert view.sensory.stage is SensoryStage.LOCALISATION_WITH_VISION


# Comfortable = discomfort <= 2 for >= 120 s on the last 2 sessions; step back at >= 7.
@pytest.mark.parametrize(
    ("zone", "history", "action", "stimulus", "new_zone"),
    [
        pytest.param(Zone.EDGE, [], DesensitisationAction.REPEAT, "terry-towel", "edge", id="none"),
        pytest.param(
            Zone.EDGE, [(2, 120)], DesensitisationAction.REPEAT, "terry-towel", "edge", id="one"
        ),
        pytest.param(
            Zone.EDGE,
            [(2, 120), (1, 180)],
            DesensitisationAction.ADVANCE_ZONE,
            "terry-towel",
            "inside",
            id="edge-comfortable-go-inside",
        ),
        pytest.param(
            Zone.EDGE,
            [(2, 120), (1, 60)],
            DesensitisationAction.REPEAT,
            "terry-towel",
            "edge",
            id="too-short",
        ),
        pytest.param(
            Zone.EDGE,
            [(2, 120), (7, 120)],
            DesensitisationAction.STEP_BACK,
            "silk",
            "inside",
            id="provoked-at-edge-back-to-silk",
        ),
        pytest.param(
            Zone.INSIDE,
            [(2, 150), (2, 150)],
            DesensitisationAction.NEXT_STIMULUS,
            "corduroy",
            "edge",
            id="inside-comfortable-next",
        ),
        pytest.param(
            Zone.INSIDE,
            [(8, 30)],
            DesensitisationAction.STEP_BACK,
            "terry-towel",
            "edge",
            id="provoked-inside-back-to-edge",
        ),
    ],
)
def test_desensitisation_decision_from_sessions(
    container: Container,
    team: World,
    zone: Zone,
    history: list[tuple[int, int]],
    action: DesensitisationAction,
    stimulus: str,
    new_zone: str,
) -> None:
    view = _plan(container, team, zone)
    for n, (discomfort, seconds) in enumerate(history):
        view = _session(container, team, zone, discomfort, seconds, len(history) - n)
    assert view.decision is not None
    assert (view.decision.action, view.decision.stimulus_id, view.decision.zone) == (
        action,
        stimulus,
        new_zone,
    )
    if view.decision.is_change:
        with container.uow() as uow:
            applied = ds.apply_desens_decision(uow, context_for(container, team, "tom"), team.ada)
        assert applied.current is not None and applied.current.stimulus_id == stimulus
        assert applied.zone.value == new_zone


@pytest.mark.parametrize(
    ("who", "error"),
    [
        pytest.param("priya", PermissionDenied, id="psychologist-reads-rehab-only"),
        pytest.param("ada", PermissionDenied, id="patient-may-not-set-plan"),
        pytest.param("outsider", NotFound, id="outsider-not-found"),
    ],
)
def test_only_the_physio_sets_the_plan(
    container: Container, team: World, who: str, error: type[Exception]
) -> None:
    with container.uow() as uow, pytest.raises(error):
        ds.save_plan(uow, context_for(container, team, who), team.ada, ds.PlanInput(RATINGS))


def test_ben_cannot_log_on_adas_plan(container: Container, team: World) -> None:
    _plan(container, team)
    ctx = context_for(container, team, "ben")
    with container.uow() as uow, pytest.raises(NotFound):
        ds.log_session(
            uow, ctx, team.ada, ds.SessionInput("terry-towel", Zone.EDGE, date(2026, 3, 1), 60, 2)
        )


def test_sensory_stage_advances_after_two_sessions_at_80_percent(
    container: Container, team: World
) -> None:
    _plan(container, team)
    ctx = context_for(container, team, "tom")
    stage = SensoryStage.LOCALISATION_WITH_VISION
    # 16/20 = 80.0% and 18/20 = 90.0%: both >= 80 -> advance to eyes-closed localisation.
    for correct, day in ((16, 2), (18, 1)):
        with container.uow() as uow:
            view = ds.log_sensory(
                uow,
                ctx,
                team.ada,
                ds.SensoryInput(stage, ctx.now().date() - timedelta(days=day), 20, correct),
            )
    assert view.sensory.is_advance
    with container.uow() as uow:
        view = ds.advance_sensory(uow, ctx, team.ada)
    assert view.sensory.stage is SensoryStage.LOCALISATION_WITHOUT_VISION
    with container.uow() as uow, pytest.raises(InvalidInput):
        ds.advance_sensory(uow, ctx, team.ada)


# ------------------------------------------------------------------------------------ GMI


def _laterality(container: Container, world: World, correct: int, rt_ms: int) -> None:
    """A 20-trial hand test, 10 per side, `correct` right answers spread evenly over both sides."""
    trials = []
    for i in range(20):
        shown = "right" if i % 2 else "left"
        other = "left" if shown == "right" else "right"
        trials.append(
            {"shown": shown, "answer": shown if i < correct else other, "reaction_time_ms": rt_ms}
        )
    with container.uow() as uow:
        uow.session.add(
            RehabGmiTest(
                patient_id=world.ada,
                limb="hand",
                affected_side="right",
                trials=trials,
                taken_at=container.clock() - timedelta(days=1),
            )
        )
        uow.commit()


def _stage(container: Container, world: World, stage: GmiStage, days_ago: int) -> None:
    now = container.clock()
    with container.uow() as uow:
        uow.session.add(
            GmiStageChange(
                patient_id=world.ada,
                stage=stage.value,
                started_on=now.date() - timedelta(days=days_ago),
                action="start",
                reason="constructed history",
                created_at=now - timedelta(days=days_ago),
            )
        )
        uow.commit()


def _gmi_session(container: Container, world: World, stage: GmiStage, rise: int) -> None:
    with container.uow() as uow:
        uow.session.add(
            GmiSessionRecord(
                patient_id=world.ada,
                stage=stage.value,
                performed_on=container.clock().date() - timedelta(days=1),
                minutes=10,
                pain_before_nrs=3,
                pain_after_nrs=3 + rise,
                created_at=container.clock(),
            )
        )
        uow.commit()


# Criteria: >= 14 days in stage; laterality >= 20 trials, >= 80% correct, mean RT <= 2000 ms;
# imagined/mirror: session pain rise <= 2 and at least one session rated.
@pytest.mark.parametrize(
    ("stage", "days", "test", "rises", "action", "target"),
    [
        pytest.param(
            GmiStage.LATERALITY,
            20,
            (20, 1000),
            [],
            GmiAction.ADVANCE,
            GmiStage.IMAGINED_MOVEMENTS,
            id="laterality-mastered-advance",
        ),
        pytest.param(
            GmiStage.LATERALITY,
            5,
            (20, 1000),
            [],
            GmiAction.STAY,
            GmiStage.LATERALITY,
            id="only-5-of-14-days",
        ),
        pytest.param(
            GmiStage.LATERALITY,
            20,
            (14, 1000),
            [],
            GmiAction.STAY,
            GmiStage.LATERALITY,
            id="accuracy-70-percent",
        ),
        pytest.param(
            GmiStage.LATERALITY, 20, None, [], GmiAction.STAY, GmiStage.LATERALITY, id="no-test"
        ),
        pytest.param(
            GmiStage.IMAGINED_MOVEMENTS,
            20,
            (20, 1000),
            [1, 2],
            GmiAction.ADVANCE,
            GmiStage.MIRROR_THERAPY,
            id="imagined-tolerated-advance",
        ),
        pytest.param(
            GmiStage.IMAGINED_MOVEMENTS,
            20,
            (20, 1000),
            [1, 3],
            GmiAction.STEP_BACK,
            GmiStage.LATERALITY,
            id="pain-rise-3-step-back",
        ),
        pytest.param(
            GmiStage.MIRROR_THERAPY,
            20,
            (20, 1000),
            [],
            GmiAction.STAY,
            GmiStage.MIRROR_THERAPY,
            id="mirror-no-sessions-stay",
        ),
    ],
)
def test_gmi_decision_from_history(
    container: Container,
    team: World,
    stage: GmiStage,
    days: int,
    test: tuple[int, int] | None,
    rises: list[int],
    action: GmiAction,
    target: GmiStage,
) -> None:
    _stage(container, team, stage, days)
    if test is not None:
        _laterality(container, team, *test)
    for rise in rises:
        _gmi_session(container, team, stage, rise)
    with container.uow() as uow:
        view = ds.get_gmi(uow, context_for(container, team, "tom"), team.ada)
    assert view.stage is stage
    assert view.core_action is action
    assert view.core_stage_label == ds.STAGE_LABELS[target]


def test_physio_starts_advances_and_holds_with_audited_reasons(
    container: Container, team: World
) -> None:
    ctx = context_for(container, team, "tom")
    with container.uow() as uow:
        view = ds.decide_gmi(uow, ctx, team.ada, choice="start", reason="Allodynia; start GMI")
    assert view.stage is GmiStage.LATERALITY and view.core_action is GmiAction.STAY
    with container.uow() as uow:
        view = ds.decide_gmi(uow, ctx, team.ada, choice="hold", reason="Needs more practice")
    assert view.stage is GmiStage.LATERALITY and len(view.history) == 2
    with container.uow() as uow:
        view = ds.decide_gmi(
            uow, ctx, team.ada, choice="advance", reason="Clinical judgement: fast learner"
        )
    assert view.stage is GmiStage.IMAGINED_MOVEMENTS
    assert view.history[0].core_action == "stay"  # the advice at the time is kept beside it
    with container.uow() as uow:
        details = uow.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "gmi.stage.changed")
        ).all()
    assert any("fast learner" in d and "core advice: stay" in d for d in details)
    with container.uow() as uow, pytest.raises(InvalidInput):
        ds.decide_gmi(uow, ctx, team.ada, choice="hold", reason="no")
    with container.uow() as uow, pytest.raises(PermissionDenied):
        ds.decide_gmi(
            uow, context_for(container, team, "priya"), team.ada, choice="hold", reason="xxxxxx"
        )
    ada = context_for(container, team, "ada")
    with container.uow() as uow:
        view = ds.log_gmi_session(
            uow, ada, team.ada, ds.GmiSessionInput(ada.now().date(), 10, 3, 4)
        )
    assert view.pain_rises == (1,)  # 4 after - 3 before
