"""Adherence: sessions done / prescribed over an inclusive window."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.rehab.adherence import compute_adherence, prescribed_sessions

START = date(2026, 6, 1)
END = date(2026, 6, 14)  # 14 days inclusive


def days(*offsets: int) -> list[date]:
    return [START + timedelta(days=o) for o in offsets]


@pytest.mark.parametrize(
    ("per_week", "end", "expected"),
    [
        pytest.param(3, END, 6, id="3-per-week-14-days"),  # 3 * 14 / 7 = 6
        pytest.param(3, date(2026, 6, 10), 4, id="3-per-week-10-days"),  # 30 / 7 = 4.29 -> 4
        pytest.param(1, date(2026, 6, 4), 1, id="half-up"),  # 4 / 7 = 0.571 -> 1
        pytest.param(2, date(2026, 6, 5), 1, id="down"),  # 10 / 7 = 1.43 -> 1
        pytest.param(14, date(2026, 6, 1), 2, id="twice-daily-one-day"),  # 14 * 1 / 7 = 2
    ],
)
def test_prescribed_sessions(per_week: int, end: date, expected: int) -> None:
    assert (
        prescribed_sessions(sessions_per_week=per_week, window_start=START, window_end=end)
        == expected
    )


ADHERENCE_CASES = [
    # 5 of 6 inside the window (day 20 is outside): 5/6 = 83.33 -> 83.3, adherent (>= 80)
    pytest.param(days(0, 2, 4, 7, 9, 20), 6, 5, Decimal("83.3"), True, id="five-of-six"),
    # 4/6 = 66.67 -> 66.7
    pytest.param(days(0, 2, 4, 7), 6, 4, Decimal("66.7"), False, id="four-of-six"),
    # exactly 80%: 4/5
    pytest.param(days(0, 1, 2, 3), 5, 4, Decimal("80.0"), True, id="exactly-80"),
    # 8 done of 6 -> capped at 100
    pytest.param(days(0, 1, 2, 3, 4, 5, 6, 7), 6, 8, Decimal("100.0"), True, id="capped"),
    pytest.param([], 6, 0, Decimal("0.0"), False, id="none-done"),
    # the day before the window does not count
    pytest.param([START - timedelta(days=1)], 1, 0, Decimal("0.0"), False, id="before-window"),
]


@pytest.mark.parametrize(("done_on", "prescribed", "done", "percent", "adherent"), ADHERENCE_CASES)
def test_compute_adherence(
    done_on: list[date], prescribed: int, done: int, percent: Decimal, adherent: bool
) -> None:
    a = compute_adherence(done_on, prescribed=prescribed, window_start=START, window_end=END)
    assert (a.done, a.prescribed, a.percent, a.is_adherent) == (done, prescribed, percent, adherent)


def test_compute_adherence_rejects_nothing_prescribed() -> None:
    with pytest.raises(InvalidAnswer):
        compute_adherence([], prescribed=0, window_start=START, window_end=END)


def test_compute_adherence_rejects_reversed_window() -> None:
    with pytest.raises(InvalidAnswer):
        compute_adherence([], prescribed=3, window_start=END, window_end=START)
