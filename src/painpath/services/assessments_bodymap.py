"""Body map (pain drawing) and clinician examination with the NeuPSIG grade.

Body map: the patient (or a clinician) marks coded regions with pain qualities; each mark is
saved at once into a draft drawing, and "finish" makes it part of the record (heat map over
time). Examination: history, distribution, sensory signs and the confirmatory test go into
painpath.clinical.neuropathic.grade_neuropathic_pain; the grade and its criteria trace are
recomputed from the stored inputs on every read, so the page shows exactly why.

Access: patients draw under Kind.QUESTIONNAIRE write (their own answers); clinicians draw and
examine under Kind.CLINICIAN_ONLY_NOTE write (clinical documentation: the policy holds no clinician
write grant on questionnaires). Readers: Kind.QUESTIONNAIRE read for drawings; examinations are
clinician-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from painpath.clinical.bodymap import (
    REGIONS,
    BodyMapEntry,
    Marking,
    PainQuality,
    Side,
    aggregate_heat_map,
    get_territory,
    match_territories,
    summarise_by_quality,
    validate_markings,
)
from painpath.clinical.errors import DomainError
from painpath.clinical.neuropathic import (
    NeuropathicAssessment,
    SensorySigns,
    TestOutcome,
    grade_neuropathic_pain,
)
from painpath.records.enums import Role
from painpath.records.models import UserAccount
from painpath.records.models_assessment import BodyMapDrawing, NeuropathicExam
from painpath.security.policy import Action, Kind
from painpath.services.access import authorize_patient, role_may
from painpath.services.context import RequestContext
from painpath.services.errors import InvalidInput, NotFound
from painpath.services.uow import UnitOfWork

HEAT_WINDOW = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class MarkView:
    region_code: str
    label: str
    qualities: list[str]
    intensity_nrs: int | None


@dataclass(frozen=True, slots=True)
class DrawingView:
    id: int
    respondent: str
    is_final: bool
    started_at: datetime
    recorded_at: datetime
    marks: list[MarkView]
    area_lines: list[str]  # "burning: 2 regions, 1.2% of outline"


@dataclass(frozen=True, slots=True)
class HeatView:
    start: datetime
    end: datetime
    drawings: int
    regions: dict[str, tuple[int, Decimal | None]]  # code -> (times marked, mean NRS)


@dataclass(frozen=True, slots=True)
class TerritoryLine:
    code: str
    name: str
    side: str
    full: int
    partial: int
    is_extent_verified: bool


@dataclass(frozen=True, slots=True)
class BodyMapPage:
    patient_id: int
    can_read: bool
    can_draw: bool
    draft: DrawingView | None
    drawings: list[DrawingView]  # finished, newest first
    heat: HeatView | None
    territories: list[TerritoryLine]  # of the latest finished drawing (clinicians)


def _authorize_draw(uow: UnitOfWork, ctx: RequestContext, patient_id: int, label: str) -> str:
    if ctx.actor.role is Role.PATIENT:
        kind, respondent = Kind.QUESTIONNAIRE, "patient"
    else:
        kind, respondent = Kind.CLINICIAN_ONLY_NOTE, "clinician"
    authorize_patient(uow, ctx, patient_id, kind, Action.WRITE, audit_action=label)
    return respondent


def _draft(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> BodyMapDrawing | None:
    return uow.session.scalar(
        select(BodyMapDrawing)
        .where(
            BodyMapDrawing.patient_id == patient_id,
            BodyMapDrawing.is_final.is_(False),
            BodyMapDrawing.recorded_by_id == ctx.actor.user_id,
        )
        .order_by(BodyMapDrawing.id.desc())
        .limit(1)
    )


def _markings(rows: Iterable[Mapping[str, object]]) -> tuple[Marking, ...]:
    out = []
    for m in rows:
        qualities = m.get("qualities")
        intensity = m.get("intensity_nrs")
        out.append(
            Marking(
                region_code=str(m["region"]),
                qualities=frozenset(
                    PainQuality(q) for q in (qualities if isinstance(qualities, list) else [])
                ),
                intensity_nrs=intensity if isinstance(intensity, int) else None,
            )
        )
    return tuple(out)


def _stored(markings: Iterable[Marking]) -> list[dict[str, object]]:
    return [
        {
            "region": m.region_code,
            "qualities": sorted(q.value for q in m.qualities),
            "intensity_nrs": m.intensity_nrs,
        }
        for m in markings
    ]


def mark_region(
    uow: UnitOfWork,
    ctx: RequestContext,
    patient_id: int,
    region_code: str,
    qualities: Iterable[str],
    *,
    intensity_nrs: int | None = None,
) -> DrawingView:
    """Set (or, with no qualities, clear) one region of the actor's draft drawing; saved at once."""
    respondent = _authorize_draw(uow, ctx, patient_id, "bodymap.mark")
    if region_code not in REGIONS:
        raise InvalidInput(f"unknown body-map region {region_code}")
    try:
        chosen = frozenset(PainQuality(q) for q in qualities)
    except ValueError as exc:
        raise InvalidInput("choose pain qualities from the list") from exc
    now = ctx.now()
    row = _draft(uow, ctx, patient_id)
    if row is None:
        row = BodyMapDrawing(
            patient_id=patient_id,
            respondent=respondent,
            recorded_by_id=ctx.actor.user_id or None,
            markings=[],
            is_final=False,
            started_at=now,
            recorded_at=now,
        )
        uow.session.add(row)
    kept = [m for m in _markings(row.markings) if m.region_code != region_code]
    if chosen:
        kept.append(Marking(region_code, chosen, intensity_nrs))
    try:
        valid = validate_markings(kept)
    except DomainError as exc:
        raise InvalidInput(str(exc)) from exc
    row.markings = _stored(valid)  # a new list, so the JSON change is tracked
    row.recorded_at = now
    uow.session.flush()
    view = _drawing(row)
    uow.commit()
    return view


def finish_drawing(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> DrawingView:
    """Make the actor's draft part of the record (append-only from here)."""
    _authorize_draw(uow, ctx, patient_id, "bodymap.finish")
    row = _draft(uow, ctx, patient_id)
    if row is None or not row.markings:
        raise InvalidInput("mark at least one area before finishing")
    row.is_final = True
    row.recorded_at = ctx.now()
    uow.session.flush()
    view = _drawing(row)
    uow.commit()
    return view


def _drawing(row: BodyMapDrawing) -> DrawingView:
    markings = _markings(row.markings)
    lines = []
    for summary in summarise_by_quality(markings):
        name = "any quality" if summary.quality is None else summary.quality.value
        count = len(summary.region_codes)
        lines.append(
            f"{name}: {count} region{'s' if count != 1 else ''}, "
            f"{summary.percent_of_outline.quantize(Decimal('0.1'))}% of the outline"
        )
    return DrawingView(
        id=row.id,
        respondent=row.respondent,
        is_final=row.is_final,
        started_at=row.started_at,
        recorded_at=row.recorded_at,
        marks=[
            MarkView(
                m.region_code,
                REGIONS[m.region_code].label,
                sorted(q.value for q in m.qualities),
                m.intensity_nrs,
            )
            for m in markings
        ],
        area_lines=lines,
    )


def get_bodymap(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> BodyMapPage:
    """The actor's draft, finished drawings, heat map over the last year, territory matches."""
    can_read = role_may(ctx.actor.role, Kind.QUESTIONNAIRE, Action.READ)
    action = Action.READ if can_read else Action.READ_STATUS
    authorize_patient(uow, ctx, patient_id, Kind.QUESTIONNAIRE, action, audit_action="bodymap.read")
    can_draw = ctx.actor.role is Role.PATIENT or role_may(
        ctx.actor.role, Kind.CLINICIAN_ONLY_NOTE, Action.WRITE
    )
    rows = uow.session.scalars(
        select(BodyMapDrawing)
        .where(BodyMapDrawing.patient_id == patient_id, BodyMapDrawing.is_final.is_(True))
        .order_by(BodyMapDrawing.recorded_at.desc(), BodyMapDrawing.id.desc())
    ).all()
    if not can_read:
        page = BodyMapPage(patient_id, False, False, None, [], None, [])
        uow.commit()
        return page
    draft = _draft(uow, ctx, patient_id) if can_draw else None
    drawings = [_drawing(r) for r in rows]
    end = ctx.now() + timedelta(seconds=1)
    start = end - HEAT_WINDOW
    heat_map = aggregate_heat_map(
        [BodyMapEntry(r.recorded_at, _markings(r.markings)) for r in rows], start=start, end=end
    )
    heat = HeatView(
        start,
        end,
        heat_map.entries_in_window,
        {h.region_code: (h.entry_count, h.mean_intensity_nrs) for h in heat_map.regions},
    )
    territories: list[TerritoryLine] = []
    if rows and ctx.actor.role.is_clinician:
        codes = [m.region_code for m in _markings(rows[0].markings)]
        for side in Side:
            for match in match_territories(codes, side):
                territory = get_territory(match.code)
                territories.append(
                    TerritoryLine(
                        match.code,
                        territory.name,
                        "right" if side is Side.RIGHT else "left",
                        len(match.full_hits),
                        len(match.partial_hits),
                        territory.is_extent_verified,
                    )
                )
    page = BodyMapPage(patient_id, True, can_draw, _drawing(draft) if draft else None, drawings,
                       heat, territories)  # fmt: skip
    uow.commit()
    return page


# --- examination and NeuPSIG grade --------------------------------------------------------------

NEGATIVE_SIGNS = {
    "hypoaesthesia-touch": "reduced touch sensation",
    "hypoalgesia-pinprick": "reduced pinprick sensation",
    "thermal-hypoaesthesia": "reduced cold or warm sensation",
    "reduced-vibration": "reduced vibration sense",
}
POSITIVE_SIGNS = {
    "dynamic-mechanical-allodynia": "brush-evoked pain (dynamic allodynia)",
    "static-mechanical-allodynia": "pressure-evoked pain",
    "cold-allodynia": "cold-evoked pain",
    "heat-allodynia": "heat-evoked pain",
    "pinprick-hyperalgesia": "increased pinprick pain",
    "temporal-summation": "wind-up to repeated pinprick",
    "trigger-phenomena": "trigger phenomena (trigeminal)",
}
FUNCTION_TESTS = {
    "timed-up-and-go-s": "Timed up-and-go (seconds)",
    "six-minute-walk-m": "6-minute walk (metres)",
    "sit-to-stand-30s-reps": "30-second sit-to-stand (repetitions)",
    "grip-strength-affected-kg": "Grip strength, affected side (kg)",
    "grip-strength-other-kg": "Grip strength, other side (kg)",
}
CRITERION_LABELS = {
    "lesion-history": "History of a relevant nerve lesion or disease",
    "plausible-distribution": "Pain distribution neuroanatomically plausible",
    "sensory-signs": "Sensory signs in the same distribution",
    "confirmatory-test": "Diagnostic test confirming the lesion or disease",
}


@dataclass(frozen=True, slots=True)
class ExamInput:
    history: str
    has_relevant_lesion_history: bool
    has_plausible_distribution: bool
    distribution_note: str
    is_examined: bool
    negative_signs: list[str]
    positive_signs: list[str]
    confirmatory_test: str
    test_note: str
    function_tests: dict[str, str]


@dataclass(frozen=True, slots=True)
class TraceLine:
    criterion: str
    label: str
    status: str
    detail: str


@dataclass(frozen=True, slots=True)
class ExamView:
    id: int
    examined_at: datetime
    examiner: str
    history: str
    distribution_note: str
    is_examined: bool
    negative_signs: list[str]
    positive_signs: list[str]
    confirmatory_test: str
    test_note: str
    function_tests: dict[str, str]
    grade: str
    rule: str
    rule_version: str
    source: str
    trace: list[TraceLine]


def _assessment(data: ExamInput) -> NeuropathicAssessment:
    try:
        test = TestOutcome(data.confirmatory_test)
    except ValueError as exc:
        raise InvalidInput("choose the confirmatory test result") from exc
    return NeuropathicAssessment(
        has_relevant_lesion_history=data.has_relevant_lesion_history,
        has_plausible_distribution=data.has_plausible_distribution,
        sensory_signs=SensorySigns(
            has_negative_signs=bool(data.negative_signs),
            has_positive_signs=bool(data.positive_signs),
        )
        if data.is_examined
        else None,
        confirmatory_test=test,
    )


def record_exam(uow: UnitOfWork, ctx: RequestContext, patient_id: int, data: ExamInput) -> ExamView:
    """Store an examination and its NeuPSIG grade (Finnerup 2016)."""
    authorize_patient(
        uow, ctx, patient_id, Kind.CLINICIAN_ONLY_NOTE, Action.WRITE, audit_action="exam.create"
    )
    unknown = (set(data.negative_signs) - set(NEGATIVE_SIGNS)) | (
        set(data.positive_signs) - set(POSITIVE_SIGNS)
    )
    if unknown:
        raise InvalidInput(f"unknown sensory sign: {', '.join(sorted(unknown))}")
    if not data.is_examined and (data.negative_signs or data.positive_signs):
        raise InvalidInput("signs can only be recorded when the examination was done")
    tests: dict[str, str] = {}
    for code, raw in data.function_tests.items():
        if code not in FUNCTION_TESTS:
            raise InvalidInput(f"unknown function test {code}")
        if raw.strip() == "":
            continue
        try:
            value = Decimal(raw.strip())
        except InvalidOperation as exc:
            raise InvalidInput(f"{FUNCTION_TESTS[code]} must be a number") from exc
        if not value.is_finite() or value < 0 or value > 10000:
            raise InvalidInput(f"{FUNCTION_TESTS[code]} is out of range")
        tests[code] = str(value)
    result = grade_neuropathic_pain(_assessment(data))
    row = NeuropathicExam(
        patient_id=patient_id,
        examined_by_id=ctx.actor.user_id or None,
        examined_at=ctx.now(),
        history=data.history.strip(),
        has_relevant_lesion_history=data.has_relevant_lesion_history,
        has_plausible_distribution=data.has_plausible_distribution,
        distribution_note=data.distribution_note.strip(),
        is_examined=data.is_examined,
        negative_signs=sorted(data.negative_signs),
        positive_signs=sorted(data.positive_signs),
        confirmatory_test=data.confirmatory_test,
        test_note=data.test_note.strip(),
        function_tests=tests,
        grade=result.grade.value,
        grade_rule=result.rule.value,
        rule_version=result.rule_version,
    )
    uow.session.add(row)
    uow.session.flush()
    view = _exam_view(uow, row)
    uow.commit()
    return view


def list_exams(uow: UnitOfWork, ctx: RequestContext, patient_id: int) -> list[ExamView]:
    authorize_patient(
        uow, ctx, patient_id, Kind.CLINICIAN_ONLY_NOTE, Action.READ, audit_action="exam.list"
    )
    rows = uow.session.scalars(
        select(NeuropathicExam)
        .where(NeuropathicExam.patient_id == patient_id)
        .order_by(NeuropathicExam.examined_at.desc(), NeuropathicExam.id.desc())
    ).all()
    views = [_exam_view(uow, r) for r in rows]
    uow.commit()
    return views


def _exam_view(uow: UnitOfWork, row: NeuropathicExam) -> ExamView:
    data = ExamInput(
        history=row.history,
        has_relevant_lesion_history=row.has_relevant_lesion_history,
        has_plausible_distribution=row.has_plausible_distribution,
        distribution_note=row.distribution_note,
        is_examined=row.is_examined,
        negative_signs=list(row.negative_signs),
        positive_signs=list(row.positive_signs),
        confirmatory_test=row.confirmatory_test,
        test_note=row.test_note,
        function_tests=dict(row.function_tests),
    )
    # Recomputed from the stored inputs: the trace shown is the rule's own reasoning.
    result = grade_neuropathic_pain(_assessment(data))
    examiner = uow.session.get(UserAccount, row.examined_by_id) if row.examined_by_id else None
    return ExamView(
        id=row.id,
        examined_at=row.examined_at,
        examiner=examiner.full_name if examiner else "unknown",
        history=row.history,
        distribution_note=row.distribution_note,
        is_examined=row.is_examined,
        negative_signs=[NEGATIVE_SIGNS.get(s, s) for s in row.negative_signs],
        positive_signs=[POSITIVE_SIGNS.get(s, s) for s in row.positive_signs],
        confirmatory_test=row.confirmatory_test,
        test_note=row.test_note,
        function_tests={FUNCTION_TESTS.get(k, k): v for k, v in row.function_tests.items()},
        grade=result.grade.value,
        rule=result.rule.value,
        rule_version=result.rule_version,
        source=result.source,
        trace=[
            TraceLine(
                t.criterion.value,
                CRITERION_LABELS[t.criterion.value],
                t.status.value,
                t.detail,
            )
            for t in result.trace
        ],
    )


def get_exam(uow: UnitOfWork, ctx: RequestContext, exam_id: int) -> ExamView:
    row = uow.session.get(NeuropathicExam, exam_id)
    if row is None:
        raise NotFound(f"examination {exam_id} not found")
    authorize_patient(
        uow,
        ctx,
        row.patient_id,
        Kind.CLINICIAN_ONLY_NOTE,
        Action.READ,
        audit_action="exam.read",
        resource_id=exam_id,
    )
    view = _exam_view(uow, row)
    uow.commit()
    return view
