"""Titration schedule generator: day-by-day doses from start to target.

SAFETY: no generated daily dose ever exceeds the patient's ceiling (label max, age limit, renal
band, hepatic rule - see ceiling.py). A target above the ceiling is capped and a warning emitted.
Daily doses are rounded DOWN to the drug's dose unit. Drugs without a titration rule (strong
opioids, topicals) are refused: painpath never auto-suggests those doses (clinical reference §4.2).

Optional exercise timing: a dose is moved so that its Tmax (cited in formulary.toml) falls at a
planned session, within the drug's allowed dosing intervals. Tmax is a pharmacokinetic proxy for
peak effect, not a measured analgesic peak.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import DomainError, DoseAboveCeiling, StepNotPermitted
from painpath.clinical.medications.ceiling import DoseCeiling, dose_ceiling
from painpath.clinical.medications.codes import RenalAction
from painpath.clinical.medications.formulary import Drug, RenalBand
from painpath.clinical.medications.renal import renal_band

MINUTES_PER_DAY: Final = 24 * 60
# Engineering defaults (verified=false): first dose 08:00, doses spread over 12 waking hours;
# bedtime doses at 21:00; minimum 4 h between doses when the formulary gives none.
FIRST_DOSE_MINUTE: Final = 8 * 60
WAKING_SPAN_MINUTES: Final = 12 * 60
BEDTIME_MINUTE: Final = 21 * 60
DEFAULT_MIN_INTERVAL_HOURS: Final = Decimal(4)


class WarningCode(StrEnum):
    TARGET_CAPPED = "target_capped"
    TARGET_ROUNDED = "target_rounded"
    RENAL_REGIMEN = "renal_regimen"
    NO_TMAX = "no_tmax"
    BEDTIME_DOSE_NOT_MOVED = "bedtime_dose_not_moved"
    SESSION_NOT_COVERED = "session_not_covered"
    UNVERIFIED_LIMIT = "unverified_limit"


@dataclass(frozen=True, slots=True)
class ScheduleWarning:
    code: WarningCode
    message: str
    source: str


@dataclass(frozen=True, slots=True)
class ExerciseSession:
    """A planned session in the patient's LOCAL wall-clock time."""

    on: date | None  # None: every day
    at: time

    @classmethod
    def from_datetime(cls, starts_at: datetime, zone: tzinfo) -> ExerciseSession:
        """Build from an aware UTC instant and the patient's zone (convert only to schedule)."""
        if starts_at.tzinfo is None:
            raise DomainError("exercise session datetimes must be timezone-aware")
        local = starts_at.astimezone(zone)
        return cls(on=local.date(), at=local.time().replace(tzinfo=None))


@dataclass(frozen=True, slots=True)
class Administration:
    at: time
    dose_mg: Decimal
    covers_session_at: time | None = None  # set when moved so Tmax meets a session


@dataclass(frozen=True, slots=True)
class ScheduleDay:
    day: int  # 1-based
    on: date
    daily_dose_mg: Decimal
    times_per_day: int
    administrations: tuple[Administration, ...]


@dataclass(frozen=True, slots=True)
class TitrationSchedule:
    drug: str
    requested_target_daily_dose_mg: Decimal
    target_daily_dose_mg: Decimal
    ceiling: DoseCeiling
    days: tuple[ScheduleDay, ...]
    warnings: tuple[ScheduleWarning, ...]
    source: str


def _floor_to_unit(dose_mg: Decimal, unit_mg: Decimal) -> Decimal:
    return (dose_mg / unit_mg).to_integral_value(rounding=ROUND_FLOOR) * unit_mg


def choose_times_per_day(daily_dose_mg: Decimal, allowed: Sequence[int], unit_mg: Decimal) -> int:
    """First allowed frequency that splits the dose into equal whole units, else one with no
    dose below one unit, else fewer doses so that none is below one unit."""
    for n in allowed:
        if daily_dose_mg % (n * unit_mg) == 0:
            return n
    for n in allowed:
        if daily_dose_mg / n >= unit_mg:
            return n
    # Too small to split as allowed: as many doses as there are whole units, at least one.
    return max(1, min(min(allowed), int(daily_dose_mg / unit_mg)))


def split_daily_dose(daily_dose_mg: Decimal, times_per_day: int, unit_mg: Decimal) -> list[Decimal]:
    """Split into `times_per_day` doses in whole units; any remainder goes to the LATER doses
    (so the evening dose is largest). The parts always sum to the daily dose."""
    if daily_dose_mg % unit_mg != 0:
        return [daily_dose_mg / times_per_day] * times_per_day
    units = int(daily_dose_mg / unit_mg)
    base, extra = divmod(units, times_per_day)
    counts = [base] * (times_per_day - extra) + [base + 1] * extra
    return [unit_mg * c for c in counts]


def default_dose_minutes(times_per_day: int, *, is_bedtime: bool) -> list[int]:
    """Default clock times (minutes after midnight) for n doses a day."""
    if times_per_day == 1:
        return [BEDTIME_MINUTE if is_bedtime else FIRST_DOSE_MINUTE]
    if times_per_day <= 4:
        step = WAKING_SPAN_MINUTES // (times_per_day - 1)
        return [FIRST_DOSE_MINUTE + i * step for i in range(times_per_day)]
    step = MINUTES_PER_DAY // times_per_day
    return sorted((6 * 60 + i * step) % MINUTES_PER_DAY for i in range(times_per_day))


def _minute(at: time) -> int:
    return at.hour * 60 + at.minute


def _clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


def _window(minutes: list[int], i: int, min_gap: int, max_gap: int | None) -> tuple[int, int]:
    """Feasible range for dose i, others fixed, within the day and the interval rules."""
    n = len(minutes)
    lo, hi = 0, MINUTES_PER_DAY - 1
    if n == 1:
        return lo, hi
    prev = minutes[i - 1] if i > 0 else minutes[-1] - MINUTES_PER_DAY
    nxt = minutes[i + 1] if i < n - 1 else minutes[0] + MINUTES_PER_DAY
    lo = max(lo, prev + min_gap)
    hi = min(hi, nxt - min_gap)
    if max_gap is not None:
        lo = max(lo, nxt - max_gap)
        hi = min(hi, prev + max_gap)
    return lo, hi


def time_doses_for_sessions(
    drug: Drug,
    doses_mg: Sequence[Decimal],
    session_times: Sequence[time],
) -> tuple[tuple[Administration, ...], tuple[ScheduleWarning, ...]]:
    """Administration times for one day, moved so each dose's Tmax meets a session if allowed."""
    n = len(doses_mg)
    minutes = default_dose_minutes(n, is_bedtime=drug.is_bedtime_dose)
    covers: list[time | None] = [None] * n
    warnings: list[ScheduleWarning] = []
    if session_times and drug.is_bedtime_dose:
        warnings.append(
            ScheduleWarning(
                WarningCode.BEDTIME_DOSE_NOT_MOVED,
                f"{drug.code} is a bedtime dose (sedation); not moved for exercise",
                drug.source,
            )
        )
        session_times = ()
    if session_times and drug.tmax_hours is None:
        warnings.append(
            ScheduleWarning(
                WarningCode.NO_TMAX, f"{drug.code}: no Tmax in the formulary", drug.source
            )
        )
        session_times = ()
    if session_times and drug.tmax_hours is not None:
        tmax = int(drug.tmax_hours * 60)
        min_gap = int((drug.min_interval_hours or DEFAULT_MIN_INTERVAL_HOURS) * 60)
        max_gap = int(drug.max_interval_hours * 60) if drug.max_interval_hours else None
        for session in sorted(session_times):
            wanted = _minute(session) - tmax
            free = [i for i in range(n) if covers[i] is None]
            if not free or wanted < 0:
                warnings.append(_not_covered(drug, session, "no dose can peak at this time"))
                continue
            i = min(free, key=lambda k: abs(minutes[k] - wanted))
            lo, hi = _window(minutes, i, min_gap, max_gap)
            if lo > hi or not lo <= wanted <= hi:
                warnings.append(_not_covered(drug, session, "outside the allowed dosing interval"))
                continue
            minutes[i] = wanted
            covers[i] = session
    admins = tuple(
        Administration(at=_clock(m), dose_mg=d, covers_session_at=c)
        for m, d, c in sorted(zip(minutes, doses_mg, covers, strict=True), key=lambda x: x[0])
    )
    return admins, tuple(warnings)


def _not_covered(drug: Drug, session: time, why: str) -> ScheduleWarning:
    return ScheduleWarning(
        WarningCode.SESSION_NOT_COVERED,
        f"{drug.code}: session at {session.isoformat('minutes')} not covered ({why})",
        drug.tmax_source or drug.source,
    )


def _steps(
    drug: Drug, target: Decimal, band: RenalBand | None, crcl_ml_min: Decimal | None
) -> list[tuple[int, Decimal, tuple[int, ...]]]:
    """(start day, daily dose, allowed times/day) steps up to the target."""
    rule = drug.titration
    if rule is None:
        raise StepNotPermitted(f"{drug.code}: no titration rule (individual titration only)")
    steps: list[tuple[int, Decimal, tuple[int, ...]]] = []
    unit = drug.dose_unit_mg
    is_renal = (
        band is not None
        and band.dose_levels_mg
        and drug.max_daily_dose_mg is not None
        and band.max_daily_dose_mg is not None
        and (
            band.max_daily_dose_mg < drug.max_daily_dose_mg
            or band.action is RenalAction.PROPORTIONAL
        )
    )
    if band is not None and is_renal:
        levels = band.dose_levels_mg
        if band.action is RenalAction.PROPORTIONAL and band.reference_ml_min and crcl_ml_min:
            levels = tuple(
                _floor_to_unit(x * crcl_ml_min / band.reference_ml_min, unit) for x in levels
            )
        allowed = band.times_per_day or drug.times_per_day
        day = 1
        for level in sorted({lv for lv in levels if lv > 0}):
            steps.append((day, min(level, target), allowed))
            if level >= target:
                break
            day += rule.step_interval_days
        return steps
    allowed = (band.times_per_day if band and band.times_per_day else ()) or drug.times_per_day
    for day, (dose, times) in zip(rule.initial_step_days, rule.initial_steps, strict=True):
        steps.append((day, min(dose, target), (times,)))
        if dose >= target:
            return steps
    day, dose = rule.initial_step_days[-1], rule.initial_steps[-1][0]
    while dose < target:
        day += rule.step_interval_days
        dose = min(dose + rule.step_mg, target)
        steps.append((day, dose, allowed))
    return steps


def titration_schedule(
    drug: Drug,
    *,
    target_daily_dose_mg: Decimal,
    start_on: date,
    crcl_ml_min: Decimal | None = None,
    age_years: int | None = None,
    conditions: Set[str] = frozenset(),
    exercise_sessions: Sequence[ExerciseSession] = (),
) -> TitrationSchedule:
    """Day-by-day schedule from the start dose to the (capped) target, one row per day."""
    if target_daily_dose_mg <= 0:
        raise DomainError("target_daily_dose_mg must be > 0")
    if drug.titration is None:
        raise StepNotPermitted(f"{drug.code}: no titration rule (individual titration only)")
    ceiling = dose_ceiling(
        drug, crcl_ml_min=crcl_ml_min, age_years=age_years, conditions=conditions
    )
    cap = ceiling.max_daily_dose_mg
    warnings: list[ScheduleWarning] = []
    if cap is not None and cap <= 0:
        limit = ceiling.binding[0]
        raise DoseAboveCeiling(
            f"{drug.code}: avoid for this patient ({limit.kind}: {limit.source})"
        )
    target = target_daily_dose_mg
    if cap is not None and target > cap:
        # SAFETY: cap the target at the lowest applicable limit and say why.
        binding = "; ".join(f"{lim.kind}: {lim.source}" for lim in ceiling.binding)
        warnings.append(
            ScheduleWarning(
                WarningCode.TARGET_CAPPED,
                f"{drug.code}: target {target_daily_dose_mg} mg/day above the maximum for this "
                f"patient; capped at {cap} mg/day",
                binding,
            )
        )
        target = cap
    rounded = _floor_to_unit(target, drug.dose_unit_mg)
    if rounded <= 0:
        raise DoseAboveCeiling(
            f"{drug.code}: maximum {target} mg/day is below one dose unit ({drug.dose_unit_mg} mg)"
        )
    if rounded != target:
        warnings.append(
            ScheduleWarning(
                WarningCode.TARGET_ROUNDED,
                f"{drug.code}: target rounded down from {target} to {rounded} mg/day (dose unit "
                f"{drug.dose_unit_mg} mg)",
                drug.source,
            )
        )
        target = rounded
    warnings += [
        ScheduleWarning(
            WarningCode.UNVERIFIED_LIMIT,
            f"{drug.code}: binding {lim.kind} limit is not verified against its primary source",
            lim.source,
        )
        for lim in ceiling.binding
        if not lim.is_verified
    ]
    band = renal_band(drug, crcl_ml_min) if crcl_ml_min is not None else None
    if band is not None and (
        band.action is not RenalAction.DOSE_BAND
        or (band.times_per_day and band.times_per_day != drug.times_per_day)
    ):
        warnings.append(
            ScheduleWarning(
                WarningCode.RENAL_REGIMEN, f"{drug.code}: renal regimen applies", band.source
            )
        )
    steps = _steps(drug, target, band, crcl_ml_min)
    days: list[ScheduleDay] = []
    last_day = steps[-1][0]
    step_index = 0
    for day in range(1, last_day + 1):
        while step_index + 1 < len(steps) and steps[step_index + 1][0] <= day:
            step_index += 1
        _, dose, allowed = steps[step_index]
        if cap is not None and dose > cap:  # SAFETY: belt and braces; unreachable by design
            raise DoseAboveCeiling(f"{drug.code}: generated {dose} mg/day above {cap}")
        n = choose_times_per_day(dose, allowed, drug.dose_unit_mg)
        on = start_on + timedelta(days=day - 1)
        sessions = [s.at for s in exercise_sessions if s.on is None or s.on == on]
        admins, timing_warnings = time_doses_for_sessions(
            drug, split_daily_dose(dose, n, drug.dose_unit_mg), sessions
        )
        warnings += [w for w in timing_warnings if w not in warnings]
        days.append(ScheduleDay(day, on, dose, n, admins))
    source = drug.titration.source if drug.titration else drug.source
    return TitrationSchedule(
        drug=drug.code,
        requested_target_daily_dose_mg=target_daily_dose_mg,
        target_daily_dose_mg=target,
        ceiling=ceiling,
        days=tuple(days),
        warnings=tuple(warnings),
        source=source,
    )
