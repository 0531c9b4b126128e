"""Demo episodes (runs after demo_assessment, whose bundles it ties to collection points).

Ada: referred when her referral bundle was sent (about 95 days ago), care started 40 days ago,
a multidisciplinary pathway, and the 6-week review due in 2 days with its review bundle sent and
tied to the review point (the current bundle). Ben: an episode at referral, his overdue referral bundle tied to the
referral point. Each link names the bundle the assessment seeder created; nothing is matched by
date. Invented data for the demo.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from painpath.clinical.instruments import bundles, registry
from painpath.records.enums import Role
from painpath.records.models import Patient
from painpath.records.models_assessment import Assessment, AssessmentBundle
from painpath.records.models_episode import Episode, EpisodeCollectionPoint, EpisodePathway
from painpath.services.demo import DEMO_SEEDERS, DemoContext
from painpath.services.episodes import PathwayKind, PointKind, review_on

REVIEW_WEEKS = 6


def _referral_bundle(ctx: DemoContext, patient: Patient) -> AssessmentBundle | None:
    return ctx.uow.session.scalar(
        select(AssessmentBundle)
        .where(
            AssessmentBundle.patient_id == patient.id, AssessmentBundle.bundle_code == "referral"
        )
        .order_by(AssessmentBundle.id)
        .limit(1)
    )


def _episode(ctx: DemoContext, patient: Patient, referral: AssessmentBundle | None) -> Episode:
    referred_on = referral.assigned_at.date() if referral else ctx.today
    row = Episode(
        patient_id=patient.id,
        referred_on=referred_on,
        referral_source="GP referral" if patient is ctx.patients[0] else "Orthopaedic surgeon",
        review_every_weeks=REVIEW_WEEKS,
        follow_up_after_weeks=26,
        created_by_id=ctx.staff[Role.COORDINATOR].id,
        created_at=ctx.now - timedelta(days=(ctx.today - referred_on).days),
    )
    ctx.uow.session.add(row)
    ctx.uow.session.flush()
    _point(ctx, row, PointKind.REFERRAL, referred_on, bundle=referral)
    return row


def _point(
    ctx: DemoContext,
    episode: Episode,
    point: PointKind,
    planned_on: date,
    *,
    bundle: AssessmentBundle | None = None,
    sequence: int = 0,
    pathway_id: int | None = None,
) -> EpisodeCollectionPoint:
    row = EpisodeCollectionPoint(
        episode_id=episode.id,
        pathway_id=pathway_id,
        point=point.value,
        sequence=sequence,
        planned_on=planned_on,
        bundle_id=None if bundle is None else bundle.id,
        created_at=ctx.now,
    )
    ctx.uow.session.add(row)
    ctx.uow.session.flush()
    return row


def seed_episodes(ctx: DemoContext) -> None:
    ada, ben = ctx.patients[0], ctx.patients[1]
    episode = _episode(ctx, ada, _referral_bundle(ctx, ada))
    # Care started 40 days ago, so the 6-week review falls in 2 days (start + 42 days).
    started_on = ctx.today - timedelta(days=40)
    episode.started_on = started_on
    _point(ctx, episode, PointKind.EPISODE_START, started_on)
    pathway = EpisodePathway(
        episode_id=episode.id,
        kind=PathwayKind.MULTIDISCIPLINARY.value,
        label="Physician, physiotherapy and psychology",
        started_on=started_on,
    )
    ctx.uow.session.add(pathway)
    ctx.uow.session.flush()
    _point(ctx, episode, PointKind.PATHWAY_START, started_on, pathway_id=pathway.id)
    # The current bundle: the 6-week review's, sent this morning, due on the review date.
    sent_at = ctx.now - timedelta(hours=2)
    review = AssessmentBundle(
        patient_id=ada.id,
        bundle_code="review",
        collection_point=bundles.bundle("review").collection_point.value,
        due_on=review_on(started_on, REVIEW_WEEKS, 1),
        assigned_by_id=ctx.staff[Role.COORDINATOR].id,
        assigned_at=sent_at,
    )
    ctx.uow.session.add(review)
    ctx.uow.session.flush()
    for code in bundles.bundle("review").instrument_codes:
        spec = registry.get(code)
        ctx.uow.session.add(
            Assessment(
                patient_id=ada.id,
                bundle_id=review.id,
                instrument_code=code,
                instrument_version=spec.version,
                respondent="patient",
                state="not-started",
                due_on=review.due_on,
                created_by_id=ctx.staff[Role.COORDINATOR].id,
                created_at=sent_at,
            )
        )
    _point(
        ctx,
        episode,
        PointKind.REVIEW,
        review_on(started_on, REVIEW_WEEKS, 1),
        bundle=review,
        sequence=1,
    )
    _episode(ctx, ben, _referral_bundle(ctx, ben))


DEMO_SEEDERS.append(seed_episodes)
