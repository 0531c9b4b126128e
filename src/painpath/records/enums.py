"""Codes stored in the database. StrEnum so the stored value is the readable code."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PHYSICIAN = "physician"
    PHYSIOTHERAPIST = "physiotherapist"
    PSYCHOLOGIST = "psychologist"
    PHARMACIST = "pharmacist"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    PATIENT = "patient"

    @property
    def is_clinician(self) -> bool:
        return self in CLINICAL_ROLES

    @property
    def is_staff(self) -> bool:
        return self is not Role.PATIENT


CLINICAL_ROLES = frozenset(
    {Role.PHYSICIAN, Role.PHYSIOTHERAPIST, Role.PSYCHOLOGIST, Role.PHARMACIST}
)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"
    MIDLINE = "midline"


class Discipline(StrEnum):
    MEDICINE = "medicine"
    PHYSIOTHERAPY = "physiotherapy"
    PSYCHOLOGY = "psychology"
    PHARMACY = "pharmacy"
    COORDINATION = "coordination"


class AuditOutcome(StrEnum):
    GRANTED = "granted"
    DENIED = "denied"
