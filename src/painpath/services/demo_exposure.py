"""Demo graded exposure, desensitisation and GMI data for Ada Moreno.

Fear hierarchy rated by Ada (0-100) with Dr Priya Raman: carrying boxes 55, lifting her daughter
80, riding pillion 95, and walking in town 10 (not feared); two exposure trials on carrying boxes.
Desensitisation ladder rated by Ada (0-10): silk 1, terry towel 3, corduroy 6; she is at the towel
stage (edge of the allodynic forearm) with a few logged sessions. The shipped stimulus list
(clinical/rehab/data/stimuli.toml) has no velcro, so corduroy is the rough-texture rung. GMI is at
stage 1 (left/right judgement), started by Tom. Rows are inserted directly and deterministically.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from painpath.clinical.rehab.desensitisation import SensoryStage, Zone
from painpath.clinical.rehab.gmi import GmiStage
from painpath.records.enums import Role
from painpath.records.models import UserAccount
from painpath.records.models_exposure import (
    DesensitisationPlan,
    DesensitisationSessionRecord,
    ExposureHierarchy,
    ExposureTrialRecord,
    GmiStageChange,
)
from painpath.services.demo import DEMO_SEEDERS, DemoContext

ADA_FEARS = (
    ("lifting-my-daughter", "Lifting my daughter", 80),
    ("carrying-boxes", "Carrying boxes", 55),
    ("riding-pillion", "Riding pillion on a motorbike", 95),
    ("walking-in-town", "Walking in town", 10),
)
# (days ago, predicted fear, actual fear, predicted pain, actual pain, note)
ADA_TRIALS = (
    (9, 70, 45, 7, 5, "Carried two light boxes from the car. Less bad than I thought."),
    (3, 50, 35, 6, 4, "Three boxes, took breaks."),
)
ADA_STIMULI = {"silk": 1, "terry-towel": 3, "corduroy": 6}
# (days ago, zone, seconds, discomfort 0-10)
ADA_DESENS = ((6, Zone.EDGE, 120, 4), (4, Zone.EDGE, 150, 3), (1, Zone.EDGE, 120, 3))


def _at(day: date, hour: int = 18) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def seed_exposure(ctx: DemoContext) -> None:
    s = ctx.uow.session
    ada = ctx.patients[0]
    priya = ctx.staff.get(Role.PSYCHOLOGIST)
    tom = ctx.staff.get(Role.PHYSIOTHERAPIST)
    ada_user = s.scalar(select(UserAccount).where(UserAccount.patient_id == ada.id))
    ada_uid = ada_user.id if ada_user else None
    s.add(
        ExposureHierarchy(
            patient_id=ada.id,
            activities=[{"id": i, "label": label, "fear": f} for i, label, f in ADA_FEARS],
            scores_source="assessment",
            current_activity_id="carrying-boxes",
            updated_by_id=priya.id if priya else None,
            updated_at=_at(ctx.today - timedelta(days=14), 11),
        )
    )
    for days, pf, af, pp, ap, note in ADA_TRIALS:
        day = ctx.today - timedelta(days=days)
        s.add(
            ExposureTrialRecord(
                patient_id=ada.id,
                activity_id="carrying-boxes",
                performed_on=day,
                predicted_fear=pf,
                actual_fear=af,
                predicted_pain_nrs=pp,
                actual_pain_nrs=ap,
                note=note,
                recorded_by_id=ada_uid,
                created_at=_at(day),
            )
        )
    s.add(
        DesensitisationPlan(
            patient_id=ada.id,
            ratings=dict(ADA_STIMULI),
            current_stimulus_id="terry-towel",
            zone=Zone.EDGE.value,
            sensory_stage=SensoryStage.LOCALISATION_WITH_VISION.value,
            updated_by_id=tom.id if tom else None,
            updated_at=_at(ctx.today - timedelta(days=8), 10),
        )
    )
    for days, zone, seconds, discomfort in ADA_DESENS:
        day = ctx.today - timedelta(days=days)
        s.add(
            DesensitisationSessionRecord(
                patient_id=ada.id,
                stimulus_id="terry-towel",
                zone=zone.value,
                performed_on=day,
                duration_s=seconds,
                discomfort_nrs=discomfort,
                recorded_by_id=ada_uid,
                created_at=_at(day, 19),
            )
        )
    start = ctx.today - timedelta(days=10)
    s.add(
        GmiStageChange(
            patient_id=ada.id,
            stage=GmiStage.LATERALITY.value,
            started_on=start,
            action="start",
            reason="Forearm allodynia and slow right-hand judgements: start GMI at stage 1.",
            decided_by_id=tom.id if tom else None,
            created_at=_at(start, 10),
        )
    )
    s.flush()


DEMO_SEEDERS.append(seed_exposure)
