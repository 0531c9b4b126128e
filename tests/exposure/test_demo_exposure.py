"""The demo clinic shows graded exposure, desensitisation and GMI for Ada."""

from __future__ import annotations

from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.clinical.rehab.desensitisation import Zone
from painpath.clinical.rehab.exposure import ExposureAction
from painpath.clinical.rehab.gmi import GmiStage
from painpath.records.models import UserAccount
from painpath.services import demo, exposure
from painpath.services import desensitisation as ds
from painpath.services.access import actor_for
from painpath.services.context import RequestContext


def _ctx(container: Container, username: str) -> RequestContext:
    with container.uow() as uow:
        user = uow.session.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None
        actor = actor_for(uow, user, now=container.clock())
    return RequestContext(actor, "test", container.clock)


def test_demo_ada_has_hierarchy_towel_stage_and_gmi_stage_1(container: Container) -> None:
    with container.uow() as uow:
        demo.seed_demo(uow, now=container.clock(), patient_count=4)
    priya = _ctx(container, "priya.raman@demo.painpath.org")
    with container.uow() as uow:
        ada_id = uow.session.scalar(
            select(UserAccount.patient_id).where(UserAccount.username.like("ada.moreno%"))
        )
    assert ada_id is not None
    with container.uow() as uow:
        ev = exposure.get_exposure(uow, priya, ada_id)
        dv = ds.get_desensitisation(uow, priya, ada_id)
        gv = ds.get_gmi(uow, priya, ada_id)
    assert ev is not None and dv is not None
    assert [a.activity_id for a in ev.ladder] == [
        "carrying-boxes",
        "lifting-my-daughter",
        "riding-pillion",
    ]
    assert len(ev.trials) == 2 and ev.current is not None
    # Both trials disconfirmed (45 <= 70, 35 <= 50) but the latest prediction 50 > 30 and
    # > 0.5 x 55 = 27.5: repeat carrying boxes.
    assert ev.decision is not None and ev.decision.action is ExposureAction.REPEAT
    assert [s.stimulus_id for s in dv.ladder] == ["silk", "terry-towel", "corduroy"]
    assert dv.current is not None and dv.current.stimulus_id == "terry-towel"
    assert dv.zone is Zone.EDGE
    assert gv.stage is GmiStage.LATERALITY
