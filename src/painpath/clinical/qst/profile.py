"""QST z-scores and gain/loss classification against a reference table (DFNS convention).

z = (X - mean_ref) / SD_ref, on log10(X + log_offset) for the log-normal parameters, with the sign
flipped where a lower raw value means more sensitive, so that positive z = gain of function and
negative z = loss (clinical-reference.md 3.2; Rolke 2006 Pain). Abnormal: |z| > 1.96.

Special cases (clinical-reference.md 3.1):
- PHS: any paradoxical heat sensation (count > 0) is abnormal, whatever its z; the finding is
  ``abnormal`` (no gain/loss direction; usually a sign of small-fibre loss).
- DMA: any rating > 0 is a gain (allodynia); absence is normal, so DMA can never be a loss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from painpath.clinical.errors import DomainError
from painpath.clinical.qst.protocol import (
    PARAMETERS,
    SOURCE,
    Z_ABNORMAL,
    ParameterSpec,
    QstParameter,
    Scale,
    SpecialRule,
)
from painpath.clinical.qst.reference import ReferenceBand, ReferenceTable, Sex


class InvalidMeasurement(DomainError):
    """A QST value is outside its measurement scale or cannot be transformed."""


class SensoryFinding(StrEnum):
    """Per-parameter classification."""

    GAIN = "gain"
    LOSS = "loss"
    NORMAL = "normal"
    ABNORMAL = "abnormal"  # PHS: abnormal without a gain/loss direction
    NOT_ASSESSABLE = "not-assessable"  # no reference band, so no z-score


class WarningCode(StrEnum):
    """Why part of a profile could not be computed."""

    MISSING_REFERENCE_BAND = "missing-reference-band"
    PARAMETER_NOT_MEASURED = "parameter-not-measured"


@dataclass(frozen=True, slots=True)
class QstSubject:
    """Stratification keys of the reference data: sex, age and tested body site."""

    sex: Sex
    age_years: int
    body_site: str


@dataclass(frozen=True, slots=True)
class QstWarning:
    """A non-fatal gap in the profile; shown to the clinician, never silently dropped."""

    code: WarningCode
    parameter: QstParameter
    message: str


@dataclass(frozen=True, slots=True)
class ParameterResult:
    """One parameter: raw value, value on the z scale, sign-adjusted z and the finding."""

    parameter: QstParameter
    raw_value: Decimal
    scaled_value: Decimal | None  # None when no reference band was found
    z_score: Decimal | None
    finding: SensoryFinding
    band: ReferenceBand | None


@dataclass(frozen=True, slots=True)
class QstProfile:
    """A sensory profile for one body site, with the reference table it was computed against."""

    subject: QstSubject
    results: tuple[ParameterResult, ...]
    warnings: tuple[QstWarning, ...]
    table_version: str
    table_source: str
    protocol_source: str = SOURCE

    def result_for(self, parameter: QstParameter) -> ParameterResult | None:
        """The result for one parameter, or None if it was not measured."""
        for result in self.results:
            if result.parameter is parameter:
                return result
        return None


def _validate(spec: ParameterSpec, value: Decimal) -> None:
    if not value.is_finite():
        raise InvalidMeasurement(f"{spec.parameter}: value is not finite")
    if spec.min_value is not None and value < spec.min_value:
        raise InvalidMeasurement(f"{spec.parameter}: value below {spec.min_value}")
    if spec.max_value is not None and value > spec.max_value:
        raise InvalidMeasurement(f"{spec.parameter}: value above {spec.max_value}")
    if spec.is_integer and value != value.to_integral_value():
        raise InvalidMeasurement(f"{spec.parameter}: value must be a whole number")


def scale_value(spec: ParameterSpec, value: Decimal, log_offset: Decimal) -> Decimal:
    """Transform a raw value onto the z scale (log10(value + offset) or unchanged)."""
    if spec.scale is Scale.LINEAR:
        return value
    shifted = value + log_offset
    if shifted <= 0:
        raise InvalidMeasurement(
            f"{spec.parameter}: log10 needs value + log_offset > 0 (offset {log_offset})"
        )
    return shifted.log10()


def z_score(spec: ParameterSpec, scaled_value: Decimal, band: ReferenceBand) -> Decimal:
    """Sign-adjusted z: positive = gain of function (clinical-reference.md 3.2)."""
    raw_z = (scaled_value - band.mean) / band.sd
    # SAFETY: flip for thresholds where lower = more sensitive, so hyperalgesia is always positive.
    return -raw_z if spec.is_lower_more_sensitive else raw_z


def classify(spec: ParameterSpec, raw_value: Decimal, z: Decimal | None) -> SensoryFinding:
    """Gain / loss / normal per the DFNS cut-off and the PHS and DMA presence rules."""
    if spec.special_rule is SpecialRule.ANY_PRESENT_IS_ABNORMAL:
        return SensoryFinding.ABNORMAL if raw_value > 0 else SensoryFinding.NORMAL
    if spec.special_rule is SpecialRule.ANY_PRESENT_IS_GAIN:
        return SensoryFinding.GAIN if raw_value > 0 else SensoryFinding.NORMAL
    if z is None:
        return SensoryFinding.NOT_ASSESSABLE
    if z > Z_ABNORMAL:
        return SensoryFinding.GAIN
    if z < -Z_ABNORMAL:
        return SensoryFinding.LOSS
    return SensoryFinding.NORMAL


def compute_profile(
    measurements: Mapping[QstParameter, Decimal],
    *,
    subject: QstSubject,
    table: ReferenceTable,
) -> QstProfile:
    """Compute z-scores and findings for every measured parameter, warning about every gap."""
    results: list[ParameterResult] = []
    warnings: list[QstWarning] = []
    for parameter, spec in PARAMETERS.items():
        if parameter not in measurements:
            warnings.append(
                QstWarning(
                    WarningCode.PARAMETER_NOT_MEASURED,
                    parameter,
                    f"{parameter} not measured at {subject.body_site}",
                )
            )
            continue
        raw = measurements[parameter]
        _validate(spec, raw)
        band = table.find_band(
            parameter, sex=subject.sex, age_years=subject.age_years, body_site=subject.body_site
        )
        scaled: Decimal | None = None
        z: Decimal | None = None
        if band is None:
            warnings.append(
                QstWarning(
                    WarningCode.MISSING_REFERENCE_BAND,
                    parameter,
                    f"no {parameter} reference band for {subject.sex}, age {subject.age_years}, "
                    f"site {subject.body_site} in table {table.table_version}",
                )
            )
            # The log offset belongs to the table, so without a band nothing is transformed.
        else:
            scaled = scale_value(spec, raw, band.log_offset)
            z = z_score(spec, scaled, band)
        results.append(
            ParameterResult(
                parameter=parameter,
                raw_value=raw,
                scaled_value=scaled,
                z_score=z,
                finding=classify(spec, raw, z),
                band=band,
            )
        )
    return QstProfile(
        subject=subject,
        results=tuple(results),
        warnings=tuple(warnings),
        table_version=table.table_version,
        table_source=table.source,
    )
