"""Demo data for team documentation, injury and work, and community resources.

Ada's graded return to her warehouse job with lifting restrictions, a draft insurer report
waiting for her approval, a pharmacist's override note waiting for a physician's co-signature,
and a directory of clearly fictional community resources (no real organisation's details)."""

from __future__ import annotations

from datetime import timedelta

from painpath.records.enums import Role
from painpath.records.models_teamwork import (
    CommunityResource,
    FinancialNote,
    NoteCosignRule,
    ResourceRecommendation,
)
from painpath.services import note_templates, return_to_work
from painpath.services.access import actor_for
from painpath.services.context import RequestContext
from painpath.services.demo import DEMO_SEEDERS, DemoContext
from painpath.services.resources import FinancialKind, Need
from painpath.services.return_to_work import PlanInput, WeekInput, WorkStatus

# Fictional entries: the names say "(demo)" and contacts use the reserved example.org domain
# (RFC 2606), so nobody mistakes them for real services.
DEMO_RESOURCES = (
    (
        "Nerve Injury Peer Circle (demo)",
        "A friendly group of people living with nerve pain. Meets every two weeks. "
        "You can listen without talking.",
        "North District",
        [Need.SUPPORT_GROUP],
        "peer-circle@example.org",
        "free",
    ),
    (
        "Living Well with Pain course (demo)",
        "Six weekly sessions on pacing, sleep and setting goals, led by a trained tutor "
        "and a person who lives with pain.",
        "North District",
        [Need.SELF_MANAGEMENT],
        "course@example.org",
        "free",
    ),
    (
        "Community Hardship Fund (demo)",
        "Small grants for people on low income after an injury, for example for bills "
        "or equipment. A coordinator can help you apply.",
        "North District",
        [Need.FINANCIAL],
        "fund@example.org",
        "free",
    ),
    (
        "Volunteer Clinic Driver Scheme (demo)",
        "Volunteers drive you to health appointments. Book two days ahead. "
        "You pay a small amount towards fuel.",
        "North District",
        [Need.TRANSPORT],
        "drivers@example.org",
        "low",
    ),
    (
        "Online Pain Skills group (demo)",
        "A video group you can join from home. Learn ways to cope with flare-ups.",
        "Online",
        [Need.SELF_MANAGEMENT, Need.SUPPORT_GROUP],
        "online-skills@example.org",
        "free",
    ),
    (
        "Southside Carers and Patients Café (demo)",
        "Drop in for a hot drink and a chat with others who know what chronic pain is like.",
        "South District",
        [Need.SUPPORT_GROUP],
        "cafe@example.org",
        "free",
    ),
)


def seed_teamwork(ctx: DemoContext) -> None:
    s = ctx.uow.session
    s.add_all(
        [
            NoteCosignRule(
                author_role=Role.PHARMACIST.value,
                template_code="override",
                cosigner_role=Role.PHYSICIAN.value,
                reason="Clinic rule: a pharmacist's override of a safety finding is co-signed "
                "by a physician.",
                is_active=True,
                created_at=ctx.now,
            ),
        ]
    )
    rows = [
        CommunityResource(
            name=name,
            plain_summary=summary,
            region=region,
            needs=[n.value for n in needs],
            contact=contact,
            cost_band=cost,
            is_demo=True,
            is_active=True,
            created_at=ctx.now,
        )
        for name, summary, region, needs, contact, cost in DEMO_RESOURCES
    ]
    s.add_all(rows)
    s.flush()
    ada = ctx.patients[0]
    coordinator = ctx.staff.get(Role.COORDINATOR)
    s.add(
        ResourceRecommendation(
            patient_id=ada.id,
            resource_id=rows[1].id,
            note="Starts next month; Ada said evenings suit her.",
            recommended_by_id=coordinator.id if coordinator else None,
            recommended_by_name=coordinator.full_name if coordinator else "",
            created_at=ctx.now - timedelta(days=3),
        )
    )
    s.add(
        FinancialNote(
            patient_id=ada.id,
            kind=FinancialKind.ALTERNATIVE.value,
            text="Generic pregabalin is listed in the formulary; ask the pharmacy for the "
            "generic to lower the prescription cost.",
            is_cost_effective_alternative=True,
            author_id=coordinator.id if coordinator else None,
            author_name=coordinator.full_name if coordinator else "",
            created_at=ctx.now - timedelta(days=3),
        )
    )
    s.flush()

    physician = ctx.staff.get(Role.PHYSICIAN)
    pharmacist = ctx.staff.get(Role.PHARMACIST)
    if physician is None or pharmacist is None:
        return
    clock = lambda: ctx.now  # noqa: E731  (the demo's fixed instant)
    doctor = RequestContext(actor_for(ctx.uow, physician, now=ctx.now), "demo-seed", clock)
    return_to_work.save_plan(
        ctx.uow,
        doctor,
        ada.id,
        PlanInput(
            work_status=WorkStatus.OFF_WORK,
            job_title="Warehouse operative (picking and packing)",
            employer="Employer on file (demo)",
            demands=[
                ("Lifting", "boxes up to 20 kg from floor to shoulder height"),
                ("Standing and walking", "most of an 8-hour shift"),
                ("Scanner use", "repetitive right-hand gripping"),
            ],
            restrictions=[
                "No lifting over 5 kg with the right arm; no lifting above shoulder height.",
                "No ladder work or overhead reaching with the right arm.",
                "A 10-minute break every hour for pacing and arm exercises.",
                "Left-hand or two-handed scanner use only.",
            ],
            weeks=[
                WeekInput(4, 3, "Packing bench, light items only; induction refresher"),
                WeekInput(4, 5, "Packing bench; labelling; no floor-level lifting"),
                WeekInput(6, 5, "Packing and stock checks; lifting up to 5 kg at waist height"),
                WeekInput(8, 5, "Usual duties except heavy lifting; review before week 5"),
            ],
            start_on=ctx.today + timedelta(days=14),
            review_on=ctx.today + timedelta(days=42),
        ),
    )
    return_to_work.draft_report(
        ctx.uow,
        doctor,
        ada.id,
        recipient="Workers' compensation case manager (demo)",
        period_from=ctx.today - timedelta(days=56),
        period_to=ctx.today,
    )
    pharm = RequestContext(actor_for(ctx.uow, pharmacist, now=ctx.now), "demo-seed", clock)
    note_templates.write_templated_note(
        ctx.uow,
        pharm,
        ada.id,
        "override",
        {
            "finding": "Pregabalin with a sedating antihistamine for sleep: drowsiness",
            "reason": "Ada takes the antihistamine only now and then; she agreed to avoid it "
            "on work days. The pregabalin trial goes ahead.",
            "monitoring": "Ask about drowsiness at the week 2 call; stop and review if sedated.",
        },
    )


DEMO_SEEDERS.append(seed_teamwork)
