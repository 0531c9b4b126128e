"""Adequate-trial tracker: is this drug's trial complete, and continue / switch / add?

Rule (clinical reference §6.1, a painpath default built on cited sources; needs governance
sign-off): adequate-trial lengths per drug from formulary.toml (Dworkin 2007). At the end of an
adequate trial, < 30 % pain reduction (IMMPACT moderate benefit, Dworkin 2008 J Pain 9:105) and
PGIC below "much improved" -> switch or add a drug from another first-line class (NeuPSIG,
Finnerup 2015); partial response 10 to < 30 % with tolerable adverse effects -> add (combination)
rather than switch (Finnerup 2015 discussion, unverified); intolerable adverse effects -> switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from painpath.clinical.errors import DomainError, InvalidAnswer
from painpath.clinical.medications.formulary import Drug

RESPONDER_REDUCTION_PERCENT: Final = Decimal(30)  # IMMPACT moderate (clinical reference §6.1)
PARTIAL_REDUCTION_PERCENT: Final = Decimal(10)  # clinical reference §6.1 (unverified)
SCORE_MIN: Final = Decimal(0)
SCORE_MAX: Final = Decimal(10)  # NRS 0-10; PEG = mean of three 0-10 items
DAYS_PER_WEEK: Final = Decimal(7)
TRIAL_SOURCE: Final = (
    "clinical reference §6.1 (painpath default): Dworkin 2007 trial lengths; IMMPACT 30 %; "
    "NeuPSIG Finnerup 2015 switch/add"
)


class PainMeasure(StrEnum):
    NRS = "nrs"
    PEG = "peg"


class TrialStatus(StrEnum):
    TITRATING = "titrating"
    IN_PROGRESS = "in_progress"  # at target, not yet long enough
    COMPLETE = "complete"


class Response(StrEnum):
    RESPONDER = "responder"  # >= 30 % reduction
    PARTIAL = "partial"  # 10 to < 30 %
    NON_RESPONDER = "non_responder"  # < 10 %


class TrialDecision(StrEnum):
    CONTINUE_TITRATION = "continue_titration"
    CONTINUE = "continue"
    SWITCH = "switch"
    ADD = "add"
    REVIEW = "review"  # no adequate-trial length in the formulary: clinician decides


@dataclass(frozen=True, slots=True)
class TrialAssessment:
    drug: str
    status: TrialStatus
    weeks_on_drug: Decimal
    weeks_at_target: Decimal
    required_weeks_at_target: Decimal | None
    measure: PainMeasure
    pain_reduction_percent: Decimal
    response: Response
    decision: TrialDecision
    rationale: str
    source: str


def _response(reduction: Decimal) -> Response:
    if reduction >= RESPONDER_REDUCTION_PERCENT:
        return Response.RESPONDER
    if reduction >= PARTIAL_REDUCTION_PERCENT:
        return Response.PARTIAL
    return Response.NON_RESPONDER


def assess_trial(
    drug: Drug,
    *,
    started_on: date,
    target_reached_on: date | None,
    today: date,
    measure: PainMeasure,
    baseline_score: Decimal,
    current_score: Decimal,
    has_intolerable_side_effects: bool,
    is_pgic_much_improved: bool | None = None,
) -> TrialAssessment:
    """Assess one drug trial on `today` (no clock: the caller passes the date)."""
    for name, value in (("baseline_score", baseline_score), ("current_score", current_score)):
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise InvalidAnswer(f"{measure}: {name} must be 0-10")
    if baseline_score == 0:
        raise DomainError(f"{drug.code}: baseline pain 0, response not computable")
    if today < started_on or (target_reached_on and not started_on <= target_reached_on <= today):
        raise DomainError(f"{drug.code}: dates must satisfy started <= target reached <= today")
    reduction = (baseline_score - current_score) / baseline_score * 100
    response = _response(reduction)
    weeks_on = Decimal((today - started_on).days) / DAYS_PER_WEEK
    weeks_at = (
        Decimal((today - target_reached_on).days) / DAYS_PER_WEEK
        if target_reached_on
        else Decimal(0)
    )
    required = drug.adequate_trial_weeks_at_target
    if target_reached_on is None:
        status = TrialStatus.TITRATING
    elif required is not None and weeks_at >= required:
        status = TrialStatus.COMPLETE
    else:
        status = TrialStatus.IN_PROGRESS

    if has_intolerable_side_effects:
        decision = TrialDecision.SWITCH
        why = "intolerable adverse effects: switch to another first-line class (or last tolerated dose)"
    elif status is TrialStatus.TITRATING:
        decision = TrialDecision.CONTINUE_TITRATION
        why = "target dose not reached yet"
    elif required is None:
        decision = TrialDecision.REVIEW
        why = "no adequate-trial length in the formulary for this drug"
    elif status is TrialStatus.IN_PROGRESS:
        decision = TrialDecision.CONTINUE
        why = f"{weeks_at:.1f} of {required} weeks at target: trial not yet adequate"
    elif response is Response.RESPONDER:
        decision = TrialDecision.CONTINUE
        why = f"pain reduced {reduction:.0f} % (>= {RESPONDER_REDUCTION_PERCENT} %)"
    elif is_pgic_much_improved:
        decision = TrialDecision.CONTINUE
        why = "below 30 % reduction but PGIC much improved or better"
    elif response is Response.PARTIAL:
        decision = TrialDecision.ADD
        why = "partial response (10 to < 30 %): add a drug from another first-line class"
    else:
        decision = TrialDecision.SWITCH
        why = "adequate trial with < 10 % reduction: switch to another first-line class"
    source = f"{drug.adequate_trial_source or drug.source}; {TRIAL_SOURCE}"
    return TrialAssessment(
        drug=drug.code,
        status=status,
        weeks_on_drug=weeks_on,
        weeks_at_target=weeks_at,
        required_weeks_at_target=required,
        measure=measure,
        pain_reduction_percent=reduction,
        response=response,
        decision=decision,
        rationale=why,
        source=source,
    )
