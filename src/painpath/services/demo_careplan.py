"""Demo data for the shared care plan: Ada's and Ben's plans, open tasks for every demo clinician,
booked visits and one past case conference. Rows are inserted directly and deterministically."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from painpath.records.enums import Discipline, Role
from painpath.records.models import ClinicalNote, Patient, UserAccount
from painpath.records.models_careplan import (
    CarePlan,
    CarePlanChange,
    CarePlanComment,
    CarePlanDecisionPoint,
    CarePlanGoal,
    CarePlanIntervention,
    CarePlanMilestone,
    CaseConference,
    CaseConferenceItem,
    OutcomeObservation,
    Visit,
)
from painpath.records.models_workflow import TaskRecord
from painpath.services.demo import DEMO_SEEDERS, DemoContext


def _at(day: date, hour: int, zone: str = "Europe/London") -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _observations(
    ctx: DemoContext, patient: Patient, series: dict[str, list[tuple[date, str]]]
) -> None:
    for code, points in series.items():
        for day, value in points:
            ctx.uow.session.add(
                OutcomeObservation(
                    patient_id=patient.id,
                    instrument_code=code,
                    observed_on=day,
                    value=value,
                    source="demo questionnaire",
                    recorded_at=_at(day, 12),
                )
            )


def _history(ctx: DemoContext, plan: CarePlan, changes: list[tuple[Role, str, str, int]]) -> None:
    """(role, what, why, days ago) in order; versions 1..n."""
    for version, (role, what, why, days_ago) in enumerate(changes, start=1):
        author = ctx.staff[role]
        ctx.uow.session.add(
            CarePlanChange(
                plan_id=plan.id,
                version=version,
                author_id=author.id,
                author_name=author.full_name,
                author_role=role.value,
                what=what,
                reason=why,
                before={},
                after={},
                changed_at=ctx.now - timedelta(days=days_ago, hours=version),
            )
        )
    plan.version = len(changes)


def _gas(*levels: str) -> dict[str, str]:
    return {str(lvl): text for lvl, text in zip((-2, -1, 0, 1, 2), levels, strict=True)}


def _ada(ctx: DemoContext) -> CarePlan:
    ada = ctx.patients[0]
    today, now = ctx.today, ctx.now
    trial_start = today - timedelta(days=51)  # week-8 review falls due in 5 days
    plan = CarePlan(
        patient_id=ada.id,
        version=1,
        summary=(
            "Neuropathic pain in the right arm 14 months after a C5-C7 traction injury; "
            "pregabalin trial, phase-1 rehab and pain psychology together."
        ),
        problems=[
            {"domain": "pain", "text": "Burning and electric pain, right arm; forearm allodynia"},
            {"domain": "mood", "text": "Anxiety and low mood since the crash"},
            {"domain": "sleep", "text": "Wakes 2-3 times a night with pain"},
            {"domain": "function", "text": "Cannot lift or carry with the right arm"},
            {"domain": "work", "text": "Off work (warehouse) for 14 months"},
        ],
        priorities=["lift my daughter", "back to work part-time"],
        current_step="primary-care-rehab",
        created_at=now - timedelta(days=56),
        updated_at=now - timedelta(days=2),
    )
    ctx.uow.session.add(plan)
    ctx.uow.session.flush()
    lift = CarePlanGoal(
        plan_id=plan.id,
        statement="Lift my daughter (14 kg) from the floor and hold her for one minute",
        plain_text="Lift your daughter from the floor and hold her for one minute.",
        horizon="long",
        specific_activity="Lift a 14 kg child from floor to hip height and hold for 60 seconds",
        target_text="psfs item >= 7",
        target_item_link_id="psfs-1",
        is_agreed_achievable=True,
        patient_priority="lift my daughter",
        start_on=trial_start,
        due_on=today + timedelta(days=90),
        gas_levels=_gas(
            "Cannot lift her at all",
            "Lifts her from a chair, holds under 10 seconds",
            "Lifts her from the floor and holds for 1 minute",
            "Lifts and carries her across a room",
            "Carries her up the stairs",
        ),
        weight=3,
        baseline_level=-1,
        attained_level=0,
        rated_on=today - timedelta(days=14),
        created_at=now - timedelta(days=56),
    )
    work = CarePlanGoal(
        plan_id=plan.id,
        statement="Back to work part-time: three half-days a week",
        plain_text="Go back to work for three half-days a week.",
        horizon="long",
        specific_activity="Three 4-hour shifts a week on light warehouse duties",
        target_text="psfs item >= 6",
        target_item_link_id="psfs-2",
        is_agreed_achievable=True,
        patient_priority="back to work part-time",
        start_on=trial_start,
        due_on=today + timedelta(days=150),
        gas_levels=_gas(
            "Not back at work",
            "Visits the workplace and plans the return",
            "Three half-days a week on light duties",
            "Four half-days a week",
            "Back to full-time light duties",
        ),
        weight=6,
        baseline_level=-2,
        attained_level=-1,
        rated_on=today - timedelta(days=14),
        created_at=now - timedelta(days=56),
    )
    peg = CarePlanGoal(
        plan_id=plan.id,
        statement="Pain gets in the way less: PEG down by 30%",
        plain_text="Pain gets in the way of your day less than now.",
        horizon="short",
        specific_activity="Daily activities with less pain interference (PEG)",
        target_text="peg -30% from baseline",
        is_agreed_achievable=True,
        patient_priority="lift my daughter",
        start_on=trial_start,
        due_on=today + timedelta(days=5),
        gas_levels=_gas(
            "PEG higher than at the start",
            "PEG about the same",
            "PEG 30% lower",
            "PEG 40% lower",
            "PEG 50% lower or more",
        ),
        weight=2,
        baseline_level=-1,
        attained_level=-1,
        rated_on=today - timedelta(days=14),
        created_at=now - timedelta(days=56),
    )
    plan.goals = [lift, work, peg]
    ctx.uow.session.flush()
    lift.milestones = [
        CarePlanMilestone(
            description="Lift a 5 kg shopping bag onto the counter",
            due_on=today - timedelta(days=7),
            target_text="psfs item >= 5",
        ),
        CarePlanMilestone(
            description="Lift a 10 kg weight from a chair", due_on=today + timedelta(days=40)
        ),
    ]
    work.milestones = [
        CarePlanMilestone(
            description="Meet the employer about light duties",
            due_on=today + timedelta(days=30),
        )
    ]
    peg.milestones = [
        CarePlanMilestone(
            description="PEG down by 1 point",
            due_on=today + timedelta(days=3),
            target_text="peg -1 from baseline",
        )
    ]
    plan.interventions = [
        CarePlanIntervention(
            discipline=discipline,
            title=title,
            detail=detail,
            plain_text=plain,
            state="active",
            created_at=now - timedelta(days=days),
        )
        for discipline, title, detail, plain, days in (
            (
                "medicine",
                "Pregabalin trial",
                "75 mg twice daily, titrating towards 150 mg twice daily; review at week 8.",
                "A medicine for nerve pain (pregabalin), twice a day. We raise the dose slowly.",
                51,
            ),
            (
                "physiotherapy",
                "Phase-1 programme and pacing",
                "Breathing, gentle mobilisation, desensitisation with textures; pacing quotas.",
                "Gentle exercises at home, getting the skin used to touch, and pacing your day.",
                49,
            ),
            (
                "psychology",
                "Pain neuroscience education and CBT",
                "Six sessions; worry and sleep work.",
                "Six talks with the psychologist about pain, worry and sleep.",
                45,
            ),
            (
                "pharmacy",
                "Medicines review at each titration step",
                "Check dizziness, sedation and interactions before each dose step.",
                "The pharmacist checks your medicines are safe each time the dose goes up.",
                44,
            ),
            (
                "coordination",
                "Video follow-ups on weekday mornings",
                "Questionnaires sent before each review.",
                "Video check-ups on weekday mornings. We send short forms before each one.",
                44,
            ),
        )
    ]
    plan.decision_points = [
        CarePlanDecisionPoint(
            rule_code="peg-mcid-week-8",
            due_on=today + timedelta(days=5),
            baseline_on=trial_start,
            owner_role="physician",
            note="Week 8 of the pregabalin trial: continue, change dose or switch.",
            state="scheduled",
            outcome={},
        ),
        CarePlanDecisionPoint(
            rule_code="rehab-psfs-week-6",
            due_on=today + timedelta(days=30),
            baseline_on=trial_start,
            owner_role="physiotherapist",
            note="Phase-1 rehab review.",
            state="scheduled",
            outcome={},
        ),
    ]
    _observations(
        ctx,
        ada,
        {
            "peg": [
                (trial_start - timedelta(days=1), "7.3"),
                (trial_start + timedelta(days=28), "6.7"),
                (today - timedelta(days=7), "6.3"),
            ],
            "psfs": [(trial_start - timedelta(days=1), "3"), (today - timedelta(days=7), "4")],
            "nrs-pain": [(trial_start - timedelta(days=1), "7"), (today - timedelta(days=7), "6")],
            "phq-9": [(trial_start - timedelta(days=1), "11")],
            "gad-7": [(trial_start - timedelta(days=1), "12")],
            "pcs": [(trial_start - timedelta(days=1), "31")],
        },
    )
    _history(
        ctx,
        plan,
        [
            (Role.PHYSICIAN, "Plan created", "Drafted with Ada after intake", 56),
            (Role.PHYSICIAN, "Added goal: Pain gets in the way less", "Ada's priority", 56),
            (Role.PHYSIOTHERAPIST, "Added goal: Lift my daughter", "Agreed at physio", 55),
            (Role.PHYSIOTHERAPIST, "Added goal: Back to work part-time", "Ada's priority", 55),
            (Role.PHYSICIAN, "Added medicine intervention: Pregabalin trial", "Start trial", 51),
            (Role.PHYSICIAN, "Added decision point: PEG at week 8", "Review the trial", 51),
            (Role.PHYSIOTHERAPIST, "Added physiotherapy intervention", "Phase 1", 49),
            (Role.PSYCHOLOGIST, "Added psychology intervention", "PCS 31, GAD-7 12", 45),
            (Role.PHARMACIST, "Added pharmacy intervention", "Titration safety", 44),
            (Role.COORDINATOR, "Added coordination intervention", "Ada asked for video", 44),
            (Role.PHYSIOTHERAPIST, "Rated goals at GAS review", "Two-week interim review", 14),
            (Role.PHYSIOTHERAPIST, "Added decision point: PSFS at week 6", "Rehab review", 2),
        ],
    )
    ada_user = _user_of(ctx, ada)
    if ada_user is not None:
        ctx.uow.session.add(
            CarePlanComment(
                plan_id=plan.id,
                plan_version=plan.version - 1,
                author_id=ada_user.id,
                author_name=ada_user.full_name,
                is_patient=True,
                is_agreement=False,
                body="Can physio be on Tuesday mornings? I do the school run the other days.",
                created_at=now - timedelta(days=3),
            )
        )
    return plan


def _user_of(ctx: DemoContext, patient: Patient) -> UserAccount | None:
    return ctx.uow.session.scalar(select(UserAccount).where(UserAccount.patient_id == patient.id))


def _ben(ctx: DemoContext) -> CarePlan:
    ben = ctx.patients[1]
    today, now = ctx.today, ctx.now
    start = today - timedelta(days=30)
    plan = CarePlan(
        patient_id=ben.id,
        version=1,
        summary="Post-surgical neuropathic knee pain; CKD stage 3 and an opioid: safety first.",
        problems=[
            {"domain": "pain", "text": "Neuropathic pain, left knee, after knee replacement"},
            {"domain": "sleep", "text": "Pain wakes him most nights"},
            {"domain": "function", "text": "Walks 100 m with a stick"},
        ],
        priorities=["walk to the shops without the stick", "sleep through the night"],
        current_step="primary-care-rehab",
        created_at=now - timedelta(days=30),
        updated_at=now - timedelta(days=6),
    )
    ctx.uow.session.add(plan)
    ctx.uow.session.flush()
    plan.goals = [
        CarePlanGoal(
            statement="Walk 500 m to the shops without the stick",
            plain_text="Walk to the shops (500 metres) without your stick.",
            horizon="long",
            specific_activity="Walk 500 m on the pavement without a walking aid",
            target_text="psfs item >= 7",
            target_item_link_id="psfs-1",
            is_agreed_achievable=True,
            patient_priority="walk to the shops without the stick",
            start_on=start,
            due_on=today + timedelta(days=120),
            gas_levels=_gas(
                "Walks under 100 m with the stick",
                "Walks 100 m with the stick",
                "Walks 500 m without the stick",
                "Walks 1 km without the stick",
                "Walks to the park and back",
            ),
            weight=3,
            baseline_level=-1,
            created_at=now - timedelta(days=30),
        ),
        CarePlanGoal(
            statement="Sleep at least 6 hours most nights",
            plain_text="Sleep for 6 hours or more on most nights.",
            horizon="short",
            specific_activity="Six hours of sleep on 5 of 7 nights (sleep diary)",
            target_text="isi <= 14",
            is_agreed_achievable=True,
            patient_priority="sleep through the night",
            start_on=start,
            due_on=today + timedelta(days=42),
            gas_levels=_gas(
                "Under 4 hours most nights",
                "4-5 hours most nights",
                "6 hours on 5 of 7 nights",
                "6 hours every night",
                "7 hours every night",
            ),
            weight=2,
            baseline_level=-1,
            created_at=now - timedelta(days=30),
        ),
    ]
    plan.interventions = [
        CarePlanIntervention(
            discipline="pharmacy",
            title="Renal dose review and opioid reassessment",
            detail="Gabapentinoid dose capped for CrCl; naloxone offered; taper plan discussed.",
            plain_text="The pharmacist makes sure your medicine doses are safe for your kidneys.",
            state="active",
            created_at=now - timedelta(days=30),
        ),
        CarePlanIntervention(
            discipline="physiotherapy",
            title="Knee strengthening and walking programme",
            detail="Twice-weekly sessions; graded walking quota.",
            plain_text="Exercises to make your knee stronger, and a little more walking each week.",
            state="active",
            created_at=now - timedelta(days=28),
        ),
    ]
    plan.decision_points = [
        CarePlanDecisionPoint(
            rule_code="medication-trial-non-response",
            due_on=today + timedelta(days=20),
            baseline_on=start,
            owner_role="pharmacist",
            note="End of the adequate trial at the renally adjusted dose.",
            state="scheduled",
            outcome={},
        )
    ]
    _observations(
        ctx,
        ben,
        {
            "nrs-pain": [(start - timedelta(days=1), "6"), (today - timedelta(days=5), "5")],
            "isi": [(start - timedelta(days=1), "18")],
            "phq-9": [(start - timedelta(days=1), "6")],
        },
    )
    _history(
        ctx,
        plan,
        [
            (Role.PHYSICIAN, "Plan created", "Drafted with Ben after intake", 30),
            (Role.PHARMACIST, "Added pharmacy intervention", "CKD stage 3, on an opioid", 30),
            (Role.PHYSICIAN, "Added goals", "Ben's priorities", 29),
            (Role.PHYSICIAN, "Added decision point", "Trial review", 6),
        ],
    )
    return plan


def _task(
    ctx: DemoContext,
    patient: Patient | None,
    title: str,
    owner: Role,
    due_in_days: int,
    detail: str = "",
    *,
    is_safety: bool = False,
) -> TaskRecord:
    task = TaskRecord(
        patient_id=patient.id if patient else None,
        title=title,
        detail=detail,
        owner_role=owner.value,
        due_on=ctx.today + timedelta(days=due_in_days),
        state="open",
        is_safety=is_safety,
        created_by_id=ctx.staff[Role.COORDINATOR].id,
        created_at=ctx.now - timedelta(days=2),
    )
    ctx.uow.session.add(task)
    return task


def _tasks(ctx: DemoContext) -> None:
    ada, ben = ctx.patients[0], ctx.patients[1]
    _task(
        ctx,
        ada,
        "Adjust the pacing quota after Ada's reported flare",
        Role.PHYSIOTHERAPIST,
        -1,
        "Ada phoned: two bad days after gardening (diary NRS 8 and 9). Phone her and adjust.",
    )
    _task(
        ctx,
        ada,
        "Review dizziness at pregabalin 75 mg twice daily",
        Role.PHYSICIAN,
        0,
        "Ada reported dizziness after the last dose step (diary).",
    )
    _task(ctx, ada, "Book CBT session 3", Role.PSYCHOLOGIST, 2, "Sessions 1-2 done.")
    _task(
        ctx,
        ada,
        "Send week-8 PEG and PGIC questionnaires",
        Role.COORDINATOR,
        1,
        "Needed for the week-8 decision point (peg-mcid-week-8).",
    )
    _task(
        ctx,
        ben,
        "Renal dose check before the next gabapentinoid step",
        Role.PHARMACIST,
        0,
        "CKD stage 3: confirm the latest creatinine clearance.",
    )
    _task(ctx, ben, "Confirm naloxone was supplied", Role.PHARMACIST, -2, "Opioid on the list.")
    _task(ctx, None, "Prepare Thursday's case conference room and video link", Role.COORDINATOR, 3)


def _visits(ctx: DemoContext) -> None:
    ada, ben = ctx.patients[0], ctx.patients[1]
    for patient, days, hour, minutes, mode, location, link, purpose, role in (
        (
            ada,
            5,
            9,
            30,
            "video",
            "",
            "https://video.example.org/painpath/ada-week8",
            "Week-8 pregabalin review",
            Role.PHYSICIAN,
        ),
        (
            ada,
            2,
            10,
            45,
            "in-person",
            "Pain clinic, gym 2",
            "",
            "Physio session",
            Role.PHYSIOTHERAPIST,
        ),
        (ben, 6, 11, 20, "phone", "", "", "Medicines review", Role.PHARMACIST),
    ):
        ctx.uow.session.add(
            Visit(
                patient_id=patient.id,
                starts_at=_at(ctx.today + timedelta(days=days), hour, patient.timezone),
                minutes=minutes,
                mode=mode,
                location=location,
                video_link=link,
                purpose=purpose,
                clinician_id=ctx.staff[role].id,
                state="booked",
                created_at=ctx.now - timedelta(days=3),
            )
        )


def _past_conference(ctx: DemoContext) -> None:
    ada, ben = ctx.patients[0], ctx.patients[1]
    held_on = ctx.today - timedelta(days=7)
    held_at = _at(held_on, 13)
    coordinator = ctx.staff[Role.COORDINATOR]
    teams = sorted({ada.care_team_id, ben.care_team_id})
    items: list[CaseConferenceItem] = []
    for position, (patient, reasons, discussion, actions) in enumerate(
        (
            (
                ada,
                ["open alert (high): dizziness after pregabalin dose step"],
                "Dizziness settling. Keep 75 mg twice daily one more week before the next step; "
                "physio to time sessions for the afternoon.",
                [("Phone Ada about the next dose step", Role.PHYSICIAN, -1)],
            ),
            (
                ben,
                [f"decision point due {(held_on + timedelta(days=3)).isoformat()}: renal review"],
                "Creatinine clearance 38 mL/min: dose stays capped. Offer naloxone again.",
                [("Confirm naloxone was supplied", Role.PHARMACIST, -2)],
            ),
        )
    ):
        note = ClinicalNote(
            patient_id=patient.id,
            author_id=coordinator.id,
            discipline=Discipline.COORDINATION,
            title=f"Case conference {held_on.isoformat()}",
            body=f"Discussed at the weekly MDT on {held_on.isoformat()}.\n\n{discussion}",
            is_clinician_only=False,
            created_at=held_at,
        )
        ctx.uow.session.add(note)
        ctx.uow.session.flush()
        stored: list[dict[str, Any]] = []
        for title, role, due in actions:
            task = TaskRecord(
                patient_id=patient.id,
                title=title,
                detail=f"Action from the weekly MDT ({held_on.isoformat()})",
                owner_role=role.value,
                due_on=ctx.today + timedelta(days=due),
                state="done" if role is Role.PHYSICIAN else "open",
                completed_at=ctx.now - timedelta(days=2) if role is Role.PHYSICIAN else None,
                completion_note="Phoned; agreed to wait a week." if role is Role.PHYSICIAN else "",
                created_by_id=coordinator.id,
                created_at=held_at,
            )
            ctx.uow.session.add(task)
            ctx.uow.session.flush()
            stored.append(
                {
                    "title": title,
                    "owner_role": role.value,
                    "due_on": task.due_on.isoformat(),
                    "task_id": task.id,
                }
            )
        items.append(
            CaseConferenceItem(
                patient_id=patient.id,
                position=position,
                reasons=reasons,
                discussion=discussion,
                actions=stored,
                note_id=note.id,
                discussed_at=held_at,
            )
        )
    ctx.uow.session.add(
        CaseConference(
            title="Weekly MDT",
            held_on=held_on,
            care_team_ids=teams,
            attendee_ids=sorted(u.id for u in ctx.staff.values() if u.role is not Role.ADMIN),
            state="closed",
            created_by_id=coordinator.id,
            created_at=held_at - timedelta(hours=1),
            closed_at=held_at + timedelta(hours=1),
            items=items,
        )
    )


def seed_careplan(ctx: DemoContext) -> None:
    _ada(ctx)
    _ben(ctx)
    _tasks(ctx)
    _visits(ctx)
    _past_conference(ctx)


DEMO_SEEDERS.append(seed_careplan)
