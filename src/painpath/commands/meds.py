"""`painpath meds check FILE` and `painpath meds titrate DRUG ...` (issue 2's CLI contract; keep
the output stable). Pure: no database. Bad input -> exit status 2 and one line on stderr naming
what is wrong; a clinical refusal (drug to avoid, no titration rule) -> exit status 1."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from painpath.clinical.errors import DomainError, DoseAboveCeiling, StepNotPermitted
from painpath.clinical.medications.checks import RegimenReport, check_regimen
from painpath.clinical.medications.codes import Sex
from painpath.clinical.medications.formulary import default_formulary
from painpath.clinical.medications.regimen import MedicationOrder, PatientContext
from painpath.clinical.medications.titration import TitrationSchedule, titration_schedule

meds_app = typer.Typer(no_args_is_help=True, help="Medication safety checks and titration")
# Presentation rounding (clinical values stay unrounded Decimal inside): CrCl and MME/day are
# printed to 2 decimal places, half-up; whole numbers print as integers.
PRINT_PLACES = Decimal("0.01")
MAX_CRCL_ML_MIN = Decimal(300)
# Rows are numbered by day; the calendar date does not change the printed schedule.
DAY_ONE = date(2000, 1, 1)  # a CrCl above 300 mL/min is not a physiological value


class InputProblem(ValueError):
    """The input file or an option is incomplete or impossible (exit status 2)."""


def _fail(message: str, status: int = 2) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(status)


def number_out(value: Decimal, *, places: Decimal | None = PRINT_PLACES) -> int | float:
    shown = value.quantize(places, rounding=ROUND_HALF_UP) if places is not None else value
    return int(shown) if shown == shown.to_integral_value() else float(shown)


def _number(data: dict[str, Any], key: str, where: str, *, required: bool) -> Decimal | None:
    if key not in data or data[key] is None:
        if required:
            raise InputProblem(f"{where}: missing required field '{key}'")
        return None
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputProblem(f"{where}.{key}: {value!r} is not a number")
    result = Decimal(str(value))
    if not result.is_finite():
        raise InputProblem(f"{where}.{key}: {value!r} is not a finite number")
    return result


def _whole(data: dict[str, Any], key: str, where: str, *, required: bool) -> int | None:
    value = _number(data, key, where, required=required)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise InputProblem(f"{where}.{key}: {value} is not a whole number")
    return int(value)


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputProblem(f"{where} must be a JSON object")
    return value


@dataclass(frozen=True, slots=True)
class CheckInput:
    patient: PatientContext
    orders: tuple[MedicationOrder, ...]


def parse_check_input(document: Any) -> CheckInput:
    """Validate the contract's JSON shape; clinical ranges are checked by the core."""
    root = _object(document, "the file")
    for key in ("patient", "medications"):
        if key not in root:
            raise InputProblem(f"missing required field '{key}'")
    raw_patient = _object(root["patient"], "patient")
    age = _whole(raw_patient, "age", "patient", required=True)
    assert age is not None
    if "sex" not in raw_patient:
        raise InputProblem("patient: missing required field 'sex'")
    try:
        sex = Sex(raw_patient["sex"])
    except ValueError:
        raise InputProblem(
            f"patient.sex: {raw_patient['sex']!r} is not 'female' or 'male'"
        ) from None
    conditions = raw_patient.get("conditions") or []
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        raise InputProblem("patient.conditions must be a list of strings")
    patient = PatientContext(
        age_years=age,
        sex=sex,
        weight_kg=_number(raw_patient, "weight_kg", "patient", required=False),
        serum_creatinine_mg_dl=_number(
            raw_patient, "serum_creatinine_mg_dl", "patient", required=False
        ),
        conditions=tuple(conditions),
    )
    raw_orders = root["medications"]
    if not isinstance(raw_orders, list):
        raise InputProblem("medications must be a list")
    orders = []
    for index, raw in enumerate(raw_orders):
        where = f"medications[{index}]"
        entry = _object(raw, where)
        drug = entry.get("drug")
        if drug is None:
            raise InputProblem(f"{where}: missing required field 'drug'")
        if not isinstance(drug, str) or not drug.strip():
            raise InputProblem(f"{where}.drug: {drug!r} is not a drug name")
        orders.append(
            MedicationOrder(
                drug=drug.strip().lower(),
                dose_mg=_number(entry, "dose_mg", where, required=False),
                times_per_day=_whole(entry, "times_per_day", where, required=False),
                dose_mcg_per_hr=_number(entry, "dose_mcg_per_hr", where, required=False),
            )
        )
    return CheckInput(patient, tuple(orders))


def report_json(report: RegimenReport) -> dict[str, Any]:
    return {
        "creatinine_clearance_ml_min": None
        if report.crcl_ml_min is None
        else number_out(report.crcl_ml_min),
        "mme_per_day": number_out(report.mme.mme_per_day),
        "findings": [
            {
                "kind": f.kind.value,
                "severity": f.severity.value,
                "drugs": list(f.drugs),
                "message": f.message,
                "source": f.source,
            }
            for f in report.findings
        ],
    }


def schedule_rows(schedule: TitrationSchedule) -> list[dict[str, Any]]:
    """One row per day; `dose_mg` is one administration (as in `meds check`), so
    dose_mg x times_per_day = daily_dose_mg (uneven splits print the mean dose)."""
    return [
        {
            "day": d.day,
            "dose_mg": number_out(d.daily_dose_mg / d.times_per_day, places=None),
            "times_per_day": d.times_per_day,
            "daily_dose_mg": number_out(d.daily_dose_mg, places=None),
        }
        for d in schedule.days
    ]


@meds_app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="JSON: {patient: {...}, medications: [...]}")],
) -> None:
    """Check a regimen: interactions, renal dose, max dose, Beers, MME, naloxone, duplicates."""
    try:
        document = json.loads(file.read_text())
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror}")
    except json.JSONDecodeError as exc:
        _fail(f"{file} is not JSON: {exc.msg} at line {exc.lineno}")
    try:
        parsed = parse_check_input(document)
        report = check_regimen(parsed.patient, parsed.orders)
    except (InputProblem, DomainError) as exc:
        _fail(str(exc))
    print(json.dumps(report_json(report)))


@meds_app.command("titrate")
def titrate_command(
    drug: Annotated[str, typer.Argument(help="lowercase generic name, e.g. pregabalin")],
    target_mg_per_day: Annotated[Decimal, typer.Option("--target-mg-per-day")],
    crcl: Annotated[
        Decimal | None, typer.Option("--crcl", help="creatinine clearance, mL/min")
    ] = None,
) -> None:
    """Print the day-by-day titration schedule as JSON rows {day, dose_mg, times_per_day}."""
    if not target_mg_per_day.is_finite() or target_mg_per_day <= 0:
        _fail(f"--target-mg-per-day must be > 0 (got {target_mg_per_day})")
    if crcl is not None and (not crcl.is_finite() or not Decimal(0) <= crcl <= MAX_CRCL_ML_MIN):
        _fail(f"--crcl must be between 0 and {MAX_CRCL_ML_MIN} mL/min (got {crcl})")
    try:
        found = default_formulary().get(drug.strip().lower())
    except DomainError as exc:
        _fail(str(exc))
    try:
        schedule = titration_schedule(
            found,
            target_daily_dose_mg=target_mg_per_day,
            start_on=DAY_ONE,
            crcl_ml_min=crcl,
        )
    except (DoseAboveCeiling, StepNotPermitted) as exc:
        _fail(str(exc), status=1)
    except DomainError as exc:
        _fail(str(exc))
    for warning in schedule.warnings:
        print(f"warning: {warning.message} ({warning.source})", file=sys.stderr)
    print(json.dumps(schedule_rows(schedule)))


def register(app: typer.Typer) -> None:
    app.add_typer(meds_app, name="meds")
