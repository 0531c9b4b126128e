"""The demo clinic: the personas of shared/product.md plus generated (not real) patients.

Deterministic for a given seed and date, so screenshots and tests see the same clinic.
Capability modules add their own demo data by appending a function to DEMO_SEEDERS.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from painpath.records.enums import Discipline, Role, Sex, Side
from painpath.records.models import (
    CareTeam,
    CareTeamMember,
    ClinicalNote,
    Comorbidity,
    Injury,
    Patient,
    UserAccount,
)
from painpath.security import passwords
from painpath.services import audit
from painpath.services.context import SYSTEM_ACTOR, RequestContext
from painpath.services.errors import Conflict
from painpath.services.uow import UnitOfWork

DEMO_PASSWORD = "painpath-demo"  # noqa: S105  (printed for the demo; production has no demo users)
TEAM_UPPER = "Upper limb and nerve injury team"
TEAM_LOWER = "Lower limb and post-surgical team"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    full_name: str
    role: Role
    teams: tuple[str, ...]


STAFF = (
    DemoLogin(
        "maya.okafor@demo.painpath.org", "Dr Maya Okafor", Role.PHYSICIAN, (TEAM_UPPER, TEAM_LOWER)
    ),
    DemoLogin(
        "tom.lindqvist@demo.painpath.org",
        "Tom Lindqvist",
        Role.PHYSIOTHERAPIST,
        (TEAM_UPPER, TEAM_LOWER),
    ),
    DemoLogin("priya.raman@demo.painpath.org", "Dr Priya Raman", Role.PSYCHOLOGIST, (TEAM_UPPER,)),
    DemoLogin(
        "sam.costa@demo.painpath.org", "Sam Costa", Role.PHARMACIST, (TEAM_UPPER, TEAM_LOWER)
    ),
    DemoLogin(
        "lena.fischer@demo.painpath.org", "Lena Fischer", Role.COORDINATOR, (TEAM_UPPER, TEAM_LOWER)
    ),
    DemoLogin(
        "clinic.lead@demo.painpath.org",
        "Grace Whitfield (clinic lead)",
        Role.ADMIN,
        (TEAM_UPPER, TEAM_LOWER),
    ),
)
PATIENT_LOGINS = (
    DemoLogin("ada.moreno@demo.painpath.org", "Ada Moreno", Role.PATIENT, ()),
    DemoLogin("ben.hughes@demo.painpath.org", "Ben Hughes", Role.PATIENT, ()),
)


@dataclass(frozen=True, slots=True)
class DemoContext:
    uow: UnitOfWork
    rng: random.Random
    today: date
    now: datetime
    staff: dict[Role, UserAccount]
    patients: list[Patient]


DemoSeeder = Callable[[DemoContext], None]
DEMO_SEEDERS: list[DemoSeeder] = []


def _load_capability_seeders() -> None:
    """Import painpath/services/demo_*.py; each appends its seeder to DEMO_SEEDERS on import."""
    import painpath.services as services_package

    for info in sorted(pkgutil.iter_modules(services_package.__path__), key=lambda i: i.name):
        if info.name.startswith("demo_"):
            importlib.import_module(f"painpath.services.{info.name}")


def _placeholder_mrn() -> str:
    # Unique until the row has its id and gets its real record number.
    return f"tmp-{uuid.uuid4().hex[:24]}"


GIVEN = [
    "Ada",
    "Ben",
    "Chloe",
    "Daniel",
    "Elif",
    "Farid",
    "Grace",
    "Hamza",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Mei",
    "Nikolai",
    "Olivia",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sanjay",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aoife",
    "Bilal",
    "Carmen",
    "Dmitri",
    "Esme",
    "Felix",
    "Gita",
    "Hugo",
    "Ilse",
    "Jamal",
    "Kira",
    "Luca",
    "Maren",
    "Nadia",
]
FAMILY = [
    "Moreno",
    "Hughes",
    "Adeyemi",
    "Novak",
    "Kowalski",
    "Haddad",
    "Brennan",
    "Ito",
    "Silva",
    "Okonkwo",
    "Larsen",
    "Petrov",
    "Nguyen",
    "Fernandes",
    "Schmidt",
    "Yilmaz",
    "Murphy",
    "Kaur",
    "Dubois",
    "Rossi",
    "Andersson",
    "Chen",
    "Mensah",
    "Walsh",
    "Sato",
    "Ortega",
]
UPPER_INJURIES = [
    ("Motorcycle crash, traction injury", "Brachial plexus", ["C5", "C6", "C7 roots"]),
    ("Laceration from glass", "Wrist", ["Median nerve"]),
    ("Fall onto outstretched hand", "Elbow", ["Ulnar nerve"]),
    ("Humeral shaft fracture", "Upper arm", ["Radial nerve"]),
    ("Crush injury at work", "Hand", ["Digital nerves"]),
    ("Shoulder dislocation", "Shoulder", ["Axillary nerve"]),
]
LOWER_INJURIES = [
    ("Total knee replacement", "Knee", ["Infrapatellar branch of saphenous nerve"]),
    ("Ankle fracture, surgical fixation", "Ankle", ["Superficial fibular nerve"]),
    ("Road traffic collision", "Lower leg", ["Common fibular nerve"]),
    ("Hip replacement", "Hip", ["Lateral femoral cutaneous nerve"]),
    ("Lumbar disc surgery", "Lower back and leg", ["L5 root"]),
    ("Crush injury, fall of load", "Foot", ["Sural nerve"]),
]
COMORBIDITIES = [
    ("Type 2 diabetes", "44054006"),
    ("Hypertension", "38341003"),
    ("Depression", "35489007"),
    ("Generalised anxiety disorder", "21897009"),
    ("Obesity", "414916001"),
    ("Chronic kidney disease stage 3", "433144002"),
    ("Obstructive sleep apnoea", "78275009"),
    ("Asthma", "195967001"),
    ("Osteoarthritis of knee", "239873007"),
]
OCCUPATIONS = [
    "Warehouse operative",
    "Nurse",
    "Electrician",
    "Teacher",
    "Retired",
    "Driver",
    "Chef",
    "Office administrator",
    "Student",
    "Carpenter",
    "Care worker",
]
ZONES = ["Europe/London", "Europe/Dublin", "Europe/Berlin"]


def seed_demo(
    uow: UnitOfWork, *, now: datetime, seed: int = 7, patient_count: int = 40
) -> list[DemoLogin]:
    """Create the demo clinic in an empty database and return the logins to print."""
    if uow.session.scalar(select(func.count()).select_from(UserAccount)):
        raise Conflict(
            "the database already has users; the demo clinic goes into an empty database"
        )
    rng = random.Random(seed)
    today = now.date()
    teams = {
        name: CareTeam(name=name, description=desc)
        for name, desc in (
            (TEAM_UPPER, "Brachial plexus, peripheral nerve and hand injuries"),
            (TEAM_LOWER, "Post-surgical and lower-limb neuropathic pain"),
        )
    }
    uow.session.add_all(teams.values())
    uow.session.flush()
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    staff: dict[Role, UserAccount] = {}
    for login in STAFF:
        user = UserAccount(
            username=login.username,
            full_name=login.full_name,
            role=login.role,
            password_hash=password_hash,
            created_at=now - timedelta(days=200),
        )
        uow.session.add(user)
        uow.session.flush()
        staff[login.role] = user
        for team in login.teams:
            uow.session.add(CareTeamMember(care_team_id=teams[team].id, user_id=user.id))
    patients = [_ada(teams, now), _ben(teams, now)]
    for index in range(patient_count - len(patients)):
        patients.append(_generated_patient(rng, index, teams, now))
    uow.session.add_all(patients)
    uow.session.flush()
    for patient in patients:
        patient.mrn = f"PP-{patient.id:06d}"
        _add_history_notes(uow, rng, patient, staff, now)
    for login, patient in zip(PATIENT_LOGINS, patients[:2], strict=True):
        uow.session.add(
            UserAccount(
                username=login.username,
                full_name=login.full_name,
                role=Role.PATIENT,
                password_hash=password_hash,
                patient_id=patient.id,
                created_at=patient.created_at,
            )
        )
    uow.session.flush()
    context = DemoContext(uow, rng, today, now, staff, patients)
    _load_capability_seeders()
    for seeder in DEMO_SEEDERS:
        seeder(context)
        uow.session.flush()
    audit.append(
        uow.session,
        RequestContext(SYSTEM_ACTOR, "demo-seed", lambda: now),
        action="demo.seed",
        resource="clinic",
        detail=f"patients={len(patients)}",
    )
    uow.commit()
    return [*STAFF, *PATIENT_LOGINS]


def _ada(teams: dict[str, CareTeam], now: datetime) -> Patient:
    injured = now.date() - timedelta(days=425)  # 14 months ago
    patient = Patient(
        given_name="Ada",
        family_name="Moreno",
        born_on=date(now.year - 45, 6, 12),
        sex=Sex.FEMALE,
        timezone="Europe/London",
        preferred_language="en",
        email="ada.moreno@example.org",
        phone="+44 7700 900123",
        occupation="Warehouse operative (off work)",
        care_team_id=teams[TEAM_UPPER].id,
        mrn=_placeholder_mrn(),
        created_at=now - timedelta(days=120),
        updated_at=now - timedelta(days=3),
    )
    patient.injuries = [
        Injury(
            mechanism="Motorcycle crash, traction injury",
            injured_on=injured,
            body_region="Brachial plexus (right arm)",
            side=Side.RIGHT,
            nerves=["C5", "C6", "C7 roots"],
            description="Burning and electric pain in the right arm; allodynia of the forearm.",
        )
    ]
    patient.comorbidities = [
        Comorbidity(
            name="Generalised anxiety disorder",
            code="21897009",
            noted_on=injured + timedelta(days=90),
        )
    ]
    return patient


def _ben(teams: dict[str, CareTeam], now: datetime) -> Patient:
    patient = Patient(
        given_name="Ben",
        family_name="Hughes",
        born_on=date(now.year - 67, 2, 3),
        sex=Sex.MALE,
        timezone="Europe/London",
        preferred_language="en",
        email="ben.hughes@example.org",
        phone="+44 7700 900456",
        occupation="Retired",
        care_team_id=teams[TEAM_LOWER].id,
        mrn=_placeholder_mrn(),
        created_at=now - timedelta(days=100),
        updated_at=now - timedelta(days=10),
    )
    patient.injuries = [
        Injury(
            mechanism="Total knee replacement",
            injured_on=now.date() - timedelta(days=300),
            body_region="Knee (left)",
            side=Side.LEFT,
            nerves=["Infrapatellar branch of saphenous nerve"],
            description="Post-surgical neuropathic pain; on an opioid.",
        )
    ]
    patient.comorbidities = [
        Comorbidity(
            name="Chronic kidney disease stage 3",
            code="433144002",
            noted_on=date(now.year - 4, 5, 1),
        ),
        Comorbidity(name="Hypertension", code="38341003", noted_on=date(now.year - 12, 1, 1)),
    ]
    return patient


def _generated_patient(
    rng: random.Random, index: int, teams: dict[str, CareTeam], now: datetime
) -> Patient:
    upper = index % 2 == 0
    mechanism, region, nerves = rng.choice(UPPER_INJURIES if upper else LOWER_INJURIES)
    age = rng.randint(22, 82)
    created = now - timedelta(days=rng.randint(30, 180))
    patient = Patient(
        given_name=GIVEN[(index + 2) % len(GIVEN)],
        family_name=FAMILY[(index * 7 + 2) % len(FAMILY)],
        born_on=date(now.year - age, rng.randint(1, 12), rng.randint(1, 28)),
        sex=rng.choice([Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.OTHER]),
        timezone=rng.choice(ZONES),
        preferred_language="en",
        occupation="Retired" if age >= 67 else rng.choice(OCCUPATIONS),
        care_team_id=teams[TEAM_UPPER if upper else TEAM_LOWER].id,
        mrn=_placeholder_mrn(),
        created_at=created,
        updated_at=created + timedelta(days=rng.randint(0, 20)),
    )
    patient.injuries = [
        Injury(
            mechanism=mechanism,
            injured_on=created.date() - timedelta(days=rng.randint(90, 900)),
            body_region=region,
            side=rng.choice([Side.LEFT, Side.RIGHT]),
            nerves=list(nerves),
        )
    ]
    patient.comorbidities = [
        Comorbidity(name=name, code=code, noted_on=None)
        for name, code in rng.sample(COMORBIDITIES, rng.randint(0, 3))
    ]
    return patient


NOTE_TEMPLATES = (
    (
        Role.PHYSICIAN,
        Discipline.MEDICINE,
        "Intake assessment",
        "Neuropathic features in the injured territory. Screening bundle sent. Plan discussed with patient.",
    ),
    (
        Role.PHYSIOTHERAPIST,
        Discipline.PHYSIOTHERAPY,
        "Physiotherapy assessment",
        "Reduced tolerance for sustained activity. Agreed to start gentle mobilisation and pacing.",
    ),
    (
        Role.PHARMACIST,
        Discipline.PHARMACY,
        "Medicines reconciliation",
        "Current medicines reviewed with the patient. No duplicate therapy found.",
    ),
    (
        Role.COORDINATOR,
        Discipline.COORDINATION,
        "Follow-up booked",
        "Review visit booked; patient prefers video appointments on weekday mornings.",
    ),
)


def _add_history_notes(
    uow: UnitOfWork,
    rng: random.Random,
    patient: Patient,
    staff: dict[Role, UserAccount],
    now: datetime,
) -> None:
    span = max(1, (now - patient.created_at).days)
    for step, (role, discipline, title, body) in enumerate(NOTE_TEMPLATES):
        # Office hours on the note's day, not the seeding time of day plus some hours.
        day = patient.created_at.date() + timedelta(days=span * step // len(NOTE_TEMPLATES))
        at = datetime.combine(day, time(rng.randint(8, 16)), tzinfo=UTC)
        uow.session.add(
            ClinicalNote(
                patient_id=patient.id,
                author_id=staff[role].id,
                discipline=discipline,
                title=title,
                body=body,
                is_clinician_only=False,
                created_at=at,
            )
        )
    if rng.random() < 0.3 or patient.given_name == "Ada":
        uow.session.add(
            ClinicalNote(
                patient_id=patient.id,
                author_id=staff[Role.PHYSICIAN].id,
                discipline=Discipline.MEDICINE,
                title="Team discussion (clinicians only)",
                body="Discussed mood and sleep; psychology review to be offered at the next visit.",
                is_clinician_only=True,
                created_at=now - timedelta(days=rng.randint(2, 20)),
            )
        )
