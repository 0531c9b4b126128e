"""Alert rules over plain data supplied by the caller. Each returns zero or more :class:`Alert`.

No I/O and no clock: ``today`` is the patient's local clinical date, passed in. Thresholds come from
:class:`MonitoringConfig` (shipped defaults with sources, overridable per clinic).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import DomainError
from painpath.clinical.monitoring.alerts import (
    Alert,
    AlertKind,
    MonitoringConfig,
    OwnerRole,
    RuleSettings,
)


class InvalidMonitoringInput(DomainError):
    """Input data a rule cannot read (e.g. a negative count)."""


@dataclass(frozen=True, slots=True)
class PainEntry:
    """One diary pain rating (NRS 0-10) on the patient's local date."""

    recorded_on: date
    nrs: Decimal


@dataclass(frozen=True, slots=True)
class BoomBustFlag:
    """Precomputed by the rehab module; this module only turns it into an alert."""

    detected_on: date
    activity_code: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class MedicationAdherence:
    """PDC of one medicine over a period, computed elsewhere (clinical-reference 4.7)."""

    drug_code: str
    pdc_pct: Decimal
    is_scheduled: bool  # PDC is not meaningful for PRN medicines (reference 4.7)


@dataclass(frozen=True, slots=True)
class SessionAttendance:
    """Programme sessions planned vs completed in a period."""

    programme_id: str
    planned: int
    completed: int


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """A score at baseline and now, with the instrument's MCID and direction."""

    instrument_code: str
    baseline: Decimal
    current: Decimal
    mcid: Decimal
    is_higher_worse: bool


class RedFlag(StrEnum):
    """Red flags requiring same-day review (clinical-reference.md 6.3)."""

    SUICIDAL_IDEATION = "suicidal-ideation"
    PROGRESSIVE_NEUROLOGICAL_DEFICIT = "progressive-neurological-deficit"
    CAUDA_EQUINA = "cauda-equina"
    INFECTION = "infection"
    MALIGNANCY = "malignancy"
    EVOLVING_CRPS = "evolving-crps"
    OPIOID_TOXICITY = "opioid-toxicity"
    SEROTONIN_SYNDROME = "serotonin-syndrome"
    SEVERE_CUTANEOUS_REACTION = "severe-cutaneous-reaction"
    QT_PROLONGATION = "qt-prolongation"
    HYPONATRAEMIA = "hyponatraemia"
    OPIOID_USE_DISORDER_RISK = "opioid-use-disorder-risk"


@dataclass(frozen=True, slots=True)
class RedFlagInfo:
    """Why a red flag matters and its source, as in the reference table."""

    why: str
    source: str
    is_verified: bool


RED_FLAGS: Final[dict[RedFlag, RedFlagInfo]] = {
    RedFlag.SUICIDAL_IDEATION: RedFlagInfo(
        "suicide risk (chronic pain is a risk factor)",
        "Kroenke 2001; (unverified) as guideline",
        False,
    ),
    RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT: RedFlagInfo(
        "evolving nerve/cord lesion, compartment syndrome, compression",
        "clinical consensus (unverified)",
        False,
    ),
    RedFlag.CAUDA_EQUINA: RedFlagInfo(
        "cauda equina syndrome", "NICE NG59 red flags (unverified)", False
    ),
    RedFlag.INFECTION: RedFlagInfo(
        "infection (abscess, osteomyelitis)", "NICE NG59 (unverified)", False
    ),
    RedFlag.MALIGNANCY: RedFlagInfo("malignancy", "NICE NG59 (unverified)", False),
    RedFlag.EVOLVING_CRPS: RedFlagInfo(
        "evolving CRPS needs early treatment",
        "Budapest criteria, Harden 2010 Pain 150:268-274 (unverified)",
        False,
    ),
    RedFlag.OPIOID_TOXICITY: RedFlagInfo(
        "opioid toxicity / respiratory depression",
        "FDA 2019 gabapentinoid communication (symptom list verified); CDC 2022",
        True,
    ),
    RedFlag.SEROTONIN_SYNDROME: RedFlagInfo(
        "serotonin syndrome", "opioid and duloxetine labels (SNRI warning verified)", True
    ),
    RedFlag.SEVERE_CUTANEOUS_REACTION: RedFlagInfo(
        "SJS/TEN, DRESS on carbamazepine/oxcarbazepine", "CPIC 2017 (verified)", True
    ),
    RedFlag.QT_PROLONGATION: RedFlagInfo(
        "QT prolongation / arrhythmia", "methadone label (unverified)", False
    ),
    RedFlag.HYPONATRAEMIA: RedFlagInfo(
        "hyponatraemia (SIADH)", "Beers 2023 Table 4 (checked, JS transcription)", True
    ),
    RedFlag.OPIOID_USE_DISORDER_RISK: RedFlagInfo(
        "opioid use disorder risk", "CDC 2022 (unverified wording)", False
    ),
}


def _alert(
    settings: RuleSettings,
    key: str,
    today: date,
    evidence: Sequence[tuple[str, str]],
    *,
    owner: OwnerRole | None = None,
    rationale: str | None = None,
    source: str | None = None,
    is_verified: bool | None = None,
) -> Alert:
    return Alert(
        kind=settings.kind,
        severity=settings.severity,
        dedupe_key=key,
        owner_role=owner or settings.owner_role,
        also_notify=settings.also_notify,
        rationale=rationale or settings.rationale,
        source=source or settings.source,
        is_rule_verified=settings.is_verified if is_verified is None else is_verified,
        detected_on=today,
        evidence=tuple(evidence),
        can_auto_close=settings.kind is not AlertKind.URGENT_SAFETY,
    )


def detect_flare(
    patient_ref: str, entries: Iterable[PainEntry], *, today: date, config: MonitoringConfig
) -> tuple[Alert, ...]:
    """Flare: each of the last ``min_days`` days (ending today) >= baseline + ``points``.

    The baseline is the mean daily value over the ``baseline_days`` days just before that window and
    needs at least ``baseline_min_days`` days with entries. A day's value is the mean of its entries
    (or the maximum, if ``daily_max`` = 1). Days without entries never count as flare days.
    """
    settings = config.rule(AlertKind.FLARE)
    if not settings.is_enabled:
        return ()
    min_days = int(settings.param("min_days"))
    baseline_days = int(settings.param("baseline_days"))
    daily = _daily_values(entries, use_max=settings.param("daily_max") == 1)
    window = [today - timedelta(days=n) for n in range(min_days - 1, -1, -1)]
    baseline_dates = [window[0] - timedelta(days=n) for n in range(baseline_days, 0, -1)]
    baseline_values = [daily[d] for d in baseline_dates if d in daily]
    if len(baseline_values) < int(settings.param("baseline_min_days")):
        return ()
    if any(d not in daily for d in window):
        return ()
    baseline = sum(baseline_values, Decimal(0)) / len(baseline_values)
    threshold = baseline + settings.param("points_above_baseline")
    if not all(daily[d] >= threshold for d in window):
        return ()
    evidence = [
        ("baseline_mean_nrs", str(baseline.quantize(Decimal("0.01")))),
        ("baseline_from", baseline_dates[0].isoformat()),
        ("baseline_days_with_entries", str(len(baseline_values))),
        *((f"nrs_on_{d.isoformat()}", str(daily[d])) for d in window),
    ]
    return (_alert(settings, f"flare:{patient_ref}", today, evidence),)


def _daily_values(entries: Iterable[PainEntry], *, use_max: bool) -> dict[date, Decimal]:
    by_day: dict[date, list[Decimal]] = {}
    for entry in entries:
        if not Decimal(0) <= entry.nrs <= Decimal(10):
            raise InvalidMonitoringInput(f"NRS {entry.nrs} outside 0-10 on {entry.recorded_on}")
        by_day.setdefault(entry.recorded_on, []).append(entry.nrs)
    return {
        day: max(values) if use_max else sum(values, Decimal(0)) / len(values)
        for day, values in by_day.items()
    }


def detect_boom_bust(
    patient_ref: str, flags: Iterable[BoomBustFlag], *, today: date, config: MonitoringConfig
) -> tuple[Alert, ...]:
    """One alert per activity flagged by the rehab module (detection is not done here)."""
    settings = config.rule(AlertKind.BOOM_BUST)
    if not settings.is_enabled:
        return ()
    return tuple(
        _alert(
            settings,
            f"boom-bust:{patient_ref}:{flag.activity_code}",
            today,
            [("flagged_on", flag.detected_on.isoformat()), ("activity", flag.activity_code)]
            + ([("detail", flag.detail)] if flag.detail else []),
        )
        for flag in flags
        if flag.detected_on <= today
    )


def detect_medication_non_adherence(
    patient_ref: str,
    adherence: Iterable[MedicationAdherence],
    *,
    today: date,
    config: MonitoringConfig,
) -> tuple[Alert, ...]:
    """PDC below the threshold (default 80 %) for scheduled medicines; PRN medicines are skipped."""
    settings = config.rule(AlertKind.NON_ADHERENCE_MEDICATION)
    if not settings.is_enabled:
        return ()
    below = settings.param("pdc_below_pct")
    return tuple(
        _alert(
            settings,
            f"non-adherence-medication:{patient_ref}:{a.drug_code}",
            today,
            [("drug", a.drug_code), ("pdc_pct", str(a.pdc_pct)), ("threshold_pct", str(below))],
        )
        for a in adherence
        if a.is_scheduled and a.pdc_pct < below
    )


def detect_session_non_adherence(
    patient_ref: str,
    attendance: Iterable[SessionAttendance],
    *,
    today: date,
    config: MonitoringConfig,
) -> tuple[Alert, ...]:
    """Completed sessions below the threshold (default 50 %) of those planned."""
    settings = config.rule(AlertKind.NON_ADHERENCE_SESSIONS)
    if not settings.is_enabled:
        return ()
    below = settings.param("completed_below_pct")
    alerts: list[Alert] = []
    for a in attendance:
        if a.planned < 0 or a.completed < 0:
            raise InvalidMonitoringInput(f"programme {a.programme_id}: negative session count")
        if a.planned == 0:
            continue
        pct = Decimal(a.completed) / Decimal(a.planned) * 100
        if pct < below:
            alerts.append(
                _alert(
                    settings,
                    f"non-adherence-sessions:{patient_ref}:{a.programme_id}",
                    today,
                    [
                        ("programme", a.programme_id),
                        ("completed", str(a.completed)),
                        ("planned", str(a.planned)),
                        ("completed_pct", str(pct.quantize(Decimal("0.1")))),
                    ],
                )
            )
    return tuple(alerts)


def detect_no_diary(
    patient_ref: str,
    *,
    last_entry_on: date | None,
    monitoring_started_on: date,
    today: date,
    config: MonitoringConfig,
) -> tuple[Alert, ...]:
    """No diary entry for N whole local days before ``today`` (today itself is not yet over).

    With no entry at all, days count from the day monitoring started.
    """
    settings = config.rule(AlertKind.NO_DIARY)
    if not settings.is_enabled:
        return ()
    # Whole days without an entry, before today: entry Monday, today Friday -> Tue, Wed, Thu = 3.
    if last_entry_on is None:
        missed = (today - monitoring_started_on).days
    else:
        missed = (today - last_entry_on).days - 1
    if missed < int(settings.param("days_without_entry")):
        return ()
    evidence = [
        ("last_entry_on", "none" if last_entry_on is None else last_entry_on.isoformat()),
        ("whole_days_without_entry", str(missed)),
    ]
    return (_alert(settings, f"no-diary:{patient_ref}", today, evidence),)


def detect_worsening(
    patient_ref: str, changes: Iterable[ScoreChange], *, today: date, config: MonitoringConfig
) -> tuple[Alert, ...]:
    """Scores worse than baseline by at least their MCID (an MCID change is clinically important)."""
    settings = config.rule(AlertKind.WORSENING)
    if not settings.is_enabled:
        return ()
    alerts: list[Alert] = []
    for c in changes:
        if c.mcid <= 0:
            raise InvalidMonitoringInput(f"{c.instrument_code}: MCID must be > 0")
        worsening = c.current - c.baseline if c.is_higher_worse else c.baseline - c.current
        if worsening >= c.mcid:
            alerts.append(
                _alert(
                    settings,
                    f"worsening:{patient_ref}:{c.instrument_code}",
                    today,
                    [
                        ("instrument", c.instrument_code),
                        ("baseline", str(c.baseline)),
                        ("current", str(c.current)),
                        ("worsened_by", str(worsening)),
                        ("mcid", str(c.mcid)),
                    ],
                    owner=settings.owner_by_instrument.get(c.instrument_code),
                )
            )
    return tuple(alerts)


def detect_responder(
    patient_ref: str,
    *,
    baseline_nrs: Decimal | None,
    current_nrs: Decimal | None,
    pgic_code: int | None,
    today: date,
    config: MonitoringConfig,
) -> tuple[Alert, ...]:
    """Good-news alerts: IMMPACT pain responder (highest level reached) and PGIC global responder.

    pain_reduction_pct = (baseline - current) / baseline x 100, baseline > 0 (Dworkin 2008).
    PGIC codes: 1 very much improved, 2 much improved (global responder) ... 7 very much worse.
    """
    settings = config.rule(AlertKind.RESPONDER)
    if not settings.is_enabled:
        return ()
    alerts: list[Alert] = []
    if baseline_nrs is not None and current_nrs is not None and baseline_nrs > 0:
        reduction = (baseline_nrs - current_nrs) / baseline_nrs * 100
        level = None
        if reduction >= settings.param("substantial_pct"):
            level = "substantial"
        elif reduction >= settings.param("moderate_pct"):
            level = "moderate"
        if level is not None:
            alerts.append(
                _alert(
                    settings,
                    f"responder:{patient_ref}:pain:{level}",
                    today,
                    [
                        ("baseline_nrs", str(baseline_nrs)),
                        ("current_nrs", str(current_nrs)),
                        ("reduction_pct", str(reduction.quantize(Decimal("0.1")))),
                        ("level", level),
                    ],
                )
            )
    if pgic_code is not None:
        if not 1 <= pgic_code <= 7:
            raise InvalidMonitoringInput(f"PGIC code {pgic_code} outside 1-7")
        if pgic_code <= 2:
            alerts.append(
                _alert(
                    settings,
                    f"responder:{patient_ref}:pgic",
                    today,
                    [("pgic_code", str(pgic_code))],
                )
            )
    return tuple(alerts)


def detect_urgent_safety(
    patient_ref: str,
    *,
    phq9_item9: int | None,
    phq9_response_id: str | None,
    red_flags: Iterable[RedFlag],
    today: date,
    config: MonitoringConfig,
) -> tuple[Alert, ...]:
    """Same-day alerts: PHQ-9 item 9 >= 1 and each reported red flag (reference 6.2, 6.3).

    SAFETY: this rule cannot be disabled (the config loader refuses). Each positive PHQ-9 response
    gets its own dedupe key (its response id), so a new positive answer is never swallowed by an
    older open alert. A red flag is keyed by flag code: it stays one open alert until a clinician acts.
    """
    settings = config.rule(AlertKind.URGENT_SAFETY)
    alerts: list[Alert] = []
    if phq9_item9 is not None:
        if not 0 <= phq9_item9 <= 3:
            raise InvalidMonitoringInput(f"PHQ-9 item 9 value {phq9_item9} outside 0-3")
        if phq9_item9 >= settings.param("phq9_item9_at_or_above"):
            if not phq9_response_id:
                raise InvalidMonitoringInput("a positive PHQ-9 item 9 needs its response id")
            alerts.append(
                _alert(
                    settings,
                    f"urgent-safety:{patient_ref}:phq-9-item-9:{phq9_response_id}",
                    today,
                    [("phq-9_item_9", str(phq9_item9)), ("response_id", phq9_response_id)],
                )
            )
    for flag in sorted(set(red_flags)):
        info = RED_FLAGS[flag]
        alerts.append(
            _alert(
                settings,
                f"urgent-safety:{patient_ref}:red-flag:{flag.value}",
                today,
                [("red_flag", flag.value), ("why", info.why)],
                source=f"clinical-reference.md 6.3: {info.source}",
                is_verified=info.is_verified,
            )
        )
    return tuple(alerts)


@dataclass(frozen=True, slots=True)
class MonitoringInputs:
    """Everything the rules read for one patient on one day; empty fields mean "no data"."""

    patient_ref: str
    monitoring_started_on: date
    pain_entries: tuple[PainEntry, ...] = ()
    last_diary_on: date | None = None
    boom_bust_flags: tuple[BoomBustFlag, ...] = ()
    medication_adherence: tuple[MedicationAdherence, ...] = ()
    session_attendance: tuple[SessionAttendance, ...] = ()
    score_changes: tuple[ScoreChange, ...] = ()
    baseline_nrs: Decimal | None = None
    current_nrs: Decimal | None = None
    pgic_code: int | None = None
    phq9_item9: int | None = None
    phq9_response_id: str | None = None
    red_flags: tuple[RedFlag, ...] = ()


def evaluate_alerts(
    inputs: MonitoringInputs, *, today: date, config: MonitoringConfig
) -> tuple[Alert, ...]:
    """Run every rule; urgent alerts first. Use :func:`new_alerts` to drop already-open ones."""
    p = inputs.patient_ref
    alerts = [
        *detect_urgent_safety(
            p,
            phq9_item9=inputs.phq9_item9,
            phq9_response_id=inputs.phq9_response_id,
            red_flags=inputs.red_flags,
            today=today,
            config=config,
        ),
        *detect_flare(p, inputs.pain_entries, today=today, config=config),
        *detect_worsening(p, inputs.score_changes, today=today, config=config),
        *detect_boom_bust(p, inputs.boom_bust_flags, today=today, config=config),
        *detect_medication_non_adherence(
            p, inputs.medication_adherence, today=today, config=config
        ),
        *detect_session_non_adherence(p, inputs.session_attendance, today=today, config=config),
        *detect_no_diary(
            p,
            last_entry_on=inputs.last_diary_on,
            monitoring_started_on=inputs.monitoring_started_on,
            today=today,
            config=config,
        ),
        *detect_responder(
            p,
            baseline_nrs=inputs.baseline_nrs,
            current_nrs=inputs.current_nrs,
            pgic_code=inputs.pgic_code,
            today=today,
            config=config,
        ),
    ]
    return tuple(alerts)
