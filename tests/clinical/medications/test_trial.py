"""Adequate-trial tracker (clinical reference §6.1 default; Dworkin 2007 trial lengths)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from painpath.clinical.errors import DomainError, InvalidAnswer
from painpath.clinical.medications.formulary import default_formulary
from painpath.clinical.medications.trial import (
    PainMeasure,
    Response,
    TrialDecision,
    TrialStatus,
    assess_trial,
)

D = Decimal
F = default_formulary()
STARTED = date(2026, 9, 1)


def run(
    drug: str,
    *,
    weeks_to_target: int | None,
    weeks_total: int,
    baseline: str,
    current: str,
    intolerable: bool = False,
    pgic: bool | None = None,
) -> tuple[TrialStatus, Response, TrialDecision]:
    reached = STARTED + timedelta(weeks=weeks_to_target) if weeks_to_target is not None else None
    a = assess_trial(
        F.get(drug),
        started_on=STARTED,
        target_reached_on=reached,
        today=STARTED + timedelta(weeks=weeks_total),
        measure=PainMeasure.NRS,
        baseline_score=D(baseline),
        current_score=D(current),
        has_intolerable_side_effects=intolerable,
        is_pgic_much_improved=pgic,
    )
    return a.status, a.response, a.decision


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # still titrating; (8-7)/8 = 12.5 % -> partial so far
        pytest.param(
            {
                "drug": "gabapentin",
                "weeks_to_target": None,
                "weeks_total": 3,
                "baseline": "8",
                "current": "7",
            },
            (TrialStatus.TITRATING, Response.PARTIAL, TrialDecision.CONTINUE_TITRATION),
            id="titrating",
        ),
        # pregabalin needs 4 weeks at target: 3 weeks -> in progress
        pytest.param(
            {
                "drug": "pregabalin",
                "weeks_to_target": 1,
                "weeks_total": 4,
                "baseline": "8",
                "current": "8",
            },
            (TrialStatus.IN_PROGRESS, Response.NON_RESPONDER, TrialDecision.CONTINUE),
            id="pgb-3-of-4-weeks",
        ),
        # 4 weeks at target, (8-5)/8 = 37.5 % -> responder, continue
        pytest.param(
            {
                "drug": "pregabalin",
                "weeks_to_target": 1,
                "weeks_total": 5,
                "baseline": "8",
                "current": "5",
            },
            (TrialStatus.COMPLETE, Response.RESPONDER, TrialDecision.CONTINUE),
            id="responder-37-5",
        ),
        # exactly 30 %: (10-7)/10 -> responder
        pytest.param(
            {
                "drug": "duloxetine",
                "weeks_to_target": 1,
                "weeks_total": 5,
                "baseline": "10",
                "current": "7",
            },
            (TrialStatus.COMPLETE, Response.RESPONDER, TrialDecision.CONTINUE),
            id="exactly-30",
        ),
        # (10-8)/10 = 20 % -> partial -> add
        pytest.param(
            {
                "drug": "duloxetine",
                "weeks_to_target": 1,
                "weeks_total": 5,
                "baseline": "10",
                "current": "8",
            },
            (TrialStatus.COMPLETE, Response.PARTIAL, TrialDecision.ADD),
            id="partial-20-add",
        ),
        # exactly 10 %: (10-9)/10 -> partial
        pytest.param(
            {
                "drug": "duloxetine",
                "weeks_to_target": 1,
                "weeks_total": 5,
                "baseline": "10",
                "current": "9",
            },
            (TrialStatus.COMPLETE, Response.PARTIAL, TrialDecision.ADD),
            id="exactly-10-partial",
        ),
        # (8-7.5)/8 = 6.25 % -> switch
        pytest.param(
            {
                "drug": "amitriptyline",
                "weeks_to_target": 5,
                "weeks_total": 7,
                "baseline": "8",
                "current": "7.5",
            },
            (TrialStatus.COMPLETE, Response.NON_RESPONDER, TrialDecision.SWITCH),
            id="tca-non-responder",
        ),
        # PGIC much improved keeps a <30 % response
        pytest.param(
            {
                "drug": "duloxetine",
                "weeks_to_target": 1,
                "weeks_total": 5,
                "baseline": "10",
                "current": "9",
                "pgic": True,
            },
            (TrialStatus.COMPLETE, Response.PARTIAL, TrialDecision.CONTINUE),
            id="pgic-much-improved",
        ),
        # intolerable adverse effects -> switch, even while titrating
        pytest.param(
            {
                "drug": "gabapentin",
                "weeks_to_target": None,
                "weeks_total": 2,
                "baseline": "8",
                "current": "4",
                "intolerable": True,
            },
            (TrialStatus.TITRATING, Response.RESPONDER, TrialDecision.SWITCH),
            id="intolerable",
        ),
        # no adequate-trial length (carbamazepine) -> review
        pytest.param(
            {
                "drug": "carbamazepine",
                "weeks_to_target": 1,
                "weeks_total": 8,
                "baseline": "8",
                "current": "8",
            },
            (TrialStatus.IN_PROGRESS, Response.NON_RESPONDER, TrialDecision.REVIEW),
            id="no-trial-length",
        ),
    ],
)
def test_trial_decision(
    kwargs: dict[str, object], expected: tuple[TrialStatus, Response, TrialDecision]
) -> None:
    assert run(**kwargs) == expected  # type: ignore[arg-type]


def test_trial_weeks_and_percent() -> None:
    a = assess_trial(
        F.get("gabapentin"),
        started_on=STARTED,
        target_reached_on=STARTED + timedelta(days=24),
        today=STARTED + timedelta(days=38),
        measure=PainMeasure.PEG,
        baseline_score=D("6"),
        current_score=D("4.5"),
        has_intolerable_side_effects=False,
    )
    # 38 days = 5.43 weeks on drug; 14 days = 2 weeks at target (= required 2); (6-4.5)/6 = 25 %
    assert a.weeks_at_target == D(2)
    assert a.pain_reduction_percent == D(25)
    assert a.status is TrialStatus.COMPLETE
    assert "Dworkin" in a.source


@pytest.mark.parametrize(
    ("baseline", "current", "error"),
    [
        pytest.param("11", "5", InvalidAnswer, id="baseline-above-10"),
        pytest.param("5", "-1", InvalidAnswer, id="negative"),
        pytest.param("0", "0", DomainError, id="baseline-zero"),
    ],
)
def test_trial_rejects_invalid_scores(baseline: str, current: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        run("pregabalin", weeks_to_target=1, weeks_total=5, baseline=baseline, current=current)
