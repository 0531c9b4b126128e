"""QST reference values as versioned data: a pure CSV parser and a packaged-table loader.

painpath ships NO DFNS reference numbers: the published tables (Rolke 2006 Pain; Magerl 2010 Pain
151:598-605 for age stratification) must be obtained and licensed by the clinic. The clinic's table is
parsed from text with :func:`parse_reference_csv` (e.g. by a service that read a file) or loaded from
an installed site-data package with :func:`load_packaged_reference_table`.

CSV format (see docs/qst/reference-table-csv.md):

    # table_version: <required, free text>
    # source: <required, citation of the published table>
    parameter,sex,age_min_years,age_max_years,body_site,scale,log_offset,mean,sd
    cdt,female,20,29,hand-dorsum,log10,0,0.1234,0.2345

- ``parameter``: a :class:`QstParameter` code; ``sex``: ``female`` or ``male``;
- ages are whole years, inclusive; ``body_site`` is a free kebab-case code (e.g. ``hand-dorsum``);
- ``scale`` must equal the protocol's scale for the parameter (``log10`` or ``linear``), so a table
  cannot silently mix raw and log values;
- ``log_offset`` is the constant added before log10 (the table states it because the mean/SD were
  computed with it; clinical-reference.md 3.1 notes a constant for MPS/DMA as (unverified)); it must
  be empty or 0 on ``linear`` rows;
- ``mean`` and ``sd`` are on that scale; ``sd`` > 0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from typing import Final

from painpath.clinical.errors import DomainError, UnknownCode
from painpath.clinical.qst.protocol import PARAMETERS, QstParameter, Scale


class InvalidReferenceTable(DomainError):
    """The reference CSV is malformed or inconsistent with the DFNS protocol."""


class Sex(StrEnum):
    """Sex used to stratify the reference data (Rolke 2006 Pain: region, age and gender groups)."""

    FEMALE = "female"
    MALE = "male"


COLUMNS: Final = (
    "parameter",
    "sex",
    "age_min_years",
    "age_max_years",
    "body_site",
    "scale",
    "log_offset",
    "mean",
    "sd",
)
REQUIRED_METADATA: Final = ("table_version", "source")


@dataclass(frozen=True, slots=True)
class ReferenceBand:
    """Mean and SD of one parameter for one sex / age band / body site, on ``scale``."""

    parameter: QstParameter
    sex: Sex
    age_min_years: int
    age_max_years: int
    body_site: str
    scale: Scale
    log_offset: Decimal
    mean: Decimal
    sd: Decimal

    def covers(self, *, sex: Sex, age_years: int, body_site: str) -> bool:
        """True if this band applies to the given subject and site."""
        return (
            self.sex is sex
            and self.body_site == body_site.strip().lower()
            and self.age_min_years <= age_years <= self.age_max_years
        )


@dataclass(frozen=True, slots=True)
class ReferenceTable:
    """A versioned set of reference bands with its citation."""

    table_version: str
    source: str
    bands: tuple[ReferenceBand, ...]
    metadata: tuple[tuple[str, str], ...] = ()

    def find_band(
        self, parameter: QstParameter, *, sex: Sex, age_years: int, body_site: str
    ) -> ReferenceBand | None:
        """The band for a subject, or None when the table has no matching band."""
        for band in self.bands:
            if band.parameter is parameter and band.covers(
                sex=sex, age_years=age_years, body_site=body_site
            ):
                return band
        return None


def _decimal(text: str, *, column: str, line: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidReferenceTable(f"line {line}: {column} is not a number") from None
    if not value.is_finite():
        raise InvalidReferenceTable(f"line {line}: {column} is not finite")
    return value


def _int(text: str, *, column: str, line: int) -> int:
    value = _decimal(text, column=column, line=line)
    if value != value.to_integral_value() or value < 0:
        raise InvalidReferenceTable(f"line {line}: {column} must be a whole number of years")
    return int(value)


def _parse_row(row: dict[str, str], line: int) -> ReferenceBand:
    try:
        parameter = QstParameter(row["parameter"].strip().lower())
    except ValueError:
        raise UnknownCode(f"line {line}: unknown QST parameter {row['parameter']!r}") from None
    try:
        sex = Sex(row["sex"].strip().lower())
    except ValueError:
        raise InvalidReferenceTable(f"line {line}: sex must be female or male") from None
    try:
        scale = Scale(row["scale"].strip().lower())
    except ValueError:
        raise InvalidReferenceTable(f"line {line}: scale must be log10 or linear") from None
    expected = PARAMETERS[parameter].scale
    if scale is not expected:
        # SAFETY: a linear mean compared with a log value (or vice versa) gives nonsense z-scores.
        raise InvalidReferenceTable(
            f"line {line}: {parameter} must use scale {expected} per the DFNS protocol"
        )
    offset_text = row["log_offset"].strip()
    log_offset = (
        Decimal(0) if offset_text == "" else _decimal(offset_text, column="log_offset", line=line)
    )
    if scale is Scale.LINEAR and log_offset != 0:
        raise InvalidReferenceTable(f"line {line}: log_offset is only allowed on log10 rows")
    if log_offset < 0:
        raise InvalidReferenceTable(f"line {line}: log_offset must not be negative")
    age_min = _int(row["age_min_years"], column="age_min_years", line=line)
    age_max = _int(row["age_max_years"], column="age_max_years", line=line)
    if age_min > age_max:
        raise InvalidReferenceTable(f"line {line}: age_min_years > age_max_years")
    body_site = row["body_site"].strip().lower()
    if not body_site:
        raise InvalidReferenceTable(f"line {line}: body_site is empty")
    sd = _decimal(row["sd"], column="sd", line=line)
    if sd <= 0:
        raise InvalidReferenceTable(f"line {line}: sd must be > 0")
    return ReferenceBand(
        parameter=parameter,
        sex=sex,
        age_min_years=age_min,
        age_max_years=age_max,
        body_site=body_site,
        scale=scale,
        log_offset=log_offset,
        mean=_decimal(row["mean"], column="mean", line=line),
        sd=sd,
    )


def _check_overlaps(bands: list[ReferenceBand]) -> None:
    for i, a in enumerate(bands):
        for b in bands[i + 1 :]:
            same_stratum = (a.parameter, a.sex, a.body_site) == (b.parameter, b.sex, b.body_site)
            if (
                same_stratum
                and a.age_min_years <= b.age_max_years
                and b.age_min_years <= a.age_max_years
            ):
                raise InvalidReferenceTable(
                    f"overlapping age bands for {a.parameter}/{a.sex}/{a.body_site}: "
                    f"{a.age_min_years}-{a.age_max_years} and {b.age_min_years}-{b.age_max_years}"
                )


def parse_reference_csv(text: str) -> ReferenceTable:
    """Parse a reference table from CSV text (format in the module docstring)."""
    metadata: dict[str, str] = {}
    data_lines: list[str] = []
    data_start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not data_lines and stripped.startswith("#"):
            key, sep, value = stripped.lstrip("#").partition(":")
            if sep:
                metadata[key.strip().lower()] = value.strip()
            continue
        if not data_lines and not stripped:
            continue
        if not data_lines:
            data_start = number
        data_lines.append(raw)
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    if missing:
        raise InvalidReferenceTable(f"missing metadata: {', '.join(missing)}")
    if not data_lines:
        raise InvalidReferenceTable("no header row")
    reader = csv.DictReader(io.StringIO("\n".join(data_lines)))
    header = tuple((name or "").strip() for name in reader.fieldnames or ())
    if header != COLUMNS:
        raise InvalidReferenceTable(f"header must be {','.join(COLUMNS)}")
    reader.fieldnames = list(COLUMNS)
    bands: list[ReferenceBand] = []
    for offset, row in enumerate(reader, start=1):
        line = data_start + offset
        if None in row or any(value is None for value in row.values()):
            raise InvalidReferenceTable(f"line {line}: expected {len(COLUMNS)} columns")
        if not any(value.strip() for value in row.values()):
            continue
        bands.append(_parse_row(row, line))
    _check_overlaps(bands)
    return ReferenceTable(
        table_version=metadata["table_version"],
        source=metadata["source"],
        bands=tuple(bands),
        metadata=tuple(sorted(metadata.items())),
    )


def load_packaged_reference_table(package: str, resource: str) -> ReferenceTable:
    """Load a reference CSV shipped as package data (e.g. the clinic's licensed site package)."""
    text = resources.files(package).joinpath(resource).read_text(encoding="utf-8")
    return parse_reference_csv(text)
