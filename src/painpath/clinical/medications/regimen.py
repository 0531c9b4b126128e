"""Regimen inputs: the patient context and medication orders that the checks read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from painpath.clinical.errors import DomainError
from painpath.clinical.medications.codes import DrugClass, Route, Sex
from painpath.clinical.medications.formulary import Drug
from painpath.clinical.medications.renal import InvalidPatientValue

# Entries recorded without a mg dose: capsaicin 8 % is clinic-applied in patches; alcohol is a
# co-exposure that matters for interactions only.
UNDOSED_CLASSES: Final = frozenset({DrugClass.TOPICAL_CAPSAICIN, DrugClass.ALCOHOL})


class InvalidOrder(DomainError):
    """A medication order is incomplete or impossible (message names the drug and field)."""


@dataclass(frozen=True, slots=True)
class PatientContext:
    """What the checks need to know about the patient (no identifiers, no PHI)."""

    age_years: int
    sex: Sex
    weight_kg: Decimal | None = None
    serum_creatinine_mg_dl: Decimal | None = None
    conditions: tuple[str, ...] = ()  # raw spellings; normalised by the condition table


@dataclass(frozen=True, slots=True)
class MedicationOrder:
    """One regimen entry: oral/topical `dose_mg` x `times_per_day`, or a patch in mcg/h."""

    drug: str
    dose_mg: Decimal | None = None
    times_per_day: int | None = None
    dose_mcg_per_hr: Decimal | None = None

    @property
    def daily_dose_mg(self) -> Decimal | None:
        if self.dose_mg is None or self.times_per_day is None:
            return None
        return self.dose_mg * self.times_per_day


def validate_patient(patient: PatientContext) -> None:
    """Raise InvalidPatientValue for impossible ages, weights or creatinine values."""
    if not 0 <= patient.age_years <= 120:
        raise InvalidPatientValue("age_years must be 0-120")
    if patient.weight_kg is not None and not Decimal(0) < patient.weight_kg <= Decimal(400):
        raise InvalidPatientValue("weight_kg must be > 0 and <= 400")
    if patient.serum_creatinine_mg_dl is not None and not (
        Decimal(0) < patient.serum_creatinine_mg_dl <= Decimal(30)
    ):
        raise InvalidPatientValue("serum_creatinine_mg_dl must be > 0 and <= 30")


def validate_order(order: MedicationOrder, drug: Drug) -> None:
    """Raise InvalidOrder if the order lacks the fields its route needs or has impossible values."""
    if order.dose_mg is not None and order.dose_mg < 0:
        raise InvalidOrder(f"{order.drug}: dose_mg must be >= 0")
    if order.times_per_day is not None and not 1 <= order.times_per_day <= 24:
        raise InvalidOrder(f"{order.drug}: times_per_day must be 1-24")
    if order.dose_mcg_per_hr is not None and order.dose_mcg_per_hr < 0:
        raise InvalidOrder(f"{order.drug}: dose_mcg_per_hr must be >= 0")
    if drug.route is Route.TRANSDERMAL:
        if order.dose_mcg_per_hr is None:
            raise InvalidOrder(f"{order.drug}: transdermal patch needs dose_mcg_per_hr")
    elif drug.drug_class not in UNDOSED_CLASSES and (
        order.dose_mg is None or order.times_per_day is None
    ):
        raise InvalidOrder(f"{order.drug}: dose_mg and times_per_day are required")
