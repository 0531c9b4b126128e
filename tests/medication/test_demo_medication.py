"""The demo clinic shows the medicines capability with realistic data."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import Patient, UserAccount
from painpath.records.models_workflow import AlertRecord
from painpath.services import demo
from painpath.services import medications as meds
from painpath.services.access import actor_for
from painpath.services.context import RequestContext
from painpath.services.uow import UnitOfWork


def _context(container: Container, username: str) -> RequestContext:
    with container.uow() as uow:
        user = uow.session.scalars(
            select(UserAccount).where(UserAccount.username == username)
        ).one()
        actor = actor_for(uow, user, now=container.clock())
    return RequestContext(actor=actor, request_id="test-demo", clock=container.clock)


def test_demo_ben_review_shows_interaction_renal_and_naloxone(container: Container) -> None:
    now = container.clock()
    with container.uow() as uow:
        demo.seed_demo(uow, now=now, patient_count=12)
    sam = _context(container, "sam.costa@demo.painpath.org")
    with container.uow() as uow:
        ben_id = demo_patient_id(uow, "Ben")
        ada_id = demo_patient_id(uow, "Ada")
    with container.uow() as uow:
        view = meds.get_regimen(uow, sam, ben_id)
    assert {o.drug for o in view.orders} == {"oxycodone", "diazepam", "gabapentin"}
    # 84 kg, SCr 1.5, 67 y, male: (140 - 67) x 84 / (72 x 1.5) = 6132 / 108 = 56.8 mL/min
    assert view.crcl_ml_min is not None and round(view.crcl_ml_min, 1) == Decimal("56.8")
    codes = {(f.kind, f.code) for f in view.findings}
    assert ("interaction", "opioid-benzodiazepine") in codes
    assert ("renal_dose", "above-renal-max") in codes  # gabapentin 1800 > 1400 mg/day
    assert any(kind == "naloxone" for kind, _ in codes)
    assert "1800 mg/day" in next(f.message for f in view.findings if f.kind == "renal_dose")
    with container.uow() as uow:
        owners = set(
            uow.session.scalars(
                select(AlertRecord.owner_role).where(AlertRecord.patient_id == ben_id)
            )
        )
    assert "pharmacist" in owners
    ada = _context(container, "ada.moreno@demo.painpath.org")
    with container.uow() as uow:
        calendar = meds.get_calendar(uow, ada, ada_id)
    (pregabalin,) = calendar.medicines
    assert pregabalin.drug == "pregabalin"
    assert pregabalin.purpose.startswith("Calms")


def demo_patient_id(uow: UnitOfWork, given: str) -> int:
    patient_id = uow.session.scalars(select(Patient.id).where(Patient.given_name == given)).first()
    assert patient_id is not None
    return patient_id


def test_demo_is_deterministic_for_a_date(container: Container) -> None:
    with container.uow() as uow:
        demo.seed_demo(uow, now=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), patient_count=8)
    sam = _context(container, "sam.costa@demo.painpath.org")
    with container.uow() as uow:
        ben_id = demo_patient_id(uow, "Ben")
    with container.uow() as uow:
        first = meds.get_regimen(uow, sam, ben_id)
    assert first.mme_per_day == 45  # oxycodone 30 mg/day x 1.5
