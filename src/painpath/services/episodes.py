"""Episodes of care and their collection points; the coordinator's filtered worklist and
one-click questionnaire reminders.

An episode runs referral -> episode start -> a review every N weeks -> episode end -> follow-up
(product brief, "Words"). Pathways (single discipline, multidisciplinary, group programme) run
inside it; their start and end are collection points too. Each questionnaire bundle is tied to
its collection point by `EpisodeCollectionPoint.bundle_id`, set when the bundle is sent for that
point (or when the coordinator links an existing bundle); it is never guessed from dates.

Reminders go through the portal's reminder plans (services.reminders: in the app, and by e-mail
through the portal's sender when chosen) or become a task for the coordinator. A bundle reminder
plan is reported done for every day once its bundle is complete (a DONE_PROVIDER), so no reminder
is shown or sent after completion, and the plan is switched off the next time the coordinator
looks at the worklist or the episode.

Access: the episode is demographics-level data (Kind.DEMOGRAPHICS: physician and coordinator
write, the team reads, the patient reads their own); sending bundles and reminders is team work
(Kind.TASK write, as assessments.assign_bundle).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from painpath.clinical.instruments.bundles import CollectionPoint
from painpath.clinical.monitoring import DoneItem, ReminderKind
from painpath.records.enums import Role
from painpath.records.models import CareTeam, Patient
from painpath.records.models_assessment import Assessment, AssessmentBundle
from painpath.records.models_episode import Episode, EpisodeCollectionPoint, EpisodePathway
from painpath.records.models_portal import ReminderPlanRecord
from painpath.records.models_workflow import TaskRecord
from painpath.security.policy import Action, Kind
from painpath.services import assessments
from painpath.services import reminders as portal_reminders
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import Conflict, InvalidInput, NotFound
from painpath.services.uow import UnitOfWork
from painpath.services.workflow import TaskState


class PathwayKind(StrEnum):
    SINGLE_DISCIPLINE = "single-discipline"
    MULTIDISCIPLINARY = "multidisciplinary"
    GROUP_PROGRAMME = "group-programme"


class PointKind(StrEnum):
    """Collection points of an episode (product brief, "Words"); pathway start is a point too."""

    REFERRAL = "referral"
    EPISODE_START = "episode-start"
    REVIEW = "review"
    PATHWAY_START = "pathway-start"
    PATHWAY_END = "pathway-end"
    EPISODE_END = "episode-end"
    FOLLOW_UP = "follow-up"


# The bundle sent at each point (clinical.instruments.bundles). A pathway start takes the
# episode-start outcome set as its baseline: the bundles declare no separate pathway-start set.
BUNDLE_FOR: dict[PointKind, str] = {
    PointKind.REFERRAL: "referral",
    PointKind.EPISODE_START: "episode-start",
    PointKind.REVIEW: "review",
    PointKind.PATHWAY_START: "episode-start",
    PointKind.PATHWAY_END: "pathway-end",
    PointKind.EPISODE_END: "episode-end",
    PointKind.FOLLOW_UP: "follow-up",
}
# Bundles whose own collection point may be linked to each point (a referral bundle belongs to
# the referral point, and so on); weekly monitoring bundles belong to no collection point.
LINKABLE: dict[PointKind, frozenset[str]] = {
    PointKind.REFERRAL: frozenset({CollectionPoint.REFERRAL}),
    PointKind.EPISODE_START: frozenset({CollectionPoint.EPISODE_START}),
    PointKind.REVIEW: frozenset({CollectionPoint.REVIEW}),
    PointKind.PATHWAY_START: frozenset({CollectionPoint.EPISODE_START}),
    PointKind.PATHWAY_END: frozenset({CollectionPoint.PATHWAY_END}),
    PointKind.EPISODE_END: frozenset({CollectionPoint.EPISODE_END}),
    PointKind.FOLLOW_UP: frozenset({CollectionPoint.FOLLOW_UP}),
}

# Default review interval: clinical-reference 6.1 routine PROM cadence "baseline, 4-6 weeks,
# 12 weeks, then 3-monthly" (painpath default, unverified); the clinic sets it per episode.
DEFAULT_REVIEW_WEEKS = 6
# Follow-up after discharge: painpath default (6 months), unverified; set per episode.
DEFAULT_FOLLOW_UP_WEEKS = 26
REMINDER_TIME = "18:00"  # local time of a bundle reminder (painpath default, after work hours)
REMINDER_PREFIX = "bundle-"


class ReminderChannel(StrEnum):
    IN_APP = "in-app"
    EMAIL = "email"
    TASK = "task"


class BundleState(StrEnum):
    NOT_SENT = "not-sent"
    OPEN = "open"
    OVERDUE = "overdue"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class PointView:
    id: int | None  # None: the next review, planned but not yet opened
    point: PointKind
    label: str
    sequence: int
    planned_on: date
    pathway_id: int | None
    bundle_id: int | None
    bundle_code: str | None
    due_on: date | None
    state: BundleState
    done: int
    total: int
    is_reminding: bool


@dataclass(frozen=True, slots=True)
class PathwayView:
    id: int
    kind: PathwayKind
    label: str
    started_on: date
    ended_on: date | None


@dataclass(frozen=True, slots=True)
class EpisodeView:
    id: int
    patient_id: int
    referred_on: date
    referral_source: str
    started_on: date | None
    ended_on: date | None
    review_every_weeks: int
    follow_up_after_weeks: int
    pathways: list[PathwayView]
    points: list[PointView]
    stage: str

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True, slots=True)
class PatientEpisodes:
    patient_id: int
    episodes: list[EpisodeView]  # newest first
    can_manage: bool  # open/start/end episodes, pathways (Kind.DEMOGRAPHICS write)
    can_send: bool  # send bundles and reminders (Kind.TASK write)
    unlinked_bundles: list[tuple[int, str, date]]  # (bundle id, code, due) with no point yet

    @property
    def current(self) -> EpisodeView | None:
        return self.episodes[0] if self.episodes and self.episodes[0].is_open else None


def point_label(point: PointKind, sequence: int, pathway: str | None = None) -> str:
    text = {
        PointKind.REFERRAL: "Referral",
        PointKind.EPISODE_START: "Episode start",
        PointKind.REVIEW: f"Review {sequence}",
        PointKind.PATHWAY_START: "Pathway start",
        PointKind.PATHWAY_END: "Pathway end",
        PointKind.EPISODE_END: "Episode end",
        PointKind.FOLLOW_UP: "Follow-up",
    }[point]
    return f"{text} ({pathway})" if pathway else text


def review_on(started_on: date, every_weeks: int, sequence: int) -> date:
    """Planned date of review `sequence` (1, 2, ...): every N weeks from the episode start."""
    return started_on + timedelta(weeks=every_weeks * sequence)


# --- managing episodes --------------------------------------------------------------------------


def _user_id(ctx: RequestContext) -> int | None:
    return ctx.actor.user_id


def _add_point(
    uow: UnitOfWork,
    ctx: RequestContext,
    episode: Episode,
    point: PointKind,
    planned_on: date,
    *,
    sequence: int = 0,
    pathway_id: int | None = None,
) -> EpisodeCollectionPoint:
    row = EpisodeCollectionPoint(
        episode_id=episode.id,
        pathway_id=pathway_id,
        point=point.value,
        sequence=sequence,
        planned_on=planned_on,
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def _check_weeks(value: int, what: str) -> None:
    if not 1 <= value <= 104:
        raise InvalidInput(f"{what} must be between 1 and 104 weeks")


def open_episode(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    referred_on: date,
    referral_source: str = "",
    review_every_weeks: int = DEFAULT_REVIEW_WEEKS,
    follow_up_after_weeks: int = DEFAULT_FOLLOW_UP_WEEKS,
) -> int:
    """Open an episode at referral (one open episode per patient); adds the referral point."""
    authorize_patient(
        uow, ctx, patient_id, Kind.DEMOGRAPHICS, Action.WRITE, audit_action="episode.open"
    )
    _check_weeks(review_every_weeks, "the review interval")
    _check_weeks(follow_up_after_weeks, "the follow-up interval")
    if referred_on > ctx.now().date():
        raise InvalidInput("the referral date cannot be in the future")
    if len(referral_source) > 120:
        raise InvalidInput("the referral source is at most 120 characters")
    already = uow.session.scalar(
        select(Episode.id).where(Episode.patient_id == patient_id, Episode.ended_on.is_(None))
    )
    if already is not None:
        raise Conflict(f"patient {patient_id} already has an open episode ({already})")
    row = Episode(
        patient_id=patient_id,
        referred_on=referred_on,
        referral_source=referral_source.strip(),
        review_every_weeks=review_every_weeks,
        follow_up_after_weeks=follow_up_after_weeks,
        created_by_id=_user_id(ctx),
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    _add_point(uow, ctx, row, PointKind.REFERRAL, referred_on)
    episode_id = row.id
    uow.commit()
    return episode_id


def _load_episode(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, episode_id: int, audit_action: str
) -> Episode:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.DEMOGRAPHICS,
        Action.WRITE,
        audit_action=audit_action,
        resource_id=episode_id,
    )
    row = uow.session.get(Episode, episode_id)
    if row is None or row.patient_id != patient_id:
        raise NotFound(f"episode {episode_id} not found")
    return row


def start_episode(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, episode_id: int, *, started_on: date
) -> None:
    """Start care (the first visit): the episode-start collection point; reviews count from it."""
    row = _load_episode(uow, ctx, patient_id, episode_id, "episode.start")
    if row.started_on is not None:
        raise Conflict(f"episode {episode_id} has already started")
    if row.ended_on is not None:
        raise Conflict(f"episode {episode_id} has ended")
    if started_on < row.referred_on:
        raise InvalidInput("care cannot start before the referral")
    row.started_on = started_on
    _add_point(uow, ctx, row, PointKind.EPISODE_START, started_on)
    uow.commit()


def end_episode(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, episode_id: int, *, ended_on: date
) -> None:
    """Discharge: the episode-end point, and the follow-up point N weeks later."""
    row = _load_episode(uow, ctx, patient_id, episode_id, "episode.end")
    if row.ended_on is not None:
        raise Conflict(f"episode {episode_id} has already ended")
    if row.started_on is None or ended_on < row.started_on:
        raise InvalidInput("an episode ends after it has started")
    row.ended_on = ended_on
    for pathway in uow.session.scalars(
        select(EpisodePathway).where(
            EpisodePathway.episode_id == row.id, EpisodePathway.ended_on.is_(None)
        )
    ):
        pathway.ended_on = ended_on
        _add_point(uow, ctx, row, PointKind.PATHWAY_END, ended_on, pathway_id=pathway.id)
    _add_point(uow, ctx, row, PointKind.EPISODE_END, ended_on)
    _add_point(
        uow,
        ctx,
        row,
        PointKind.FOLLOW_UP,
        ended_on + timedelta(weeks=row.follow_up_after_weeks),
    )
    uow.commit()


def add_pathway(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    episode_id: int,
    *,
    kind: PathwayKind,
    label: str,
    started_on: date,
) -> int:
    """A pathway within a started episode; its start is a collection point."""
    row = _load_episode(uow, ctx, patient_id, episode_id, "episode.add-pathway")
    if row.started_on is None or row.ended_on is not None:
        raise Conflict("pathways run inside a started, open episode")
    if started_on < row.started_on:
        raise InvalidInput("a pathway cannot start before the episode")
    if len(label) > 120:
        raise InvalidInput("the pathway name is at most 120 characters")
    pathway = EpisodePathway(
        episode_id=row.id, kind=kind.value, label=label.strip(), started_on=started_on
    )
    uow.session.add(pathway)
    uow.session.flush()
    _add_point(uow, ctx, row, PointKind.PATHWAY_START, started_on, pathway_id=pathway.id)
    pathway_id = pathway.id
    uow.commit()
    return pathway_id


def end_pathway(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    episode_id: int,
    pathway_id: int,
    *,
    ended_on: date,
) -> None:
    row = _load_episode(uow, ctx, patient_id, episode_id, "episode.end-pathway")
    pathway = uow.session.get(EpisodePathway, pathway_id)
    if pathway is None or pathway.episode_id != row.id:
        raise NotFound(f"pathway {pathway_id} not found")
    if pathway.ended_on is not None:
        raise Conflict(f"pathway {pathway_id} has already ended")
    if ended_on < pathway.started_on:
        raise InvalidInput("a pathway ends after it starts")
    pathway.ended_on = ended_on
    _add_point(uow, ctx, row, PointKind.PATHWAY_END, ended_on, pathway_id=pathway.id)
    uow.commit()


# --- bundles at collection points ---------------------------------------------------------------


def _authorize_send(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, episode_id: int, audit_action: str
) -> Episode:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.TASK,
        Action.WRITE,
        audit_action=audit_action,
        resource_id=episode_id,
    )
    row = uow.session.get(Episode, episode_id)
    if row is None or row.patient_id != patient_id:
        raise NotFound(f"episode {episode_id} not found")
    return row


def send_point_bundle(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    episode_id: int,
    point_id: int,
    *,
    due_on: date | None = None,
) -> int:
    """Send the bundle of a collection point (due on its planned date unless given)."""
    episode = _authorize_send(uow, ctx, patient_id, episode_id, "episode.send-bundle")
    point = uow.session.get(EpisodeCollectionPoint, point_id)
    if point is None or point.episode_id != episode.id:
        raise NotFound(f"collection point {point_id} not found")
    if point.bundle_id is not None:
        raise Conflict(f"collection point {point_id} already has its bundle")
    bundle_id = _send(uow, ctx, patient_id, point, due_on)
    uow.commit()
    return bundle_id


def _send(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    point: EpisodeCollectionPoint,
    due_on: date | None,
) -> int:
    due = due_on or max(point.planned_on, ctx.now().date())
    bundle = assessments.add_bundle(
        uow, ctx, patient_id, BUNDLE_FOR[PointKind(point.point)], due_on=due
    )
    point.bundle_id = bundle.id
    uow.session.flush()
    return bundle.id


def open_next_review(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, episode_id: int, *, send: bool = True
) -> int:
    """Open the next review point (every N weeks from the start) and send its bundle."""
    episode = _authorize_send(uow, ctx, patient_id, episode_id, "episode.open-review")
    if episode.started_on is None or episode.ended_on is not None:
        raise Conflict("reviews belong to a started, open episode")
    sequence = _next_review_sequence(uow.session, episode.id)
    point = _add_point(
        uow,
        ctx,
        episode,
        PointKind.REVIEW,
        review_on(episode.started_on, episode.review_every_weeks, sequence),
        sequence=sequence,
    )
    if send:
        _send(uow, ctx, patient_id, point, None)
    point_id = point.id
    uow.commit()
    return point_id


def _next_review_sequence(session: Session, episode_id: int) -> int:
    done = session.scalars(
        select(EpisodeCollectionPoint.sequence).where(
            EpisodeCollectionPoint.episode_id == episode_id,
            EpisodeCollectionPoint.point == PointKind.REVIEW,
        )
    ).all()
    return max(done, default=0) + 1


def link_bundle(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    episode_id: int,
    point_id: int,
    bundle_id: int,
) -> None:
    """Tie an existing bundle of the patient to a collection point (chosen by a person)."""
    episode = _authorize_send(uow, ctx, patient_id, episode_id, "episode.link-bundle")
    point = uow.session.get(EpisodeCollectionPoint, point_id)
    if point is None or point.episode_id != episode.id:
        raise NotFound(f"collection point {point_id} not found")
    bundle = uow.session.get(AssessmentBundle, bundle_id)
    if bundle is None or bundle.patient_id != patient_id:
        raise NotFound(f"bundle {bundle_id} not found")
    if point.bundle_id is not None:
        raise Conflict(f"collection point {point_id} already has its bundle")
    taken = uow.session.scalar(
        select(EpisodeCollectionPoint.id).where(EpisodeCollectionPoint.bundle_id == bundle_id)
    )
    if taken is not None:
        raise Conflict(f"bundle {bundle_id} already belongs to collection point {taken}")
    if bundle.collection_point not in LINKABLE[PointKind(point.point)]:
        raise InvalidInput(
            f"a {bundle.collection_point} bundle does not belong at a {point.point} point"
        )
    point.bundle_id = bundle.id
    uow.commit()


# --- reading ------------------------------------------------------------------------------------


def list_episodes(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PatientEpisodes:
    """The patient's episodes with pathways and collection points (bundle status only)."""
    authorize_patient(
        uow, ctx, patient_id, Kind.DEMOGRAPHICS, Action.READ, audit_action="episode.list"
    )
    result = _episodes(uow, ctx, patient_id)
    uow.commit()
    return result


def _episodes(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PatientEpisodes:
    session = uow.session
    today = ctx.now().date()
    _stop_finished_reminders(session, patient_id=patient_id, now=ctx.now())
    rows = session.scalars(
        select(Episode)
        .where(Episode.patient_id == patient_id)
        .order_by(Episode.referred_on.desc(), Episode.id.desc())
    ).all()
    episode_ids = [r.id for r in rows] or [-1]
    pathways = session.scalars(
        select(EpisodePathway)
        .where(EpisodePathway.episode_id.in_(episode_ids))
        .order_by(EpisodePathway.started_on, EpisodePathway.id)
    ).all()
    points = session.scalars(
        select(EpisodeCollectionPoint)
        .where(EpisodeCollectionPoint.episode_id.in_(episode_ids))
        .order_by(EpisodeCollectionPoint.planned_on, EpisodeCollectionPoint.id)
    ).all()
    bundle_ids = {p.bundle_id for p in points if p.bundle_id is not None}
    progress = _bundle_progress(session, bundle_ids)
    reminding = _reminding(session, patient_id)
    names = {p.id: p.label or PathwayKind(p.kind).value.replace("-", " ") for p in pathways}
    views = []
    for row in rows:
        point_views = [
            _point_view(p, names.get(p.pathway_id or -1), progress, reminding, today)
            for p in points
            if p.episode_id == row.id
        ]
        if row.started_on is not None and row.ended_on is None:
            sequence = _next_review_sequence(session, row.id)
            point_views.append(
                PointView(
                    None,
                    PointKind.REVIEW,
                    point_label(PointKind.REVIEW, sequence) + " (next)",
                    sequence,
                    review_on(row.started_on, row.review_every_weeks, sequence),
                    None,
                    None,
                    None,
                    None,
                    BundleState.NOT_SENT,
                    0,
                    0,
                    False,
                )
            )
        views.append(
            EpisodeView(
                id=row.id,
                patient_id=row.patient_id,
                referred_on=row.referred_on,
                referral_source=row.referral_source,
                started_on=row.started_on,
                ended_on=row.ended_on,
                review_every_weeks=row.review_every_weeks,
                follow_up_after_weeks=row.follow_up_after_weeks,
                pathways=[
                    PathwayView(p.id, PathwayKind(p.kind), names[p.id], p.started_on, p.ended_on)
                    for p in pathways
                    if p.episode_id == row.id
                ],
                points=point_views,
                stage="ended"
                if row.ended_on
                else ("in care" if row.started_on else "referred, waiting for intake"),
            )
        )
    linked = {p.bundle_id for p in points if p.bundle_id is not None}
    unlinked = [
        (b.id, b.bundle_code, b.due_on)
        for b in session.scalars(
            select(AssessmentBundle)
            .where(AssessmentBundle.patient_id == patient_id)
            .order_by(AssessmentBundle.due_on.desc())
        )
        if b.id not in linked and b.collection_point != CollectionPoint.WEEKLY
    ]
    return PatientEpisodes(
        patient_id=patient_id,
        episodes=views,
        can_manage=role_may(ctx.actor.role, Kind.DEMOGRAPHICS, Action.WRITE)
        and ctx.actor.role is not Role.PATIENT,
        can_send=role_may(ctx.actor.role, Kind.TASK, Action.WRITE),
        unlinked_bundles=unlinked,
    )


@dataclass(frozen=True, slots=True)
class _Progress:
    code: str
    due_on: date
    completed_at: datetime | None
    done: int
    total: int


def _bundle_progress(session: Session, bundle_ids: Iterable[int]) -> dict[int, _Progress]:
    ids = set(bundle_ids) or {-1}
    counts: dict[int, list[int]] = {}
    for bundle_id, state in session.execute(
        select(Assessment.bundle_id, Assessment.state).where(Assessment.bundle_id.in_(ids))
    ).all():
        pair = counts.setdefault(bundle_id or -1, [0, 0])
        pair[1] += 1
        if state == assessments.State.COMPLETED:
            pair[0] += 1
    out = {}
    for b in session.scalars(select(AssessmentBundle).where(AssessmentBundle.id.in_(ids))):
        done, total = counts.get(b.id, [0, 0])
        out[b.id] = _Progress(b.bundle_code, b.due_on, b.completed_at, done, total)
    return out


def _state(progress: _Progress | None, today: date) -> BundleState:
    if progress is None:
        return BundleState.NOT_SENT
    if progress.completed_at is not None:
        return BundleState.COMPLETE
    return BundleState.OVERDUE if progress.due_on < today else BundleState.OPEN


def _point_view(
    p: EpisodeCollectionPoint,
    pathway: str | None,
    progress: dict[int, _Progress],
    reminding: set[int],
    today: date,
) -> PointView:
    info = progress.get(p.bundle_id) if p.bundle_id is not None else None
    point = PointKind(p.point)
    return PointView(
        id=p.id,
        point=point,
        label=point_label(point, p.sequence, pathway),
        sequence=p.sequence,
        planned_on=p.planned_on,
        pathway_id=p.pathway_id,
        bundle_id=p.bundle_id,
        bundle_code=info.code if info else None,
        due_on=info.due_on if info else None,
        state=_state(info, today),
        done=info.done if info else 0,
        total=info.total if info else 0,
        is_reminding=p.bundle_id in reminding,
    )


def summary_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    """Overview card: the current episode's stage and its next collection point."""
    if not role_may(ctx.actor.role, Kind.DEMOGRAPHICS, Action.READ):
        return None
    data = list_episodes(uow, ctx, patient_id)
    current = data.current
    if current is None:
        return [f"Last episode ended {data.episodes[0].ended_on}"] if data.episodes else []
    lines = [f"Episode: {current.stage} (referred {current.referred_on.isoformat()})"]
    for p in current.points:
        if p.state in (BundleState.OPEN, BundleState.OVERDUE):
            lines.append(f"{p.label}: {p.done} of {p.total} questionnaires done ({p.state})")
    upcoming = [p for p in current.points if p.id is None]
    if upcoming:
        lines.append(f"Next: {upcoming[0].label} on {upcoming[0].planned_on.isoformat()}")
    return lines


# --- reminders ----------------------------------------------------------------------------------


def _reminding(session: Session, patient_id: int | None) -> set[int]:
    query = select(ReminderPlanRecord.item_code).where(
        ReminderPlanRecord.is_active.is_(True),
        ReminderPlanRecord.item_code.like(f"{REMINDER_PREFIX}%"),
    )
    if patient_id is not None:
        query = query.where(ReminderPlanRecord.patient_id == patient_id)
    return {int(code.removeprefix(REMINDER_PREFIX)) for code in session.scalars(query)}


def _stop_finished_reminders(session: Session, *, patient_id: int | None, now: datetime) -> None:
    """Switch off bundle reminder plans whose bundle is complete (they are already never sent:
    see bundle_reminders_done)."""
    query = select(ReminderPlanRecord).where(
        ReminderPlanRecord.is_active.is_(True),
        ReminderPlanRecord.item_code.like(f"{REMINDER_PREFIX}%"),
    )
    if patient_id is not None:
        query = query.where(ReminderPlanRecord.patient_id == patient_id)
    plans = list(session.scalars(query))
    if not plans:
        return
    complete = _complete_bundles(session, [_bundle_of(p.item_code) for p in plans])
    for plan in plans:
        if _bundle_of(plan.item_code) in complete:
            plan.is_active = False
            plan.updated_at = now
    session.flush()


def _bundle_of(item_code: str) -> int:
    return int(item_code.removeprefix(REMINDER_PREFIX))


def _complete_bundles(session: Session, bundle_ids: Iterable[int]) -> set[int]:
    ids = set(bundle_ids) or {-1}
    return set(
        session.scalars(
            select(AssessmentBundle.id).where(
                AssessmentBundle.id.in_(ids), AssessmentBundle.completed_at.is_not(None)
            )
        )
    )


def bundle_reminders_done(
    session: Session, patient_id: int, start: date, end: date
) -> list[DoneItem]:
    """DONE_PROVIDER: a complete bundle's reminder is done on every day, so it stops at once."""
    codes = session.scalars(
        select(ReminderPlanRecord.item_code).where(
            ReminderPlanRecord.patient_id == patient_id,
            ReminderPlanRecord.item_code.like(f"{REMINDER_PREFIX}%"),
        )
    ).all()
    if not codes:
        return []
    complete = _complete_bundles(session, [_bundle_of(c) for c in codes])
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [DoneItem(code, day) for code in codes if _bundle_of(code) in complete for day in days]


portal_reminders.DONE_PROVIDERS.append(bundle_reminders_done)


@dataclass(frozen=True, slots=True)
class ReminderResult:
    bundle_id: int
    channel: ReminderChannel
    plan_id: int | None
    task_id: int | None


def remind_bundle(
    uow: UnitOfWork, ctx: RequestContext, bundle_id: int, channel: ReminderChannel
) -> ReminderResult:
    """One click: remind the patient about an open bundle (daily in the app or by e-mail until
    it is complete), or give the coordinator a task to phone."""
    bundle = uow.session.get(AssessmentBundle, bundle_id)
    if bundle is None:
        raise NotFound(f"bundle {bundle_id} not found")
    patient = authorize_patient(
        uow,
        ctx,
        bundle.patient_id,
        Kind.TASK,
        Action.WRITE,
        audit_action="episode.remind",
        resource_id=bundle_id,
    )
    if bundle.completed_at is not None:
        raise Conflict(f"bundle {bundle_id} is complete: no reminder needed")
    now = ctx.now()
    if channel is ReminderChannel.TASK:
        task = TaskRecord(
            patient_id=patient.id,
            title="Remind the patient about their questionnaires",
            detail=f"Bundle {bundle.bundle_code} (id {bundle.id}) due {bundle.due_on.isoformat()}",
            owner_role=Role.COORDINATOR.value,
            due_on=now.date(),
            state=TaskState.OPEN,
            created_by_id=_user_id(ctx),
            created_at=now,
        )
        uow.session.add(task)
        uow.session.flush()
        result = ReminderResult(bundle_id, channel, None, task.id)
        uow.commit()
        return result
    if channel is ReminderChannel.EMAIL and not patient.email:
        raise InvalidInput("the patient has no e-mail address: choose an in-app reminder")
    code = f"{REMINDER_PREFIX}{bundle.id}"
    plan = uow.session.scalar(
        select(ReminderPlanRecord).where(
            ReminderPlanRecord.patient_id == patient.id, ReminderPlanRecord.item_code == code
        )
    )
    if plan is None:
        plan = ReminderPlanRecord(
            patient_id=patient.id,
            item_code=code,
            kind=ReminderKind.QUESTIONNAIRE.value,
            label="Questionnaires to fill in",
            local_times=[REMINDER_TIME],
            iso_weekdays=[],
            is_email=channel is ReminderChannel.EMAIL,
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        uow.session.add(plan)
    else:
        plan.is_active = True
        plan.is_email = plan.is_email or channel is ReminderChannel.EMAIL
        plan.updated_at = now
    uow.session.flush()
    result = ReminderResult(bundle_id, channel, plan.id, None)
    uow.commit()
    return result


# --- coordinator worklist -----------------------------------------------------------------------


class Show(StrEnum):
    DUE = "due"  # due within 7 days or overdue
    OVERDUE = "overdue"
    ALL = "all"  # every open bundle


class Progress(StrEnum):
    ANY = ""
    NOT_STARTED = "not-started"
    STARTED = "started"


@dataclass(frozen=True, slots=True)
class WorkLine:
    line: assessments.DueLine
    point_label: str | None
    point: PointKind | None
    team_id: int
    is_reminding: bool


@dataclass(frozen=True, slots=True)
class Worklist:
    lines: list[WorkLine]
    teams: list[tuple[int, str]]
    points: list[PointKind]


def worklist(
    uow: UnitOfWork,
    ctx: RequestContext,
    *,
    show: Show = Show.DUE,
    point: PointKind | None = None,
    team_id: int | None = None,
    progress: Progress = Progress.ANY,
    name: str = "",
) -> Worklist:
    """The coordinator's worklist (status only), filtered, with each bundle's collection point
    and whether a reminder is running."""
    days = {Show.DUE: 7, Show.OVERDUE: 0, Show.ALL: 3660}[show]
    lines = assessments.list_due(uow, ctx, overdue_only=show is Show.OVERDUE, days_ahead=days)
    session = uow.session
    _stop_finished_reminders(session, patient_id=None, now=ctx.now())
    bundle_ids = {line.bundle_id for line in lines if line.bundle_id is not None}
    points: dict[int, EpisodeCollectionPoint] = {
        p.bundle_id: p
        for p in session.scalars(
            select(EpisodeCollectionPoint).where(
                EpisodeCollectionPoint.bundle_id.in_(bundle_ids or {-1})
            )
        )
        if p.bundle_id is not None
    }
    teams = {
        p.id: p.care_team_id
        for p in session.scalars(
            select(Patient).where(Patient.id.in_({line.patient_id for line in lines} or {-1}))
        )
    }
    reminding = _reminding(session, None)
    needle = name.strip().casefold()
    out = []
    for line in lines:
        cp = points.get(line.bundle_id) if line.bundle_id is not None else None
        kind = PointKind(cp.point) if cp else None
        if point is not None and kind is not point:
            continue
        if team_id is not None and teams.get(line.patient_id) != team_id:
            continue
        started = line.in_progress > 0 or line.open_count < line.total_count
        if progress is Progress.NOT_STARTED and started:
            continue
        if progress is Progress.STARTED and not started:
            continue
        if needle and needle not in line.patient_name.casefold():
            continue
        out.append(
            WorkLine(
                line=line,
                point_label=point_label(kind, cp.sequence) if cp and kind else None,
                point=kind,
                team_id=teams.get(line.patient_id, -1),
                is_reminding=line.bundle_id in reminding,
            )
        )
    team_names = [
        (t.id, t.name)
        for t in session.scalars(
            select(CareTeam)
            .where(CareTeam.id.in_(ctx.actor.team_ids or {-1}))
            .order_by(CareTeam.name)
        )
    ]
    uow.commit()
    return Worklist(out, team_names, list(PointKind))
