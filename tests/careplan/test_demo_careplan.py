"""The demo clinic shows the care plan capability with realistic data."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import UserAccount
from painpath.services import careplan, conference, demo, workflow
from painpath.services.access import actor_for
from painpath.services.context import RequestContext


def _ctx(container: Container, username: str) -> RequestContext:
    with container.uow() as uow:
        user = uow.session.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None
        actor = actor_for(uow, user, now=container.clock())
    return RequestContext(actor, "test", container.clock)


def test_demo_careplan_seeds_ada_ben_tasks_and_a_past_conference(container: Container) -> None:
    with container.uow() as uow:
        demo.seed_demo(uow, now=container.clock(), patient_count=6)
    maya = _ctx(container, "maya.okafor@demo.painpath.org")
    with container.uow() as uow:
        ada_id = uow.session.scalar(
            select(UserAccount.patient_id).where(UserAccount.username.like("ada.moreno%"))
        )
    assert ada_id is not None
    with container.uow() as uow:
        plan = careplan.get_plan(uow, maya, ada_id)
    assert plan is not None
    assert plan.priorities == ("lift my daughter", "back to work part-time")
    assert len(plan.goals) == 3 and all(g.gas_levels[2][1] for g in plan.goals)
    assert next(d.rule_code for d in plan.decision_points) == "peg-mcid-week-8"
    # Levels (0, -1, -1), weights (3, 6, 2): sum(wx) = -8; sum(w^2) = 49; (sum w)^2 = 121
    # T = 50 - 80 / sqrt(0.7*49 + 0.3*121) = 50 - 80 / sqrt(70.6) = 40.479...
    assert plan.gas is not None and plan.gas.t_score is not None
    assert plan.gas.t_score.quantize(Decimal("0.01")) == Decimal("40.48")
    assert plan.routing is not None and plan.routing.recommended_step == "primary-care-rehab"
    for username in ("maya.okafor", "tom.lindqvist", "priya.raman", "sam.costa", "lena.fischer"):
        ctx = _ctx(container, f"{username}@demo.painpath.org")
        with container.uow() as uow:
            assert workflow.list_tasks(uow, ctx, owner_role=ctx.actor.role.value), username
    with container.uow() as uow:
        past = conference.list_conferences(uow, maya)
    assert [(c.state, c.patient_count, c.discussed_count) for c in past] == [("closed", 2, 2)]
    with container.uow() as uow:
        agenda = conference.build_agenda(uow, maya, container.clock().date())
    assert any(e.patient_id == ada_id for e in agenda)
