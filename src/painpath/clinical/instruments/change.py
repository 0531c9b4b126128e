"""Change over time for one instrument: baseline vs current, MCID, IMMPACT responder.

Direction-aware: `improvement` is positive when the patient got better, whichever way the
instrument points (PSEQ, PSFS higher is better; the rest higher is worse).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import DomainError, IncompleteResponse, UnknownCode
from painpath.clinical.instruments.bands import GlobalChange
from painpath.clinical.instruments.registry import get
from painpath.clinical.instruments.spec import (
    TOTAL,
    Aggregation,
    Direction,
    Mcid,
    ScoreResult,
    Source,
)

_CONTEXT: Final = Context(prec=28)
_HUNDRED: Final = Decimal(100)


class ChangeNotApplicable(DomainError):
    """The instrument is not compared with a baseline (e.g. PGIC, itself a change measure)."""


class ChangeDirection(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"


class PainResponse(StrEnum):
    """IMMPACT pain-intensity reduction level (Dworkin 2008)."""

    NONE = "none"
    MINIMAL = "minimal"
    MODERATE = "moderate"
    SUBSTANTIAL = "substantial"


class GlobalBenefit(StrEnum):
    """IMMPACT benefit level read from a PGIC category (Dworkin 2008)."""

    NONE = "none"
    MINIMAL = "minimal"
    MODERATE = "moderate"
    SUBSTANTIAL = "substantial"


IMMPACT_PAIN_SOURCE: Final = Source(
    "Dworkin RH et al. Interpreting the clinical importance of treatment outcomes in chronic pain "
    "clinical trials: IMMPACT recommendations. J Pain 2008;9:105-121. Pain reduction >= 30% "
    "moderate, >= 50% substantial; painpath counts 10-<30% as minimal",
    is_verified=True,
    note="30/50% verified via ePPOC wiki and metajournal abstract (clinical-reference 1.2); the "
    "10% floor of 'minimal' is the painpath default rule in the same section",
)
# Thresholds on pain_reduction_pct, highest first (clinical-reference 1.2 IMMPACT defaults).
PAIN_RESPONSE_THRESHOLDS: Final = (
    (Decimal(50), PainResponse.SUBSTANTIAL),
    (Decimal(30), PainResponse.MODERATE),
    (Decimal(10), PainResponse.MINIMAL),
)

PGIC_BENEFIT_SOURCE: Final = Source(
    "Dworkin 2008: PGIC minimally improved = minimal, much improved = moderate, very much "
    "improved = substantial benefit",
    is_verified=False,
    note="category mapping unverified (abstract only checked, clinical-reference 1.2); 'much' "
    "and 'very much improved' as clinically important is verified in Farrar 2001",
)
PGIC_BENEFIT: Final = {
    GlobalChange.VERY_MUCH_IMPROVED: GlobalBenefit.SUBSTANTIAL,
    GlobalChange.MUCH_IMPROVED: GlobalBenefit.MODERATE,
    GlobalChange.MINIMALLY_IMPROVED: GlobalBenefit.MINIMAL,
}


@dataclass(frozen=True, slots=True)
class Change:
    """Change on one scale of one instrument between a baseline and a current result."""

    code: str
    scale: str
    baseline: Decimal
    current: Decimal
    change: Decimal  # current - baseline, raw sign
    change_percent: Decimal | None  # change / baseline x 100; None when baseline is 0
    improvement: Decimal  # change in the "better" direction: positive = better
    improvement_percent: Decimal | None
    direction: ChangeDirection
    mcid: Mcid | None
    is_mcid_improvement: bool | None  # None when the scale has no MCID
    is_mcid_worsening: bool | None
    pain_response: PainResponse | None  # IMMPACT, pain-intensity scales with baseline > 0 only


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return _CONTEXT.divide(_CONTEXT.multiply(part, _HUNDRED), whole)


def _reaches(mcid: Mcid, amount: Decimal, amount_percent: Decimal | None) -> bool:
    by_points = mcid.points is not None and amount >= mcid.points
    by_percent = (
        mcid.percent is not None and amount_percent is not None and amount_percent >= mcid.percent
    )
    return by_points or by_percent


def pain_response(baseline: Decimal, current: Decimal) -> PainResponse:
    """IMMPACT level of a pain-intensity reduction (same recall period at both points).

    pain_reduction_pct = (baseline - current) / baseline x 100. Raises DomainError when the
    baseline is not above 0, because a percentage reduction from no pain is undefined.
    """
    if baseline <= 0:
        raise DomainError("IMMPACT pain response needs a baseline pain intensity above 0")
    reduction_pct = _percent(baseline - current, baseline)
    assert reduction_pct is not None
    for threshold, level in PAIN_RESPONSE_THRESHOLDS:
        if reduction_pct >= threshold:
            return level
    return PainResponse.NONE


def _value(result: ScoreResult, code: str, scale: str, which: str) -> Decimal:
    value = result.scale(scale)
    if value is None:
        raise IncompleteResponse(f"{code}: {which} {scale} score is not computable")
    return value


def compare(
    code: str, baseline: ScoreResult, current: ScoreResult, *, scale: str = TOTAL
) -> Change:
    """Change from `baseline` to `current` on `scale` (default: the total) of instrument `code`.

    Raises UnknownCode (instrument or scale), IncompleteResponse (a side has no score on that
    scale) or ChangeNotApplicable (categorical instruments such as PGIC).
    """
    spec = get(code)
    try:
        declared = spec.scale(scale)
    except KeyError:
        raise UnknownCode(f"{code}: unknown scale {scale}") from None
    if declared.aggregation is Aggregation.CATEGORY:
        raise ChangeNotApplicable(f"{code}: a categorical rating is not compared with a baseline")
    before = _value(baseline, code, scale, "baseline")
    after = _value(current, code, scale, "current")
    change = after - before
    improvement = -change if spec.direction is Direction.HIGHER_IS_WORSE else change
    improvement_percent = _percent(improvement, before)
    if improvement > 0:
        direction = ChangeDirection.IMPROVED
    elif improvement < 0:
        direction = ChangeDirection.WORSENED
    else:
        direction = ChangeDirection.UNCHANGED
    mcid = spec.mcid(scale)
    worsening_percent = None if improvement_percent is None else -improvement_percent
    return Change(
        code=code,
        scale=scale,
        baseline=before,
        current=after,
        change=change,
        change_percent=_percent(change, before),
        improvement=improvement,
        improvement_percent=improvement_percent,
        direction=direction,
        mcid=mcid,
        is_mcid_improvement=None
        if mcid is None
        else _reaches(mcid, improvement, improvement_percent),
        is_mcid_worsening=None if mcid is None else _reaches(mcid, -improvement, worsening_percent),
        pain_response=(
            pain_response(before, after)
            if spec.is_pain_intensity and scale == TOTAL and before > 0
            else None
        ),
    )


def pgic_benefit(result: ScoreResult) -> GlobalBenefit:
    """IMMPACT benefit level of a scored PGIC response."""
    if not isinstance(result.band, GlobalChange):
        raise IncompleteResponse("pgic: the response has no category")
    return PGIC_BENEFIT.get(result.band, GlobalBenefit.NONE)


def is_pgic_responder(result: ScoreResult) -> bool:
    """Global responder: PGIC "much improved" or "very much improved" (Farrar 2001; IMMPACT)."""
    return pgic_benefit(result) in {GlobalBenefit.MODERATE, GlobalBenefit.SUBSTANTIAL}
