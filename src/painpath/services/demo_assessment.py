"""Demo data for assessments: Ada's referral bundle (about 3 months ago) and follow-ups in which her
PEG falls by more than 30 %, a weekly bundle due today, her body-map drawings (right forearm
allodynia, burning) and a NeuPSIG examination; Ben's referral bundle part-done and overdue; a few
other patients. Rows are inserted directly, scored by the clinical registry, deterministic via
ctx.rng. Answers are invented for the demo, not real patient data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from painpath.clinical.instruments import bundles, registry
from painpath.clinical.instruments.spec import Flag
from painpath.records.enums import Role
from painpath.records.models import Patient
from painpath.records.models_assessment import (
    Assessment,
    AssessmentAnswer,
    AssessmentBundle,
    BodyMapDrawing,
    NeuropathicExam,
)
from painpath.services.assessments import safety_alert
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.demo import DEMO_SEEDERS, DemoContext
from painpath.services.workflow import raise_alerts

# Share of each instrument's range Ada scores at referral (then lower at review).
ADA_REFERRAL = {
    "dn4-interview": 0.75,
    "s-lanss": 0.8,
    "gad-7": 0.6,
    "pcs": 0.65,
    "isi": 0.65,
    "pseq": 0.35,  # higher is better: low self-efficacy at referral
    "tsk-11": 0.6,
}
# PEG (pain, enjoyment, activity) at referral and each weekly follow-up: days ago -> answers.
ADA_PEG = ((90, (8, 7, 8)), (60, (7, 6, 6)), (30, (6, 5, 5)), (7, (4, 4, 5)))
# PHQ-9 items 1-9 at referral and at the review; item 9 is 0 both times.
ADA_PHQ9 = ((90, (2, 2, 2, 2, 1, 1, 1, 0, 0)), (14, (1, 1, 1, 1, 1, 1, 1, 0, 0)))


def _answers_at(code: str, share: float) -> dict[str, int]:
    """Every item answered at about `share` of its range (nearest option)."""
    spec = registry.get(code)
    out = {}
    for item in spec.items:
        if item.is_optional:
            continue
        target = item.min_value + share * (item.max_value - item.min_value)
        out[item.link_id] = min(item.options, key=lambda o: abs(o.value - target)).value
    return out


def _assessment(
    ctx: DemoContext,
    patient: Patient,
    code: str,
    answers: Mapping[str, int],
    *,
    created_at: datetime,
    completed_at: datetime | None,
    bundle: AssessmentBundle | None = None,
) -> Assessment:
    spec = registry.get(code)
    row = Assessment(
        patient_id=patient.id,
        bundle_id=None if bundle is None else bundle.id,
        instrument_code=code,
        instrument_version=spec.version,
        respondent="patient",
        state="not-started",
        due_on=None if bundle is None else bundle.due_on,
        created_by_id=ctx.staff[Role.COORDINATOR].id,
        created_at=created_at,
        subscales={},
        flags=[],
        is_prorated=False,
    )
    options = {i.link_id: {o.value: o.code for o in i.options} for i in spec.items}
    answered_at = completed_at or created_at + timedelta(days=1)
    row.answers = [
        AssessmentAnswer(
            link_id=link_id,
            value=value,
            code=options[link_id][value],
            answered_by_id=None,
            answered_at=answered_at,
            revision=1,
        )
        for link_id, value in answers.items()
    ]
    if answers:
        row.state = "in-progress"
        row.started_at = answered_at - timedelta(minutes=12)
    if completed_at is not None:
        result = registry.score(code, dict(answers))
        assert result.is_complete, code
        row.state = "completed"
        row.completed_at = completed_at
        row.total = None if result.total is None else str(result.total)
        row.band = None if result.band is None else str(result.band)
        row.subscales = {k: None if v is None else str(v) for k, v in result.subscales.items()}
        row.flags = sorted(str(f) for f in result.flags)
        row.is_prorated = Flag.PRORATED in result.flags
    ctx.uow.session.add(row)
    return row


def _bundle(
    ctx: DemoContext, patient: Patient, code: str, assigned_at: datetime, due_on: date | None = None
) -> AssessmentBundle:
    row = AssessmentBundle(
        patient_id=patient.id,
        bundle_code=code,
        collection_point=bundles.bundle(code).collection_point.value,
        due_on=due_on or assigned_at.date() + timedelta(days=7),
        assigned_by_id=ctx.staff[Role.COORDINATOR].id,
        assigned_at=assigned_at,
    )
    ctx.uow.session.add(row)
    ctx.uow.session.flush()
    return row


def _peg(values: tuple[int, int, int]) -> dict[str, int]:
    return {f"peg-{n}": v for n, v in enumerate(values, start=1)}


def _phq9(values: tuple[int, ...]) -> dict[str, int]:
    return {f"phq-9-{n}": v for n, v in enumerate(values, start=1)}


def _ada(ctx: DemoContext, ada: Patient) -> None:
    now = ctx.now
    assigned = now - timedelta(days=95, hours=3)
    done_at = now - timedelta(days=90, hours=5)
    referral = _bundle(ctx, ada, "referral", assigned)
    for code in bundles.bundle("referral").instrument_codes:
        if code == "peg":
            answers = _peg(ADA_PEG[0][1])
        elif code == "phq-9":
            answers = _phq9(ADA_PHQ9[0][1])
        else:
            answers = _answers_at(code, ADA_REFERRAL[code])
        _assessment(
            ctx,
            ada,
            code,
            answers,
            created_at=assigned,
            completed_at=done_at,
            bundle=referral,
        )
    referral.completed_at = done_at
    for days, values in ADA_PEG[1:]:
        weekly = _bundle(ctx, ada, "weekly", now - timedelta(days=days + 2))
        at = now - timedelta(days=days, hours=2)
        nrs = {"nrs-pain-1": values[0]}
        _assessment(ctx, ada, "nrs-pain", nrs, created_at=weekly.assigned_at, completed_at=at,
                    bundle=weekly)  # fmt: skip
        _assessment(ctx, ada, "peg", _peg(values), created_at=weekly.assigned_at, completed_at=at,
                    bundle=weekly)  # fmt: skip
        weekly.completed_at = at
    review_at = now - timedelta(days=14, hours=4)
    _assessment(ctx, ada, "phq-9", _phq9(ADA_PHQ9[1][1]), created_at=review_at - timedelta(days=2),
                completed_at=review_at)  # fmt: skip
    # Due now: this week's NRS and PEG, not started yet.
    due = _bundle(ctx, ada, "weekly", now - timedelta(hours=1), ctx.today)
    for code in ("nrs-pain", "peg"):
        _assessment(ctx, ada, code, {}, created_at=due.assigned_at, completed_at=None,
                    bundle=due)  # fmt: skip
    _ada_body_map(ctx, ada)
    ctx.uow.session.add(
        NeuropathicExam(
            patient_id=ada.id,
            examined_by_id=ctx.staff[Role.PHYSICIAN].id,
            examined_at=now - timedelta(days=88, hours=1),
            history="Motorcycle crash 14 months ago with right brachial plexus traction injury "
            "(C5-C7). Burning and electric pain in the right arm since.",
            has_relevant_lesion_history=True,
            has_plausible_distribution=True,
            distribution_note="Right lateral forearm and thumb/index: C6-C7 and "
            "musculocutaneous/median territories",
            is_examined=True,
            negative_signs=["hypoaesthesia-touch", "hypoalgesia-pinprick"],
            positive_signs=["dynamic-mechanical-allodynia", "cold-allodynia"],
            confirmatory_test="confirms-lesion",
            test_note="Nerve conduction studies: reduced right lateral antebrachial cutaneous and "
            "median sensory amplitudes; MRI root avulsion excluded",
            function_tests={"grip-strength-affected-kg": "14.5", "grip-strength-other-kg": "31"},
            grade="definite",
            grade_rule="signs-and-confirmatory-test",
            rule_version="neupsig-2016.1",
        )
    )


def _marks(*marks: tuple[str, list[str], int | None]) -> list[dict[str, object]]:
    return [{"region": r, "qualities": sorted(q), "intensity_nrs": n} for r, q, n in marks]


def _ada_body_map(ctx: DemoContext, ada: Patient) -> None:
    drawings = (
        (
            90,
            _marks(
                ("r-forearm-ventral-lateral", ["allodynia", "burning"], 8),
                ("r-forearm-dorsal-lateral", ["burning"], 7),
                ("r-thumb-palmar", ["electric", "pins-and-needles"], 7),
                ("r-index-palmar", ["pins-and-needles"], 6),
                ("r-upper-arm-ventral-lateral", ["shooting"], 6),
            ),
        ),
        (
            30,
            _marks(
                ("r-forearm-ventral-lateral", ["allodynia", "burning"], 6),
                ("r-forearm-dorsal-lateral", ["burning"], 5),
                ("r-thumb-palmar", ["electric"], 5),
                ("r-index-palmar", ["pins-and-needles"], 4),
            ),
        ),
        (
            7,
            _marks(
                ("r-forearm-ventral-lateral", ["allodynia", "burning"], 5),
                ("r-thumb-palmar", ["electric"], 4),
            ),
        ),
    )
    for days, marks in drawings:
        at = ctx.now - timedelta(days=days, hours=1)
        ctx.uow.session.add(
            BodyMapDrawing(
                patient_id=ada.id,
                respondent="patient",
                recorded_by_id=None,
                markings=marks,
                is_final=True,
                started_at=at - timedelta(minutes=4),
                recorded_at=at,
            )
        )


def _ben(ctx: DemoContext, ben: Patient) -> None:
    assigned = ctx.now - timedelta(days=10, hours=2)
    referral = _bundle(ctx, ben, "referral", assigned)  # due 3 days ago: overdue
    done_at = ctx.now - timedelta(days=8, hours=3)
    for code in bundles.bundle("referral").instrument_codes:
        if code == "peg":
            answers, completed = _peg((7, 6, 7)), done_at
        elif code == "dn4-interview":
            answers, completed = _answers_at(code, 0.6), done_at
        elif code == "phq-9":
            answers, completed = _phq9((1, 1, 2, 1)), None  # stopped after 4 items
        else:
            answers, completed = {}, None
        _assessment(ctx, ben, code, answers, created_at=assigned, completed_at=completed,
                    bundle=referral)  # fmt: skip


def _others(ctx: DemoContext, others: list[Patient]) -> None:
    system = RequestContext(SYSTEM_ACTOR, "demo-seed", lambda: ctx.now)
    for index, patient in enumerate(others):
        days = ctx.rng.randint(20, 80)
        assigned = ctx.now - timedelta(days=days)
        referral = _bundle(ctx, patient, "referral", assigned)
        finished = index % 3 != 2  # every third patient has not started yet
        for code in bundles.bundle("referral").instrument_codes:
            if not finished:
                _assessment(ctx, patient, code, {}, created_at=assigned, completed_at=None,
                            bundle=referral)  # fmt: skip
                continue
            share = ctx.rng.uniform(0.2, 0.8)
            answers = (
                _peg((ctx.rng.randint(4, 9), ctx.rng.randint(3, 9), ctx.rng.randint(3, 9)))
                if code == "peg"
                else _answers_at(code, share)
            )
            if code == "phq-9" and index == 1:
                answers["phq-9-9"] = 1  # one demo patient shows the urgent safety route
            row = _assessment(ctx, patient, code, answers, created_at=assigned,
                              completed_at=assigned + timedelta(days=2), bundle=referral)  # fmt: skip
            if Flag.URGENT_SAFETY.value in row.flags:
                ctx.uow.session.flush()
                raise_alerts(ctx.uow, system, patient.id, [safety_alert(row, answers)])
        if finished:
            referral.completed_at = assigned + timedelta(days=2)


def seed_assessments(ctx: DemoContext) -> None:
    ada, ben = ctx.patients[0], ctx.patients[1]
    _ada(ctx, ada)
    _ben(ctx, ben)
    _others(ctx, ctx.patients[2:8])
    ctx.uow.session.flush()


DEMO_SEEDERS.append(seed_assessments)
