"""Visits (in person / video / phone) with an ICS calendar export, and the shared-decision
options view with the patient's stated preference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlparse

from sqlalchemy import select

from painpath.clinical.medications.formulary import default_formulary
from painpath.records.enums import Role
from painpath.records.models import UserAccount
from painpath.records.models_careplan import TreatmentPreference, Visit
from painpath.security.policy import Action, Kind
from painpath.services import audit
from painpath.services.access import authorize_patient
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, PermissionDenied
from painpath.services.uow import UnitOfWork

MODES: Final = ("in-person", "video", "phone")
MODE_LABELS: Final = {"in-person": "In person", "video": "Video call", "phone": "Phone call"}


@dataclass(frozen=True, slots=True)
class VisitView:
    id: int
    starts_at: datetime
    minutes: int
    mode: str
    mode_label: str
    location: str
    video_link: str
    purpose: str
    clinician: str
    state: str


@dataclass(frozen=True, slots=True)
class VisitList:
    patient_id: int
    patient_name: str
    patient_timezone: str
    visits: tuple[VisitView, ...]


def book_visit(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    *,
    starts_at: datetime,
    minutes: int,
    mode: str,
    location: str = "",
    video_link: str = "",
    purpose: str = "",
) -> int:
    authorize_patient(uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="visit.book")
    if ctx.actor.role is Role.PATIENT or ctx.actor.role is Role.ADMIN:
        raise PermissionDenied("visits are booked by the care team")
    if mode not in MODES:
        raise InvalidInput(f"visit type must be one of {', '.join(MODES)}")
    if starts_at.tzinfo is None:
        raise InvalidInput("a visit time needs a time zone")
    if not 5 <= minutes <= 240:
        raise InvalidInput("a visit lasts between 5 and 240 minutes")
    link = video_link.strip()
    if mode == "video":
        parsed = urlparse(link)
        if parsed.scheme != "https" or not parsed.netloc:
            raise InvalidInput("a video visit needs an https:// link")
    elif link:
        raise InvalidInput("only video visits have a link")
    if mode == "in-person" and not location.strip():
        raise InvalidInput("say where the visit takes place")
    visit = Visit(
        patient_id=patient_id,
        starts_at=starts_at.astimezone(UTC),
        minutes=minutes,
        mode=mode,
        location=location.strip()[:200],
        video_link=link[:500],
        purpose=purpose.strip()[:200],
        clinician_id=ctx.actor.user_id,
        state="booked",
        created_at=ctx.now(),
    )
    uow.session.add(visit)
    uow.session.flush()
    uow.commit()
    return visit.id


def list_visits(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> VisitList:
    patient = authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="visit.list"
    )
    rows = uow.session.execute(
        select(Visit, UserAccount.full_name)
        .outerjoin(UserAccount, UserAccount.id == Visit.clinician_id)
        .where(Visit.patient_id == patient_id)
        .order_by(Visit.starts_at)
    ).all()
    view = VisitList(
        patient_id,
        f"{patient.given_name} {patient.family_name}",
        patient.timezone,
        tuple(
            VisitView(
                v.id,
                v.starts_at,
                v.minutes,
                v.mode,
                MODE_LABELS[v.mode],
                v.location,
                v.video_link,
                v.purpose,
                name or "",
                v.state,
            )
            for v, name in rows
        ),
    )
    uow.commit()
    return view


def _ics_text(value: str) -> str:
    # RFC 5545 3.3.11: escape backslash, semicolon, comma and newlines in TEXT values.
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    # RFC 5545 3.1: lines longer than 75 octets are folded with CRLF + a space.
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) > 75:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def calendar(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> str:
    """An iCalendar (RFC 5545) file of the patient's booked visits, times in UTC."""
    listing = list_visits(uow, ctx, patient_id)
    stamp = ctx.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//painpath//visits//EN",
        "CALSCALE:GREGORIAN",
    ]
    for v in listing.visits:
        if v.state != "booked":
            continue
        start = v.starts_at.astimezone(UTC)
        end = start.timestamp() + v.minutes * 60
        where = v.video_link if v.mode == "video" else v.location or MODE_LABELS[v.mode]
        summary = f"{MODE_LABELS[v.mode]}: {v.purpose or 'pain clinic visit'}"
        description = f"With {v.clinician}." if v.clinician else ""
        if v.mode == "video":
            description += f" Join: {v.video_link}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:visit-{v.id}@painpath",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTEND:{datetime.fromtimestamp(end, UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"SUMMARY:{_ics_text(summary)}",
            f"LOCATION:{_ics_text(where)}",
            f"DESCRIPTION:{_ics_text(description.strip())}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


# ------------------------------------------------------------------------ shared decisions


@dataclass(frozen=True, slots=True)
class OptionView:
    code: str
    kind: str  # medicine / rehab / psychology
    name: str
    benefit: str  # NNT, or why there is none
    harm: str  # NNH, or why there is none
    time_commitment: str
    cost_band: str
    source: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class OptionsView:
    patient_id: int
    options: tuple[OptionView, ...]
    formulary_version: str
    preference: str | None
    preference_comment: str
    preference_at: datetime | None


# First-line and topical options of the NeuPSIG recommendations (Finnerup 2015; formulary data).
MEDICINE_OPTIONS: Final = ("pregabalin", "gabapentin", "duloxetine", "amitriptyline")
TOPICAL_OPTIONS: Final = ("lidocaine_patch", "capsaicin_8_patch")
# Non-drug options as data. No pooled NNT/NNH for neuropathic pain after nerve injury is given in
# clinical-reference.md; the figures are left empty rather than invented (verified = False).
NON_DRUG_OPTIONS: Final = (
    OptionView(
        code="rehab-programme",
        kind="rehab",
        name="Graded exercise and desensitisation with the physiotherapist",
        benefit="No single NNT for this group; the team explains the evidence",
        harm="Short flare-ups are common and planned for; no drug side effects",
        time_commitment="About 1 session a week for 6-8 weeks, plus 20-30 minutes at home most days",
        cost_band="clinic service",
        source="painpath service default (session pattern set by the clinic)",
        is_verified=False,
    ),
    OptionView(
        code="psychology-cbt-act",
        kind="psychology",
        name="Pain psychology (CBT or ACT) sessions",
        benefit="No single NNT for this group; the team explains the evidence",
        harm="Can feel tiring or upsetting at times; no drug side effects",
        time_commitment="About 8 weekly sessions of 50 minutes, plus practice at home",
        cost_band="clinic service",
        source="painpath service default (session pattern set by the clinic)",
        is_verified=False,
    ),
)


def _times_a_day(times: tuple[int, ...]) -> str:
    words = {1: "once", 2: "twice", 3: "3 times", 4: "4 times"}
    text = " or ".join(words.get(n, f"{n} times") for n in times)
    return f"{text[:1].upper()}{text[1:]} a day"


def _medicine_options() -> tuple[list[OptionView], str]:
    formulary = default_formulary()
    found: list[OptionView] = []
    for code in (*MEDICINE_OPTIONS, *TOPICAL_OPTIONS):
        drug = formulary.drugs.get(code)
        if drug is None:
            continue
        trial = drug.adequate_trial_note or "trial length not set in the formulary"
        if drug.route.value == "oral":
            how_often = _times_a_day(drug.times_per_day)
        else:
            how_often = "Put on the skin"
        found.append(
            OptionView(
                code=code,
                kind="medicine",
                name=drug.name,
                benefit=(
                    f"NNT {drug.nnt}" + (f" (95% CI {drug.nnt_ci})" if drug.nnt_ci else "")
                    if drug.nnt
                    else "NNT not calculable from the trials"
                ),
                harm=(
                    f"NNH {drug.nnh}" + (f" (95% CI {drug.nnh_ci})" if drug.nnh_ci else "")
                    if drug.nnh
                    else "NNH not available"
                ),
                time_commitment=f"{how_often}; trial: {trial}",
                cost_band=(drug.cost_band.value if drug.cost_band else "unknown")
                + ("" if drug.is_cost_verified else " (unverified)"),
                source=drug.nnt_source or drug.source,
                is_verified=drug.nnt is not None,
            )
        )
    return found, formulary.version


def options_view(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> OptionsView:
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.READ, audit_action="care-plan.options"
    )
    medicines, version = _medicine_options()
    latest = uow.session.scalar(
        select(TreatmentPreference)
        .where(TreatmentPreference.patient_id == patient_id)
        .order_by(TreatmentPreference.stated_at.desc(), TreatmentPreference.id.desc())
    )
    view = OptionsView(
        patient_id,
        (*NON_DRUG_OPTIONS, *medicines),
        version,
        latest.option_code if latest else None,
        latest.comment if latest else "",
        latest.stated_at if latest else None,
    )
    uow.commit()
    return view


def state_preference(
    uow: UnitOfWork, ctx: RequestContext, patient_id: int, *, option_code: str, comment: str = ""
) -> int:
    """Record the patient's stated preference (by the patient or noted by a clinician)."""
    authorize_patient(
        uow, ctx, patient_id, Kind.CARE_PLAN, Action.COMMENT, audit_action="care-plan.preference"
    )
    medicines, _ = _medicine_options()
    codes = {o.code for o in (*NON_DRUG_OPTIONS, *medicines)} | {"undecided"}
    if option_code not in codes:
        raise InvalidInput("choose one of the options")
    row = TreatmentPreference(
        patient_id=patient_id,
        option_code=option_code,
        comment=comment.strip()[:2000],
        stated_by_id=ctx.actor.user_id,
        stated_at=ctx.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    audit.append(
        uow.session,
        ctx,
        action="care-plan.preference.detail",
        resource=Kind.CARE_PLAN,
        patient_id=patient_id,
        resource_id=row.id,
        detail=option_code,
    )
    uow.commit()
    return row.id
