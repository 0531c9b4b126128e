"""Patient record use cases: list, read the overview, register, update, injuries, comorbidities."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, or_, select

from painpath.records.enums import Role, Sex, Side
from painpath.records.models import (
    CareTeam,
    CareTeamMember,
    Comorbidity,
    Injury,
    Patient,
    UserAccount,
)
from painpath.security.policy import Action, Kind, Resource, can
from painpath.services import audit
from painpath.services.access import authorize_patient, require_role_grant
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound
from painpath.services.uow import UnitOfWork

MAX_PAGE = 100
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class PatientSummary:
    id: int
    mrn: str
    display_name: str
    born_on: date
    care_team: str
    main_injury: str | None


@dataclass(frozen=True, slots=True)
class InjuryView:
    id: int
    mechanism: str
    injured_on: date
    body_region: str
    side: Side
    nerves: list[str]
    description: str


@dataclass(frozen=True, slots=True)
class ComorbidityView:
    id: int
    name: str
    code: str | None
    noted_on: date | None


@dataclass(frozen=True, slots=True)
class TeamMemberView:
    full_name: str
    role: Role


@dataclass(frozen=True, slots=True)
class PatientOverview:
    id: int
    mrn: str
    given_name: str
    family_name: str
    born_on: date
    sex: Sex
    timezone: str
    preferred_language: str
    email: str | None
    phone: str | None
    occupation: str
    care_team_id: int
    care_team: str
    team_members: list[TeamMemberView]
    injuries: list[InjuryView]
    comorbidities: list[ComorbidityView]
    updated_at: datetime

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, today: date) -> int:
        had_birthday = (today.month, today.day) >= (self.born_on.month, self.born_on.day)
        return today.year - self.born_on.year - (0 if had_birthday else 1)


@dataclass(frozen=True, slots=True)
class InjuryInput:
    mechanism: str
    injured_on: date
    body_region: str
    side: Side
    nerves: list[str] = field(default_factory=list)
    description: str = ""


@dataclass(frozen=True, slots=True)
class PatientInput:
    given_name: str
    family_name: str
    born_on: date
    sex: Sex
    care_team_id: int
    timezone: str = "UTC"
    preferred_language: str = "en"
    email: str | None = None
    phone: str | None = None
    occupation: str = ""


PATIENT_EDITABLE = frozenset(
    {
        "given_name",
        "family_name",
        "born_on",
        "sex",
        "timezone",
        "preferred_language",
        "email",
        "phone",
        "occupation",
        "care_team_id",
    }
)


def list_patients(
    uow: UnitOfWork,
    ctx: RequestContext,
    *,
    search: str = "",
    limit: int = 25,
    offset: int = 0,
) -> Page[PatientSummary]:
    require_role_grant(ctx, Kind.DEMOGRAPHICS, Action.READ)
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    query = select(Patient)
    if ctx.actor.role is Role.PATIENT:
        query = query.where(Patient.id == (ctx.actor.patient_id or -1))
    else:
        query = query.where(Patient.care_team_id.in_(ctx.actor.team_ids or {-1}))
    if search.strip():
        term = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Patient.given_name).like(term),
                func.lower(Patient.family_name).like(term),
                func.lower(Patient.mrn).like(term),
            )
        )
    total = uow.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = uow.session.scalars(
        query.order_by(Patient.family_name, Patient.given_name, Patient.id)
        .limit(limit)
        .offset(offset)
    ).all()
    items = [_summary(p) for p in rows]
    audit.append(
        uow.session,
        ctx,
        action="patient.list",
        resource=Kind.DEMOGRAPHICS,
        detail="ids=" + ",".join(str(p.id) for p in items),
    )
    uow.commit()
    return Page(items, total, limit, offset)


def _summary(patient: Patient) -> PatientSummary:
    first = patient.injuries[0] if patient.injuries else None
    return PatientSummary(
        id=patient.id,
        mrn=patient.mrn,
        display_name=f"{patient.given_name} {patient.family_name}",
        born_on=patient.born_on,
        care_team=patient.care_team.name,
        main_injury=f"{first.body_region} ({first.mechanism})" if first else None,
    )


def get_overview(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> PatientOverview:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DEMOGRAPHICS, Action.READ, audit_action="patient.read"
    )
    overview = _overview(uow, patient)
    uow.commit()
    return overview


def _overview(uow: UnitOfWork, patient: Patient) -> PatientOverview:
    members = uow.session.execute(
        select(UserAccount.full_name, UserAccount.role)
        .join(CareTeamMember, CareTeamMember.user_id == UserAccount.id)
        .where(CareTeamMember.care_team_id == patient.care_team_id, UserAccount.is_active)
        .order_by(UserAccount.role, UserAccount.full_name)
    ).all()
    return PatientOverview(
        id=patient.id,
        mrn=patient.mrn,
        given_name=patient.given_name,
        family_name=patient.family_name,
        born_on=patient.born_on,
        sex=patient.sex,
        timezone=patient.timezone,
        preferred_language=patient.preferred_language,
        email=patient.email,
        phone=patient.phone,
        occupation=patient.occupation,
        care_team_id=patient.care_team_id,
        care_team=patient.care_team.name,
        team_members=[TeamMemberView(name, role) for name, role in members],
        injuries=[
            InjuryView(
                i.id,
                i.mechanism,
                i.injured_on,
                i.body_region,
                i.side,
                list(i.nerves),
                i.description,
            )
            for i in patient.injuries
        ],
        comorbidities=[
            ComorbidityView(c.id, c.name, c.code, c.noted_on) for c in patient.comorbidities
        ],
        updated_at=patient.updated_at,
    )


def register_patient(
    uow: UnitOfWork, ctx: RequestContext, data: PatientInput, injuries: list[InjuryInput]
) -> PatientOverview:
    _validate_patient_fields(uow, ctx, _as_dict(data))
    team_decision = can(ctx.actor, Action.WRITE, Resource(Kind.DEMOGRAPHICS, -1, data.care_team_id))
    if not team_decision:
        audit.record_denied(
            uow,
            ctx,
            action="patient.create",
            resource=Kind.DEMOGRAPHICS,
            detail=team_decision.reason,
        )
        raise NotFound(f"care team {data.care_team_id} not found")
    now = ctx.now()
    patient = Patient(
        **_as_dict(data), mrn=f"tmp-{uuid.uuid4().hex[:24]}", created_at=now, updated_at=now
    )
    uow.session.add(patient)
    uow.session.flush()
    patient.mrn = f"PP-{patient.id:06d}"
    for injury in injuries:
        patient.injuries.append(_injury_row(injury))
    audit.append(
        uow.session,
        ctx,
        action="patient.create",
        resource=Kind.DEMOGRAPHICS,
        patient_id=patient.id,
        resource_id=patient.id,
    )
    uow.session.flush()
    uow.session.refresh(patient)
    overview = _overview(uow, patient)
    uow.commit()
    return overview


def update_patient(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, changes: dict[str, object]
) -> PatientOverview:
    unknown = set(changes) - PATIENT_EDITABLE
    if unknown:
        raise InvalidInput(f"fields cannot be changed: {', '.join(sorted(unknown))}")
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DEMOGRAPHICS, Action.WRITE, audit_action="patient.update"
    )
    _validate_patient_fields(uow, ctx, changes)
    if "care_team_id" in changes and changes["care_team_id"] not in ctx.actor.team_ids:
        raise InvalidInput("you can only move a patient to a care team you belong to")
    for name, value in changes.items():
        setattr(patient, name, value)
    patient.updated_at = ctx.now()
    uow.session.flush()
    overview = _overview(uow, patient)
    uow.commit()
    return overview


def add_injury(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, injury: InjuryInput
) -> InjuryView:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DEMOGRAPHICS, Action.WRITE, audit_action="injury.create"
    )
    if injury.injured_on > ctx.now().date():
        raise InvalidInput("injured_on cannot be in the future")
    row = _injury_row(injury)
    patient.injuries.append(row)
    patient.updated_at = ctx.now()
    uow.session.flush()
    view = InjuryView(
        row.id,
        row.mechanism,
        row.injured_on,
        row.body_region,
        row.side,
        row.nerves,
        row.description,
    )
    uow.commit()
    return view


def add_comorbidity(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    name: str,
    code: str | None = None,
    noted_on: date | None = None,
) -> ComorbidityView:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.DEMOGRAPHICS, Action.WRITE, audit_action="comorbidity.create"
    )
    if not name.strip():
        raise InvalidInput("name must not be empty")
    row = Comorbidity(name=name.strip(), code=code, noted_on=noted_on)
    patient.comorbidities.append(row)
    patient.updated_at = ctx.now()
    uow.session.flush()
    view = ComorbidityView(row.id, row.name, row.code, row.noted_on)
    uow.commit()
    return view


def list_care_teams(uow: UnitOfWork, ctx: RequestContext) -> list[tuple[int, str]]:
    rows = uow.session.execute(
        select(CareTeam.id, CareTeam.name)
        .where(CareTeam.id.in_(ctx.actor.team_ids or {-1}))
        .order_by(CareTeam.name)
    ).all()
    return [(team_id, name) for team_id, name in rows]


def _injury_row(injury: InjuryInput) -> Injury:
    if not injury.mechanism.strip() or not injury.body_region.strip():
        raise InvalidInput("injury needs a mechanism and a body region")
    return Injury(
        mechanism=injury.mechanism.strip(),
        injured_on=injury.injured_on,
        body_region=injury.body_region.strip(),
        side=injury.side,
        nerves=[n.strip() for n in injury.nerves if n.strip()],
        description=injury.description,
    )


def _as_dict(data: PatientInput) -> dict[str, object]:
    return {name: getattr(data, name) for name in PatientInput.__dataclass_fields__}


def _validate_patient_fields(
    uow: UnitOfWork, ctx: RequestContext, values: dict[str, object]
) -> None:
    for name in ("given_name", "family_name"):
        if name in values and not str(values[name]).strip():
            raise InvalidInput(f"{name} must not be empty")
    born_on = values.get("born_on")
    if isinstance(born_on, date) and (born_on > ctx.now().date() or born_on.year < 1900):
        raise InvalidInput("born_on must be a past date after 1900")
    zone = values.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"timezone {zone!r} is not an IANA time zone name") from exc
    team_id = values.get("care_team_id")
    if team_id is not None and uow.session.get(CareTeam, team_id) is None:
        raise InvalidInput(f"care team {team_id} does not exist")
