"""Community resources directory (tagged by region and need), recommendations to a patient in
plain language, and per-patient financial notes (assistance programmes, cost-effective
alternatives flagged). The directory is clinic data; the demo entries are fictional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, or_, select

from painpath.records.enums import Role
from painpath.records.models import UserAccount
from painpath.records.models_teamwork import (
    CommunityResource,
    FinancialNote,
    ResourceRecommendation,
)
from painpath.security.policy import Action, Kind
from painpath.services import audit
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from painpath.services.uow import UnitOfWork


class Need(StrEnum):
    SUPPORT_GROUP = "support-group"
    SELF_MANAGEMENT = "self-management-course"
    FINANCIAL = "financial-assistance"
    TRANSPORT = "transport"


NEED_LABELS = {
    Need.SUPPORT_GROUP: "Support groups",
    Need.SELF_MANAGEMENT: "Pain self-management courses",
    Need.FINANCIAL: "Help with money",
    Need.TRANSPORT: "Getting to appointments",
}


class FinancialKind(StrEnum):
    ASSISTANCE = "assistance"
    ALTERNATIVE = "alternative"
    OTHER = "other"


COST_BANDS = ("free", "low", "moderate", "high")
DIRECTORY_EDITORS = frozenset({Role.COORDINATOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class ResourceView:
    id: int
    name: str
    plain_summary: str
    region: str
    needs: list[str]
    need_labels: list[str]
    contact: str
    cost_band: str
    is_demo: bool


@dataclass(frozen=True, slots=True)
class RecommendationView:
    id: int
    resource: ResourceView
    note: str
    recommended_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FinancialNoteView:
    id: int
    kind: FinancialKind
    text: str
    is_cost_effective_alternative: bool
    author: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PatientResources:
    patient_id: int
    recommendations: list[RecommendationView]
    financial_notes: list[FinancialNoteView]


def _view(r: CommunityResource) -> ResourceView:
    labels = [NEED_LABELS[Need(n)] for n in r.needs if n in Need._value2member_map_]
    return ResourceView(
        r.id,
        r.name,
        r.plain_summary,
        r.region,
        list(r.needs),
        labels,
        r.contact,
        r.cost_band,
        r.is_demo,
    )


def _require_signed_in(ctx: RequestContext) -> None:
    if ctx.actor.user_id <= 0:
        raise PermissionDenied("sign in to see the directory")


def regions(uow: UnitOfWork) -> list[str]:
    return sorted(
        set(
            uow.session.scalars(
                select(CommunityResource.region).where(CommunityResource.is_active.is_(True))
            )
        )
    )


def search_resources(
    uow: UnitOfWork,
    ctx: RequestContext,
    *,
    text: str = "",
    region: str = "",
    need: str = "",
) -> list[ResourceView]:
    """Directory search (no patient data): words in the name or summary, region, need."""
    _require_signed_in(ctx)
    query = select(CommunityResource).where(CommunityResource.is_active.is_(True))
    if region.strip():
        query = query.where(CommunityResource.region == region.strip())
    for word in text.split()[:8]:
        like = f"%{word.lower()}%"
        query = query.where(
            or_(
                func.lower(CommunityResource.name).like(like),
                func.lower(CommunityResource.plain_summary).like(like),
            )
        )
    rows = uow.session.scalars(query.order_by(CommunityResource.name)).all()
    views = [_view(r) for r in rows if not need or need in r.needs]
    uow.rollback()
    return views


def add_resource(
    uow: UnitOfWork,
    ctx: RequestContext,
    *,
    name: str,
    plain_summary: str,
    region: str,
    needs: list[Need],
    contact: str = "",
    cost_band: str = "free",
) -> int:
    """Coordinators keep the directory; audited as a clinic configuration change."""
    if ctx.actor.role not in DIRECTORY_EDITORS:
        raise PermissionDenied(f"{ctx.actor.role} does not edit the resources directory")
    if not name.strip() or not plain_summary.strip() or not region.strip():
        raise InvalidInput("a resource needs a name, a plain summary and a region")
    if not needs:
        raise InvalidInput("tag the resource with at least one need")
    if cost_band not in COST_BANDS:
        raise InvalidInput(f"cost band is one of {', '.join(COST_BANDS)}")
    row = CommunityResource(
        name=name.strip()[:200],
        plain_summary=plain_summary.strip(),
        region=region.strip()[:100],
        needs=[n.value for n in needs],
        contact=contact.strip()[:300],
        cost_band=cost_band,
        is_demo=False,
        is_active=True,
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    audit.append(
        uow.session, ctx, action="resource.create", resource=Kind.USERS, resource_id=row.id
    )
    uow.commit()
    return row.id


def recommend_resource(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, resource_id: int, *, note: str = ""
) -> int:
    authorize_patient(
        uow,
        ctx,
        patient_id,
        Kind.CLINICAL_NOTE,
        Action.WRITE,
        audit_action="resource.recommend",
        resource_id=resource_id,
    )
    if ctx.actor.role is Role.PATIENT:
        raise PermissionDenied("staff recommend resources")
    resource = uow.session.get(CommunityResource, resource_id)
    if resource is None or not resource.is_active:
        raise NotFound(f"resource {resource_id} not found")
    if len(note) > 1000:
        raise InvalidInput("the note is limited to 1000 characters")
    user = uow.session.get_one(UserAccount, ctx.actor.user_id)
    rec = ResourceRecommendation(
        patient_id=patient_id,
        resource_id=resource_id,
        note=note.strip(),
        recommended_by_id=user.id,
        recommended_by_name=user.full_name,
        created_at=ctx.now(),
    )
    uow.session.add(rec)
    uow.session.flush()
    uow.commit()
    return rec.id


def add_financial_note(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    kind: FinancialKind,
    text: str,
    is_cost_effective_alternative: bool = False,
) -> int:
    authorize_patient(
        uow, ctx, patient_id, Kind.CLINICAL_NOTE, Action.WRITE, audit_action="financial-note.add"
    )
    if ctx.actor.role is Role.PATIENT:
        raise PermissionDenied("staff write financial notes")
    if not text.strip() or len(text) > 2000:
        raise InvalidInput("write the note (up to 2000 characters)")
    user = uow.session.get_one(UserAccount, ctx.actor.user_id)
    row = FinancialNote(
        patient_id=patient_id,
        kind=kind.value,
        text=text.strip(),
        is_cost_effective_alternative=is_cost_effective_alternative,
        author_id=user.id,
        author_name=user.full_name,
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    uow.commit()
    return row.id


def patient_resources(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PatientResources:
    authorize_patient(
        uow, ctx, patient_id, Kind.CLINICAL_NOTE, Action.READ, audit_action="resource.list"
    )
    recs = uow.session.scalars(
        select(ResourceRecommendation)
        .where(ResourceRecommendation.patient_id == patient_id)
        .order_by(ResourceRecommendation.created_at.desc(), ResourceRecommendation.id.desc())
    ).all()
    notes = uow.session.scalars(
        select(FinancialNote)
        .where(FinancialNote.patient_id == patient_id)
        .order_by(FinancialNote.created_at.desc(), FinancialNote.id.desc())
    ).all()
    view = PatientResources(
        patient_id,
        [
            RecommendationView(r.id, _view(r.resource), r.note, r.recommended_by_name, r.created_at)
            for r in recs
        ],
        [
            FinancialNoteView(
                n.id,
                FinancialKind(n.kind),
                n.text,
                n.is_cost_effective_alternative,
                n.author_name,
                n.created_at,
            )
            for n in notes
        ],
    )
    uow.commit()
    return view


def summary_lines(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[str] | None:
    if not role_may(ctx.actor.role, Kind.CLINICAL_NOTE, Action.READ):
        return None
    data = patient_resources(uow, ctx, patient_id)
    lines = []
    if data.recommendations:
        lines.append(f"{len(data.recommendations)} community resource(s) recommended")
    flagged = sum(1 for n in data.financial_notes if n.is_cost_effective_alternative)
    if data.financial_notes:
        lines.append(
            f"{len(data.financial_notes)} financial note(s)"
            + (f", {flagged} cost-effective alternative(s) flagged" if flagged else "")
        )
    return lines
