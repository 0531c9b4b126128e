"""Programme adherence: sessions done / sessions prescribed over a date window (inclusive)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.rehab.rules import ProgrammeRules, default_rules

_ONE_DP = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Adherence:
    window_start: date
    window_end: date
    done: int
    prescribed: int
    percent: Decimal  # min(done, prescribed) / prescribed x 100, half-up to 1 dp (capped at 100)
    is_adherent: bool  # percent >= programme.min_adherence (clinic default 80%, unverified)

    @property
    def ratio(self) -> Decimal:
        """Capped fraction 0-1 (percent / 100)."""
        return self.percent / 100


def window_days(window_start: date, window_end: date) -> int:
    """Number of days in an inclusive window."""
    if window_end < window_start:
        raise InvalidAnswer("window ends before it starts")
    return (window_end - window_start).days + 1


def prescribed_sessions(*, sessions_per_week: int, window_start: date, window_end: date) -> int:
    """Sessions prescribed in the window: per-week rate x days / 7, rounded half-up."""
    if sessions_per_week < 0:
        raise InvalidAnswer("sessions per week must be non-negative")
    days = window_days(window_start, window_end)
    exact = Decimal(sessions_per_week * days) / 7
    return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def compute_adherence(
    done_on: Sequence[date],
    *,
    prescribed: int,
    window_start: date,
    window_end: date,
    rules: ProgrammeRules | None = None,
) -> Adherence:
    """Count logged sessions dated inside the window against the prescribed number."""
    r = rules if rules is not None else default_rules().programme
    window_days(window_start, window_end)
    if prescribed <= 0:
        raise InvalidAnswer("adherence needs at least one prescribed session in the window")
    done = sum(1 for d in done_on if window_start <= d <= window_end)
    percent = (Decimal(min(done, prescribed)) * 100 / prescribed).quantize(_ONE_DP, ROUND_HALF_UP)
    return Adherence(
        window_start=window_start,
        window_end=window_end,
        done=done,
        prescribed=prescribed,
        percent=percent,
        is_adherent=percent >= r.min_adherence.value * 100,
    )
