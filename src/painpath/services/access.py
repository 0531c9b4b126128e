"""The single enforcement point for patient data: load, authorise, audit. Every use case that
touches a patient record goes through authorize_patient()."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from painpath.records.enums import Role
from painpath.records.models import CareTeamMember, Patient, UserAccount
from painpath.records.models_access import BreakGlassGrant
from painpath.security.policy import GRANTS, Action, Actor, Kind, Resource, can
from painpath.services import audit
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork


def actor_for(uow: UnitOfWork, user: UserAccount, *, now: datetime | None = None) -> Actor:
    team_ids = frozenset(
        uow.session.scalars(
            select(CareTeamMember.care_team_id).where(CareTeamMember.user_id == user.id)
        )
    )
    glass: frozenset[int] = frozenset()
    if now is not None and user.role.is_staff:
        glass = frozenset(
            uow.session.scalars(
                select(BreakGlassGrant.patient_id).where(
                    BreakGlassGrant.user_id == user.id, BreakGlassGrant.expires_at > now
                )
            )
        )
    return Actor(
        user_id=user.id,
        username=user.username,
        role=user.role,
        team_ids=team_ids,
        patient_id=user.patient_id,
        break_glass_patient_ids=glass,
    )


# SAFETY: emergency access is short and must be justified; it is flagged in the audit log and shown
# to the patient (product.md, "Break the glass").
BREAK_GLASS_MAX = timedelta(hours=4)
BREAK_GLASS_MIN_REASON = 15
BREAK_GLASS_ROLES = frozenset(
    {Role.PHYSICIAN, Role.PHYSIOTHERAPIST, Role.PSYCHOLOGIST, Role.PHARMACIST, Role.COORDINATOR}
)


def break_the_glass(
    uow: UnitOfWork,
    ctx: RequestContext,
    *,
    mrn: str,
    reason: str,
    duration: timedelta = timedelta(hours=1),
) -> int:
    """Grant the actor time-limited access to one patient outside their teams; returns its id."""
    if ctx.actor.role not in BREAK_GLASS_ROLES:
        raise PermissionDenied(f"{ctx.actor.role} cannot use emergency access")
    if len(reason.strip()) < BREAK_GLASS_MIN_REASON:
        raise InvalidInput(f"give a reason of at least {BREAK_GLASS_MIN_REASON} characters")
    if not timedelta(minutes=5) <= duration <= BREAK_GLASS_MAX:
        raise InvalidInput("emergency access lasts between 5 minutes and 4 hours")
    patient = uow.session.scalar(
        select(Patient).where(func.upper(Patient.mrn) == mrn.strip().upper())
    )
    if patient is None:
        audit.record_denied(
            uow, ctx, action="break-glass", resource=Kind.DEMOGRAPHICS, detail="no such record"
        )
        raise NotFound(f"record {mrn.strip()} not found")
    now = ctx.now()
    grant = BreakGlassGrant(
        user_id=ctx.actor.user_id,
        patient_id=patient.id,
        reason=reason.strip(),
        granted_at=now,
        expires_at=now + duration,
    )
    uow.session.add(grant)
    uow.session.flush()
    audit.append(
        uow.session,
        ctx,
        action="break-glass",
        resource=Kind.DEMOGRAPHICS,
        patient_id=patient.id,
        resource_id=grant.id,
        detail=f"BREAK-GLASS until {grant.expires_at.isoformat()}: {grant.reason}",
    )
    uow.commit()
    return patient.id


def role_may(role: Role, kind: Kind, action: Action) -> bool:
    return action in GRANTS.get(kind, {}).get(role, frozenset())


def authorize_patient(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    kind: Kind,
    action: Action,
    *,
    audit_action: str | None = None,
    resource_id: str | int | None = None,
) -> Patient:
    """Return the patient if ctx.actor may perform action on kind; audit either way.

    Out-of-scope access answers NotFound (not Forbidden), so a probe cannot learn which record
    numbers exist; the denial is still written to the audit log.
    """
    label = audit_action or f"{kind}.{action}"
    patient = uow.session.get(Patient, patient_id)
    if patient is None:
        audit.record_denied(
            uow, ctx, action=label, resource=kind, patient_id=patient_id, detail="no such patient"
        )
        raise NotFound(f"patient {patient_id} not found")
    decision = can(ctx.actor, action, Resource(kind, patient.id, patient.care_team_id))
    if not decision:
        audit.record_denied(
            uow,
            ctx,
            action=label,
            resource=kind,
            patient_id=patient_id,
            resource_id=resource_id,
            detail=decision.reason,
        )
        if _is_in_scope_but_not_granted(ctx.actor, patient):
            raise PermissionDenied(f"{ctx.actor.role} may not {action} {kind}")
        raise NotFound(f"patient {patient_id} not found")
    audit.append(
        uow.session,
        ctx,
        action=label,
        resource=kind,
        patient_id=patient.id,
        resource_id=resource_id,
        detail=decision.reason,
    )
    return patient


def guard_patient(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, kind: Kind, action: Action
) -> None:
    """Refuse (and audit the refusal) before a request body is even validated; a granted
    request is audited by the use case itself, so nothing is written here on success."""
    patient = uow.session.get(Patient, patient_id)
    if patient is not None and can(
        ctx.actor, action, Resource(kind, patient.id, patient.care_team_id)
    ):
        uow.rollback()
        return
    authorize_patient(uow, ctx, patient_id, kind, action)


def _is_in_scope_but_not_granted(actor: Actor, patient: Patient) -> bool:
    # A team member lacking a grant already knows the patient exists: a 403 explains more.
    if actor.role is Role.PATIENT:
        return actor.patient_id == patient.id
    return patient.care_team_id in actor.team_ids


def require_role_grant(ctx: RequestContext, kind: Kind, action: Action) -> None:
    if not role_may(ctx.actor.role, kind, action):
        raise PermissionDenied(f"{ctx.actor.role} may not {action} {kind}")
