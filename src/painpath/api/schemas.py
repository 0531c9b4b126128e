"""Pydantic request/response schemas. Unknown fields are refused (extra="forbid")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from painpath.records.enums import Discipline, Role, Sex, Side

T = TypeVar("T")
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageRead(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class InjuryCreate(Strict):
    mechanism: ShortText
    injured_on: date
    body_region: ShortText
    side: Side
    nerves: list[Annotated[str, StringConstraints(max_length=60)]] = Field(
        default_factory=list, max_length=20
    )
    description: str = Field(default="", max_length=4000)


class InjuryRead(BaseModel):
    id: int
    mechanism: str
    injured_on: date
    body_region: str
    side: Side
    nerves: list[str]
    description: str


class ComorbidityCreate(Strict):
    name: ShortText
    code: str | None = Field(default=None, max_length=32)
    noted_on: date | None = None


class ComorbidityRead(BaseModel):
    id: int
    name: str
    code: str | None
    noted_on: date | None


class PatientCreate(Strict):
    given_name: Name
    family_name: Name
    born_on: date
    sex: Sex
    care_team_id: int = Field(gt=0)
    timezone: str = Field(default="UTC", max_length=64)
    preferred_language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40)
    occupation: str = Field(default="", max_length=120)
    injuries: list[InjuryCreate] = Field(default_factory=list, max_length=10)


class PatientUpdate(Strict):
    given_name: Name | None = None
    family_name: Name | None = None
    born_on: date | None = None
    sex: Sex | None = None
    care_team_id: int | None = Field(default=None, gt=0)
    timezone: str | None = Field(default=None, max_length=64)
    preferred_language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40)
    occupation: str | None = Field(default=None, max_length=120)


class PatientSummaryRead(BaseModel):
    id: int
    mrn: str
    display_name: str
    born_on: date
    care_team: str
    main_injury: str | None


class TeamMemberRead(BaseModel):
    full_name: str
    role: Role


class PatientRead(BaseModel):
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
    team_members: list[TeamMemberRead]
    injuries: list[InjuryRead]
    comorbidities: list[ComorbidityRead]
    updated_at: datetime


class NoteCreate(Strict):
    title: ShortText
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    is_clinician_only: bool = False


class NoteRead(BaseModel):
    id: int
    title: str
    body: str
    discipline: Discipline
    author: str
    is_clinician_only: bool
    created_at: datetime


class TokenRequest(Strict):
    username: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    totp_code: str | None = Field(default=None, max_length=8)


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105  (OAuth token type, not a secret)


class MeRead(BaseModel):
    user_id: int
    username: str
    full_name: str
    role: Role
    patient_id: int | None
    care_team_ids: list[int]


class ChainReportRead(BaseModel):
    intact: bool
    checked: int
    first_broken_seq: int | None
    problem: str | None


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = None
