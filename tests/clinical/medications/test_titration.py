"""Titration schedules: label steps, caps (SAFETY), divided doses, exercise timing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painpath.clinical.errors import DoseAboveCeiling, StepNotPermitted
from painpath.clinical.medications.ceiling import dose_ceiling
from painpath.clinical.medications.formulary import default_formulary
from painpath.clinical.medications.renal import renal_limit
from painpath.clinical.medications.titration import (
    ExerciseSession,
    WarningCode,
    split_daily_dose,
    titration_schedule,
)

D = Decimal
F = default_formulary()
START = date(2026, 12, 1)


def _daily(drug: str, target: D, crcl: D | None = None, age: int | None = None) -> list[D]:
    s = titration_schedule(
        F.get(drug), target_daily_dose_mg=target, start_on=START, crcl_ml_min=crcl, age_years=age
    )
    return [d.daily_dose_mg for d in s.days]


def test_gabapentin_follows_label_days_1_to_3_then_weekly_300() -> None:
    # Neurontin §2.1: 300 QD, 600 BID, 900 TID; then +300/day every 7 days: day 10 1200, day 17
    # 1500, day 24 1800 -> 24 rows.
    s = titration_schedule(F.get("gabapentin"), target_daily_dose_mg=D(1800), start_on=START)
    rows = [(d.day, d.daily_dose_mg, d.times_per_day) for d in s.days]
    assert rows[:3] == [(1, D(300), 1), (2, D(600), 2), (3, D(900), 3)]
    assert rows[9] == (10, D(1200), 3)
    assert rows[16] == (17, D(1500), 3)
    assert rows[-1] == (24, D(1800), 3)
    assert len(rows) == 24
    assert s.days[-1].on == START + timedelta(days=23)
    assert not s.warnings


def test_ben_hughes_pregabalin_capped_at_300_with_warning() -> None:
    # Ben Hughes, 67, CKD 3: CrCl (140-67)*80/(72*1.6) = 50.69 -> Lyrica band 30-60 -> max 300.
    crcl = D(5840) / D("115.2")
    s = titration_schedule(
        F.get("pregabalin"), target_daily_dose_mg=D(600), start_on=START, crcl_ml_min=crcl
    )
    assert s.target_daily_dose_mg == D(300)
    assert max(d.daily_dose_mg for d in s.days) == D(300)
    # renal band levels 75, 150, 225, 300 every 7 days: days 1, 8, 15, 22
    assert [(d.day, d.daily_dose_mg) for d in s.days if d.day in (1, 8, 15, 22)] == [
        (1, D(75)),
        (8, D(150)),
        (15, D(225)),
        (22, D(300)),
    ]
    assert [w.code for w in s.warnings] == [WarningCode.TARGET_CAPPED]
    assert "Lyrica" in s.warnings[0].source


@pytest.mark.parametrize(
    ("drug", "target", "crcl", "age", "expected_final"),
    [
        pytest.param("gabapentin", D(3600), D(45), None, D(1400), id="gaba-crcl-45-1400"),
        pytest.param("gabapentin", D(3600), D(20), None, D(700), id="gaba-crcl-20-700"),
        # 300 * 7.5 / 15 = 150
        pytest.param("gabapentin", D(900), D("7.5"), None, D(150), id="gaba-crcl-7-5-150"),
        pytest.param("pregabalin", D(600), D(20), None, D(150), id="pgb-crcl-20-150"),
        pytest.param("pregabalin", D(900), None, None, D(600), id="pgb-label-600"),
        pytest.param("tramadol", D(400), D(20), None, D(200), id="tramadol-renal-200"),
        pytest.param("tramadol", D(400), None, 80, D(300), id="tramadol-over-75-300"),
        pytest.param("tramadol", D(400), None, 75, D(400), id="tramadol-age-75-not-over"),
        pytest.param("duloxetine", D(60), None, None, D(60), id="duloxetine-60"),
        pytest.param("amitriptyline", D(200), None, None, D(150), id="amitriptyline-150"),
    ],
)
def test_target_is_capped_at_the_lowest_limit(
    drug: str, target: D, crcl: D | None, age: int | None, expected_final: D
) -> None:
    doses = _daily(drug, target, crcl, age)
    assert doses[-1] == expected_final
    assert max(doses) == expected_final


def test_duloxetine_below_30_is_refused() -> None:
    with pytest.raises(DoseAboveCeiling):
        titration_schedule(
            F.get("duloxetine"), target_daily_dose_mg=D(60), start_on=START, crcl_ml_min=D(25)
        )


@pytest.mark.parametrize("drug", ["morphine", "oxycodone", "fentanyl", "lidocaine_patch"])
def test_drugs_without_titration_rule_are_refused(drug: str) -> None:
    with pytest.raises(StepNotPermitted):
        titration_schedule(F.get(drug), target_daily_dose_mg=D(10), start_on=START)


@pytest.mark.parametrize(
    ("daily", "times", "unit", "expected"),
    [
        pytest.param(D(900), 3, D(25), [D(300)] * 3, id="even-split"),
        # 1000/25 = 40 units; 40 = 13+13+14 -> 325, 325, 350 (remainder to the evening)
        pytest.param(D(1000), 3, D(25), [D(325), D(325), D(350)], id="remainder-evening"),
        pytest.param(D(75), 3, D(25), [D(25)] * 3, id="pregabalin-25-tid"),
    ],
)
def test_split_daily_dose_sums_to_daily(daily: D, times: int, unit: D, expected: list[D]) -> None:
    parts = split_daily_dose(daily, times, unit)
    assert parts == expected
    assert sum(parts) == daily


def test_exercise_session_moves_pregabalin_dose_to_peak_at_session() -> None:
    # pregabalin Tmax 1 h: 11:00 physio -> morning dose 10:00 instead of 08:00 (BID 08:00/20:00)
    s = titration_schedule(
        F.get("pregabalin"),
        target_daily_dose_mg=D(150),
        start_on=START,
        exercise_sessions=[ExerciseSession(on=None, at=time(11, 0))],
    )
    admins = s.days[0].administrations
    assert [a.at for a in admins] == [time(10, 0), time(20, 0)]
    assert admins[0].covers_session_at == time(11, 0)


def test_exercise_session_respects_gabapentin_12_hour_max_interval() -> None:
    # gabapentin TID 08/14/20, Tmax 2.5 h, max 12 h between doses (Neurontin §2.1).
    sessions = [ExerciseSession(on=START + timedelta(days=2), at=time(21, 0))]
    s = titration_schedule(
        F.get("gabapentin"), target_daily_dose_mg=D(900), start_on=START, exercise_sessions=sessions
    )
    day3 = s.days[2]
    assert day3.times_per_day == 3
    # 21:00 - 2.5 h = 18:30 is the nearest-dose target for the 20:00 dose; moving it keeps
    # 14:00 -> 18:30 (4.5 h >= 4 h) and 18:30 -> 08:00 (13.5 h > 12 h): refused.
    assert [a.at for a in day3.administrations] == [time(8, 0), time(14, 0), time(20, 0)]
    assert WarningCode.SESSION_NOT_COVERED in {w.code for w in s.warnings}


def test_session_on_a_specific_date_only_moves_that_day() -> None:
    on = START + timedelta(days=9)
    s = titration_schedule(
        F.get("duloxetine"),
        target_daily_dose_mg=D(60),
        start_on=START,
        exercise_sessions=[ExerciseSession(on=on, at=time(15, 0))],
    )
    # duloxetine Tmax 6 h: 15:00 session -> 09:00 dose on day 10 only
    by_day = {d.on: d.administrations[0].at for d in s.days}
    assert by_day.get(on, time(9, 0)) == time(9, 0)
    assert by_day[START] == time(8, 0)


def test_bedtime_tca_is_not_moved_for_exercise() -> None:
    s = titration_schedule(
        F.get("amitriptyline"),
        target_daily_dose_mg=D(10),
        start_on=START,
        exercise_sessions=[ExerciseSession(on=None, at=time(10, 0))],
    )
    assert s.days[0].administrations[0].at == time(21, 0)
    assert s.warnings[0].code is WarningCode.BEDTIME_DOSE_NOT_MOVED


def test_exercise_session_from_aware_datetime_uses_patient_zone() -> None:
    utc_plus_2 = timezone(timedelta(hours=2))
    session = ExerciseSession.from_datetime(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), utc_plus_2)
    assert session == ExerciseSession(on=date(2026, 12, 1), at=time(11, 0))


TITRATABLE = sorted(code for code, d in F.drugs.items() if d.titration is not None)


@settings(max_examples=300, deadline=None)
@given(
    drug=st.sampled_from(TITRATABLE),
    target=st.decimals(min_value=1, max_value=5000, places=1),
    crcl=st.one_of(st.none(), st.decimals(min_value=0, max_value=200, places=2)),
    age=st.one_of(st.none(), st.integers(min_value=18, max_value=100)),
    conditions=st.frozensets(st.sampled_from(["cirrhosis", "hepatic_impairment"])),
)
def test_no_generated_schedule_exceeds_max_or_renal_max(
    drug: str, target: D, crcl: D | None, age: int | None, conditions: frozenset[str]
) -> None:
    d = F.get(drug)
    try:
        s = titration_schedule(
            d,
            target_daily_dose_mg=target,
            start_on=START,
            crcl_ml_min=crcl,
            age_years=age,
            conditions=conditions,
        )
    except DoseAboveCeiling:
        return  # drug avoided at this CrCl, or cap below one dose unit: refused, never dosed
    renal_cap = renal_limit(d, crcl).max_daily_dose_mg if crcl is not None else None
    ceiling = dose_ceiling(d, crcl_ml_min=crcl, age_years=age, conditions=conditions)
    assert s.days[-1].daily_dose_mg == s.target_daily_dose_mg
    for day in s.days:
        if ceiling.max_daily_dose_mg is not None:
            assert day.daily_dose_mg <= ceiling.max_daily_dose_mg
        assert day.daily_dose_mg <= target
        if d.max_daily_dose_mg is not None:
            assert day.daily_dose_mg <= d.max_daily_dose_mg
        if renal_cap is not None:
            assert day.daily_dose_mg <= renal_cap
        assert sum(a.dose_mg for a in day.administrations) == day.daily_dose_mg
        assert all(a.dose_mg > 0 for a in day.administrations)


def _gaps_minutes(times: list[time]) -> list[int]:
    minutes = sorted(t.hour * 60 + t.minute for t in times)
    wrap = minutes[0] + 24 * 60 - minutes[-1]
    return [b - a for a, b in pairwise(minutes)] + [wrap]


@settings(max_examples=300, deadline=None)
@given(
    drug=st.sampled_from(["gabapentin", "pregabalin", "duloxetine", "tramadol", "carbamazepine"]),
    target=st.decimals(min_value=100, max_value=3600, places=0),
    sessions=st.lists(
        st.times(min_value=time(0, 0), max_value=time(23, 59)).map(
            lambda t: t.replace(second=0, microsecond=0)
        ),
        max_size=3,
    ),
)
def test_exercise_timing_keeps_allowed_dosing_intervals(
    drug: str, target: D, sessions: list[time]
) -> None:
    d = F.get(drug)
    s = titration_schedule(
        d,
        target_daily_dose_mg=target,
        start_on=START,
        exercise_sessions=[ExerciseSession(on=None, at=t) for t in sessions],
    )
    min_gap = int((d.min_interval_hours or D(4)) * 60)
    for day in s.days:
        if day.times_per_day < 2:
            continue
        gaps = _gaps_minutes([a.at for a in day.administrations])
        assert min(gaps) >= min_gap
        if d.max_interval_hours is not None:
            assert max(gaps) <= int(d.max_interval_hours * 60)
        for a in day.administrations:
            if a.covers_session_at is not None and d.tmax_hours is not None:
                peak = a.at.hour * 60 + a.at.minute + int(d.tmax_hours * 60)
                assert peak == a.covers_session_at.hour * 60 + a.covers_session_at.minute
